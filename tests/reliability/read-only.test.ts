import { listCards } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { useServerOnLoopDisk } from '../support/loop-disk-server.js';
import { waitFor } from '../support/server.js';
import { cardsAfterHardRestart, writerAndReader } from '../support/writer-and-reader.js';
import { record } from './figures.js';

/**
 * A real ext4 disk that the kernel forces read-only under the running server
 * (as after a disk error), then repaired and mounted again by the "administrator".
 */
const scene = useServerOnLoopDisk();
const clients = scene.clients;

const createSessionReply = (url: string) =>
  fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Írásvédett' }),
  });

describe('a disk that turns read-only under the server', () => {
  it('is reported in the log and on /api/health, refuses writes, and recovers once mounted again', async () => {
    const { disk: mounted, server: running } = await scene.start({ captureLog: true });
    const { session, boardId, control, writer, reader, write, resend } = await writerAndReader(
      running,
      'Írásvédett lemez',
      'Még írható',
    );
    clients.push(writer, reader);

    mounted.breakDisk();
    expect(mounted.writable()).toBe(false);
    // Applied, then refused by the disk: held, and answered as such (the phone will ask again).
    const held = await write('Írásvédett lemezen');
    expect(held.result).toMatchObject({ ok: false, code: 'storage-unavailable', final: false });
    const health = async () => {
      const reply = await fetch(`${running.url}/api/health`);
      return { status: reply.status, body: (await reply.json()) as { ok?: boolean; error?: string } };
    };
    await waitFor(() => running.logText().includes('CANNOT SAVE'), 'the failure in the log');
    expect(running.logText()).toMatch(/CANNOT SAVE: the filesystem of \S+ is read-only/);
    const failing = await health();
    expect(failing.status).toBe(503);
    expect(failing.body.error).toMatch(/Cannot save since .*: the filesystem of .* is read-only/);
    // Not relayed: the other screen does not show an edit the server could not keep.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listCards(reader.doc)).toHaveLength(1);
    const refused = await createSessionReply(running.url);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/cannot save right now/i);

    // The administrator's repair: unmount (possible only because the server let go of its
    // files), e2fsck, mount again. The server notices by itself; no restart.
    await mounted.repair();
    expect(mounted.writable()).toBe(true);
    await waitFor(() => listCards(reader.doc).length === 2, 'the held card, after the repair', 10_000);
    await waitFor(() => running.logText().includes('saving again'), 'the recovery in the log');
    expect((await health()).status).toBe(200);
    // Anna's phone asks again with the same id: applied (stored), and not doubled.
    expect(await resend(held.intent)).toMatchObject({ id: held.intent.id, ok: true });
    expect((await write('Javítás után')).result).toMatchObject({ ok: true });
    await waitFor(() => listCards(reader.doc).length === 3, 'a card after the repair');
    control.close();
    const accepted = await createSessionReply(running.url);
    expect(accepted.status).toBe(201);
    const later = (await accepted.json()) as { sessionId: string; moderatorToken: string };

    // Everything acknowledged is really on the disk: a hard kill and restart keep it.
    const kept = await cardsAfterHardRestart(running, boardId, session.moderatorToken, clients);
    expect(kept).toEqual(['Javítás után', 'Még írható', 'Írásvédett lemezen']);
    const laterSession = await fetch(`${running.url}/api/sessions/${later.sessionId}`, {
      headers: { authorization: `Bearer ${later.moderatorToken}` },
    });
    expect(laterSession.status).toBe(200);
    record({
      scenario: 'disk read-only',
      faults: 1,
      survived: true,
      cardsLost: 3 - kept.length,
      duplicates: kept.length - new Set(kept).size,
      note: 'ext4 forced read-only by the kernel, then e2fsck + mount; no restart',
    });
  });
});
