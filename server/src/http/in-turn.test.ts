import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { TurnsPerAddress } from './in-turn.js';

const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** A route that holds each request until released, behind the turns of its address. */
async function slowRoute() {
  const app = Fastify();
  apps.push(app);
  const turns = new TurnsPerAddress();
  const held: Array<() => void> = [];
  let handled = 0;
  app.post('/slow', { preHandler: turns.takeTurn }, async () => {
    handled++;
    await new Promise<void>((resolve) => held.push(resolve));
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const post = () => {
    const request = http.request({ host: '127.0.0.1', port, path: '/slow', method: 'POST' });
    const answered = new Promise<number>((resolve, reject) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    request.end();
    return { request, answered };
  };
  return { post, held, handled: () => handled };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('TurnsPerAddress', () => {
  it('runs four requests of an address at once, the rest in turn; a client that leaves while waiting gives its place back', async () => {
    const { post, held, handled } = await slowRoute();
    const first = Array.from({ length: 4 }, post);
    await until(() => handled() === 4);
    // Four more wait; their clients leave before their turn.
    const leaving = Array.from({ length: 4 }, post);
    for (const { request, answered } of leaving) {
      answered.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      request.destroy();
    }
    const waiting = post();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled()).toBe(4);
    for (const release of held.splice(0)) release();
    expect(await Promise.all(first.map(({ answered }) => answered))).toEqual([200, 200, 200, 200]);
    // The waiting one gets its turn; the ones that left are never handled.
    await until(() => handled() === 5);
    for (const release of held.splice(0)) release();
    expect(await waiting.answered).toBe(200);
    // And the address is not locked out afterwards: four at once again.
    const later = Array.from({ length: 4 }, post);
    await until(() => handled() === 9);
    for (const release of held.splice(0)) release();
    expect(await Promise.all(later.map(({ answered }) => answered))).toEqual([200, 200, 200, 200]);
  });
});
