/** The scene of the loop-disk tests: a server process whose data folder is on a fresh loop disk. */
import path from 'node:path';
import { afterAll } from 'vitest';
import { createLoopDisk, type LoopDisk } from './loop-disk.js';
import { type ServerProcess, startServerProcess } from './process-server.js';
import type { BoardClient } from './yjs-client.js';

export interface LoopDiskScene {
  /** Clients to close after the test file (push every one the test opens). */
  clients: BoardClient[];
  /** Makes the disk and starts the server on it; both are torn down after the test file. */
  start(options?: { captureLog?: boolean }): Promise<{ disk: LoopDisk; server: ServerProcess }>;
}

export function useServerOnLoopDisk(): LoopDiskScene {
  let disk: LoopDisk | undefined;
  let server: ServerProcess | undefined;
  const clients: BoardClient[] = [];
  afterAll(async () => {
    try {
      for (const client of clients) client.destroy();
      await server?.kill('SIGTERM');
    } finally {
      // The mount and the loop device must not outlive a failed test.
      disk?.destroy();
    }
  });
  return {
    clients,
    async start(options = {}) {
      const made = createLoopDisk();
      disk = made;
      const started = await startServerProcess({ dataDir: path.join(made.mountPoint, 'data'), ...options });
      server = started;
      return { disk: made, server: started };
    },
  };
}
