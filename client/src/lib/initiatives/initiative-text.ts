/** How an initiative's type, members, meeting and due dates read, in the interface's language. */
import {
  dayInWords,
  INITIATIVE_TYPES,
  type Initiative,
  initiativeTypeTitle,
  type Meeting,
  meetingInWords,
  membersBySite,
} from '@kaptar/board';
import { i18n, t } from '../i18n/index.svelte.js';

export const typeTitle = (type: string) => initiativeTypeTitle(type, i18n.locale);

export const typeChoices = () => INITIATIVE_TYPES.map((id) => ({ id, title: typeTitle(id) }));

/** A due day with its weekday: people plan by the week. */
export const dayText = (day: string) => dayInWords(day, i18n.locale, true);

export const meetingText = (meeting: Meeting) => meetingInWords(meeting, i18n.locale);

/** "3 tag · Alsóváros: 1 · Felsőhegy: 2": how many are in, from where. */
export function memberSummary(initiative: Initiative): string {
  const sites = membersBySite(initiative).map(
    ({ site, members }) => `${site || t('initiative.noSite')}: ${members.length}`,
  );
  return [t('initiative.memberCount', { count: initiative.members.length }), ...sites].join(' · ');
}
