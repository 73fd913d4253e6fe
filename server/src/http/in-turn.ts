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

interface Queue {
  running: number;
  /** Each waiter is handed a turn (the count of running ones stays as it is). */
  waiting: Array<() => void>;
}

/** A client that left: its request is not handled (its turn, if it had one, is handed on). */
class ClientLeftError extends HttpError {
  constructor() {
    super(499, 'The client closed the connection.');
  }
}

export class TurnsPerAddress {
  private readonly queues = new Map<string, Queue>();

  /** preHandler: waits for the address's turn; the turn ends when the reply is sent or the client leaves. */
  readonly takeTurn = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const address = request.ip;
    let queue = this.queues.get(address);
    if (!queue) {
      queue = { running: 0, waiting: [] };
      this.queues.set(address, queue);
    }
    if (queue.running < AT_ONCE) {
      queue.running++;
    } else {
      if (queue.waiting.length >= MAX_WAITING) {
        throw new HttpError(429, 'Too many requests from this address at once. Try again in a minute.');
      }
      const waiting = queue;
      await new Promise<void>((resolve, reject) => {
        // A client that leaves while waiting gives up its place: nobody would read the answer.
        const left = () => {
          const index = waiting.waiting.indexOf(admit);
          if (index >= 0) waiting.waiting.splice(index, 1);
          reject(new ClientLeftError());
        };
        const admit = () => {
          reply.raw.off('close', left);
          resolve();
        };
        reply.raw.once('close', left);
        waiting.waiting.push(admit);
      });
    }
    // The turn is this request's now; it is handed on when its reply is done or its client leaves.
    const taken = queue;
    if (reply.raw.destroyed) {
      this.handOn(address, taken);
      throw new ClientLeftError();
    }
    reply.raw.once('close', () => this.handOn(address, taken));
  };

  private handOn(address: string, queue: Queue): void {
    const next = queue.waiting.shift();
    if (next) {
      next();
      return;
    }
    queue.running--;
    if (queue.running === 0 && this.queues.get(address) === queue) this.queues.delete(address);
  }
}
