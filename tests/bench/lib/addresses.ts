/**
 * Simulated phones connect from many loopback addresses (all of 127.0.0.0/8 reaches this
 * machine), as settlements behind their own NATs would: the server's per-address limits
 * (connections, HTTP requests) apply to the load as they would to a real workshop.
 */
import http from 'node:http';

/** Phones sharing one address: a village's mobile NAT. */
export const PHONES_PER_ADDRESS = 20;

export function addressOf(phone: number): string {
  const group = Math.floor(phone / PHONES_PER_ADDRESS);
  return `127.77.${Math.floor(group / 250)}.${(group % 250) + 1}`;
}

/** POSTs JSON from `localAddress`; resolves with the status and the parsed reply. */
export function postJsonFrom<T>(
  url: string,
  body: unknown,
  localAddress: string,
): Promise<{ status: number; body: T }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString()) as T,
            });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
