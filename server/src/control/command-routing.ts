/**
 * Where a socket's commands run. On one process, here. In a cluster, on the process that owns the
 * socket's session: it alone checks budgets and writes the session's documents, so a socket on
 * another process has its commands forwarded there (cluster/inbox.ts) and their answers brought
 * back. The owner runs them through the same handlers (commands.ts), one set per person.
 */
import type { Ack } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import { holderOf } from '../auth/connection-limit.js';
import type { Authenticated } from '../auth/plugin.js';
import { TokenBucket } from '../auth/token-bucket.js';
import type { Cluster } from '../cluster/plugin.js';
import { COMMAND_BURST, COMMANDS_PER_SECOND, registerCommands, type SharedBudgets } from './commands.js';

type Listener = (...args: unknown[]) => void;
/** One person's handlers: what `registerCommands` registered, by event. */
type CommandTable = Map<string, Listener>;

/** Answered here, wherever the session is owned: it reads nothing of the session. */
const ANSWERED_ANYWHERE: ReadonlySet<string> = new Set(['clock']);
/** An owner's handlers for a person on another process are dropped after this long unused. */
const TABLE_IDLE_MS = 10 * 60_000;

interface ForwardedCommand {
  principal: Authenticated;
  event: string;
  payload: unknown;
}
type ForwardedAnswer = { ack: unknown } | { moved: true };

const UNAVAILABLE: Ack = {
  ok: false,
  code: 'unavailable',
  error: 'The server could not do this now; try again',
};

const RATE_LIMITED: Ack = { ok: false, code: 'rate-limited', error: 'Too many commands; slow down' };

function commandTable(app: FastifyInstance, principal: Authenticated, shared: SharedBudgets): CommandTable {
  const table: CommandTable = new Map();
  registerCommands(
    app,
    { on: (event, listener) => table.set(event, listener as Listener) },
    principal,
    shared,
  );
  return table;
}

/** Registers the socket's commands: run here, or (in a cluster) where its session is owned. */
export function serveCommands(
  app: FastifyInstance,
  socket: Socket,
  principal: Authenticated,
  shared: SharedBudgets,
): void {
  const table = commandTable(app, principal, shared);
  const { cluster } = app;
  if (!cluster) {
    for (const [event, listener] of table) socket.on(event, listener);
    return;
  }
  // Metered here too: a flood of commands must not reach Redis, whoever owns the session.
  const budget = new TokenBucket(COMMANDS_PER_SECOND, COMMAND_BURST);
  for (const [event, listener] of table) {
    if (ANSWERED_ANYWHERE.has(event)) {
      socket.on(event, listener);
      continue;
    }
    socket.on(event, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (result: unknown) => void;
      if (!budget.take()) return reply(RATE_LIMITED);
      void route(cluster, principal, event, payload).then(
        (answer) => (answer === 'here' ? listener(payload, ack) : reply(answer)),
        () => reply(UNAVAILABLE),
      );
    });
  }
}

/** 'here', or the owner's answer to the forwarded command. */
async function route(
  cluster: Cluster,
  principal: Authenticated,
  event: string,
  payload: unknown,
): Promise<unknown> {
  // A session that changed owners meanwhile is asked of its new owner once.
  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = await cluster.ownership.ownerOf(principal.sessionId);
    if (owner === cluster.processId) return 'here';
    const body: ForwardedCommand = { principal, event, payload };
    const answer = (await cluster.inbox.ask(owner, 'command', body)) as ForwardedAnswer | null;
    if (answer && 'ack' in answer) return answer.ack;
    // Unanswered: the owner may be dead, and its lease is read again on the next try.
    cluster.ownership.forget(principal.sessionId);
    if (!answer) return UNAVAILABLE;
  }
  return UNAVAILABLE;
}

/** The owner's side: runs the commands other processes forward, as their senders' own. */
export function answerForwardedCommands(app: FastifyInstance, cluster: Cluster, shared: SharedBudgets): void {
  const tables = new Map<string, { table: CommandTable; usedAt: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [holder, entry] of tables) if (now - entry.usedAt > TABLE_IDLE_MS) tables.delete(holder);
  }, TABLE_IDLE_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  cluster.inbox.serve('command', async (raw) => {
    const { principal, event, payload } = raw as ForwardedCommand;
    if (!(await cluster.owns(principal.sessionId))) return { moved: true } satisfies ForwardedAnswer;
    const holder = holderOf(principal);
    let entry = tables.get(holder);
    if (!entry) {
      entry = { table: commandTable(app, principal, shared), usedAt: 0 };
      tables.set(holder, entry);
    }
    entry.usedAt = Date.now();
    const listener = entry.table.get(event);
    if (!listener) return { ack: UNAVAILABLE } satisfies ForwardedAnswer;
    const ack = await new Promise<unknown>((resolve) => listener(payload, resolve));
    return { ack } satisfies ForwardedAnswer;
  });
}
