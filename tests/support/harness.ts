/**
 * One real server per test file, and clients (Yjs, socket.io) that are closed
 * after each test. Register with `const kaptar = useServer()` at the top level.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ControlClient, connectControl } from './control-client.js';
import { startServer, type TestServer } from './server.js';
import { type BoardClient, connectSynced } from './yjs-client.js';

export interface Harness {
  readonly server: TestServer;
  /** A synced stock y-websocket client on the board. */
  board(boardId: string, token: string, on?: TestServer): Promise<BoardClient>;
  /** A connected socket.io control client. */
  control(token: string, on?: TestServer): Promise<ControlClient>;
}

export function useServer(options: Parameters<typeof startServer>[0] = {}): Harness {
  let server: TestServer | undefined;
  const open: Array<() => void> = [];
  const running = () => {
    if (!server) throw new Error('the server starts in beforeAll');
    return server;
  };
  beforeAll(async () => {
    server = await startServer(options);
  });
  afterEach(() => {
    for (const close of open.splice(0)) close();
  });
  afterAll(() => server?.stop());
  return {
    get server() {
      return running();
    },
    async board(boardId, token, on = running()) {
      const client = await connectSynced(on.wsUrl, boardId, token);
      open.push(() => client.destroy());
      return client;
    },
    async control(token, on = running()) {
      const client = await connectControl(on.url, token);
      open.push(() => client.close());
      return client;
    },
  };
}
