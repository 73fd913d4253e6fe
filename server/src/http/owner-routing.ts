/**
 * In a cluster, a request about one session (a route with `:sessionId` or `:boardId`, or one that
 * names how to find its session in `config.sessionOf`) is answered by the process that owns the
 * session: it holds the live documents, their private state and the intent queues. Another process
 * hands the request over whole (cluster/inbox.ts) and sends back the owner's reply. The owner runs
 * it through its own routes with `inject`, marked so that it is neither handed on again nor
 * counted twice against its sender's address.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Cluster } from '../cluster/plugin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The session a request is about, for routes whose path names neither a session nor a board. */
    sessionOf?: (request: FastifyRequest) => Promise<string | undefined>;
  }
  interface FastifyInstance {
    /** Whether the request was handed over by another process (and passed its limits there). */
    handedOver(request: FastifyRequest): boolean;
  }
}

const MARK_HEADER = 'x-kaptar-handed-over';
/** Headers that belong to one connection, not to the request. */
const HOP_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'host']);

interface HandedOver {
  sessionId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  remoteAddress: string;
}
interface OwnersReply {
  status: number;
  headers: Record<string, string>;
  /** base64: archives and exports are binary. */
  body: string;
}
/** The asked process does not own the session (any more): the asker reads the owner again. */
type OwnersAnswer = OwnersReply | { moved: true };

export const ownerRouting = fp(
  async (app: FastifyInstance) => {
    // Known to this process alone: a header a client forges never matches it.
    const mark = randomUUID();
    const handedOver = (request: FastifyRequest) => request.headers[MARK_HEADER] === mark;
    app.decorate('handedOver', handedOver);
    const { cluster } = app;
    if (!cluster) return;

    cluster.inbox.serve('http', async (raw): Promise<OwnersAnswer> => {
      const request = raw as HandedOver;
      // Asked on an old answer (the lease moved meanwhile): run here, the request would claim the
      // session's documents from their owner.
      if (!(await cluster.owns(request.sessionId))) return { moved: true };
      const response = await app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: { ...request.headers, [MARK_HEADER]: mark },
        ...(request.payload === undefined ? {} : { payload: request.payload }),
        remoteAddress: request.remoteAddress,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = String(value);
      }
      return { status: response.statusCode, headers, body: response.rawPayload.toString('base64') };
    });

    app.addHook('preValidation', async (request, reply) => {
      // A websocket (a Yjs room) is served where it arrives, from a replica (rooms/replicas.ts).
      // Told by the socket the upgrade brought, never by a header anyone can send with a plain GET.
      if (handedOver(request) || request.ws) return;
      const sessionId = await sessionOfRequest(app, request);
      if (!sessionId || (await cluster.owns(sessionId))) return;
      return handOver(cluster, sessionId, request, reply);
    });
  },
  { name: 'kaptar-owner-routing', dependencies: ['kaptar-cluster', 'kaptar-storage'] },
);

async function sessionOfRequest(app: FastifyInstance, request: FastifyRequest): Promise<string | undefined> {
  const own = request.routeOptions.config.sessionOf;
  if (own) return own(request);
  const params = (request.params ?? {}) as { sessionId?: unknown; boardId?: unknown };
  // Only a session that exists is owned: a lease for every id made up in a URL would have this
  // process renew thousands of them.
  if (typeof params.sessionId === 'string')
    return (await app.store.getSession(params.sessionId)) ? params.sessionId : undefined;
  // An unknown board is answered here, as any process answers it.
  if (typeof params.boardId === 'string') return (await app.store.getBoard(params.boardId))?.sessionId;
  return undefined;
}

async function handOver(
  cluster: Cluster,
  sessionId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = String(value);
  }
  const body: HandedOver = {
    sessionId,
    method: request.method,
    url: request.url,
    headers,
    ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
    remoteAddress: request.ip,
  };
  // A session that changed owners meanwhile is asked of its new owner once.
  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = await cluster.ownership.ownerOf(sessionId);
    // Taken by this process meanwhile: served here, as any request of its own sessions.
    if (owner === cluster.processId) return;
    const answer = (await cluster.inbox.ask(owner, 'http', body)) as OwnersAnswer | null;
    if (answer && !('moved' in answer))
      return reply.code(answer.status).headers(answer.headers).send(Buffer.from(answer.body, 'base64'));
    cluster.ownership.forget(sessionId);
    if (!answer) break;
  }
  return reply
    .code(503)
    .send({ error: 'The server that holds this session did not answer. Try again in a few seconds.' });
}
