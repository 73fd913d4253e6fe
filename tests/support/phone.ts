/**
 * A participant's phone as the write API expects it: intents go into an outbox and out over a
 * socket.io connection that reconnects by itself; an intent stays in the outbox, and goes out
 * again with the same id, until it has a final answer (applied, or refused for good). A lost
 * acknowledgement (a cut link, a killed server) is therefore resent, and only the server's replay
 * answer keeps it from being applied twice.
 */
import { type Ack, type Intent, type IntentResult, isFinalIntentError } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { waitFor } from './server.js';

const BATCH = 50;
const ACK_TIMEOUT_MS = 3000;
const RETRY_DELAY_MS = 150;

/** An intent's final answer: its own result, or the refusal of the whole batch it went in. */
export type Answer = IntentResult | { id: string; ok: false; code: string; error: string; final: true };

export interface Phone {
  readonly socket: Socket;
  /** Queues intents behind the ones waiting; they go out in order whenever the phone is online. */
  add(...intents: Intent[]): void;
  /** The final answer of each intent that has one. */
  readonly answers: ReadonlyMap<string, Answer>;
  /** Intents still waiting for a final answer. */
  pending(): Intent[];
  /** How many times an intent went out again (no answer, or a retryable one). */
  readonly resent: number;
  /** Resolves once every queued intent has its final answer. */
  settled(timeoutMs?: number): Promise<void>;
  /** Stops connecting (the phone is switched off or out of coverage for good); the outbox is kept. */
  offline(): void;
  /** Connects again and sends what waits. */
  online(): void;
  close(): void;
}

export function connectPhone(url: string, token: string, boardId: string): Phone {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  const outbox: Intent[] = [];
  const answers = new Map<string, Answer>();
  const sentOnce = new Set<string>();
  let resent = 0;
  let pumping = false;
  let closed = false;

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const settle = (result: Answer) => {
    answers.set(result.id, result);
    const at = outbox.findIndex((queued) => queued.id === result.id);
    if (at >= 0) outbox.splice(at, 1);
  };

  const send = async (batch: Intent[]) => {
    for (const queued of batch) {
      if (sentOnce.has(queued.id)) resent++;
      sentOnce.add(queued.id);
    }
    try {
      const ack: Ack<{ results: IntentResult[] }> = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('intents', { boardId, intents: batch });
      if (!ack.ok) {
        // The whole batch refused: a passing refusal is tried again, any other is its final answer.
        if (isFinalIntentError(ack.code)) {
          for (const queued of batch) {
            settle({ id: queued.id, ok: false, code: ack.code, error: ack.error, final: true });
          }
        } else await sleep(RETRY_DELAY_MS);
        return;
      }
      let retry = false;
      for (const result of ack.results) {
        if (result.ok || result.final) settle(result);
        else retry = true;
      }
      if (retry) await sleep(RETRY_DELAY_MS);
    } catch {
      // No answer (timeout or disconnect): the intents stay and go out again with the same ids.
    }
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (!closed && outbox.length > 0) {
        if (!socket.connected) {
          await sleep(20);
          continue;
        }
        await send(outbox.slice(0, BATCH));
      }
    } finally {
      pumping = false;
    }
  };
  socket.on('connect', () => void pump());

  return {
    socket,
    add(...intents) {
      outbox.push(...intents);
      void pump();
    },
    answers,
    pending: () => [...outbox],
    get resent() {
      return resent;
    },
    async settled(timeoutMs = 20_000) {
      await waitFor(() => outbox.length === 0, `the outbox to empty (${outbox.length} waiting)`, timeoutMs);
    },
    offline() {
      socket.disconnect();
    },
    online() {
      socket.connect();
    },
    close() {
      closed = true;
      socket.disconnect();
    },
  };
}
