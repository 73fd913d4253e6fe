/**
 * A TCP proxy between some clients and the server, as a settlement's mobile link:
 * it can be cut (every connection dropped, new ones refused) and restored, and it
 * can add delay and drop connections at random (a flapping link).
 */
import net from 'node:net';

export interface ProxyOptions {
  /** Milliseconds added to every chunk in both directions. */
  delayMs?: number;
  /** Chance per second that each open connection is dropped. */
  dropPerSecond?: number;
}

export interface TcpProxy {
  port: number;
  url: string;
  wsUrl: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, options: ProxyOptions = {}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let up = true;
  const delayed = (write: (chunk: Buffer) => void) => (chunk: Buffer) => {
    if (options.delayMs) setTimeout(() => write(chunk), options.delayMs);
    else write(chunk);
  };
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on(
      'data',
      delayed((chunk) => upstream.writable && upstream.write(chunk)),
    );
    upstream.on(
      'data',
      delayed((chunk) => client.writable && client.write(chunk)),
    );
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  const flapper =
    options.dropPerSecond &&
    setInterval(() => {
      for (const socket of sockets) if (Math.random() < (options.dropPerSecond ?? 0) / 10) socket.destroy();
    }, 100);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    cut() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      up = true;
    },
    async close() {
      if (flapper) clearInterval(flapper);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
