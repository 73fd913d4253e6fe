/**
 * Live connections (Yjs websockets and socket.io together), counted per address and per token:
 * one machine cannot hold the whole server's sockets, and one token cannot hold its address's
 * whole budget (150 phones behind one village NAT share it). A phone holds two connections, a
 * moderator's laptop a few more (tabs), a projector link a few per screen.
 */
class Counter {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  full(key: string): boolean {
    return (this.open.get(key) ?? 0) >= this.limit;
  }

  add(key: string): void {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
  }

  remove(key: string): void {
    const count = (this.open.get(key) ?? 0) - 1;
    if (count > 0) this.open.set(key, count);
    else this.open.delete(key);
  }
}

/** The token a connection holds, as counted: participant ids are unique within their session. */
export function holderOf(principal: { sessionId: string; participantId: string }): string {
  return `${principal.sessionId}/${principal.participantId}`;
}

/** Which limit refused a connection. */
export type ConnectionRefusal = 'address' | 'token';

export class ConnectionLimit {
  private readonly byAddress: Counter;
  private readonly byToken: Counter;

  constructor(limits: { perAddress: number; perToken: number }) {
    this.byAddress = new Counter(limits.perAddress);
    this.byToken = new Counter(limits.perToken);
  }

  /**
   * Counts a new connection from `address` holding the token of `holder` (session and
   * participant); returns why it is refused (and counts nothing) when over a limit.
   */
  tryOpen(address: string, holder: string): ConnectionRefusal | null {
    if (this.byAddress.full(address)) return 'address';
    if (this.byToken.full(holder)) return 'token';
    this.byAddress.add(address);
    this.byToken.add(holder);
    return null;
  }

  close(address: string, holder: string): void {
    this.byAddress.remove(address);
    this.byToken.remove(holder);
  }
}
