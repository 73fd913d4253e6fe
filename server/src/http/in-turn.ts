/**
 * Writes from one address run a few at a time; the others wait their turn, in order. A burst of
 * hundreds of joins at once from one address otherwise fills every turn of the event loop with
 * its handlers, and every other session's round trip waits behind them (300 joins: 270 ms); in
 * turn, the burst costs the same, spread between everyone else's work.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './access.js';

/** Requests of one address being handled at once, per route kind. */
const AT_ONCE = 4;
/** Requests of one address waiting; beyond it they are refused (the per-minute limit comes first). */
const MAX_WAITING = 1000;

export class TurnsPerAddress {
  private readonly queues = new Map<string, { running: number; waiting: Array<() => void> }>();

  /** preHandler: waits for the address's turn; the turn ends when the reply is sent or the client leaves. */
  readonly takeTurn = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const queue = this.queues.get(request.ip) ?? { running: 0, waiting: [] };
    this.queues.set(request.ip, queue);
    if (queue.running >= AT_ONCE) {
      if (queue.waiting.length >= MAX_WAITING) {
        throw new HttpError(429, 'Too many requests from this address at once. Try again in a minute.');
      }
      await new Promise<void>((resolve) => queue.waiting.push(resolve));
    }
    queue.running++;
    reply.raw.once('close', () => this.next(request.ip, queue));
  };

  private next(address: string, queue: { running: number; waiting: Array<() => void> }): void {
    queue.running--;
    const waiter = queue.waiting.shift();
    if (waiter) waiter();
    else if (queue.running === 0) this.queues.delete(address);
  }
}
