/**
 * A hand-made Yjs room client: a raw `ws` socket that sends exactly the bytes it is given and
 * records every byte it receives, frame by frame. It never answers the server on its own, so
 * what it holds is exactly what the server chose to send.
 */
import { YJS_PATH } from '@kaptar/protocol';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitFor } from '../../support/server.js';
import { type FrameKind, readFrame, syncStep1 } from './y-frames.js';

export interface Closed {
  code: number;
  reason: string;
}

export interface RawRoom {
  readonly socket: WebSocket;
  /** Every binary frame received, in order, as received. */
  readonly frames: Uint8Array[];
  /** Settles when the connection is closed (by either side); the HTTP status if the upgrade was refused. */
  readonly closed: Promise<Closed>;
  send(frame: Uint8Array): void;
  /** Bytes received so far (frames only, websocket framing left out). */
  receivedBytes(): number;
  kinds(): FrameKind[];
  /** A document built from every update received: what this client would hold. */
  replica(): Y.Doc;
  /** Resolves with the close, or null if the connection is still open after `ms`. */
  closeWithin(ms: number): Promise<Closed | null>;
  close(): void;
}

export async function openRawRoom(
  wsUrl: string,
  boardId: string,
  token: string,
  query: Record<string, string> = {},
): Promise<RawRoom> {
  const params = new URLSearchParams({ token, ...query });
  const socket = new WebSocket(`${wsUrl}${YJS_PATH}/${boardId}?${params}`);
  const frames: Uint8Array[] = [];
  socket.on('message', (data: WebSocket.RawData) => frames.push(toBytes(data)));
  socket.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on('unexpected-response', (_request, response) =>
      resolve({ code: response.statusCode ?? 0, reason: 'upgrade refused' }),
    );
  });
  await Promise.race([new Promise((resolve) => socket.on('open', resolve)), closed]);
  return {
    socket,
    frames,
    closed,
    send(frame) {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    },
    receivedBytes: () => frames.reduce((sum, frame) => sum + frame.byteLength, 0),
    kinds: () => frames.map((frame) => readFrame(frame).kind),
    replica() {
      const doc = new Y.Doc();
      for (const frame of frames) {
        const { kind, payload } = readFrame(frame);
        if (kind === 'sync-step2' || kind === 'sync-update') Y.applyUpdate(doc, payload);
      }
      return doc;
    },
    closeWithin: (ms) =>
      Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]),
    close: () => socket.close(),
  };
}

/** A recording reader that asked once for the whole board and has its answer. */
export async function openSyncedRawRoom(wsUrl: string, boardId: string, token: string): Promise<RawRoom> {
  const room = await openRawRoom(wsUrl, boardId, token);
  room.send(syncStep1());
  await waitFor(() => room.kinds().includes('sync-step2'), 'the answer to the sync request');
  return room;
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  // A copy: ws may reuse the buffer behind a Buffer.
  return new Uint8Array(data);
}
