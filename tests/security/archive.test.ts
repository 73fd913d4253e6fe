/**
 * An archive is a file anyone may upload: its board states are Yjs bytes written by whoever made
 * the file. They are rebuilt from typed reads, so what is imported is a clean board; the junk in
 * them never reaches a device, and the server keeps answering others while it reads them.
 */
import { readContents } from '@kaptar/board';
import type { CreateSessionReply, SessionArchiveV1 } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useServer } from '../support/harness.js';
import { postJson } from '../support/server.js';
import { recordDoor } from './support/figures.js';
import { ALL_READS_ANSWER, moderatorReads } from './support/http.js';
import { p95, sessionProbe, summary } from './support/round-trip.js';
import { rootSizes } from './support/workshop.js';

const kaptar = useServer();
const ROUND_TRIP_LIMIT_MS = 100;
const JUNK_GROUPS = 8_000;

/** Two real cards (one voted, one grouped) among every kind of junk a hand-made file can hold. */
function junkBoardState(): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const cards = doc.getMap<unknown>('cards');
    const card = (fields: Record<string, unknown>) => new Y.Map<unknown>(Object.entries(fields));
    const real = {
      kind: 'problem',
      text: 'Nincs orvos',
      authorId: 'anna',
      site: 'Alsóváros',
      x: 40,
      y: 40,
      createdAt: 1,
    };
    cards.set('real-1', card(real));
    cards.set(
      'real-2',
      card({ ...real, text: 'Van közösségi ház', kind: 'resource', groupId: 'real-group', createdAt: 2 }),
    );
    cards.set('plain-number', 1);
    cards.set('plain-string', 'átvettem');
    cards.set('hidden-x', card({ ...real, x: 'hidden' }));
    cards.set('far-y', card({ ...real, y: 1e308 }));
    cards.set('long-text', card({ ...real, text: 'x'.repeat(281) }));
    cards.set('wrong-kind', card({ ...real, kind: 'secret' }));
    const groups = doc.getMap<unknown>('groups');
    groups.set('real-group', new Y.Map<unknown>(Object.entries({ title: 'Falu', x: 400, y: 40, color: 1 })));
    for (let i = 0; i < JUNK_GROUPS; i++) groups.set(`junk-${i}`, new Y.Map());
    groups.set('plain-group', 7);
    const votes = doc.getMap<unknown>('votes');
    votes.set('real-1', new Y.Map<unknown>(Object.entries({ bela: 2, cili: -4, dani: 'sok', emil: 1.5 })));
    votes.set('no-such-card', new Y.Map<unknown>(Object.entries({ bela: 40 })));
    votes.set('plain-votes', 99);
    doc.getMap('meta').set('phase', 'vote');
    doc.getMap('meta').set('voteBudget', 1e9);
    doc.getArray('unknown-root').insert(0, ['junk', 1, { deep: true }]);
    doc.getMap('extra').set('anything', 'else');
    doc.getText('text-root').insert(0, 'junk text');
  });
  return Y.encodeStateAsUpdate(doc);
}

function archiveOf(state: Uint8Array): SessionArchiveV1 {
  const now = Date.now();
  const encoded = Buffer.from(state).toString('base64');
  return {
    format: 'kaptar-session-archive',
    version: 1,
    exportedAt: now,
    session: { title: 'Szemét archívum', sites: [], allowNewSites: true, createdAt: now },
    participants: [
      { id: 'anna', role: 'participant', name: 'Anna', site: 'Alsóváros', createdAt: now },
      { id: 'bela', role: 'participant', name: 'Béla', site: 'Felsőtelep', createdAt: now },
    ],
    boards: [{ id: 'b1', title: 'Tábla', position: 0, archived: false, createdAt: now, state: encoded }],
    snapshots: [
      {
        id: 's1',
        boardId: 'b1',
        name: 'Régi',
        kind: 'manual',
        createdAt: now,
        createdBy: 'anna',
        cardCount: 9999,
        voteCount: -1,
        state: encoded,
      },
    ],
  };
}

describe('an archive full of junk', () => {
  it('is imported as a clean board: the junk is gone, the real cards, group and votes stay; the server answers meanwhile', async () => {
    const state = junkBoardState();
    const archive = archiveOf(state);
    const probe = await sessionProbe(kaptar);
    const upload = () => postJson<CreateSessionReply>(`${kaptar.server.url}/api/sessions/import`, archive);
    const { result: imported, trips } = await probe.during(upload, 500);
    console.info(`junk archive import (${state.byteLength} B of state, board + snapshot): ${summary(trips)}`);
    expect(imported.status).toBe(201);

    const boardId = imported.body.boards[0]?.id as string;
    const onServer = await kaptar.server.app.rooms.withRoom(boardId, (room) => ({
      roots: rootSizes(room.doc),
      contents: readContents(room.doc),
      ballots: room.board.secrets.rows().ballots,
    }));
    // Only the four roots of a board, holding only what reads as a card, group, total or setting;
    // the ballots (who voted for what) are in the store, never in the document.
    expect(onServer.roots).toEqual({ cards: 2, groups: 1, tallies: 1, meta: expect.any(Number) });
    // Béla's ballot, under the id Béla has in the new session (every imported person gets a new one).
    const people = await kaptar.server.app.store.listParticipants(imported.body.sessionId);
    const bela = people.find((person) => person.name === 'Béla');
    expect(bela?.id).not.toBe('bela');
    expect(onServer.ballots).toEqual([{ participantId: bela?.id, cardId: 'real-1', votes: 2 }]);
    expect(onServer.contents.cards.map((card) => [card.id, card.text, card.groupId, card.votes])).toEqual([
      ['real-1', 'Nincs orvos', null, 2],
      ['real-2', 'Van közösségi ház', 'real-group', 0],
    ]);
    expect(onServer.contents.meta).toMatchObject({ phase: 'vote', voteBudget: 5 });

    // A device of the new session gets exactly that, and nothing of the junk.
    const reader = await kaptar.board(boardId, imported.body.moderatorToken);
    expect(rootSizes(reader.doc)).toEqual(onServer.roots);
    expect(readContents(reader.doc)).toEqual(onServer.contents);

    // The snapshot was rebuilt too, and the moderator's routes answer on it.
    const reads = await moderatorReads(kaptar.server, boardId, imported.body.moderatorToken);
    expect(reads.statuses).toEqual(ALL_READS_ANSWER);
    expect(reads.exports.svg?.text).not.toContain('junk');
  });

  it('keeps another session under 100 ms while a junk archive is read', async () => {
    const archive = archiveOf(junkBoardState());
    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(
      () => postJson<CreateSessionReply>(`${kaptar.server.url}/api/sessions/import`, archive),
      500,
    );
    recordDoor(
      {
        door: 'junk archive',
        attack: 'an archive whose state holds 8,000 junk maps, unknown roots and wrong types',
        bound: 'read on a worker thread, rebuilt from typed contents (60 s, 768 MB heap)',
      },
      { trips, peakRssMiB },
    );
    expect(result.status).toBe(201);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });
});
