/**
 * What to tell a person when an HTTP call failed, in their language: the server's `error` text is
 * English, for people reading the API, so the app says it in its own words, from the status and
 * the code the server gives the refusals a person can act on.
 */
import { type MessageKey, t } from '../i18n/index.svelte.js';
import { ApiError } from './api.js';

export function failureText(failure: unknown, otherwise: MessageKey = 'error.invalid'): string {
  if (!(failure instanceof ApiError)) return t(otherwise);
  if (failure.status === 0) return t('error.network');
  if (failure.code === 'text-invalid') return t('error.text-invalid');
  if (failure.code === 'session-full') return t('error.session-full');
  if (failure.code === 'workshop-full') return t('error.workshop-full');
  if (failure.code === 'session-closed') return t('error.session-closed');
  if (failure.status === 429) return t('command.rate-limited');
  // Under the disk reserve (storage/disk-reserve.ts): no new sessions on this server for now.
  if (failure.status === 507) return t('error.server-full');
  return t(otherwise);
}
