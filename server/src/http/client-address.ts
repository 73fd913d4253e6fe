/**
 * Where a request comes from: the phone's address, also behind a reverse proxy or a load balancer.
 * Every per-address limit (connections, join-code guesses, new sessions, request rates) is keyed
 * by it. Only the proxies named in KAPTAR_TRUSTED_PROXIES are believed: the address a trusted
 * proxy forwarded for is read from its X-Forwarded-For; the header of anyone else is ignored, or a
 * hand-made client could name any address and walk past every limit.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** Whether the hop at `address` (`hop` steps from the server) is a proxy whose header is believed. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The trust of a list of addresses, CIDR ranges or the names `loopback`, `linklocal` and
 * `uniquelocal`; an empty list trusts no one. Throws on an entry that is none of these.
 */
export function proxyTrustOf(trusted: readonly string[]): ProxyTrust {
  try {
    return proxyAddr.compile([...trusted]);
  } catch (error) {
    throw new Error(
      `KAPTAR_TRUSTED_PROXIES must list addresses or ranges (127.0.0.1, 10.0.0.0/8, loopback): ${(error as Error).message}`,
    );
  }
}

/** The client's address as the trusted proxies in front of this server report it. */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return proxyAddr(request, trust);
}
