/**
 * A participant that speaks Yjs sync on the wire (y-websocket's or Hocuspocus's dialect, see
 * dialects.ts) but keeps only its own cards:
 * it syncs, sends its edits as Yjs updates (to the relays; on Kaptár, whose rooms are read-only,
 * its document stays empty and its edits go as intents) and notes when others' edits arrive,
 * without applying them. Most simulated participants are these, so that two cores can carry the
 * load of hundreds of phones; a share of stock y-websocket clients beside them check that every
 * board converges (see load-worker.ts).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { Framing } from './dialects.js';

const MESSAGE_SYNC = 0;

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export class WireClient {
  private readonly socket: WebSocket;
  readonly synced: Promise<void>;

  /** `doc` holds this participant's own cards only; edit it to send. */
  constructor(
    url: string,
    localAddress: string,
    private readonly doc: Y.Doc,
    private readonly framing: Framing,
    onMessage: (message: Uint8Array) => void,
  ) {
    this.socket = new WebSocket(url, { localAddress });
    this.socket.binaryType = 'nodebuffer';
    this.synced = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.once('close', (code) => reject(new Error(`closed with ${code} before sync`)));
      this.socket.on('message', (data: Buffer) => {
        const message = this.framing.unwrap(data);
        if (message === undefined) return;
        onMessage(message);
        if (this.answer(message)) resolve();
      });
    });
    this.socket.once('open', () => {
      for (const hello of this.framing.hello) this.socket.send(hello);
      this.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, this.doc)));
    });
    this.doc.on('update', (update: Uint8Array) => {
      if (this.socket.readyState === WebSocket.OPEN)
        this.send(syncMessage((e) => syncProtocol.writeUpdate(e, update)));
    });
  }

  private send(message: Uint8Array): void {
    this.socket.send(this.framing.wrap(message));
  }

  /** Answers the server's sync step 1 with our own cards; returns true on the server's step 2. */
  private answer(message: Uint8Array): boolean {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      this.send(syncMessage((e) => syncProtocol.writeSyncStep2(e, this.doc, stateVector)));
    }
    return syncType === syncProtocol.messageYjsSyncStep2;
  }

  close(): void {
    this.socket.close();
    this.doc.destroy();
  }
}
