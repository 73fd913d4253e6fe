/** Which settlements a session takes people from: one rule for joining and for adding a resident. */
import type { SessionRecord } from '../storage/store.js';

/** Whether `site` is one the session accepts for a participant (joining, or added by the moderator). */
export function acceptsSite(session: SessionRecord, site: string): boolean {
  return session.allowNewSites || session.sites.length === 0 || session.sites.includes(site);
}
