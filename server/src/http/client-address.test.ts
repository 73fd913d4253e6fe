import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, proxyTrustOf } from './client-address.js';

/** A request as it reaches the server: from `peer`, with the X-Forwarded-For the hops wrote. */
const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('takes the address the trusted proxies forwarded for, not one the phone wrote itself', () => {
    const trust = proxyTrustOf(['loopback', '10.0.0.0/8']);
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), trust)).toBe('203.0.113.9');
    // A balancer (10.0.0.2) behind a local proxy: both trusted, the phone is the hop before them.
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 10.0.0.2'), trust)).toBe('203.0.113.9');
    // The phone sent a header of its own: the proxy appended the address it saw, and that counts.
    expect(clientAddress(request('127.0.0.1', '1.2.3.4, 203.0.113.9'), trust)).toBe('203.0.113.9');
  });

  it('believes no header from a peer it does not trust, nor from anyone when the list is empty', () => {
    expect(clientAddress(request('198.51.100.7', '203.0.113.9'), proxyTrustOf(['loopback']))).toBe(
      '198.51.100.7',
    );
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), proxyTrustOf([]))).toBe('127.0.0.1');
  });

  it('stops the start with a clear error on an entry that is not an address or a range', () => {
    expect(() => proxyTrustOf(['10.0.0.0/8', 'balancer.local'])).toThrow(/^KAPTAR_TRUSTED_PROXIES must list/);
  });
});
