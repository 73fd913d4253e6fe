/**
 * The socket.io control plane, on the same server and port as Fastify.
 * Sockets authenticate with their token in the handshake and join their
 * session's room; for now the plane carries the live participant list.
 */
import {
  type ClientToServerEvents,
  CONTROL_ERRORS,
  ControlAuth,
  check,
  MAX_CONTROL_MESSAGE_BYTES,
  type PresenceList,
  ROOM_CLOSE,
  type ServerToClientEvents,
} from '@kaptar/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { holderOf } from '../auth/connection-limit.js';
import type { Authenticated } from '../auth/plugin.js';
import { boardSummary } from '../boards/summary.js';
import { CONTROL_STREAM } from '../cluster/keys.js';
import { clientAddress, type ProxyTrust } from '../http/client-address.js';
import { answerForwardedCommands, serveCommands } from './command-routing.js';
import { InitiativeBudgets } from './initiative-commands.js';
import { facilitationView, moderatorsRoom, participantRoom, privateView } from './private-views.js';
import { shareUpgrades } from './share-upgrades.js';
import { throttlePerKey } from './throttle-per-key.js';

interface SocketData {
  principal: Authenticated;
}
type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    control: ControlServer;
    /** Sends the session's participant list to everyone in it (after a join, say), soon. */
    announcePresence(sessionId: string): void;
    /** Sends the session's board list to everyone in it (after a board was added, renamed, …). */
    announceBoards(sessionId: string): Promise<void>;
    /** The ids of the session's people who may vote (its participants still in it). */
    votersOf(sessionId: string): Promise<string[]>;
    /** Tells every device of the session its token no longer works, and closes their sockets. */
    disconnectSession(sessionId: string): void;
    /** Closes a holder's sockets, control and Yjs, on every process (a removed participant, an old projector link). */
    disconnectHolder(sessionId: string, participantId: string, reason: string): Promise<void>;
    /** Closes and drops the replicas of a deleted session's documents on every process. */
    dropReplicasOf(sessionId: string, boardIds: string[], reason: string): void;
  }
}

export const CONTROL_PATH = '/socket.io/';
/** How long a handshake waits for Redis at most: socket.io's client gives up after 20 s and tries again. */
const HANDSHAKE_HOLD_MS = 15_000;
/** The event between processes that closes a holder's Yjs sockets (disconnectHolder). */
const CLOSE_ROOMS_OF = 'close-rooms-of';
/** The event between processes that drops a deleted session's replicas (dropReplicasOf). */
const DROP_REPLICAS_OF = 'drop-replicas-of';

const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/**
 * The participant list goes to everyone in the session at most this often: when 500 phones join
 * within seconds, each would otherwise receive 500 ever longer lists.
 */
const PRESENCE_INTERVAL_MS = 1000;
/** The moderator's voting progress at most this often: a burst of 150 votes is one update, not 150. */
const FACILITATION_INTERVAL_MS = 250;

export const controlPlugin = fp(
  async (app: FastifyInstance, options: { proxyTrust: ProxyTrust }) => {
    let io: ControlServer | undefined;
    const adapter = app.cluster && adapterClient(app.cluster.redis);
    shareUpgrades(app.server, CONTROL_PATH, () => {
      io = new Server(app.server, {
        path: CONTROL_PATH,
        serveClient: false,
        maxHttpBufferSize: MAX_CONTROL_MESSAGE_BYTES,
        ...(adapter ? { adapter: clusterAdapter(adapter) } : {}),
      });
    });
    if (!io) throw new Error('socket.io did not start');
    const control = io;
    app.decorate('control', control);
    const budgets = { initiatives: new InitiativeBudgets() };
    if (app.cluster) answerForwardedCommands(app, app.cluster, budgets);

    /** Who has a socket in the session now, on every process. */
    async function onlineIn(sessionId: string): Promise<Set<string>> {
      const sockets = await control.in(sessionRoom(sessionId)).fetchSockets();
      return new Set(sockets.map((socket) => socket.data.principal.participantId));
    }

    async function presenceList(sessionId: string): Promise<PresenceList> {
      const [participants, online] = await Promise.all([
        app.store.listParticipants(sessionId),
        onlineIn(sessionId),
      ]);
      // The projector is not a person in the room.
      return participants
        .filter((p) => p.role !== 'viewer')
        .map((p) => ({
          participantId: p.id,
          name: p.name,
          site: p.site,
          role: p.role,
          online: online.has(p.id),
          noDevice: p.noDevice === true,
        }));
    }

    const announce = throttlePerKey(
      PRESENCE_INTERVAL_MS,
      async (sessionId) => {
        control.to(sessionRoom(sessionId)).emit('presence', await presenceList(sessionId));
      },
      (error, sessionId) => app.log.error({ err: error, sessionId }, 'could not send the participant list'),
    );

    app.decorate('announcePresence', announce);
    app.decorate('disconnectSession', (sessionId: string) => {
      control.to(sessionRoom(sessionId)).emit('removed', { sessionDeleted: true });
      control.in(sessionRoom(sessionId)).disconnectSockets(true);
    });
    app.decorate('disconnectHolder', async (sessionId: string, participantId: string, reason: string) => {
      control.in(participantRoom(sessionId, participantId)).disconnectSockets(true);
      const holder = holderOf({ sessionId, participantId });
      await app.closeRoomsOf(holder, ROOM_CLOSE.removed, reason);
      if (app.cluster) control.serverSideEmit(CLOSE_ROOMS_OF, holder, reason);
    });
    // Another process let a holder go: its Yjs sockets here close too.
    control.on(CLOSE_ROOMS_OF, (holder: string, reason: string) => {
      void app.closeRoomsOf(holder, ROOM_CLOSE.removed, reason);
    });
    // In a cluster every phone's Yjs socket is served by a replica, on whichever process it reached.
    app.decorate('dropReplicasOf', (sessionId: string, boardIds: string[], reason: string) => {
      app.replicas?.evict(sessionId, boardIds, ROOM_CLOSE.removed, reason);
      if (app.cluster) control.serverSideEmit(DROP_REPLICAS_OF, sessionId, boardIds, reason);
    });
    control.on(DROP_REPLICAS_OF, (sessionId: string, boardIds: string[], reason: string) => {
      app.replicas?.evict(sessionId, boardIds, ROOM_CLOSE.removed, reason);
    });

    async function boardList(sessionId: string) {
      const boards = await app.store.listBoards(sessionId);
      return boards.map(boardSummary);
    }
    app.decorate('announceBoards', async (sessionId: string) => {
      control.to(sessionRoom(sessionId)).emit('boards', await boardList(sessionId));
    });

    const votersOf = async (sessionId: string) =>
      (await app.store.listParticipants(sessionId)).filter((p) => p.role === 'participant').map((p) => p.id);
    app.decorate('votersOf', votersOf);

    // Private state goes to its owner's sockets alone, once stored (as a relayed update does).
    const sendFacilitation = throttlePerKey(
      FACILITATION_INTERVAL_MS,
      async (boardId) => {
        const board = await app.store.getBoard(boardId);
        if (!board) return;
        const voters = await votersOf(board.sessionId);
        const view = await app.rooms.withRoom(boardId, (room) =>
          facilitationView(room.board, boardId, voters),
        );
        control.to(moderatorsRoom(board.sessionId)).emit('facilitation', view);
      },
      (error, boardId) => app.log.error({ err: error, boardId }, 'could not send the facilitation view'),
    );
    app.rooms.onPrivateChange((boardId, participantIds) => {
      sendFacilitation(boardId);
      if (participantIds.size === 0) return;
      void (async () => {
        const board = await app.store.getBoard(boardId);
        if (!board) return;
        await app.rooms.withRoom(boardId, (room) => {
          for (const participantId of participantIds) {
            control
              .to(participantRoom(board.sessionId, participantId))
              .emit('private', privateView(room.board, boardId, participantId));
          }
        });
      })().catch((error: unknown) => app.log.error({ err: error, boardId }, 'could not send private views'));
    });

    control.use((socket: ControlSocket, next) => {
      const auth = check(ControlAuth, socket.handshake.auth);
      const token = auth.ok ? auth.value.token : undefined;
      app.authenticate(token).then(
        async (principal) => {
          // Without Redis nothing reaches the owners of other sessions: the device waits, as
          // reconnecting, until Redis is back (or its own handshake gives up and tries again).
          if (principal && app.cluster && !app.cluster.ownership.ownsNow(principal.sessionId))
            await app.cluster.reader.whenReachable(HANDSHAKE_HOLD_MS);
          if (!principal) return next(new Error(CONTROL_ERRORS.badToken));
          // Counted last: only sockets that are accepted ever disconnect (and are uncounted).
          // Read as Fastify reads request.ip: a balancer's own address would put every phone in one.
          const address = clientAddress(socket.request, options.proxyTrust);
          const holder = holderOf(principal);
          if (app.connectionLimit.tryOpen(address, holder))
            return next(new Error(CONTROL_ERRORS.tooManyConnections));
          socket.once('disconnect', () => app.connectionLimit.close(address, holder));
          socket.data.principal = principal;
          next();
        },
        (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
      );
    });

    // Sockets of sessions owned elsewhere reconnect when Redis goes (their transport closes, so the
    // client tries again by itself), and are held at the handshake until it is back.
    app.cluster?.reader.onReachable((reachable) => {
      if (reachable) return;
      for (const socket of control.sockets.sockets.values()) {
        if (!app.cluster?.ownership.ownsNow(socket.data.principal.sessionId)) socket.conn.close();
      }
    });

    control.on('connection', (socket: ControlSocket) => {
      const { principal } = socket.data;
      const { sessionId, participantId } = principal;
      void socket.join([
        sessionRoom(sessionId),
        participantRoom(sessionId, participantId),
        ...(principal.role === 'moderator' ? [moderatorsRoom(sessionId)] : []),
      ]);
      serveCommands(app, socket, principal, budgets);
      // The newcomer gets the list at once; everyone else with the next throttled announcement.
      void presenceList(sessionId).then(
        (list) => socket.emit('presence', list),
        (error: unknown) => app.log.error({ err: error, sessionId }, 'could not send the participant list'),
      );
      announce(sessionId);
      void boardList(sessionId).then((list) => socket.emit('boards', list));
      socket.on('disconnect', () => announce(sessionId));
    });

    app.addHook('preClose', async () => {
      control.disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      await control.close();
      adapter?.disconnect();
    });
  },
  { name: 'kaptar-control', dependencies: ['kaptar-auth', 'kaptar-rooms'] },
);

/**
 * socket.io's own Redis connection: it reads its stream in a loop that retries at once when a read
 * fails, so this one waits for Redis to come back (commands queued) instead of failing at once.
 */
function adapterClient(redis: Redis): Redis {
  const client = redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  });
  client.on('error', () => undefined);
  return client;
}

/**
 * The Redis Streams adapter rather than the pub/sub one: a process that loses Redis for a moment
 * reads on from where it was instead of missing what was broadcast meanwhile. Heartbeats are short
 * so a dead process stops being waited for (presence asks every process) within a few seconds.
 */
function clusterAdapter(client: Redis) {
  return createAdapter(client, {
    streamName: CONTROL_STREAM,
    heartbeatInterval: 1000,
    heartbeatTimeout: 3000,
  });
}
