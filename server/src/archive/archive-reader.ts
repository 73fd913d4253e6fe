/**
 * The worker thread that reads an uploaded archive: JSON.parse of up to 50 MiB, the schema check
 * and the rebuild of every board state from its typed contents are each one long synchronous
 * piece of work; here they hold this thread only, never the one serving the workshops.
 * See read-off-thread.ts for the side that starts it.
 */
import { parentPort } from 'node:worker_threads';
import { SessionArchive, SessionArchiveV1 } from '@kaptar/protocol';
import { Value } from '@sinclair/typebox/value';
import { ArchiveError, type ArchiveFreshIds, importArchive } from './session-archive.js';
import { movableBuffers } from './transfer.js';

export interface ReadRequest {
  body: Uint8Array;
  fresh: ArchiveFreshIds;
}

export type ReadReply =
  | { ok: true; imported: ReturnType<typeof importArchive> }
  | { ok: false; error: string };

/** The checked archive, or an ArchiveError saying where the file breaks the format. */
function parseArchive(body: Uint8Array): SessionArchive | SessionArchiveV1 {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new ArchiveError(`not JSON (${(error as Error).message})`);
  }
  // Checked against its own version's format, so that an error names the field, not the union.
  const version = (parsed as { version?: unknown } | null)?.version;
  const format = version === 1 ? SessionArchiveV1 : SessionArchive;
  const first = Value.Errors(format, parsed).First();
  if (first) throw new ArchiveError(`${first.path || '/'} ${first.message}`);
  return parsed as SessionArchive | SessionArchiveV1;
}

function read({ body, fresh }: ReadRequest): ReadReply {
  try {
    return { ok: true, imported: importArchive(parseArchive(body), fresh) };
  } catch (error) {
    if (error instanceof ArchiveError) return { ok: false, error: error.message };
    throw error;
  }
}

parentPort?.on('message', (request: ReadRequest) => {
  const reply = read(request);
  // The rebuilt states move to the main thread instead of being copied.
  const states = reply.ok
    ? [...reply.imported.boards, ...reply.imported.snapshots].map(({ state }) => state)
    : [];
  parentPort?.postMessage(reply, movableBuffers(states));
});
