/**
 * A socket.io control client that sends any event with any payload and records every packet it
 * receives (its bytes and its event name): to show what reached a device, and what did not.
 */
import type { Ack } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { waitFor } from '../../support/server.js';

export interface RecordingControl {
  readonly socket: Socket;
  /** Raw engine.io payloads received, in order (strings as sent, binary attachments as bytes). */
  readonly packets: Array<string | Uint8Array>;
  ask(event: string, payload: unknown): Promise<Ack & Record<string, unknown>>;
  receivedBytes(): number;
  /** Resolves once the server disconnected this socket (or after `ms` with false). */
  disconnectedWithin(ms: number): Promise<boolean>;
  close(): void;
}

export async function connectRecording(url: string, token: string): Promise<RecordingControl> {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
  });
  const packets: Array<string | Uint8Array> = [];
  // The engine exists from the manager's open on: every packet after the handshake is recorded.
  socket.io.on('open', () => {
    socket.io.engine.on('data', (data: string | ArrayBuffer | Uint8Array) => {
      packets.push(typeof data === 'string' ? data : new Uint8Array(data));
    });
  });
  const refused = new Promise<Error>((resolve) => socket.on('connect_error', resolve));
  socket.connect();
  const outcome = await Promise.race([
    waitFor(() => socket.connected, 'the control connection').then(() => null),
    refused,
  ]);
  if (outcome) throw outcome;
  return {
    socket,
    packets,
    ask: (event, payload) => socket.timeout(5000).emitWithAck(event, payload),
    receivedBytes: () =>
      packets.reduce(
        (sum, packet) => sum + (typeof packet === 'string' ? Buffer.byteLength(packet) : packet.byteLength),
        0,
      ),
    disconnectedWithin: (ms) =>
      waitFor(() => !socket.connected, 'the server to disconnect the socket', ms).then(
        () => true,
        () => false,
      ),
    close: () => socket.disconnect(),
  };
}
