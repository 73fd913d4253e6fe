/** A stock y-websocket client in Node, as a third-party integration would use it. */
import { YJS_PATH } from '@kaptar/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './server.js';

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectBoard(wsUrl: string, boardId: string, token: string): BoardClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}${YJS_PATH}`, boardId, doc, {
    params: { token },
    // ws's WebSocket is API-compatible with the browser's for everything y-websocket uses.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, two clients in one test process would sync
    // through it and hide whether the server relays anything.
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function connectSynced(wsUrl: string, boardId: string, token: string): Promise<BoardClient> {
  const client = connectBoard(wsUrl, boardId, token);
  await waitFor(() => client.provider.synced, 'the board to sync');
  return client;
}
