/** What a test opened, closed after it in reverse order, whether it passed or not. */
import { afterEach } from 'vitest';
import type { ControlClient } from './control-client.js';
import type { BoardClient } from './yjs-client.js';

export function cleanupAfterEach() {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  /** Closes the client after the test; returns it. */
  function track<T extends BoardClient | ControlClient>(client: T): T {
    cleanup.push(() => ('destroy' in client ? client.destroy() : client.close()));
    return client;
  }
  return { cleanup, track };
}
