/**
 * What a request looks like in the log: never a secret. Tokens travel in query strings (Yjs
 * rooms: `?token=`) and Authorization headers; a leaked log line would hand a moderator's or
 * projector's link to whoever reads it. The query string is left out whole (its keys and values
 * are not needed to follow a request) and headers are never logged.
 */
import type { FastifyRequest } from 'fastify';

export function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : `${url.slice(0, query)}?…`;
}

export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, url: withoutQuery(request.url), remoteAddress: request.ip };
  },
};
