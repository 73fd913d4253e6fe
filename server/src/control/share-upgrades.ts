/**
 * @fastify/websocket routes every HTTP upgrade through Fastify's router, so
 * socket.io's websocket transport would get a 404 on the same port. This puts
 * one 'upgrade' listener in front: socket.io's path goes to socket.io, every
 * other path to Fastify.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** `attach` adds socket.io's listeners; they then only see requests under `path`. */
export function shareUpgrades(server: Server, path: string, attach: () => void): void {
  const others = server.listeners('upgrade') as UpgradeListener[];
  attach();
  const socketIo = (server.listeners('upgrade') as UpgradeListener[]).filter((l) => !others.includes(l));
  server.removeAllListeners('upgrade');
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const listeners = request.url?.startsWith(path) ? socketIo : others;
    for (const listener of listeners) listener.call(server, request, socket, head);
  });
}
