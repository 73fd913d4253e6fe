/**
 * The storage contract (store.ts), held against both engines: the embedded SQLite file and a real
 * PostgreSQL server. Engine-specific facts (SQLite's old files, its shared blobs) are in the
 * engines' own tests; what a caller may rely on is here, once.
 */
import {
  addCard,
  DEFAULT_TEMPLATE,
  EMPTY_PRIVATE_ROWS,
  listCards,
  newBoardState,
  type PrivateChange,
} from '@kaptar/board';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardGoneError, FencedOutError, JoinCodeTakenError } from './errors.js';
import type {
  BoardRecord,
  ParticipantRecord,
  SessionRecord,
  SnapshotRecord,
  Store,
  StoredIntent,
} from './store.js';
import { storeWithBoard, TEST_BOARD_ID } from './store-with-board.js';
import { testEngines } from './test-engines.js';

const author = { participantId: 'anna', role: 'participant' as const };

/** Adds a card to `doc` and returns the update it made. */
function cardUpdate(doc: Y.Doc, text: string): Uint8Array {
  let made: Uint8Array | undefined;
  doc.once('update', (update: Uint8Array) => {
    made = update;
  });
  addCard(doc, author, { kind: 'problem', text, site: 'Alsóváros', x: 0, y: 0 });
  if (!made) throw new Error('no update');
  return made;
}

/** The texts of the cards in a state and updates, sorted: cards of one millisecond have no order. */
function textsOf(...updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return listCards(doc)
    .map((card) => card.text)
    .sort();
}

async function boardTexts(store: Store, boardId = TEST_BOARD_ID): Promise<string[]> {
  const stored = await store.loadBoardDoc(boardId);
  return textsOf(...(stored.state ? [stored.state] : []), ...stored.updates);
}

const session = (id: string, joinCode: string): SessionRecord => ({
  id,
  title: 'Alsóvárosi műhely',
  joinCode,
  viewerToken: `viewer-${id}`,
  sites: ['Alsóváros', 'Felsőszer'],
  allowNewSites: false,
  lang: 'hu',
  createdAt: 1_700_000_000_000,
  closedAt: null,
});
const board = (id: string, sessionId: string, position = 0): BoardRecord => ({
  id,
  sessionId,
  title: `Tábla ${id}`,
  position,
  archived: false,
  createdAt: 1_700_000_000_000 + position,
  epoch: `epoch-${id}`,
});
const person = (
  id: string,
  sessionId: string,
  extra: Partial<ParticipantRecord> = {},
): ParticipantRecord => ({
  id,
  sessionId,
  role: 'participant',
  name: `Lakó ${id}`,
  site: 'Alsóváros',
  tokenHash: `hash-${sessionId}-${id}`,
  createdAt: 1_700_000_000_100,
  noDevice: false,
  ...extra,
});
const snapshotRecord = (id: string, boardId = TEST_BOARD_ID): SnapshotRecord => ({
  id,
  boardId,
  name: 'Szavazás után',
  kind: 'manual',
  createdAt: 1_700_000_000_200,
  createdBy: 'moderator',
  cardCount: 2,
  voteCount: 0,
});
const intent = (intentId: string, participantId = 'anna'): StoredIntent => ({
  intentId,
  participantId,
  result: JSON.stringify({ id: intentId, ok: true }),
  changes: '[]',
});
const emptyState = () => newBoardState(DEFAULT_TEMPLATE);

for (const engine of testEngines()) {
  describe.skipIf(engine.skip !== null)(`the ${engine.name} store`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    afterAll(() => engine.done());

    /** A fresh database with the test board; `reopen` reaches the same data, as after a restart. */
    async function withBoard() {
      const fresh = await engine.fresh();
      opened.push(fresh.store);
      const reopen = async () => {
        const store = await fresh.open();
        opened.push(store);
        return store;
      };
      return { ...(await storeWithBoard(fresh.store)), reopen };
    }

    it('keeps sessions, their settings and their state of being closed, and refuses a join code taken', async () => {
      const { store, reopen } = await withBoard();
      await store.createSession(session('s2', '222222'), board('b2', 's2'), emptyState(), [
        person('mod', 's2', { role: 'moderator' }),
        person('projector', 's2', { role: 'viewer' }),
      ]);
      await store.updateSites('s2', ['Alsóváros'], true);
      await store.closeSession('s2', 1_700_000_001_000);
      await store.renewViewerToken('s2', 'new-viewer', 'new-viewer-hash');
      await expect(
        store.createSession(session('s3', '222222'), board('b3', 's3'), emptyState(), []),
      ).rejects.toBeInstanceOf(JoinCodeTakenError);
      // Nothing of the refused session stays.
      expect(await store.getSession('s3')).toBeUndefined();
      expect(await store.getBoard('b3')).toBeUndefined();

      const again = await reopen();
      const expected = {
        ...session('s2', '222222'),
        sites: ['Alsóváros'],
        allowNewSites: true,
        closedAt: 1_700_000_001_000,
        viewerToken: 'new-viewer',
      };
      expect(await again.getSession('s2')).toEqual(expected);
      expect(await again.findSessionByJoinCode('222222')).toEqual(expected);
      expect(await again.findSessionByJoinCode('999999')).toBeUndefined();
      expect((await again.findParticipantByTokenHash('new-viewer-hash'))?.role).toBe('viewer');
      await again.closeSession('s2', null);
      expect((await again.getSession('s2'))?.closedAt).toBeNull();
    });

    it('keeps people: a turn of joins stored together, a duplicate token refused alone, the removed signed out', async () => {
      const { store } = await withBoard();
      const joins = await Promise.allSettled([
        store.addParticipant(person('anna', 'session1')),
        store.addParticipant(person('bela', 'session1', { createdAt: 1_700_000_000_200 })),
        store.addParticipant(person('copy', 'session1', { tokenHash: 'hash-session1-anna' })),
        store.addParticipant(person('cili', 'session1', { noDevice: true, createdAt: 1_700_000_000_300 })),
      ]);
      expect(joins.map((join) => join.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((await store.listParticipants('session1')).map((p) => p.id)).toEqual(['anna', 'bela', 'cili']);
      expect(await store.findParticipantByTokenHash('hash-session1-cili')).toEqual(
        person('cili', 'session1', { noDevice: true, createdAt: 1_700_000_000_300 }),
      );
      expect(await store.countParticipants('session1')).toBe(3);
      expect(await store.removeParticipant('session1', 'bela', 5)).toBe(true);
      expect(await store.removeParticipant('session1', 'bela', 6)).toBe(false);
      expect(await store.removeParticipant('other', 'anna', 6)).toBe(false);
      expect(await store.findParticipantByTokenHash('hash-session1-bela')).toBeUndefined();
      expect(await store.countParticipants('session1')).toBe(2);
    });

    it('keeps boards in order, renamed and archived, each with its first state and private state', async () => {
      const { store } = await withBoard();
      const rows = {
        ...EMPTY_PRIVATE_ROWS,
        ballots: [{ participantId: 'anna', cardId: 'c1', votes: 2 }],
        authors: [{ cardId: 'c1', participantId: 'anna' }],
      };
      const doc = new Y.Doc();
      Y.applyUpdate(doc, emptyState());
      cardUpdate(doc, 'Helyreállítva');
      await store.createBoard(board('b2', 'session1', 1), Y.encodeStateAsUpdate(doc), rows);
      await store.createBoard(board('b3', 'session1', 2), emptyState());
      await store.updateBoard('b2', { title: 'Erőforrások', archived: true });
      await store.reorderBoards('session1', ['b3', 'b2', TEST_BOARD_ID, 'not-ours']);
      const boards = await store.listBoards('session1');
      expect(boards.map((b) => [b.id, b.position])).toEqual([
        ['b3', 0],
        ['b2', 1],
        [TEST_BOARD_ID, 2],
      ]);
      expect(await store.getBoard('b2')).toMatchObject({
        title: 'Erőforrások',
        archived: true,
        epoch: 'epoch-b2',
      });
      expect(await boardTexts(store, 'b2')).toEqual(['Helyreállítva']);
      expect(await store.loadPrivateRows('b2')).toEqual(rows);
      expect(await store.getBoard('nope')).toBeUndefined();
    });

    it('keeps follow-up links and the session document', async () => {
      const { store, reopen } = await withBoard();
      expect(await store.loadSessionDoc('session1')).toBeNull();
      const doc = new Y.Doc();
      doc.getMap('initiatives').set('i1', 'Esti kisbusz');
      const writer = await store.claimSessionDoc('session1');
      expect(await store.saveSessionDoc('session1', Y.encodeStateAsUpdate(doc), writer)).toBe(true);
      // A newer writer (another process took the session over): the former one saves nothing more.
      const newer = await store.claimSessionDoc('session1');
      expect(newer).toBeGreaterThan(writer);
      const stale = new Y.Doc();
      stale.getMap('initiatives').set('i1', 'Régi író');
      expect(await store.saveSessionDoc('session1', Y.encodeStateAsUpdate(stale), writer)).toBe(false);
      await store.saveFollowUpLink({
        initiativeId: 'i1',
        sessionId: 'session1',
        token: 't1',
        tokenHash: 'h1',
        at: 1,
      });
      await store.saveFollowUpLink({
        initiativeId: 'i1',
        sessionId: 'session1',
        token: 't2',
        tokenHash: 'h2',
        at: 2,
      });
      const again = await reopen();
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, (await again.loadSessionDoc('session1')) ?? new Uint8Array());
      expect(loaded.getMap('initiatives').get('i1')).toBe('Esti kisbusz');
      // A renewed link: the old token stops working.
      expect(await again.followUpLink('session1', 'i1')).toBe('t2');
      expect(await again.findFollowUpLink('h1')).toBeUndefined();
      expect(await again.findFollowUpLink('h2')).toEqual({ sessionId: 'session1', initiativeId: 'i1' });
      await again.dropFollowUpLink('session1', 'i1');
      expect(await again.findFollowUpLink('h2')).toBeUndefined();
    });

    it('appends durably with increasing sequence numbers, intents and private state in the same transaction', async () => {
      const { store, doc, fence, reopen } = await withBoard();
      const seqs: number[] = [];
      for (const text of ['Egy', 'Kettő']) {
        const [seq] = await store.appendBoardUpdates([
          {
            boardId: TEST_BOARD_ID,
            fence,
            update: cardUpdate(doc, text),
            intents: [intent(text)],
            changes: [],
          },
        ]);
        seqs.push(seq as number);
      }
      // An append of private state alone adds no log row, and names the board's last position.
      const [privateOnly] = await store.appendBoardUpdates([
        {
          boardId: TEST_BOARD_ID,
          fence,
          update: null,
          intents: [],
          changes: [{ kind: 'ballot', participantId: 'anna', cardId: 'c1', votes: 1 }],
        },
      ]);
      expect(seqs[1]).toBeGreaterThan(seqs[0] as number);
      expect(privateOnly).toBe(seqs[1]);

      // The same intent id twice: the whole append is refused, its change included.
      await expect(
        store.appendBoardUpdates([
          {
            boardId: TEST_BOARD_ID,
            fence,
            update: cardUpdate(doc, 'Kétszer'),
            intents: [intent('Egy', 'bela')],
            changes: [],
          },
        ]),
      ).rejects.toThrow();

      const again = await reopen();
      const loaded = await again.loadBoardDoc(TEST_BOARD_ID);
      expect(loaded.updates).toHaveLength(2);
      expect(loaded.seq).toBe(seqs[1]);
      expect(await boardTexts(again)).toEqual(['Egy', 'Kettő']);
      expect(await again.findIntent(TEST_BOARD_ID, 'Egy')).toMatchObject({
        participantId: 'anna',
        result: intent('Egy').result,
      });
      expect(await again.findIntent(TEST_BOARD_ID, 'Három')).toBeUndefined();
      expect(await again.findIntent('other', 'Egy')).toBeUndefined();
      expect((await again.listIntentIds(TEST_BOARD_ID)).sort()).toEqual(['Egy', 'Kettő']);
      expect(await again.listIntentIds('other')).toEqual([]);
      expect(await again.listChangesBy(TEST_BOARD_ID, 'anna')).toEqual([
        { intentId: 'Egy', changes: '[]' },
        { intentId: 'Kettő', changes: '[]' },
      ]);
      expect((await again.loadPrivateRows(TEST_BOARD_ID)).ballots).toEqual([
        { participantId: 'anna', cardId: 'c1', votes: 1 },
      ]);
    });

    it('refuses a writer fenced out by a newer claim, and a deleted board, and stores nothing of that append', async () => {
      const { store, doc, fence } = await withBoard();
      await store.createBoard(board('b2', 'session1', 1), emptyState());
      const b2 = await store.claimBoard('b2');
      const newer = await store.claimBoard(TEST_BOARD_ID);
      expect(newer).toBeGreaterThan(fence);
      const stale = store.appendBoardUpdates([
        { boardId: 'b2', fence: b2, update: cardUpdate(doc, 'Másik táblán'), intents: [], changes: [] },
        {
          boardId: TEST_BOARD_ID,
          fence,
          update: cardUpdate(doc, 'Régi író'),
          intents: [intent('old')],
          changes: [],
        },
      ]);
      await expect(stale).rejects.toBeInstanceOf(FencedOutError);
      await expect(stale).rejects.toMatchObject({ boardId: TEST_BOARD_ID });
      expect(await boardTexts(store)).toEqual([]);
      expect(await boardTexts(store, 'b2')).toEqual([]);
      expect(await store.findIntent(TEST_BOARD_ID, 'old')).toBeUndefined();
      // The new writer, on the document as stored, goes on.
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await store.loadBoardDoc(TEST_BOARD_ID)).state ?? new Uint8Array());
      await store.appendBoardUpdates([
        {
          boardId: TEST_BOARD_ID,
          fence: newer,
          update: cardUpdate(stored, 'Új író'),
          intents: [],
          changes: [],
        },
      ]);
      expect(await boardTexts(store)).toEqual(['Új író']);

      await expect(
        store.appendBoardUpdates([{ boardId: 'gone', fence: 1, update: null, intents: [], changes: [] }]),
      ).rejects.toBeInstanceOf(BoardGoneError);
      await expect(store.claimBoard('gone')).rejects.toBeInstanceOf(BoardGoneError);
    });

    it('takes concurrent appends to many boards, and a compaction up to a sequence number keeps what came after', async () => {
      const { store, doc, fence } = await withBoard();
      await store.createBoard(board('b2', 'session1', 1), emptyState());
      const b2 = await store.claimBoard('b2');
      const other = new Y.Doc();
      Y.applyUpdate(other, emptyState());
      // Two writers at once, as two rooms' batches in flight: every append stored, in its board's order.
      const appends = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendBoardUpdates([
            {
              boardId: TEST_BOARD_ID,
              fence,
              update: cardUpdate(doc, `A${i}`),
              intents: [intent(`a${i}`)],
              changes: [],
            },
            { boardId: 'b2', fence: b2, update: cardUpdate(other, `B${i}`), intents: [], changes: [] },
          ]),
        ),
      );
      expect(await boardTexts(store)).toHaveLength(20);
      expect(await boardTexts(store, 'b2')).toHaveLength(20);
      const upTo = Math.max(...appends.map(([seq]) => seq as number));

      // A compaction of what this writer knows, while more is appended: the later rows stay.
      const state = Y.encodeStateAsUpdate(doc);
      const compacting = store.compactBoard(TEST_BOARD_ID, state, upTo);
      const later = store.appendBoardUpdates([
        { boardId: TEST_BOARD_ID, fence, update: cardUpdate(doc, 'Közben'), intents: [], changes: [] },
      ]);
      await Promise.all([compacting, later]);
      const loaded = await store.loadBoardDoc(TEST_BOARD_ID);
      expect(loaded.updates).toHaveLength(1);
      expect(await boardTexts(store)).toContain('Közben');
      expect(await boardTexts(store)).toHaveLength(21);
      // Rows appended after `upTo` by anyone stay even when the state does not hold them.
      await store.appendBoardUpdates([
        { boardId: TEST_BOARD_ID, fence, update: cardUpdate(doc, 'Utána'), intents: [], changes: [] },
      ]);
      await store.compactBoard(TEST_BOARD_ID, state, upTo);
      expect(await boardTexts(store)).toHaveLength(22);
      expect(await boardTexts(store, 'b2')).toHaveLength(20);
      expect(await store.findIntent(TEST_BOARD_ID, 'a7')).toBeDefined();
    });

    it('keeps snapshots as they were through later edits and compactions, with their private state', async () => {
      const { store, doc, fence, reopen } = await withBoard();
      await store.appendBoardUpdates([
        { boardId: TEST_BOARD_ID, fence, update: cardUpdate(doc, 'Naplóban'), intents: [], changes: [] },
      ]);
      const unsaved = cardUpdate(doc, 'Még nincs mentve');
      const rows = { ...EMPTY_PRIVATE_ROWS, ballots: [{ participantId: 'anna', cardId: 'c1', votes: 1 }] };
      await store.snapshotBoard(snapshotRecord('snap1'), [unsaved], rows);
      for (let i = 0; i < 3; i++)
        await store.snapshotBoard(snapshotRecord(`same${i}`), [], EMPTY_PRIVATE_ROWS);
      const texts = async (from: Store, id: string) =>
        textsOf((await from.getSnapshot(TEST_BOARD_ID, id))?.state ?? new Uint8Array());
      let [seq] = await store.appendBoardUpdates([
        { boardId: TEST_BOARD_ID, fence, update: unsaved, intents: [], changes: [] },
      ]);
      await store.compactBoard(TEST_BOARD_ID, Y.encodeStateAsUpdate(doc), seq as number);
      [seq] = await store.appendBoardUpdates([
        { boardId: TEST_BOARD_ID, fence, update: cardUpdate(doc, 'Később'), intents: [], changes: [] },
      ]);
      await store.snapshotBoard(snapshotRecord('after'), [], EMPTY_PRIVATE_ROWS);
      await store.compactBoard(TEST_BOARD_ID, Y.encodeStateAsUpdate(doc), seq as number);

      const again = await reopen();
      expect(await texts(again, 'snap1')).toEqual(['Még nincs mentve', 'Naplóban']);
      for (let i = 0; i < 3; i++) expect(await texts(again, `same${i}`)).toEqual(['Naplóban']);
      expect(await texts(again, 'after')).toEqual(['Később', 'Még nincs mentve', 'Naplóban']);
      const stored = await again.getSnapshot(TEST_BOARD_ID, 'snap1');
      expect(stored?.snapshot).toEqual(snapshotRecord('snap1'));
      expect(stored?.rows).toEqual(rows);
      expect((await again.listSnapshots(TEST_BOARD_ID)).map((s) => s.id)).toEqual([
        'snap1',
        'same0',
        'same1',
        'same2',
        'after',
      ]);
      expect(await again.getSnapshot(TEST_BOARD_ID, 'nope')).toBeUndefined();
      expect(await again.getSnapshot('other', 'snap1')).toBeUndefined();
      expect(await again.listSnapshotsWithoutPrivate()).toEqual([]);
    });

    it('keeps ballots, drafts and authors with their board, and replaces a document in a rebuild', async () => {
      const { store, doc, fence } = await withBoard();
      const draft = {
        id: 'draft1',
        kind: 'problem' as const,
        text: 'Titok',
        authorId: 'anna',
        site: 'Alsóváros',
        area: '',
        x: 0,
        y: 0,
        createdAt: 5,
        groupId: null,
      };
      const changes: PrivateChange[] = [
        { kind: 'ballot', participantId: 'anna', cardId: 'c1', votes: 2 },
        { kind: 'ballot', participantId: 'bela', cardId: 'c1', votes: 1 },
        { kind: 'draft', cardId: 'draft1', authorId: 'anna', card: draft },
        { kind: 'draft', cardId: 'draft2', authorId: 'bela', card: { ...draft, id: 'draft2' } },
        { kind: 'author', cardId: 'c1', participantId: 'bela' },
      ];
      await store.appendBoardUpdates([{ boardId: TEST_BOARD_ID, fence, update: null, intents: [], changes }]);
      await store.appendBoardUpdates([
        {
          boardId: TEST_BOARD_ID,
          fence,
          update: cardUpdate(doc, 'Látható'),
          intents: [intent('i1')],
          changes: [
            { kind: 'ballot', participantId: 'bela', cardId: 'c1', votes: 0 },
            { kind: 'draft', cardId: 'draft2', authorId: 'bela', card: null },
          ],
        },
      ]);
      expect(await store.loadPrivateRows(TEST_BOARD_ID)).toEqual({
        drafts: [draft],
        retiredDrafts: ['draft2'],
        authors: [{ cardId: 'c1', participantId: 'bela' }],
        ballots: [{ participantId: 'anna', cardId: 'c1', votes: 2 }],
      });
      expect(await store.loadPrivateRows('other')).toEqual(EMPTY_PRIVATE_ROWS);

      // A rebuild: a new state and epoch, an empty log, the ballots moved over; intents kept.
      await store.replaceBoardDoc(TEST_BOARD_ID, Y.encodeStateAsUpdate(doc), 'epoch2', {
        ...EMPTY_PRIVATE_ROWS,
        ballots: [{ participantId: 'cili', cardId: 'c1', votes: 3 }],
      });
      expect((await store.getBoard(TEST_BOARD_ID))?.epoch).toBe('epoch2');
      expect((await store.loadBoardDoc(TEST_BOARD_ID)).updates).toEqual([]);
      expect(await boardTexts(store)).toEqual(['Látható']);
      expect((await store.loadPrivateRows(TEST_BOARD_ID)).ballots).toEqual([
        { participantId: 'cili', cardId: 'c1', votes: 3 },
      ]);
      expect(await store.findIntent(TEST_BOARD_ID, 'i1')).toBeDefined();
      expect(await store.listBoardsWithoutEpoch()).toEqual([]);
    });

    it('imports a whole session at once or none of it, a state named twice stored once', async () => {
      const { store } = await withBoard();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, emptyState());
      cardUpdate(doc, 'Közös');
      const shared = Y.encodeStateAsUpdate(doc);
      const archive = (id: string, joinCode: string) => ({
        session: session(id, joinCode),
        participants: [person('anna', id)],
        boards: [
          {
            board: board(`${id}-a`, id, 0),
            state: shared,
            ballots: [{ participantId: '', cardId: 'c1', votes: 4 }],
          },
          { board: board(`${id}-b`, id, 1), state: shared, ballots: [] },
        ],
        snapshots: [
          { snapshot: snapshotRecord(`${id}-snap`, `${id}-a`), state: shared, rows: EMPTY_PRIVATE_ROWS },
        ],
        sessionDoc: Y.encodeStateAsUpdate(new Y.Doc()),
      });
      await store.importSession(archive('imp', '333333'));
      const bytes = await store.sessionStoredBytes('imp');
      expect(await boardTexts(store, 'imp-b')).toEqual(['Közös']);
      expect((await store.loadPrivateRows('imp-a')).ballots).toEqual([
        { participantId: '', cardId: 'c1', votes: 4 },
      ]);
      expect(textsOf((await store.getSnapshot('imp-a', 'imp-snap'))?.state ?? new Uint8Array())).toEqual([
        'Közös',
      ]);
      // Three records name one state: it counts once.
      expect(bytes).toBeLessThan(2 * shared.byteLength + 10_000);

      // One board compacted to a state of its own: the other still reads the shared one.
      const fence = await store.claimBoard('imp-a');
      cardUpdate(doc, 'Csak az egyiken');
      await store.compactBoard('imp-a', Y.encodeStateAsUpdate(doc), 0);
      expect(await boardTexts(store, 'imp-a')).toEqual(['Csak az egyiken', 'Közös']);
      expect(await boardTexts(store, 'imp-b')).toEqual(['Közös']);
      expect(fence).toBeGreaterThan(0);

      // A join code taken meanwhile: nothing of the second import stays.
      await expect(store.importSession({ ...archive('imp2', '333333') })).rejects.toBeInstanceOf(
        JoinCodeTakenError,
      );
      expect(await store.getSession('imp2')).toBeUndefined();
      expect(await store.listBoards('imp2')).toEqual([]);
    });

    it('measures what a session takes, and deletes a session with all it holds', async () => {
      const { store, doc, fence, reopen } = await withBoard();
      await store.createSession(session('s2', '444444'), board('b2', 's2'), emptyState(), [
        person('anna', 's2'),
      ]);
      const before = await store.sessionStoredBytes('session1');
      await store.appendBoardUpdates([
        {
          boardId: TEST_BOARD_ID,
          fence,
          update: cardUpdate(doc, 'x'.repeat(200)),
          intents: [intent('i1')],
          changes: [],
        },
      ]);
      expect(await store.sessionStoredBytes('session1')).toBeGreaterThan(before + 200);
      await store.snapshotBoard(snapshotRecord('snap1'), [], EMPTY_PRIVATE_ROWS);
      await store.saveFollowUpLink({
        initiativeId: 'i1',
        sessionId: 'session1',
        token: 't',
        tokenHash: 'h',
        at: 1,
      });
      await store.addParticipant(person('bela', 'session1'));

      expect(await store.deleteSession('session1')).toBe(true);
      expect(await store.deleteSession('session1')).toBe(false);
      const again = await reopen();
      expect(await again.getSession('session1')).toBeUndefined();
      expect(await again.getBoard(TEST_BOARD_ID)).toBeUndefined();
      expect(await again.listSnapshots(TEST_BOARD_ID)).toEqual([]);
      expect(await again.findFollowUpLink('h')).toBeUndefined();
      expect(await again.findParticipantByTokenHash('hash-session1-bela')).toBeUndefined();
      expect(await again.findIntent(TEST_BOARD_ID, 'i1')).toBeUndefined();
      expect(await again.sessionStoredBytes('session1')).toBe(0);
      // The other session is untouched; the deleted rows leave the disk at the next vacuum.
      expect(await boardTexts(again, 'b2')).toEqual([]);
      expect(await again.findParticipantByTokenHash('hash-s2-anna')).toBeDefined();
      expect(await again.vacuumPending()).toBe(true);
      await again.vacuum();
      expect(await again.vacuumPending()).toBe(false);
    });

    it('answers its health probe and says where it keeps the data', async () => {
      const { store } = await withBoard();
      await store.checkWritable();
      const diagnosis = await store.diagnose();
      expect(diagnosis.problem).toBeNull();
      expect(diagnosis.where).toContain(engine.name);
      expect(diagnosis.where).not.toMatch(/password/);
    });
  });
}
