/**
 * Requests between processes, through one Redis Stream per process (its inbox): a process that
 * does not own a session sends its clients' commands and HTTP requests for it to the owner, and
 * the answer comes back to its own inbox. A request nobody answers in time (the owner died) is
 * answered `null`: the caller refuses it as unavailable, and the device asks again with the same
 * intent ids, which the new owner finds stored if they were applied.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { FORWARD_TIMEOUT_MS, INBOX_LENGTH, inboxKey, OWNER_CHECK_MS, STREAM_IDLE_MS } from './keys.js';
import type { StreamReader } from './stream-reader.js';

/**
 * What one process asks another: a control-plane command (control/command-routing.ts) or an HTTP
 * request (http/owner-routing.ts), with its body as the asker sent it.
 */
export type RequestKind = 'command' | 'http';
type Envelope =
  | { type: 'request'; id: string; from: string; kind: RequestKind; body: unknown }
  | { type: 'answer'; id: string; answer: unknown };

export type RequestHandler = (body: unknown) => Promise<unknown>;

export class Inbox {
  /** Requests waiting for their answer: whom they asked, and how to settle them. */
  private readonly waiting = new Map<string, { asked: string; settle: (answer: unknown) => void }>();
  private readonly handlers = new Map<RequestKind, RequestHandler>();
  /** Gives up the requests to processes that stopped running (one read for all of them). */
  private readonly check: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly reader: StreamReader,
    private readonly processId: string,
    private readonly log: FastifyBaseLogger,
    /** Which of the processes still run (ownership.ts). */
    running: (processIds: string[]) => Promise<Set<string>>,
  ) {
    this.check = setInterval(() => {
      if (this.waiting.size === 0) return;
      const asked = [...new Set([...this.waiting.values()].map((request) => request.asked))];
      void running(asked).then((alive) => {
        for (const request of [...this.waiting.values()]) if (!alive.has(request.asked)) request.settle(null);
      });
    }, OWNER_CHECK_MS);
    this.check.unref();
    // The inbox is new with the process (its id is): everything in it is for this process.
    reader.follow(inboxKey(processId), '0-0', (entry) => {
      const raw = entry.fields.get('m');
      if (raw) void this.receive(JSON.parse(raw.toString('utf8')) as Envelope);
    });
  }

  /** Answers the requests of one kind from other processes. */
  serve(kind: RequestKind, handler: RequestHandler): void {
    this.handlers.set(kind, handler);
  }

  /**
   * Asks `processId`; resolves with its answer, or null if none came in time, Redis refused, or
   * the process stopped running meanwhile (its lease lapsed: it died).
   */
  async ask(processId: string, kind: RequestKind, body: unknown): Promise<unknown> {
    const id = randomUUID();
    const answered = new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => settle(null), FORWARD_TIMEOUT_MS);
      const settle = (answer: unknown) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(answer);
      };
      this.waiting.set(id, { asked: processId, settle });
    });
    try {
      await this.send(processId, { type: 'request', id, from: this.processId, kind, body });
    } catch (error) {
      this.log.warn({ err: error }, 'could not forward a request (Redis)');
      this.waiting.get(id)?.settle(null);
    }
    return answered;
  }

  close(): void {
    this.reader.unfollow(inboxKey(this.processId));
    clearInterval(this.check);
    for (const { settle } of [...this.waiting.values()]) settle(null);
    this.waiting.clear();
  }

  private async receive(envelope: Envelope): Promise<void> {
    if (envelope.type === 'answer') return this.waiting.get(envelope.id)?.settle(envelope.answer);
    const handler = this.handlers.get(envelope.kind);
    if (!handler) return;
    const answer = await handler(envelope.body).catch((error: unknown) => {
      this.log.error({ err: error }, 'a forwarded request failed');
      return null;
    });
    await this.send(envelope.from, { type: 'answer', id: envelope.id, answer }).catch((error: unknown) =>
      this.log.warn({ err: error }, 'could not answer a forwarded request (Redis)'),
    );
  }

  private async send(processId: string, envelope: Envelope): Promise<void> {
    const key = inboxKey(processId);
    const [[error] = [null]] =
      (await this.redis
        .pipeline()
        .xadd(key, 'MAXLEN', '~', INBOX_LENGTH, '*', 'm', JSON.stringify(envelope))
        .pexpire(key, STREAM_IDLE_MS)
        .exec()) ?? [];
    if (error) throw error;
  }
}
