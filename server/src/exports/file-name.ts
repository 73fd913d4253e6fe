/**
 * Names of downloaded files, from what they hold: the session's title, the board's and the
 * snapshot's names, and the day, e.g. `alsovaros-muhely-2026-12-02.csv`. That name is plain
 * ASCII (lower case, accents dropped, hyphens), safe on every USB stick and mail program; the
 * real title goes beside it as an RFC 5987 `filename*` for programs that read it.
 */

/** The words naming a file, most general first; empty ones are left out. */
export interface FileNameParts {
  words: string[];
  /** The moment the file shows (now, or the snapshot's): its day, on this server's clock, ends the name. */
  at: number;
  extension: string;
}

/** Longest share of one word in the ASCII name, so a long title leaves room for the others. */
const MAX_WORD = 60;

/** A Content-Disposition header that saves the file under its ASCII name, or its real name. */
export function attachment(parts: FileNameParts): string {
  return `attachment; filename="${asciiFileName(parts)}"; filename*=UTF-8''${encodeRfc5987(fullFileName(parts))}`;
}

export function asciiFileName({ words, at, extension }: FileNameParts): string {
  const slugs = words.map((word) => slug(word).slice(0, MAX_WORD).replace(/-+$/, '')).filter(Boolean);
  return `${[...(slugs.length > 0 ? slugs : ['kaptar']), day(at)].join('-')}.${extension}`;
}

/** The name with its words as written, minus the characters file systems refuse. */
export function fullFileName({ words, at, extension }: FileNameParts): string {
  const named = words.map((word) => word.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim()).filter(Boolean);
  return `${[...(named.length > 0 ? named : ['Kaptár']), day(at)].join(' - ')}.${extension}`;
}

/** Lower-case ASCII letters and digits, every other run as one hyphen: "Alsóváros műhely" -> "alsovaros-muhely". */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** YYYY-MM-DD, the day where the server runs (the workshop's, for a server in the room or the region). */
function day(at: number): string {
  const date = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** Percent-encoding for an RFC 5987 value: encodeURIComponent leaves ' ( ) * ! as they are. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*!]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
