/** How an initiative's type, meeting and due dates read, in the interface's language. */
import { INITIATIVE_TYPES, initiativeTypeTitle, type Meeting } from '@kaptar/board';
import { i18n } from '../i18n/index.svelte.js';

export const typeTitle = (type: string) => initiativeTypeTitle(type, i18n.locale);

export const typeChoices = () => INITIATIVE_TYPES.map((id) => ({ id, title: typeTitle(id) }));

/** A calendar day (YYYY-MM-DD) as people say it: "december 12., péntek". */
export function dayText(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(i18n.locale, {
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    timeZone: 'UTC',
  }).format(date);
}

export function meetingText(meeting: Meeting): string {
  return [dayText(meeting.date), meeting.time, meeting.place].filter(Boolean).join(', ');
}
