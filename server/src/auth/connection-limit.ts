/**
 * Live connections per address (Yjs websockets and socket.io together): one
 * machine cannot hold the whole server's sockets. A village behind one NAT is
 * ~30 phones with two connections each, far below the default.
 */
export class ConnectionLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly perAddress: number) {}

  /** Counts a new connection from `address`; false (and not counted) when over the limit. */
  tryOpen(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= this.perAddress) return false;
    this.open.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = (this.open.get(address) ?? 0) - 1;
    if (count > 0) this.open.set(address, count);
    else this.open.delete(address);
  }
}
