/**
 * Where an initiative's follow-up page lives: plain values in a module of their own, so that the
 * phone's router loads them without the initiatives' payload schemas (initiatives.ts).
 */

/** The path of an initiative's follow-up page, with its token: one fact for the server and the client. */
export const followUpPath = (token: string) => `/k/${token}`;
/** The route its page reads, with no account: `GET` + the token. */
export const FOLLOW_UP_API = '/api/follow-up/';
/** Follow-up page views one address may make per minute: each reads the initiative's boards. */
export const FOLLOW_UP_VIEWS_PER_MINUTE = 30;
