import fs from 'node:fs';
import {
  addCard,
  listCards,
  listGroups,
  MAX_CARD_TEXT,
  MAX_CARDS_PER_PARTICIPANT,
  MAX_COORDINATE,
  newId,
} from '@kaptar/board';
import { type IntentResult, YJS_PATH } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { moderatorOf, newCard } from '../support/cards.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { addCards, addCardVia, applyIntents, intent } from '../support/intents.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { createSession, joinSession, postJson, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';
import { intentFuzzer } from './fuzz-intents.js';

const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 100_000);
/** Under the per-connection budget (burst 300), so most messages reach the parser. */
const PER_CONNECTION = 250;
/** Intent payloads on the control plane, over this many sockets, each within its command budget (20/s). */
const INTENT_PAYLOADS = Number(process.env.FUZZ_INTENTS ?? 5_000);
const CONTROL_SOCKETS = 25;
/** Participants the intent fuzzing comes from: each has an intent budget (and a card quota) of its own. */
const INTENT_ATTACKERS = 5;
const PAYLOAD_EVERY_MS = 55;
/** The healthy room's probe: one card a while, within the moderator's intent budget (4 a second). */
const PROBE_EVERY_MS = 300;

let server: ServerProcess | undefined;
const clients: BoardClient[] = [];
const controls: ControlClient[] = [];
afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const control of controls) control.close();
  await server?.kill('SIGTERM');
});

type Payload = ReturnType<ReturnType<typeof intentFuzzer>['payload']>;

/** Whether an answer has the shape of the contract: a batch refusal, or one result per intent in order. */
function wellFormed(payload: Payload, ack: unknown): boolean {
  if (typeof ack !== 'object' || ack === null || !('ok' in ack)) return false;
  const answer = ack as { ok: unknown; code?: unknown; error?: unknown; results?: unknown };
  if (answer.ok === false) return typeof answer.code === 'string' && typeof answer.error === 'string';
  const sent = (payload as { intents?: Array<{ id?: unknown }> }).intents;
  if (answer.ok !== true || !Array.isArray(answer.results) || !Array.isArray(sent)) return false;
  const results = answer.results as IntentResult[];
  return (
    results.length === sent.length &&
    results.every(
      (result, i) =>
        result.id === sent[i]?.id &&
        (result.ok
          ? Number.isInteger(result.effect.client) && Number.isInteger(result.effect.clock)
          : typeof result.code === 'string' && typeof result.final === 'boolean'),
    )
  );
}

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
  it('survives 100 000 mutated Yjs messages and 5 000 fuzzed intent batches while a healthy room keeps syncing', async () => {
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
    const stateVector = Y.encodeStateVector(seedDoc);
    const seeds = [
      new Uint8Array([0, 0, 1, 0]),
      new Uint8Array([0, 0, ...varBytes(stateVector)]),
      new Uint8Array([0, 2, ...varBytes(update)]),
      new Uint8Array([0, 1, ...varBytes(update)]),
      new Uint8Array([1, ...varBytes(new Uint8Array([1, 200, 1, 5, 1, 2, 123, 125]))]),
      new Uint8Array([3]),
    ];

    // The healthy pair in the calm room: the moderator writes (an intent), a stock reader must see
    // it; from sending to seeing is the latency.
    const writer = await connectControl(running.url, calm.moderatorToken);
    controls.push(writer);
    const reader = await connectSynced(running.wsUrl, calmBoard, calm.moderatorToken);
    clients.push(reader);
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      for (let n = 0; probing; n++) {
        const started = performance.now();
        await addCardVia(writer, calmBoard, `próba ${n}`);
        await waitFor(() => listCards(reader.doc).length === n + 1, 'the probe card', 10_000);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
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

    // Intents: valid, mutated and junk batches on the control plane, from the same participant.
    const other = await createSession(running, 'Másik');
    const own = await connectControl(running.url, attacker.participantToken);
    controls.push(own);
    const cardIds = await addCards(own, targetBoard, ['egy', 'kettő', 'három', 'négy', 'öt']);
    const groupIds = [newId(), newId()];
    await applyIntents(own, targetBoard, [
      intent('group:create', { groupId: groupIds[0] as string, cardIds: [cardIds[0] as string], title: 'A' }),
      intent('group:create', { groupId: groupIds[1] as string, cardIds: [cardIds[1] as string], title: 'B' }),
    ]);
    const fuzzer = intentFuzzer(next, {
      boardId: targetBoard,
      otherBoardId: other.boards[0]?.id as string,
      cardIds,
      groupIds,
    });
    const answers = {
      total: 0,
      malformed: 0,
      ok: 0,
      applied: 0,
      refused: new Map<string, number>(),
      refusedIntents: new Map<string, number>(),
    };
    const attackers = [
      attacker,
      ...(await Promise.all(
        Array.from({ length: INTENT_ATTACKERS - 1 }, (_, i) =>
          joinSession(running, target.joinCode, `Támadó ${i}`, 'X'),
        ),
      )),
    ];
    const sockets: Socket[] = Array.from({ length: CONTROL_SOCKETS }, (_, i) =>
      io(running.url, {
        auth: { token: attackers[i % attackers.length]?.participantToken },
        transports: ['websocket'],
        reconnection: false,
      }),
    );
    await waitFor(() => sockets.every((socket) => socket.connected), 'the fuzzing control sockets');
    await Promise.all(
      sockets.map(async (socket) => {
        const pending: Array<Promise<void>> = [];
        for (let i = 0; i < INTENT_PAYLOADS / CONTROL_SOCKETS; i++) {
          const payload = fuzzer.payload();
          pending.push(
            socket
              .timeout(10_000)
              .emitWithAck('intents', payload)
              .then((ack: unknown) => {
                answers.total++;
                if (!wellFormed(payload, ack)) answers.malformed++;
                const answer = ack as { ok: boolean; code?: string; results?: IntentResult[] };
                if (answer.ok) {
                  answers.ok++;
                  for (const result of answer.results ?? []) {
                    if (result.ok) answers.applied++;
                    else
                      answers.refusedIntents.set(
                        result.code,
                        (answers.refusedIntents.get(result.code) ?? 0) + 1,
                      );
                  }
                } else {
                  const code = String(answer.code);
                  answers.refused.set(code, (answers.refused.get(code) ?? 0) + 1);
                }
              }),
          );
          await new Promise((resolve) => setTimeout(resolve, PAYLOAD_EVERY_MS));
        }
        await Promise.all(pending);
        socket.disconnect();
      }),
    );
    peakRss = Math.max(peakRss, rssKiB(running.child.pid as number));

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
    // Whatever the fuzzed intents did to the attacked board, it holds only well-formed content
    // within the limits: every entry a card or group that reads back, all by the attackers.
    const attacked = await connectSynced(running.wsUrl, targetBoard, target.moderatorToken);
    clients.push(attacked);
    const cards = listCards(attacked.doc);
    const groups = new Set(listGroups(attacked.doc).map((group) => group.id));
    expect(attacked.doc.getMap('cards').size).toBe(cards.length);
    expect(attacked.doc.getMap('groups').size).toBe(groups.size);
    const authors = new Map(attackers.map((person) => [person.participantId, 0]));
    for (const card of cards) {
      expect(authors.has(card.authorId)).toBe(true);
      authors.set(card.authorId, (authors.get(card.authorId) ?? 0) + 1);
      expect([...card.text].length).toBeLessThanOrEqual(MAX_CARD_TEXT);
      expect(Math.max(Math.abs(card.x), Math.abs(card.y))).toBeLessThanOrEqual(MAX_COORDINATE);
      if (card.groupId !== null) expect(groups.has(card.groupId)).toBe(true);
    }
    expect(Math.max(...authors.values())).toBeLessThanOrEqual(MAX_CARDS_PER_PARTICIPANT);
    const refusals = Object.fromEntries(answers.refused);
    const ruleRefusals = Object.fromEntries(answers.refusedIntents);
    console.log(
      `fuzz: ${answers.total} intent payloads answered (${answers.ok} batches taken, ${answers.applied} intents applied), ` +
        `batches refused: ${JSON.stringify(refusals)}, intents refused: ${JSON.stringify(ruleRefusals)}; the board holds ${cards.length} cards, ${groups.size} groups`,
    );
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
      faults: sent + answers.total + 30 + 5,
      survived: running.child.exitCode === null,
      messagesFuzzed: sent + answers.total,
      cardsLost: sorted.length - listCards(reader.doc).length,
      duplicates: 0,
      peakRssMiB: Math.round(peakRss / 1024),
      note: `healthy room p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`,
    });
    expect(sent).toBe(MESSAGES);
    // Every intent payload was answered, in the shape of the contract; some were taken, and the
    // board's rules, not the schema alone, refused others.
    expect(answers.total).toBe(INTENT_PAYLOADS);
    expect(answers.malformed).toBe(0);
    expect(answers.applied).toBeGreaterThan(0);
    expect(refusals['invalid-payload']).toBeGreaterThan(0);
    expect(Object.keys(ruleRefusals).filter((code) => code !== 'rate-limited').length).toBeGreaterThan(0);
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
