/** A socket.io control connection from one loopback address, as a phone's (lib/addresses.ts). */
import type { Ack, ClientToServerEvents, ServerToClientEvents, VoteCommand } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openControl(serverUrl: string, token: string, address: string): Promise<ControlSocket> {
  const socket: ControlSocket = io(serverUrl, {
    auth: { token },
    transports: ['websocket'],
    // Passed on to ws in Node (engine.io-client's websocket transport), missing from the types.
    localAddress: address,
  } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Casts one vote; resolves with the server's acknowledgement. */
export function castVote(socket: ControlSocket, command: VoteCommand): Promise<Ack> {
  return socket.timeout(10_000).emitWithAck('vote', command);
}
