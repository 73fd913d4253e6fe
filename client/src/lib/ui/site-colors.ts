/**
 * A stable colour per settlement, so cards and people from the same village
 * look alike on every screen. Dark enough for white text (WCAG AA).
 */
const PALETTE = ['#1f5fa8', '#a8431f', '#6b3fa0', '#1e6b35', '#8a5a00', '#a01f5f', '#2a6f7a', '#555555'];

export function siteColor(site: string): string {
  let hash = 0;
  for (const char of site.trim().toLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] as string;
}

/** Settlement -> how many people, largest first. */
export function countBySite(sites: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const site of sites) if (site) counts.set(site, (counts.get(site) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
