/**
 * The PostgreSQL server stops under a running Kaptár (a restart for an upgrade, a failover of a
 * managed database) and comes back. The SQLite file's counterparts are disk-full and read-only.
 */
import { listCards } from '@kaptar/board';
import type { IntentResult } from '@kaptar/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { storageEngines } from '../support/engines.js';
import { addCardIntent } from '../support/intents.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { waitFor } from '../support/server.js';
import { cardsAfterHardRestart, writerAndReader } from '../support/writer-and-reader.js';
import type { BoardClient } from '../support/yjs-client.js';
import { record } from './figures.js';

const postgres = storageEngines().find((engine) => engine.name === 'PostgreSQL');
if (!postgres) throw new Error('no PostgreSQL engine among the test engines');

let server: ServerProcess | undefined;
const clients: BoardClient[] = [];
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.kill('SIGTERM');
  await postgres.done();
});

const health = async (url: string) => {
  const reply = await fetch(`${url}/api/health`);
  return { status: reply.status, body: (await reply.json()) as { ok?: boolean; error?: string } };
};

describe.skipIf(postgres.skip !== null)('a PostgreSQL server that stops and starts again', () => {
  it('is reported in the log and on /api/health, holds edits, refuses new sessions, and recovers without a restart', async () => {
    server = await startServerProcess({ databaseUrl: await postgres.database(), captureLog: true });
    const running = server;
    const database = await postgres.server();
    if (!database) throw new Error('PostgreSQL did not start');
    const { session, boardId, control, writer, reader, write, resend } = await writerAndReader(
      running,
      'Leállt adatbázis',
      'Még megy',
    );
    clients.push(writer, reader);

    await database.stop();
    // Refused at once when the server already knows (its pool saw the connections go), or applied
    // and held when the append is what finds out: either way answered as passing, never as saved.
    const held = addCardIntent('Adatbázis nélkül');
    const answer = await control.ask('intents', { boardId, intents: [held] });
    const result = answer.ok ? (answer.results as IntentResult[])[0] : answer;
    expect(result).toMatchObject({ ok: false, code: 'storage-unavailable' });
    if (answer.ok) expect(result).toMatchObject({ final: false });
    await waitFor(() => running.logText().includes('CANNOT SAVE'), 'the failure in the log');
    expect(running.logText()).toMatch(/CANNOT SAVE: PostgreSQL at 127\.0\.0\.1:\d+\/\S+ /);
    const failing = await health(running.url);
    expect(failing.status).toBe(503);
    expect(failing.body.error).toMatch(/Cannot save since .*PostgreSQL at 127\.0\.0\.1/);
    // Not relayed: the other screen does not show an edit the server could not keep.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listCards(reader.doc)).toHaveLength(1);
    const refused = await fetch(`${running.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Új műhely' }),
    });
    expect(refused.status).toBe(503);

    // The database returns; Kaptár notices by itself (no restart) and saves what it held.
    const stoppedFor = Date.now();
    await database.start();
    await waitFor(() => running.logText().includes('saving again'), 'the recovery in the log', 15_000);
    const recoveredMs = Date.now() - stoppedFor;
    expect((await health(running.url)).status).toBe(200);
    // Anna's phone asks again with the same id: saved once (the held change, or applied now).
    expect(await resend(held)).toMatchObject({ id: held.id, ok: true });
    expect(await resend(held)).toMatchObject({ id: held.id, ok: true });
    await waitFor(() => listCards(reader.doc).length === 2, 'the card, once the database is back');
    expect((await write('Újra megy')).result).toMatchObject({ ok: true });
    await waitFor(() => listCards(reader.doc).length === 3, 'a card after the recovery');
    control.close();

    // Everything acknowledged is in the database: a hard kill of Kaptár and a restart keep it.
    const kept = await cardsAfterHardRestart(running, boardId, session.moderatorToken, clients);
    expect(kept).toEqual(['Adatbázis nélkül', 'Még megy', 'Újra megy']);
    record({
      scenario: 'PostgreSQL stopped and started',
      faults: 1,
      survived: true,
      cardsLost: 3 - kept.length,
      duplicates: 0,
      note: `saving again ${recoveredMs} ms after the database was started again, without a restart; the card refused or held meanwhile saved once`,
    });
  });
});
