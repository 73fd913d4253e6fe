/**
 * `pnpm bench:initiatives`: what one change to the initiatives costs the server. Initiatives live
 * in the session document, each replaced whole on a change, and the whole document is stored
 * before it is relayed (server/src/rooms/session-room.ts). For a small, a busy and the largest
 * session the rules allow (50 initiatives of 100 members), one join is applied, encoded and stored
 * in a real SQLite file (synchronous=FULL, as the server runs it) 50 times; printed: the state's
 * size, the update every member receives, and the time on the event loop (median, p95).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  applyInitiativeChange,
  type InitiativeActor,
  type InitiativeChange,
  MAX_INITIATIVES,
  MAX_MEMBERS,
  newBoardState,
} from '@kaptar/board';
import { openStore } from '@kaptar/server/storage';
import * as Y from 'yjs';

const SIZES: Array<[initiatives: number, members: number]> = [
  [5, 15],
  [20, 30],
  [MAX_INITIATIVES, MAX_MEMBERS - 1],
];
const RUNS = 50;

const resident = (id: string): InitiativeActor => ({
  participantId: id,
  role: 'participant',
  name: `Lakó ${id}`,
  site: 'Alsóváros',
  enteredBy: null,
});
const moderator: InitiativeActor = {
  participantId: 'mod',
  role: 'moderator',
  name: '',
  site: '',
  enteredBy: null,
};

function session(initiatives: number, members: number): Y.Doc {
  const doc = new Y.Doc();
  let now = 1;
  for (let i = 0; i < initiatives; i += 1) {
    const initiativeId = `i${i}`;
    const name = `Kezdeményezés ${i}`;
    const propose: InitiativeChange = {
      op: 'propose',
      initiativeId,
      name,
      type: 'other',
      goal: 'Cél',
      changes: [],
      buildsOn: [],
    };
    applyInitiativeChange(doc, moderator, propose, now++);
    for (let m = 0; m < members; m += 1) {
      applyInitiativeChange(doc, resident(`p${m}`), { op: 'join', initiativeId }, now++);
    }
  }
  return doc;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-initiatives-'));
const store = await openStore({ dataDir: dir, databaseUrl: null });
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
console.log(
  '| initiatives × members | state | one join sent to every member | apply + encode + store, median / p95 |',
);
console.log('|---|---|---|---|');
try {
  for (const [initiatives, members] of SIZES) {
    const doc = session(initiatives, members);
    const sessionId = `bench-${initiatives}`;
    const record = {
      id: sessionId,
      title: 'Mérés',
      joinCode: String(900_000 + initiatives),
      viewerToken: 'v',
      sites: [],
      allowNewSites: true,
      lang: 'hu',
      createdAt: 1,
    } as const;
    const board = {
      id: `${sessionId}-board`,
      sessionId,
      title: '',
      position: 0,
      archived: false,
      createdAt: 1,
      epoch: 'e',
    };
    await store.createSession({ ...record, sites: [] }, board, newBoardState('blank'), []);
    const times: number[] = [];
    let relayed = 0;
    const fence = await store.claimSessionDoc(sessionId);
    for (let run = 0; run < RUNS; run += 1) {
      const visitor = resident(`visitor${run}`);
      const updates: Uint8Array[] = [];
      const collect = (update: Uint8Array) => updates.push(update);
      const started = performance.now();
      doc.on('update', collect);
      applyInitiativeChange(doc, visitor, { op: 'join', initiativeId: 'i0' }, Date.now());
      doc.off('update', collect);
      await store.saveSessionDoc(sessionId, Y.encodeStateAsUpdate(doc), fence);
      times.push(performance.now() - started);
      relayed = Y.mergeUpdates(updates).byteLength;
      applyInitiativeChange(doc, visitor, { op: 'leave', initiativeId: 'i0' }, Date.now());
    }
    times.sort((a, b) => a - b);
    const state = Y.encodeStateAsUpdate(doc).byteLength;
    console.log(
      `| ${initiatives} × ${members + 1} | ${(state / 1024).toFixed(1)} KiB | ${(relayed / 1024).toFixed(1)} KiB | ${quantile(times, 0.5).toFixed(2)} / ${quantile(times, 0.95).toFixed(2)} ms |`,
    );
  }
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
