import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listCards, voteTotals } from '@kaptar/board';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { tempDataDir, waitFor } from '../support/server.js';
import { cardsAfterHardRestart, writerAndReader } from '../support/writer-and-reader.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

/** A real, small filesystem for the data folder, filled up for real (needs root, as in CI). */
const mountPoint = tempDataDir();
let mounted = false;
let server: ServerProcess | undefined;
const clients: BoardClient[] = [];
const controls: ControlClient[] = [];

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root)');
  }
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const control of controls) control.close();
  await server?.kill('SIGTERM');
  if (mounted) execFileSync('umount', [mountPoint]);
});

function fillDisk(): string {
  const filler = path.join(mountPoint, 'filler');
  const chunk = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(filler, 'w');
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch {
    // ENOSPC: the disk is full now.
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('a full disk', () => {
  it('is reported in the log and on /api/health, holds edits and refuses votes instead of pretending, and recovers', async ({
    skip,
  }) => {
    if (!mounted) skip();
    server = await startServerProcess({ dataDir: path.join(mountPoint, 'data') });
    const running = server;
    const { session, boardId, anna, writer, reader, write } = await writerAndReader(
      running,
      'Tele a lemez',
      'Még van hely',
    );
    clients.push(writer, reader);
    const moderator = await connectControl(running.url, session.moderatorToken);
    const annasPhone = await connectControl(running.url, anna.participantToken);
    controls.push(moderator, annasPhone);
    expect(
      await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', cardsDuringVote: true } }),
    ).toMatchObject({
      ok: true,
    });
    const cardId = listCards(reader.doc)[0]?.id as string;
    const vote = () => annasPhone.ask('vote', { boardId, cardId, delta: 1 });
    const votesSeen = () => voteTotals(reader.doc).get(cardId) ?? 0;

    const filler = fillDisk();
    write('Tele a lemez');
    const health = async () => {
      const reply = await fetch(`${running.url}/api/health`);
      return { status: reply.status, body: (await reply.json()) as { ok?: boolean; error?: string } };
    };
    // The server retries every second; give it a retry to fail.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const failing = await health();
    expect(failing.status).toBe(503);
    expect(failing.body.error).toMatch(/Cannot save to disk since .*full/i);
    // Not relayed: the other screen does not show an edit the server could not keep.
    expect(listCards(reader.doc)).toHaveLength(1);
    const refused = await fetch(`${running.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Új műhely' }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/cannot save right now/i);
    // A vote is acknowledged only once saved: now it is refused, and not applied (checked below).
    expect(await vote()).toMatchObject({ ok: false, code: 'storage-unavailable' });

    // Space returns: the held edit is saved and relayed, health is green again.
    fs.rmSync(filler);
    await waitFor(() => listCards(reader.doc).length === 2, 'the held card, after recovery', 10_000);
    expect((await health()).status).toBe(200);
    expect(await vote()).toMatchObject({ ok: true });
    await waitFor(() => votesSeen() === 1, 'the vote, once the disk takes writes');

    // And it really is on disk: a hard kill and restart keep it.
    const kept = await cardsAfterHardRestart(running, boardId, session.moderatorToken, clients);
    expect(kept).toEqual(['Még van hely', 'Tele a lemez']);
    const afterRestart = await connectSynced(running.wsUrl, boardId, session.moderatorToken);
    clients.push(afterRestart);
    // Exactly one: the vote refused while the disk was full was not kept to be saved later.
    expect(voteTotals(afterRestart.doc).get(cardId)).toBe(1);
    record({
      scenario: 'disk full',
      faults: 2,
      survived: true,
      cardsLost: 2 - kept.length,
      duplicates: 0,
      note: 'tmpfs filled, then freed; kill -9 after recovery',
    });
  });
});
