import type { PresenceList, ServerToClientEvents } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';

let server: TestServer;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(() => server.stop());

/** A control-plane client over the websocket transport only, as on a phone that upgraded. */
function control(token: string) {
  const socket: Socket<ServerToClientEvents> = io(server.url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  const state = { list: [] as PresenceList };
  socket.on('presence', (list) => {
    state.list = list;
  });
  return { socket, state };
}

const online = (list: PresenceList) =>
  list
    .filter((p) => p.online)
    .map((p) => p.name)
    .sort();

describe('participant list over socket.io', () => {
  it('is live for everyone in the session: joins, online and offline', async () => {
    const session = await createSession(server);
    const moderator = control(session.moderatorToken);
    await waitFor(() => moderator.state.list.length === 1, 'the moderator in the list');

    const anna = await joinSession(server, session.joinCode, 'Anna', 'Alsóváros');
    await waitFor(() => moderator.state.list.length === 2, 'Anna listed after joining');
    expect(moderator.state.list.find((p) => p.name === 'Anna')).toMatchObject({
      site: 'Alsóváros',
      online: false,
    });

    const annaSocket = control(anna.participantToken);
    await waitFor(() => online(moderator.state.list).includes('Anna'), 'Anna online');
    await waitFor(() => annaSocket.state.list.length === 2, 'Anna sees the list too');

    annaSocket.socket.disconnect();
    await waitFor(() => !online(moderator.state.list).includes('Anna'), 'Anna offline again');
  });

  it('keeps sessions apart', async () => {
    const first = await createSession(server);
    const second = await createSession(server);
    const watcher = control(first.moderatorToken);
    await waitFor(() => watcher.state.list.length === 1, 'first list');
    await joinSession(server, second.joinCode, 'Béla', 'Másik falu');
    control((await joinSession(server, first.joinCode, 'Cecília', 'Alsóváros')).participantToken);
    await waitFor(() => online(watcher.state.list).includes('Cecília'), 'Cecília online');
    expect(watcher.state.list.map((p) => p.name)).not.toContain('Béla');
  });

  it('refuses a wrong token with a clear connect error', async () => {
    const { socket } = control('wrong-token');
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('invalid-token');
  });
});
