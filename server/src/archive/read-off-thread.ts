/**
 * Reads uploaded archives on a worker thread (archive-reader.ts), one at a time, within a time
 * and memory budget: a hostile file can make its own reading slow or fail, never the sessions
 * this process serves meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/access.js';
import type { ReadReply, ReadRequest } from './archive-reader.js';
import type { ArchiveFreshIds, ImportWithoutCode } from './session-archive.js';
import { movableBuffers } from './transfer.js';

export interface ArchiveReaderLimits {
  /** Longest a reading may take; then the worker is stopped and the archive refused. */
  timeoutMs: number;
  /** Heap the worker may use (V8's old generation); beyond it the archive is refused. */
  maxHeapMb: number;
  /** Uploads being received, waiting or read at once; one more is told to try again (503). */
  maxWaiting: number;
}

export const ARCHIVE_READER_LIMITS: ArchiveReaderLimits = {
  timeoutMs: 60_000,
  maxHeapMb: 768,
  maxWaiting: 4,
};

/**
 * Run from the sources (tests, `pnpm dev`), the worker is a .ts file and needs tsx's loader in its
 * own thread; built, it is the bundle's archive-reader.js beside this module's chunk.
 */
function startWorker(maxHeapMb: number): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = new URL(fromSources ? './archive-reader.ts' : './archive-reader.js', import.meta.url);
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  const worker = fromSources
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`,
        { eval: true, resourceLimits },
      )
    : new Worker(file, { resourceLimits });
  // An idle reader never keeps the process alive.
  worker.unref();
  return worker;
}

export class ArchiveReader {
  private worker: Worker | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly limits: ArchiveReaderLimits = ARCHIVE_READER_LIMITS) {}

  /**
   * onRequest of the import: a place in the queue, taken before the body is read and held until
   * the reply is done, so that at most `maxWaiting` uploads are buffered at once; a 503 when the
   * queue is full.
   */
  readonly holdPlace = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.waiting >= this.limits.maxWaiting) {
      throw new HttpError(503, 'Other archives are being read right now. Try again in a minute.');
    }
    this.waiting++;
    reply.raw.once('close', () => {
      this.waiting--;
    });
  };

  /**
   * The archive in `body`, checked and rebuilt, read after those before it (its request holds a
   * place: `holdPlace`); an HttpError (400) when it cannot be.
   */
  read(body: Uint8Array, fresh: ArchiveFreshIds): Promise<ImportWithoutCode> {
    const reading = this.turn.then(() => this.readNow({ body, fresh }));
    this.turn = reading.catch(() => undefined);
    return reading;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private readNow(request: ReadRequest): Promise<ImportWithoutCode> {
    this.worker ??= startWorker(this.limits.maxHeapMb);
    const worker = this.worker;
    return new Promise<ImportWithoutCode>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (error: Error) => {
        settle();
        // A worker that ran out of time or memory, or died, is not reused.
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new HttpError(
              400,
              `Invalid archive: reading it took longer than ${this.limits.timeoutMs / 1000} s`,
            ),
          ),
        this.limits.timeoutMs,
      );
      const onMessage = (reply: ReadReply) => {
        settle();
        if (reply.ok) resolve(reply.imported);
        else reject(new HttpError(400, `Invalid archive: ${reply.error}`));
      };
      const onError = (error: Error & { code?: string }) =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new HttpError(
                400,
                `Invalid archive: reading it needs more than ${this.limits.maxHeapMb} MB of memory`,
              )
            : error,
        );
      const onExit = (code: number) => fail(new Error(`the archive reader stopped (exit code ${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // The body moves to the worker instead of being copied.
      worker.postMessage(request, movableBuffers([request.body]));
    });
  }
}
