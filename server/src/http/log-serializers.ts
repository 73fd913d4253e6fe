/**
 * What a request looks like in the log: never a secret. Tokens travel in query strings (Yjs
 * rooms: `?token=`) and Authorization headers; a leaked log line would hand a moderator's or
 * projector's link to whoever reads it. The query string is left out whole (its keys and values
 * are not needed to follow a request) and headers are never logged. A follow-up page's token is
 * in its path: that part is left out too.
 */
import { FOLLOW_UP_API, followUpPath } from '@kaptar/protocol';
import type { FastifyRequest } from 'fastify';

const TOKEN_IN_PATH = [FOLLOW_UP_API, followUpPath('')];

export function withoutSecrets(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : `${url.slice(0, query)}?…`;
  const prefix = TOKEN_IN_PATH.find((start) => path.startsWith(start));
  return prefix ? `${prefix}…` : path;
}

export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, url: withoutSecrets(request.url), remoteAddress: request.ip };
  },
};
