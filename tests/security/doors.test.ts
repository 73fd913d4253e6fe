/**
 * The doors besides the board's write path, each tried as a hostile visitor would: bursts of
 * sessions, imports, snapshots, connections and joins, a huge archive, odd characters, one person
 * writing as fast as the rules let them. Each meets its bound with a clear refusal, and another
 * session's round trip stays under 100 ms meanwhile (measured and recorded for the README).
 */
import { docFromState, listCards, MAX_CARDS_PER_PARTICIPANT } from '@kaptar/board';
import {
  type CreateSessionReply,
  type IntentResult,
  LIMITS,
  MAX_ARCHIVE_BYTES,
  MAX_INTENTS_PER_BATCH,
  ROOM_CLOSE,
  type SessionArchiveV1,
} from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards, intent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, postJson } from '../support/server.js';
import { burstBody, curlBurst } from './support/curl-burst.js';
import { recordDoor } from './support/figures.js';
import { openRawRoom } from './support/raw-room.js';
import { p95, sessionProbe, summary } from './support/round-trip.js';
import { workshop } from './support/workshop.js';

/** Limits set low enough to reach in a test; their defaults are in the README's limits table. */
const SESSIONS_PER_HOUR = 40;
const IMPORTS_PER_HOUR = 12;
const kaptar = useServer({ sessionsPerHour: SESSIONS_PER_HOUR, importsPerHour: IMPORTS_PER_HOUR });
const ROUND_TRIP_LIMIT_MS = 100;

const count = <T>(list: T[], item: T) => list.filter((each) => each === item).length;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An archive of one board of `cards` cards and `snapshots` snapshots, each a state of its own. */
function bigArchive(cards: number, snapshots: number): SessionArchiveV1 {
  const doc = new Y.Doc();
  const cardsRoot = doc.getMap<Y.Map<unknown>>('cards');
  const addCard = (id: string, index: number) =>
    cardsRoot.set(
      id,
      new Y.Map<unknown>(
        Object.entries({
          kind: index % 2 ? 'resource' : 'problem',
          text: `Kártya ${index}: ${'a falu gondja, amit sokan említettek '.repeat(6)}`.slice(0, 280),
          authorId: 'anna',
          site: 'Alsóváros',
          x: (index % 40) * 10,
          y: Math.floor(index / 40) * 10,
          createdAt: index,
        }),
      ),
    );
  doc.transact(() => {
    for (let i = 0; i < cards; i++) addCard(`card${i}`, i);
  });
  const states: string[] = [];
  for (let i = 0; i < snapshots; i++) {
    addCard(`extra${i}`, cards + i);
    states.push(Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'));
  }
  const now = Date.now();
  return {
    format: 'kaptar-session-archive',
    version: 1,
    exportedAt: now,
    session: { title: 'Nagy archívum', sites: ['Alsóváros'], allowNewSites: true, createdAt: now },
    participants: [{ id: 'anna', role: 'participant', name: 'Anna', site: 'Alsóváros', createdAt: now }],
    boards: [
      {
        id: 'b1',
        title: 'Tábla',
        position: 0,
        archived: false,
        createdAt: now,
        state: states.at(-1) as string,
      },
    ],
    snapshots: states.map((state, i) => ({
      id: `s${i}`,
      boardId: 'b1',
      name: `Pillanatkép ${i}`,
      kind: 'manual',
      createdAt: now + i,
      createdBy: 'anna',
      cardCount: cards + i + 1,
      voteCount: 0,
      state,
    })),
  };
}

describe('every door bounded', () => {
  it('100 snapshots of a changing 1,500-card board, then its log compacted: one state per moment, and another session keeps its pace', async () => {
    const board = await workshop(kaptar, ['Anna']);
    const [anna] = board.phones as [(typeof board.phones)[0]];
    const writers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        joinSession(kaptar.server, board.session.joinCode, `Író ${i}`, 'Alsóváros'),
      ),
    );
    for (const join of writers) {
      const control = await kaptar.control(join.participantToken);
      for (let batch = 0; batch < MAX_CARDS_PER_PARTICIPANT / MAX_INTENTS_PER_BATCH; batch++) {
        await addCards(
          control,
          board.boardId,
          Array.from({ length: MAX_INTENTS_PER_BATCH }, (_, i) => `${join.participantId} ${batch}/${i}`),
        );
      }
    }
    const probe = await sessionProbe(kaptar);
    const {
      result: compactionMs,
      trips,
      peakRssMiB,
    } = await probe.during(async () => {
      for (let i = 0; i < 100; i++) {
        await addCards(anna.control, board.boardId, [`Változás ${i}`]);
        const saved = await postJson(
          `${kaptar.server.url}/api/boards/${board.boardId}/snapshots`,
          { name: `Pillanat ${i}` },
          bearer(board.session.moderatorToken),
        );
        expect(saved.status).toBe(201);
        // Within the moderator's and Anna's command rates.
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      // The log compacted, as the board does every 500 updates: each snapshot still reading it
      // gets a state of its own, one per distinct moment.
      const compacted = performance.now();
      await kaptar.server.app.rooms.withRoom(board.boardId, async (room) => {
        await room.flush();
        const { seq } = await kaptar.server.app.store.loadBoardDoc(board.boardId);
        await kaptar.server.app.store.compactBoard(board.boardId, Y.encodeStateAsUpdate(room.doc), seq);
      });
      return performance.now() - compacted;
    }, 500);
    console.info(`snapshot burst: ${summary(trips)}; compaction ${Math.round(compactionMs)} ms`);
    recordDoor(
      {
        door: 'snapshot burst',
        attack: '100 snapshots of a changing 1,500-card board, then a compaction',
        bound:
          'a snapshot is a reference to a stored state; compaction keeps one state per distinct moment; the session storage quota (200 MB)',
      },
      { trips, peakRssMiB },
    );
    // Each snapshot still holds its own moment, folded while the board went on.
    const snapshots = await kaptar.server.app.store.listSnapshots(board.boardId);
    expect(snapshots).toHaveLength(100);
    for (const [index, summary] of snapshots.entries()) {
      const stored = await kaptar.server.app.store.getSnapshot(board.boardId, summary.id);
      const cards = listCards(docFromState(stored?.state as Uint8Array));
      expect(cards.filter((card) => card.text.startsWith('Változás'))).toHaveLength(index + 1);
    }
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  }, 90_000);

  it('a 45 MB archive of 1,500 cards and 52 distinct snapshots: read on the worker, stored, and another session keeps its round trip', async () => {
    const archive = bigArchive(1_500, 52);
    const body = JSON.stringify(archive);
    expect(body.length).toBeGreaterThan(40 * 1024 * 1024);
    expect(body.length).toBeLessThan(MAX_ARCHIVE_BYTES);
    const upload = burstBody(body);
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const [reply] = await curlBurst(`${kaptar.server.url}/api/sessions/import`, upload.file, 1);
      return { status: reply?.status, body: reply?.body as unknown as CreateSessionReply };
    }, 500);
    console.info(
      `huge archive (${(body.length / 1024 / 1024).toFixed(1)} MiB): ${summary(trips)}, peak RSS ${Math.round(peakRssMiB)} MiB`,
    );
    recordDoor(
      {
        door: 'huge archive',
        attack: 'a 45 MB archive: 1,500 cards and 52 distinct snapshots',
        bound: '50 MiB a file; parsed, checked and rebuilt on a worker thread (60 s, 768 MB heap)',
      },
      { trips, peakRssMiB },
    );
    expect(result.status).toBe(201);
    const snapshots = await kaptar.server.app.store.listSnapshots(result.body.boards[0]?.id as string);
    expect(snapshots).toHaveLength(52);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  }, 60_000);

  it('a burst of 20 imports: one read at a time, four waiting, the rest refused (503) before their bodies are read', async () => {
    const body = burstBody(JSON.stringify(bigArchive(300, 10)));
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(
      async () =>
        (await curlBurst(`${kaptar.server.url}/api/sessions/import`, body.file, 20)).map((reply) => ({
          status: reply.status,
          error: reply.body.error,
        })),
      // Long enough for a p95 of some forty probes, not the one largest.
      2000,
    );
    console.info(`import burst: ${summary(trips)}; ${result.map((reply) => reply.status).join(' ')}`);
    recordDoor(
      {
        door: 'import burst',
        attack: '20 imports at once from one address',
        bound: `${IMPORTS_PER_HOUR} an hour per address here (10 by default; 429), read one at a time, at most 4 queued (503 before the body is read)`,
      },
      { trips, peakRssMiB },
    );
    const statuses = result.map((reply) => reply.status);
    // A refused upload may still count against the hour's imports (429 once they are spent).
    expect(statuses.every((status) => [201, 503, 429].includes(status))).toBe(true);
    // The big archive's import above was one of this hour's.
    expect(count(statuses, 201)).toBeGreaterThan(0);
    expect(count(statuses, 201)).toBeLessThanOrEqual(IMPORTS_PER_HOUR - 1);
    expect(count(statuses, 503)).toBeGreaterThan(0);
    expect(result.find((reply) => reply.status === 503)?.error).toBe(
      'Other archives are being read right now. Try again in a minute.',
    );
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  }, 60_000);

  it('one link opening 60 connections: 32 are served, the rest closed with 4429, and its neighbours behind the same address still connect', async () => {
    const board = await workshop(kaptar, ['Anna', 'Béla']);
    const [anna, bela] = board.phones as [(typeof board.phones)[0], (typeof board.phones)[0]];
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const rooms = await Promise.all(
        Array.from({ length: 60 }, () =>
          openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken),
        ),
      );
      const closes = await Promise.all(rooms.map((room) => room.closeWithin(500)));
      const neighbour = await openRawRoom(kaptar.server.wsUrl, board.boardId, bela.join.participantToken);
      const neighbourClosed = await neighbour.closeWithin(300);
      for (const room of [...rooms, neighbour]) room.close();
      return { closes, neighbourClosed };
    }, 500);
    console.info(`greedy link: ${summary(trips)}`);
    recordDoor(
      {
        door: 'greedy link',
        attack: '60 connections with one phone’s token',
        bound: '32 live connections per token, 400 per address (close 4429)',
      },
      { trips, peakRssMiB },
    );
    const refused = result.closes.filter((close) => close?.code === ROOM_CLOSE.rateLimited);
    // Anna's phone holds 2 of her 32 already.
    expect(refused).toHaveLength(60 - 30);
    expect(refused[0]?.reason).toBe('too many connections with this link');
    expect(result.neighbourClosed).toBeNull();
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });

  it('1,000 cards of odd characters (NUL, controls, text-direction overrides): each refused with text-invalid, nothing stored', async () => {
    const board = await workshop(kaptar, ['Anna']);
    const [anna] = board.phones as [(typeof board.phones)[0]];
    const odd = ['\u0000', '\u0007', '\u001B[31m', '\u202E', '\u2066', '\u0085', '\uFFFF', '\uD800'];
    const batches = Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: MAX_INTENTS_PER_BATCH }, (_, j) =>
        addCardIntent(`Gond ${i}/${j} ${odd[(i + j) % odd.length]} vége`),
      ),
    );
    const before = await board.serverContents();
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(
      async () =>
        (
          await Promise.all(batches.map((intents) => sendIntents(anna.control, board.boardId, intents)))
        ).flat(),
      500,
    );
    console.info(`odd characters: ${summary(trips)}`);
    recordDoor(
      {
        door: 'odd characters',
        attack: '1,000 card intents with NUL, C0/C1 controls, bidi overrides, noncharacters, lone surrogates',
        bound: 'the text rule: each refused with text-invalid naming the character',
      },
      { trips, peakRssMiB },
    );
    const codes = result.map((each: IntentResult) => (each.ok ? 'ok' : each.code));
    expect(count(codes, 'ok')).toBe(0);
    // Those within the rate are read and refused for their text; the rest wait for the rate.
    expect(count(codes, 'text-invalid')).toBeGreaterThanOrEqual(100);
    expect(count(codes, 'text-invalid') + count(codes, 'rate-limited')).toBe(1_000);
    expect(await board.serverContents()).toEqual(before);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });

  it('300 joins in a burst: each answered, the participant lists reach every member at most once a second, another session keeps its pace', async () => {
    const session = await createSession(kaptar.server, 'Tolongás');
    const moderator = await kaptar.control(session.moderatorToken);
    let lists = 0;
    moderator.socket.on('presence', () => {
      lists++;
    });
    const probe = await sessionProbe(kaptar);
    const join = burstBody(JSON.stringify({ joinCode: session.joinCode, name: 'Vendég', site: 'Alsóváros' }));
    const { result, trips, peakRssMiB } = await probe.during(
      () => curlBurst(`${kaptar.server.url}/api/join`, join.file, 300),
      1000,
    );
    console.info(`join burst: ${summary(trips)}`);
    recordDoor(
      {
        door: 'join burst',
        attack: '300 joins at once into one session',
        bound: `${LIMITS.participantsPerSession} participants a session (409); 600 requests a minute per address; participant lists at most once a second`,
      },
      { trips, peakRssMiB },
    );
    expect(result.every((reply) => reply.status === 200)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(moderator.presence.list.filter((person) => person.role === 'participant')).toHaveLength(300);
    // Once a second at most, over the burst and the second after it.
    expect(lists).toBeLessThanOrEqual(Math.ceil(trips.health.length / 10) + 3);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });

  it('one person rewriting a card as fast as the rules allow: what reaches the disk is bounded by their rate', async () => {
    const board = await workshop(kaptar, ['Anna']);
    const [anna] = board.phones as [(typeof board.phones)[0]];
    const [cardId] = await addCards(anna.control, board.boardId, ['Első']);
    const storedBefore = await kaptar.server.app.store.sessionStoredBytes(board.session.sessionId);
    const probe = await sessionProbe(kaptar);
    const seconds = 5;
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const codes: string[] = [];
      const until = Date.now() + seconds * 1000;
      for (let round = 0; Date.now() < until; round++) {
        const edits = Array.from({ length: MAX_INTENTS_PER_BATCH }, (_, i) =>
          intent('card:edit', { cardId: cardId as string, text: `${round}/${i} ${'x'.repeat(270)}` }),
        );
        // As fast as the socket takes commands: one refused as a whole counts for all its edits.
        const ack = await anna.control.ask('intents', { boardId: board.boardId, intents: edits });
        if (!ack.ok) codes.push(...edits.map(() => ack.code));
        else for (const each of ack.results as IntentResult[]) codes.push(each.ok ? 'ok' : each.code);
      }
      return codes;
    }, 500);
    const grown = (await kaptar.server.app.store.sessionStoredBytes(board.session.sessionId)) - storedBefore;
    console.info(
      `card rewrites: ${summary(trips)}; ${count(result, 'ok')} edits applied of ${result.length} in ${seconds} s, ${Math.round(grown / 1024)} KiB stored`,
    );
    recordDoor(
      {
        door: 'stored bytes',
        attack: 'one person rewriting a 280-character card as fast as they can for 5 s',
        bound:
          '240 intents a minute (bursts of 100); about 1 KB stored an edit; 200 MB a session (session-full)',
      },
      { trips, peakRssMiB },
    );
    // The burst and 4 a second, and about a kilobyte an edit (the update, the intent and its change).
    expect(count(result, 'ok')).toBeLessThanOrEqual(100 + 4 * (seconds + 1));
    expect(grown).toBeLessThan(count(result, 'ok') * 2048);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });
  it('a burst of 100 new sessions from one address: those beyond the hour’s sessions get 429, the running sessions keep their pace', async () => {
    const title = burstBody(JSON.stringify({ title: 'Roham' }));
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(
      () => curlBurst(`${kaptar.server.url}/api/sessions`, title.file, 100),
      // Long enough for a p95 of some forty probes, not the one largest.
      2000,
    );
    console.info(`session burst: ${summary(trips)}`);
    recordDoor(
      {
        door: 'session burst',
        attack: '100 new sessions at once from one address',
        bound: `${SESSIONS_PER_HOUR} an hour per address here (30 by default; 429)`,
      },
      { trips, peakRssMiB },
    );
    const statuses = result.map((reply) => reply.status);
    expect(count(statuses, 201)).toBeLessThanOrEqual(SESSIONS_PER_HOUR);
    expect(count(statuses, 429)).toBe(100 - count(statuses, 201));
    expect(result.find((reply) => reply.status === 429)?.body.error).toMatch(
      /^At most 40 new sessions an hour/,
    );
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });
});
