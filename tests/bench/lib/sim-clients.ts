/**
 * The simulated participants' board connections, as the load processes open them: stock
 * clients with a whole Y.Doc (y-websocket's provider, or Hocuspocus's against Hocuspocus) and
 * wire clients (wire-client.ts). Each notes the arrival of others' edits on its socket through
 * `onArrival` (edit-timing.ts).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ControlSocket } from './control.js';
import { type Dialect, framingOf } from './dialects.js';
import type { ArrivalReading } from './edit-timing.js';
import type { PlacedPerson, WritePath } from './protocol.js';
import { WireClient } from './wire-client.js';

export interface SimClient {
  person: PlacedPerson;
  /** The stock client's whole board, or the wire client's own cards (none on Kaptár). */
  doc: Y.Doc;
  synced: Promise<void>;
  close(): void;
  control?: ControlSocket;
  ownCard?: string;
}

/** Called with each y-websocket message a client receives, and how to read its edits. */
export type ArrivalHandler = (message: Uint8Array, reading: ArrivalReading) => void;

/** ws's WebSocket bound to one local address and noting arrivals, shaped like the browser's. */
function webSocketFrom(
  address: string,
  onMessage: (message: Uint8Array) => void,
): typeof globalThis.WebSocket {
  class BoundWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress: address });
      // y-websocket switches the socket to ArrayBuffers.
      this.on('message', (data: ArrayBuffer | Buffer) => onMessage(new Uint8Array(data)));
    }
  }
  // ws's WebSocket is API-compatible with the browser's for everything y-websocket uses.
  return BoundWebSocket as unknown as typeof globalThis.WebSocket;
}

/** Resolves when `subscribe` reports the board's first sync; fails after a minute. */
function firstSync(subscribe: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('board did not sync')), 60_000);
    subscribe(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

interface Opening {
  yjsUrl: string;
  dialect: Dialect;
  writes: WritePath;
  person: PlacedPerson;
  onArrival: ArrivalHandler;
}

/** The reading of this client's arrivals: its own edits skipped, its key as the receiver. */
function readingOf(doc: Y.Doc, { person, writes }: Opening): ArrivalReading {
  return {
    skipClient: doc.clientID,
    receiver: person.key,
    oneEditPerClient: writes === 'yjs',
    contiguous: writes === 'intents',
  };
}

/** Hocuspocus's own provider, as an app built on Hocuspocus would use it. */
function stockHocuspocusClient(opening: Opening): SimClient {
  const { person, yjsUrl, onArrival } = opening;
  const doc = new Y.Doc();
  const reading = readingOf(doc, opening);
  const { unwrap } = framingOf('hocuspocus', person.boardId);
  const socket = new HocuspocusProviderWebsocket({
    url: yjsUrl,
    WebSocketPolyfill: webSocketFrom(person.address, (data) => {
      const message = unwrap(data);
      if (message !== undefined) onArrival(message, reading);
    }),
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: person.boardId, document: doc });
  // A provider given its socket does not attach itself.
  provider.attach();
  const synced = firstSync((done) => provider.on('synced', done));
  return {
    person,
    doc,
    synced,
    close() {
      provider.destroy();
      socket.destroy();
    },
  };
}

function stockClient(opening: Opening): SimClient {
  const { person, yjsUrl, onArrival } = opening;
  const doc = new Y.Doc();
  const reading = readingOf(doc, opening);
  const provider = new WebsocketProvider(yjsUrl, person.boardId, doc, {
    params: person.token ? { token: person.token } : {},
    WebSocketPolyfill: webSocketFrom(person.address, (message) => onArrival(message, reading)),
    // Node has BroadcastChannel: clients in one process must not sync around the server.
    disableBc: true,
  });
  const synced = firstSync((done) => provider.once('sync', done));
  return { person, doc, synced, close: () => provider.destroy() };
}

function wireClient(opening: Opening): SimClient {
  const { person, yjsUrl, dialect, onArrival } = opening;
  const query = person.token ? `?token=${encodeURIComponent(person.token)}` : '';
  const doc = new Y.Doc();
  const reading = readingOf(doc, opening);
  // Hocuspocus names the board in every message; y-websocket in the address.
  const url = dialect === 'hocuspocus' ? yjsUrl : `${yjsUrl}/${person.boardId}${query}`;
  const client = new WireClient(url, person.address, doc, framingOf(dialect, person.boardId), (message) =>
    onArrival(message, reading),
  );
  return { person, doc, synced: client.synced, close: () => client.close() };
}

export function openBoard(opening: Opening): SimClient {
  if (!opening.person.stock) return wireClient(opening);
  return opening.dialect === 'hocuspocus' ? stockHocuspocusClient(opening) : stockClient(opening);
}
