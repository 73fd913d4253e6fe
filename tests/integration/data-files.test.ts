/**
 * Data files written by earlier versions open in this one with everything in them: each fixture in
 * tests/fixtures/ (made at the commit it is named after: by make-data-file.ts, or by an adaptation
 * of it to that commit's API, as its fixture.json says) is copied and served, and read back through
 * the API. Its fixture.json lists what the file holds, also what its version did not have yet (no
 * initiative: `null`, nobody without a phone: `[]`), and every item is checked either way: a
 * version without initiatives must open with none, not with an unchecked follow-up page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listCards, readContents } from '@kaptar/board';
import type {
  BoardExport,
  FollowUpReply,
  OutcomeReply,
  PrivateView,
  SessionInfoReply,
  SnapshotList,
} from '@kaptar/protocol';
import { FOLLOW_UP_API } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { connectControl } from '../support/control-client.js';
import { okAck } from '../support/founded-group.js';
import { startServer, tempDataDir, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

/** Boards are named by a key of `boards`; cards by their texts. */
interface Fixture {
  written: string;
  sessionId: string;
  moderatorToken: string;
  participantToken: string;
  /** The session's boards in their order. `map` holds the votes and the snapshot. */
  boards: { map: string } & Record<string, string>;
  archived: string[];
  /** What everyone sees on each board. */
  cards: Record<string, string[]>;
  /** Per board, each group's title and cards; a board without groups is left out. */
  groups: Record<string, Record<string, string[]>>;
  /** At least these totals on the map. */
  totals: Record<string, number>;
  /** The participant's own votes on the map, kept off the shared document since the secret ballot. */
  ballot: Record<string, number>;
  /** Per board, the participant's cards held back in a silent collect; a board without any is left out. */
  drafts: Record<string, string[]>;
  sites: string[];
  /** A snapshot of the map taken after the votes: the map's cards and totals as they are now. */
  snapshot: string;
  /** The residents on phones, and those the moderator added without one. */
  residents: string[];
  withoutPhone: string[];
  initiative: { name: string; members: string[] } | null;
  /** The founded group's follow-up page, when there is an initiative. */
  followUpToken: string | null;
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'kaptar.sqlite')));

const byText = (texts: string[]) => [...texts].sort();

describe.each(fixtures)('the data file %s', (name) => {
  it('opens with its boards, cards, groups, votes, drafts, snapshot, people and initiatives', async () => {
    const dataDir = tempDataDir();
    fs.copyFileSync(path.join(FIXTURES, name, 'kaptar.sqlite'), path.join(dataDir, 'kaptar.sqlite'));
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'fixture.json'), 'utf8')) as Fixture;
    const server = await startServer({ dataDir });
    try {
      const auth = { headers: { authorization: `Bearer ${fixture.moderatorToken}` } };
      const info = (await (
        await fetch(`${server.url}/api/sessions/${fixture.sessionId}`, auth)
      ).json()) as SessionInfoReply;
      expect(info.boards.map((board) => board.id)).toEqual(Object.values(fixture.boards));
      expect(info.boards.filter((board) => board.archived).map((board) => board.id)).toEqual(
        fixture.archived.map((board) => fixture.boards[board]),
      );
      expect(info.sites).toEqual(fixture.sites);

      const phone = await connectControl(server.url, fixture.participantToken);
      try {
        for (const [board, boardId] of Object.entries(fixture.boards)) {
          const replica = await connectSynced(server.wsUrl, boardId, fixture.moderatorToken);
          const { cards, groups } = readContents(replica.doc);
          expect(byText(cards.map((card) => card.text)), board).toEqual(byText(fixture.cards[board] ?? []));
          expect(
            Object.fromEntries(
              groups.map((group) => [
                group.title,
                byText(cards.filter((card) => card.groupId === group.id).map((card) => card.text)),
              ]),
            ),
            board,
          ).toEqual(
            Object.fromEntries(
              Object.entries(fixture.groups[board] ?? {}).map(([title, texts]) => [title, byText(texts)]),
            ),
          );
          const mine = (await okAck(phone, 'board:private', { boardId })).mine as PrivateView;
          expect(byText(mine.drafts.map((draft) => draft.text)), board).toEqual(
            byText(fixture.drafts[board] ?? []),
          );
          if (board === 'map') {
            expect(Object.fromEntries(cards.map((card) => [card.text, card.votes]))).toMatchObject(
              fixture.totals,
            );
            const textOf = new Map(listCards(replica.doc).map((card) => [card.id, card.text]));
            expect(
              Object.fromEntries(
                Object.entries(mine.ballot).map(([cardId, votes]) => [textOf.get(cardId), votes]),
              ),
            ).toEqual(fixture.ballot);
          }
          replica.destroy();
        }

        await waitFor(() => phone.presence.list.length > 0, 'the participant list');
        const residents = phone.presence.list.filter((person) => person.role === 'participant');
        expect(byText(residents.map((person) => person.name))).toEqual(
          byText([...fixture.residents, ...fixture.withoutPhone]),
        );
        expect(byText(residents.filter((person) => person.noDevice).map((person) => person.name))).toEqual(
          byText(fixture.withoutPhone),
        );
      } finally {
        phone.close();
      }

      const snapshots = (await (
        await fetch(`${server.url}/api/boards/${fixture.boards.map}/snapshots`, auth)
      ).json()) as SnapshotList;
      const snapshot = snapshots.snapshots.find((one) => one.name === fixture.snapshot);
      expect(snapshot, fixture.snapshot).toBeDefined();
      const moment = (await (
        await fetch(`${server.url}/api/boards/${fixture.boards.map}/snapshots/${snapshot?.id}`, auth)
      ).json()) as BoardExport;
      expect(byText(moment.cards.map((card) => card.text))).toEqual(byText(fixture.cards.map ?? []));
      expect(Object.fromEntries(moment.cards.map((card) => [card.text, card.votes]))).toMatchObject(
        fixture.totals,
      );

      const outcome = (await (
        await fetch(`${server.url}/api/sessions/${fixture.sessionId}/outcome`, auth)
      ).json()) as OutcomeReply;
      expect(outcome.initiatives.map((initiative) => initiative.name)).toEqual(
        fixture.initiative ? [fixture.initiative.name] : [],
      );
      expect(fixture.followUpToken === null).toBe(fixture.initiative === null);
      if (fixture.initiative && fixture.followUpToken) {
        const followUp = (await (
          await fetch(`${server.url}${FOLLOW_UP_API}${fixture.followUpToken}`)
        ).json()) as FollowUpReply;
        expect(followUp.initiative.name).toBe(fixture.initiative.name);
        expect(followUp.initiative.members.map((member) => member.name)).toEqual(fixture.initiative.members);
        expect(followUp.initiative.tasks).toHaveLength(2);
      }
    } finally {
      await server.stop();
    }
  });
});
