/**
 * The Yjs room endpoints: `GET /yjs/:boardId?token=...[&epoch=...]` (a board) and
 * `GET /yjs/:sessionId/session?token=...` (the session document), upgraded to a websocket
 * speaking the standard y-websocket protocol, read-only. The token is checked before the
 * upgrade, so a refused client never gets a socket.
 */
import websocket from '@fastify/websocket';
import {
  Id,
  MAX_YJS_MESSAGE_BYTES,
  ROOM_CLOSE,
  SESSION_ROOM_SUFFIX,
  SYNC_BYTES_PER_LINK,
  YJS_PATH,
} from '@kaptar/protocol';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RawData, WebSocket } from 'ws';
import { holderOf } from '../auth/connection-limit.js';
import type { Authenticated } from '../auth/plugin.js';
import { BucketsByKey } from '../auth/token-bucket.js';
import { type ReadOnlyRoom, RoomConnection } from './connection.js';
import { rebuildOldBoards } from './rebuild-old-boards.js';
import { Replicas } from './replicas.js';
import type { RoomMember } from './room.js';
import { RoomHost } from './room-host.js';
import { SessionRooms } from './session-room.js';

declare module 'fastify' {
  interface FastifyInstance {
    rooms: RoomHost;
    /** The session documents (what the whole session shares), written by the control plane. */
    sessionRooms: SessionRooms;
    /** In a cluster, what this process's Yjs connections are served from (null on one process). */
    replicas: Replicas | null;
    /** Closes a holder's Yjs connections on this process (a removed participant, a renewed projector link). */
    closeRoomsOf(holder: string, code: number, reason: string): Promise<void>;
  }
}

/** A room a connection joins and leaves: a board's or a session document's. */
interface ServedRoom extends ReadOnlyRoom {
  readonly size: number;
  add(member: RoomMember): void;
  remove(member: RoomMember): void;
}
interface RoomSource<R extends ServedRoom> {
  acquire(): Promise<R>;
  release(room: R): void;
}

const RoomParams = Type.Object({ boardId: Id });
const SessionRoomParams = Type.Object({ sessionId: Id });
const RoomQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200 })),
  /** The epoch of the replica the client holds; another epoch's replica must be dropped, not synced. */
  epoch: Type.Optional(Type.String({ maxLength: 64 })),
});
type RoomRequest = FastifyRequest<{
  Params: Static<typeof RoomParams>;
  Querystring: Static<typeof RoomQuery>;
}>;
type SessionRoomRequest = FastifyRequest<{
  Params: Static<typeof SessionRoomParams>;
  Querystring: Static<typeof RoomQuery>;
}>;

/**
 * Principals admitted by the pre-upgrade check (with the board's epoch; none for a session
 * document), handed to the socket handler.
 */
const admitted = new WeakMap<FastifyRequest, { principal: Authenticated; epoch?: string }>();

export const roomsPlugin = fp(
  async (app: FastifyInstance) => {
    await rebuildOldBoards(app.store, app.log);
    const host = new RoomHost(app.store, app.log, app.storageHealth);
    app.decorate('rooms', host);
    const sessionRooms = new SessionRooms(app.store, app.storageHealth);
    app.decorate('sessionRooms', sessionRooms);
    const replicas = app.cluster && followOwners(app, host, sessionRooms);
    app.decorate('replicas', replicas);
    app.decorate('closeRoomsOf', async (holder: string, code: number, reason: string) => {
      await host.disconnect(holder, code, reason);
      await sessionRooms.disconnect(holder, code, reason);
      replicas?.disconnect(holder, code, reason);
    });
    const syncBytes = new BucketsByKey(SYNC_BYTES_PER_LINK.perMinute / 60, SYNC_BYTES_PER_LINK.burst);

    // Sockets go first, then rooms save: nothing can arrive after the last write. Added before
    // the websocket plugin, whose own preClose would otherwise close them first, without a code.
    app.addHook('preClose', async () => {
      for (const client of app.websocketServer.clients) {
        client.close(ROOM_CLOSE.shuttingDown, 'server restarting');
      }
    });
    await app.register(websocket, { options: { maxPayload: MAX_YJS_MESSAGE_BYTES } });
    app.addHook('onClose', async () => {
      sessionRooms.closeAll();
      await host.closeAll();
    });

    /** Opens an admitted socket within the connection limits, then serves it from `source`. */
    function open<R extends ServedRoom>(
      socket: WebSocket,
      request: FastifyRequest,
      principal: Authenticated,
      source: RoomSource<R>,
    ): void {
      const address = request.ip;
      const holder = holderOf(principal);
      const refused = app.connectionLimit.tryOpen(address, holder);
      if (refused) {
        const from = refused === 'address' ? 'from this address' : 'with this link';
        socket.close(ROOM_CLOSE.rateLimited, `too many connections ${from}`);
        return;
      }
      socket.once('close', () => app.connectionLimit.close(address, holder));
      void serve(app, source, syncBytes, socket, principal);
    }

    app.get(
      `${YJS_PATH}/:boardId`,
      {
        websocket: true,
        schema: { params: RoomParams, querystring: RoomQuery },
        preValidation: async (request: RoomRequest, reply) => {
          const principal = await app.authenticate(request.query.token);
          if (!principal) return reply.code(401).send({ error: 'Missing or unknown token' });
          const board = await app.store.getBoard(request.params.boardId);
          if (!board || board.sessionId !== principal.sessionId) {
            return reply.code(403).send({ error: 'This token gives no access to that board' });
          }
          admitted.set(request, { principal, epoch: board.epoch });
        },
      },
      (socket: WebSocket, request: RoomRequest) => {
        const entry = admitted.get(request);
        if (!entry) return socket.close(ROOM_CLOSE.malformed, 'not admitted');
        const { epoch } = request.query;
        if (epoch !== undefined && epoch !== entry.epoch) {
          return socket.close(ROOM_CLOSE.staleReplica, `the board was rebuilt: epoch ${entry.epoch}`);
        }
        const { boardId } = request.params;
        if (replicas) {
          if (!followingNow(app, entry.principal.sessionId))
            return socket.close(ROOM_CLOSE.tryAgainLater, LOST_REDIS);
          open(socket, request, entry.principal, {
            acquire: () => replicas.acquireBoard(boardId, entry.principal.sessionId),
            release: (room) => replicas.release(room),
          });
        } else {
          open(socket, request, entry.principal, {
            acquire: () => host.acquire(boardId),
            release: (room) => host.release(room),
          });
        }
      },
    );

    app.get(
      `${YJS_PATH}/:sessionId/${SESSION_ROOM_SUFFIX}`,
      {
        websocket: true,
        schema: { params: SessionRoomParams, querystring: RoomQuery },
        preValidation: async (request: SessionRoomRequest, reply) => {
          const principal = await app.authenticate(request.query.token);
          if (!principal) return reply.code(401).send({ error: 'Missing or unknown token' });
          if (principal.sessionId !== request.params.sessionId) {
            return reply.code(403).send({ error: 'This token gives no access to that session' });
          }
          admitted.set(request, { principal });
        },
      },
      (socket: WebSocket, request: SessionRoomRequest) => {
        const entry = admitted.get(request);
        if (!entry) return socket.close(ROOM_CLOSE.malformed, 'not admitted');
        const { sessionId } = request.params;
        if (replicas) {
          if (!followingNow(app, sessionId)) return socket.close(ROOM_CLOSE.tryAgainLater, LOST_REDIS);
          open(socket, request, entry.principal, {
            acquire: () => replicas.acquireSession(sessionId),
            release: (room) => replicas.release(room),
          });
        } else {
          open(socket, request, entry.principal, {
            acquire: () => sessionRooms.acquire(sessionId),
            release: (room) => sessionRooms.release(room),
          });
        }
      },
    );
  },
  { name: 'kaptar-rooms', dependencies: ['kaptar-storage', 'kaptar-auth', 'kaptar-cluster'] },
);

const LOST_REDIS = 'this server cannot follow the board now; reconnect';

/** Whether this process can serve the session's documents now: Redis works, or it owns the session. */
function followingNow(app: FastifyInstance, sessionId: string): boolean {
  const cluster = app.cluster;
  return !cluster || cluster.reader.isReachable || cluster.ownership.ownsNow(sessionId);
}

/**
 * In a cluster every Yjs connection is served from a replica (rooms/replicas.ts), on the owner's
 * process too: a connection stays where it is when its session's owner changes. This process's
 * writers send their stored changes to the replicas, and let a session go once another owns it.
 */
function followOwners(app: FastifyInstance, host: RoomHost, sessionRooms: SessionRooms): Replicas {
  const cluster = app.cluster as NonNullable<FastifyInstance['cluster']>;
  const replicas = new Replicas(app.store, cluster.redis, cluster.reader, app.log);
  host.onStoredUpdate((boardId, update, order) => replicas.publishBoard(boardId, update, order));
  sessionRooms.onStoredState((sessionId, state) => replicas.publishSession(sessionId, state));
  // Only an owner loads a session's documents as their writer: a late caller on a former owner
  // (a queued batch, a throttled view, a request handed over on an old answer) would claim them.
  const { ownership } = cluster;
  sessionRooms.onlyLoadWhen((sessionId) => ownership.ownsNow(sessionId));
  host.onlyLoadWhen(async (boardId) => {
    const board = await app.store.getBoard(boardId);
    return board === undefined || ownership.ownsNow(board.sessionId);
  });
  // Without Redis the replicas of other owners' sessions fall behind: their phones reconnect (to a
  // process that can follow them, or here once Redis is back) instead of showing an old board.
  cluster.reader.onReachable((reachable) => {
    if (!reachable)
      replicas.disconnectSessions(
        (sessionId) => !followingNow(app, sessionId),
        ROOM_CLOSE.tryAgainLater,
        LOST_REDIS,
      );
  });
  cluster.ownership.onLost((sessionId) => {
    sessionRooms.letGo(sessionId);
    void app.store.listBoards(sessionId).then(
      (boards) => Promise.all(boards.map((board) => host.letGo(board.id))),
      (error: unknown) => app.log.error({ err: error, sessionId }, 'could not let a session go'),
    );
  });
  return replicas;
}

async function serve<R extends ServedRoom>(
  app: FastifyInstance,
  source: RoomSource<R>,
  syncBytes: BucketsByKey,
  socket: WebSocket,
  principal: Authenticated,
): Promise<void> {
  // Listen at once: messages that arrive while the room loads must not be lost.
  const early: Uint8Array[] = [];
  let connection: RoomConnection | null = null;
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) return socket.close(ROOM_CLOSE.malformed, 'text frames are not part of the protocol');
    const bytes = toBytes(data);
    if (connection) connection.receive(bytes);
    else early.push(bytes);
  });
  socket.on('error', (error) => app.log.warn({ err: error }, 'Yjs socket error'));

  let room: R;
  try {
    room = await source.acquire();
  } catch (error) {
    app.log.error({ err: error }, 'could not load a Yjs room');
    return socket.close(1011, 'the document could not be loaded');
  }
  const current = new RoomConnection(socket, room, principal, app.log, syncBytes);
  socket.on('close', () => {
    current.dispose();
    room.remove(current);
    source.release(room);
  });
  if (socket.readyState !== socket.OPEN) {
    current.dispose();
    return source.release(room);
  }
  connection = current;
  room.add(current);
  for (const bytes of early.splice(0)) current.receive(bytes);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
