/** A socket.io control-plane client for tests, with promise-returning commands. */
import type {
  Ack,
  BoardList,
  ClientToServerEvents,
  PresenceList,
  ServerToClientEvents,
} from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { waitFor } from './server.js';

export interface ControlClient {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  presence: { list: PresenceList; removed: boolean; boards: BoardList };
  /** Sends any event with any payload, as a hand-made client could, and waits for the ack. */
  ask(event: string, payload: unknown): Promise<Ack & Record<string, unknown>>;
  /** The server's clock. */
  clock(): Promise<number>;
  close(): void;
}

/**
 * `headers`: sent with the websocket's upgrade request, as a proxy in front of the server adds them.
 * `polling`: starts on HTTP long-polling and upgrades, as browsers do (with cookies, as a browser
 * keeps them: a balancer's sticky cookie), instead of a websocket at once.
 */
export async function connectControl(
  url: string,
  token: string,
  headers: Record<string, string> = {},
  options: { polling?: boolean } = {},
): Promise<ControlClient> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: { token },
    transports: options.polling ? ['polling', 'websocket'] : ['websocket'],
    withCredentials: options.polling === true,
    reconnection: false,
    extraHeaders: headers,
  });
  const presence = { list: [] as PresenceList, removed: false, boards: [] as BoardList };
  socket.on('boards', (boards) => {
    presence.boards = boards;
  });
  socket.on('presence', (list) => {
    presence.list = list;
  });
  socket.on('removed', () => {
    presence.removed = true;
  });
  await waitFor(() => socket.connected, 'the control connection');
  return {
    socket,
    presence,
    ask: (event, payload) =>
      // The typed emit cannot express arbitrary events; tests send exactly what a hostile client could.
      (socket as unknown as Socket).timeout(5000).emitWithAck(event, payload),
    clock: () => socket.timeout(5000).emitWithAck('clock'),
    close: () => socket.disconnect(),
  };
}
