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
    const { session, boardId, anna, control, writer, reader, write, resend } = await writerAndReader(
      running,
      'Tele a lemez',
      'Még van hely',
    );
    clients.push(writer, reader);
    controls.push(control);
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
    // The first card after the disk filled up is applied, then its save fails: it is held, and
    // the answer says so (it passes: the phone keeps the intent and asks again).
    const held = await write('Tele a lemez');
    expect(held.result).toMatchObject({ ok: false, code: 'storage-unavailable', final: false });
    const health = async () => {
      const reply = await fetch(`${running.url}/api/health`);
      return { status: reply.status, body: (await reply.json()) as { ok?: boolean; error?: string } };
    };
    // The server retries every second; give it a retry to fail.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const failing = await health();
    expect(failing.status).toBe(503);
    expect(failing.body.error).toMatch(/Cannot save since .*full/i);
    // Not relayed: the other screen does not show an edit the server could not keep.
    expect(listCards(reader.doc)).toHaveLength(1);
    // While the disk is known to be full, an intent is refused at once, without being applied.
    const meanwhile = await write('Közben');
    expect(meanwhile.result).toMatchObject({ ok: false, code: 'storage-unavailable', final: false });
    expect(await resend(held.intent)).toMatchObject({ ok: false, code: 'storage-unavailable' });
    const refused = await fetch(`${running.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Új műhely' }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/cannot save right now/i);
    // A vote is acknowledged only once saved: now it is refused, and not applied (checked below).
    expect(await vote()).toMatchObject({ ok: false, code: 'storage-unavailable' });

    // Space returns: the held card is saved and relayed without being sent again; health is green.
    fs.rmSync(filler);
    await waitFor(() => listCards(reader.doc).length === 2, 'the held card, after recovery', 10_000);
    expect((await health()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listCards(reader.doc).map((card) => card.text)).not.toContain('Közben');
    // Anna's phone sends both again with their ids: the held one is answered as applied, and not
    // doubled; the refused one is applied now.
    expect(await resend(held.intent)).toMatchObject({ id: held.intent.id, ok: true });
    expect(await resend(meanwhile.intent)).toMatchObject({ id: meanwhile.intent.id, ok: true });
    await waitFor(() => listCards(reader.doc).length === 3, 'the card sent again');
    expect(await vote()).toMatchObject({ ok: true });
    await waitFor(() => votesSeen() === 1, 'the vote, once the disk takes writes');

    // And it really is on disk: a hard kill and restart keep it.
    const kept = await cardsAfterHardRestart(running, boardId, session.moderatorToken, clients);
    expect(kept).toEqual(['Közben', 'Még van hely', 'Tele a lemez']);
    const afterRestart = await connectSynced(running.wsUrl, boardId, session.moderatorToken);
    clients.push(afterRestart);
    // Exactly one: the vote refused while the disk was full was not kept to be saved later.
    expect(voteTotals(afterRestart.doc).get(cardId)).toBe(1);
    record({
      scenario: 'disk full',
      faults: 2,
      survived: true,
      cardsLost: 3 - kept.length,
      duplicates: kept.length - new Set(kept).size,
      note: 'tmpfs filled, then freed; intents held or refused, then resent; kill -9 after recovery',
    });
  });
});
