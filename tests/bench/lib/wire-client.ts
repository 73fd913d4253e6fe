/**
 * A participant that speaks the y-websocket protocol on the wire but keeps only its own cards:
 * it syncs, sends its edits as Yjs updates and notes when others' edits arrive, without
 * applying them. Most simulated participants are these, so that two cores can carry the load of
 * hundreds of phones; a share of stock y-websocket clients beside them check that every board
 * converges (see load-worker.ts).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

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
    onMessage: (message: Uint8Array) => void,
  ) {
    this.socket = new WebSocket(url, { localAddress });
    this.socket.binaryType = 'nodebuffer';
    this.synced = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.once('close', (code) => reject(new Error(`closed with ${code} before sync`)));
      this.socket.on('message', (data: Buffer) => {
        onMessage(data);
        if (this.answer(data)) resolve();
      });
    });
    this.socket.once('open', () =>
      this.socket.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, this.doc))),
    );
    this.doc.on('update', (update: Uint8Array) => {
      if (this.socket.readyState === WebSocket.OPEN)
        this.socket.send(syncMessage((e) => syncProtocol.writeUpdate(e, update)));
    });
  }

  /** Answers the server's sync step 1 with our own cards; returns true on the server's step 2. */
  private answer(message: Uint8Array): boolean {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      this.socket.send(syncMessage((e) => syncProtocol.writeSyncStep2(e, this.doc, stateVector)));
    }
    return syncType === syncProtocol.messageYjsSyncStep2;
  }

  close(): void {
    this.socket.close();
    this.doc.destroy();
  }
}
