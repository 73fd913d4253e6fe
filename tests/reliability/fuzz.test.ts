import fs from 'node:fs';
import { addCard, listCards } from '@kaptar/board';
import { YJS_PATH } from '@kaptar/protocol';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { moderatorOf, newCard } from '../support/cards.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { createSession, joinSession, postJson, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 100_000);
/** Under the per-connection budget (burst 300), so most messages reach the parser. */
const PER_CONNECTION = 250;

let server: ServerProcess | undefined;
const clients: BoardClient[] = [];
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.kill('SIGTERM');
});

/** A deterministic generator, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Valid-looking y-websocket messages, mutated: truncated, bit-flipped, wrong types, garbage varints. */
function fuzzMessage(next: () => number, seeds: Uint8Array[]): Uint8Array {
  const pick = Math.floor(next() * 5);
  const base = seeds[Math.floor(next() * seeds.length)] as Uint8Array;
  if (pick === 0) return base.slice(0, Math.floor(next() * base.length));
  if (pick === 1) {
    const copy = base.slice();
    for (let i = 0; i < 3; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
    return copy;
  }
  if (pick === 2) return new Uint8Array([Math.floor(next() * 256), ...base.slice(1)]);
  if (pick === 3) return new Uint8Array(Array.from({ length: 1 + Math.floor(next() * 64) }, () => 255));
  return new Uint8Array(Array.from({ length: 1 + Math.floor(next() * 256) }, () => Math.floor(next() * 256)));
}

describe('fuzzing a running server', () => {
  it('survives 100 000 mutated messages while a healthy client in another room keeps syncing', async () => {
    server = await startServerProcess();
    const running = server;
    const target = await createSession(running, 'Célpont');
    const calm = await createSession(running, 'Nyugodt szoba');
    const targetBoard = target.boards[0]?.id as string;
    const calmBoard = calm.boards[0]?.id as string;
    const attacker = await joinSession(running, target.joinCode, 'Támadó', 'X');

    // Seeds: real messages of a real client, to mutate.
    const seedDoc = new Y.Doc();
    addCard(seedDoc, moderatorOf(target), newCard('mag'));
    const update = Y.encodeStateAsUpdate(seedDoc);
    const seeds = [
      new Uint8Array([0, 0, 1, 0]),
      new Uint8Array([0, 2, ...varBytes(update)]),
      new Uint8Array([0, 1, ...varBytes(update)]),
      new Uint8Array([1, ...varBytes(new Uint8Array([1, 200, 1, 5, 1, 2, 123, 125]))]),
      new Uint8Array([3]),
    ];

    // The healthy pair in the calm room: A writes, B must see it; the round trip is the latency.
    const writer = await connectSynced(running.wsUrl, calmBoard, calm.moderatorToken);
    const reader = await connectSynced(running.wsUrl, calmBoard, calm.moderatorToken);
    clients.push(writer, reader);
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      for (let n = 0; probing; n++) {
        const started = performance.now();
        addCard(writer.doc, moderatorOf(calm), newCard(`próba ${n}`));
        await waitFor(() => listCards(reader.doc).length === n + 1, 'the probe card', 10_000);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const next = random(20261124);
    const startRss = rssKiB(running.child.pid as number);
    let peakRss = startRss;
    let sent = 0;
    while (sent < MESSAGES) {
      const socket = new WebSocket(
        `${running.wsUrl}${YJS_PATH}/${targetBoard}?token=${attacker.participantToken}`,
      );
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.on('open', resolve).on('close', resolve));
      for (let i = 0; i < PER_CONNECTION && sent < MESSAGES && socket.readyState === WebSocket.OPEN; i++) {
        socket.send(fuzzMessage(next, seeds));
        sent++;
      }
      socket.close();
      await closed;
      if (sent % 10_000 < PER_CONNECTION) peakRss = Math.max(peakRss, rssKiB(running.child.pid as number));
    }

    // The control plane and the HTTP API get garbage too.
    const control = io(running.url, {
      auth: { token: attacker.participantToken },
      transports: ['websocket'],
    });
    await waitFor(() => control.connected, 'the attacker control socket');
    const junk = [null, 42, 'x', [], { boardId: {} }, { boardId: 'a'.repeat(5000) }];
    for (let i = 0; i < 30; i++)
      control.emit(
        ['vote', 'board:settings', 'nope'][i % 3] as string,
        junk[i % junk.length],
        () => undefined,
      );
    control.disconnect();
    for (const body of ['{', '[]', '{"title":', 'null', '{"joinCode":1}']) {
      const reply = await fetch(`${running.url}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(reply.status).toBe(400);
    }

    probing = false;
    await probe;
    peakRss = Math.max(peakRss, rssKiB(running.child.pid as number));
    expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
    expect(running.child.exitCode).toBeNull();
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    console.log(
      `fuzz: ${sent} Yjs messages, server up, healthy-room latency p50 ${at(0.5).toFixed(1)} ms, ` +
        `p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms over ${sorted.length} probes; ` +
        `RSS ${(startRss / 1024).toFixed(0)} → peak ${(peakRss / 1024).toFixed(0)} MiB`,
    );
    record({
      scenario: 'fuzzing',
      faults: sent + 30 + 5,
      survived: running.child.exitCode === null,
      messagesFuzzed: sent,
      cardsLost: sorted.length - listCards(reader.doc).length,
      duplicates: 0,
      peakRssMiB: Math.round(peakRss / 1024),
      note: `healthy room p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`,
    });
    expect(sent).toBe(MESSAGES);
    expect(sorted.length).toBeGreaterThan(5);
    // Memory stays bounded: a flood of garbage must not grow the server without limit.
    expect(peakRss - startRss).toBeLessThan(200 * 1024);
    // The healthy room keeps syncing throughout: every probe arrived.
    expect(listCards(reader.doc)).toHaveLength(sorted.length);
    // A participant of the attacked session is still able to join.
    expect(
      (await postJson(`${running.url}/api/join`, { joinCode: calm.joinCode, name: 'Új', site: 'Y' })).status,
    ).toBe(200);
  });
});

function varBytes(bytes: Uint8Array): number[] {
  const length: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    length.push((n & 127) | 128);
    n >>>= 7;
  }
  length.push(n);
  return [...length, ...bytes];
}
