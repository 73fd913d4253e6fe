/**
 * Data files written by earlier versions open in this one with everything in them: each fixture in
 * tests/fixtures/ (made by make-data-file.ts at the commit it is named after) is copied and served,
 * and read back through the API: boards, cards and totals, the snapshot, the people (a resident
 * without a phone among them), the founded group and its follow-up page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listCards, readContents } from '@kaptar/board';
import type { FollowUpReply, SessionInfoReply, SnapshotList } from '@kaptar/protocol';
import { FOLLOW_UP_API } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { connectControl } from '../support/control-client.js';
import { startServer, tempDataDir, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

interface Fixture {
  sessionId: string;
  moderatorToken: string;
  participantToken: string;
  followUpToken: string;
  boards: { map: string; plan: string };
  cards: { map: string[]; plan: string[] };
  totals: Record<string, number>;
  snapshot: string;
  initiative: { name: string; members: string[] };
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'kaptar.sqlite')));

describe.each(fixtures)('the data file %s', (name) => {
  it('opens with its boards, cards, totals, snapshot, people, founded group and follow-up page', async () => {
    const dataDir = tempDataDir();
    fs.copyFileSync(path.join(FIXTURES, name, 'kaptar.sqlite'), path.join(dataDir, 'kaptar.sqlite'));
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'fixture.json'), 'utf8')) as Fixture;
    const server = await startServer({ dataDir });
    try {
      const auth = { headers: { authorization: `Bearer ${fixture.moderatorToken}` } };
      const info = (await (
        await fetch(`${server.url}/api/sessions/${fixture.sessionId}`, auth)
      ).json()) as SessionInfoReply;
      expect(info.boards.map((board) => board.id)).toEqual([fixture.boards.map, fixture.boards.plan]);

      for (const [board, texts] of [
        [fixture.boards.map, fixture.cards.map],
        [fixture.boards.plan, fixture.cards.plan],
      ] as const) {
        const replica = await connectSynced(server.wsUrl, board, fixture.moderatorToken);
        expect(
          listCards(replica.doc)
            .map((card) => card.text)
            .sort(),
        ).toEqual([...texts].sort());
        if (board === fixture.boards.map) {
          const totals = Object.fromEntries(
            readContents(replica.doc).cards.map((card) => [card.text, card.votes]),
          );
          expect(totals).toMatchObject(fixture.totals);
        }
        replica.destroy();
      }

      const snapshots = (await (
        await fetch(`${server.url}/api/boards/${fixture.boards.map}/snapshots`, auth)
      ).json()) as SnapshotList;
      expect(snapshots.snapshots.map((snapshot) => snapshot.name)).toContain(fixture.snapshot);

      const phone = await connectControl(server.url, fixture.participantToken);
      await waitFor(() => phone.presence.list.length > 0, 'the participant list');
      expect(phone.presence.list.find((person) => person.name === 'Nagy Cili')).toMatchObject({
        noDevice: true,
      });
      phone.close();

      const followUp = (await (
        await fetch(`${server.url}${FOLLOW_UP_API}${fixture.followUpToken}`)
      ).json()) as FollowUpReply;
      expect(followUp.initiative.name).toBe(fixture.initiative.name);
      expect(followUp.initiative.members.map((member) => member.name)).toEqual(fixture.initiative.members);
      expect(followUp.initiative.tasks).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });
});
