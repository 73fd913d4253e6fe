/**
 * One load-generator process of `pnpm bench`: simulated participants (stock y-websocket or
 * Hocuspocus clients, wire clients and socket.io control connections) driven by the coordinator
 * over IPC (lib/protocol.ts). Edits go the way the server takes them (lib/edit-writers.ts) and
 * are timed by their Yjs ids (lib/edit-timing.ts).
 */
import { createHash } from 'node:crypto';
import { listCards } from '@kaptar/board';
import type { JoinReply } from '@kaptar/protocol';
import { postJsonFrom } from './lib/addresses.js';
import { castVote, openControl } from './lib/control.js';
import type { Dialect } from './lib/dialects.js';
import { type ArrivalReading, TimedRanges, updateOfMessage } from './lib/edit-timing.js';
import { type EditWriter, editWriters } from './lib/edit-writers.js';
import type {
  BoardDigest,
  FromWorker,
  PlacedPerson,
  PlannedVote,
  ScheduledJoin,
  ToWorker,
  WritePath,
} from './lib/protocol.js';
import { openBoard, type SimClient } from './lib/sim-clients.js';

/** How long the end of a run waits for edits still on their way. */
const SETTLE_LIMIT_MS = 30_000;
/** How much earlier than the measured edits arrivals are noted (see `edit`). */
const RECORD_AHEAD_MS = 500;
const clients: SimClient[] = [];
const arrived = new TimedRanges();
let recording = false;
/** How this process's clients write: set by `connect`, the same for all of them. */
let writePath: WritePath = 'yjs';
let write: EditWriter = editWriters.yjs;
// Every provider adds an exit listener; hundreds per process are expected here.
process.setMaxListeners(0);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reply(message: FromWorker): void {
  process.send?.(message);
}

let lastArrival = 0;

/**
 * Notes when edits reached a client's socket (the receiver's own ones are told apart by the
 * coordinator, or skipped here when they carry its client id: see edit-timing.ts).
 */
function noteArrival(message: Uint8Array, reading: ArrivalReading): void {
  if (!recording) return;
  const update = updateOfMessage(message);
  if (update === undefined) return;
  lastArrival = now();
  arrived.noteUpdate(update, reading, lastArrival);
}

async function open(
  yjsUrl: string,
  dialect: Dialect,
  writes: WritePath,
  serverUrl: string | undefined,
  person: PlacedPerson,
): Promise<SimClient> {
  const client = openBoard({ yjsUrl, dialect, writes, person, onArrival: noteArrival });
  clients.push(client);
  const control =
    person.control && serverUrl && person.token
      ? openControl(serverUrl, person.token, person.address)
      : undefined;
  const [socket] = await Promise.all([control, client.synced]);
  client.control = socket;
  return client;
}

async function connect(
  yjsUrl: string,
  dialect: Dialect,
  writes: WritePath,
  serverUrl: string | undefined,
  people: PlacedPerson[],
) {
  writePath = writes;
  write = editWriters[writes];
  const failures: string[] = [];
  await Promise.all(
    people.map((person) =>
      open(yjsUrl, dialect, writes, serverUrl, person).catch((error) =>
        failures.push(`${person.participantId}: ${error}`),
      ),
    ),
  );
  reply({ type: 'connected', failures });
}

function digestOf(client: SimClient): BoardDigest {
  const cards = listCards(client.doc);
  const hash = createHash('sha256');
  for (const card of cards.sort((a, b) => a.id.localeCompare(b.id)))
    hash.update(`${card.id}:${card.x}:${card.y};`);
  return { boardId: client.person.boardId, cards: cards.length, digest: hash.digest('hex') };
}

/**
 * Each client adds a card (share `addShare`) or moves its own, once per interval, for
 * `warmupMs` unmeasured and then `durationMs` measured. An edit's time is when it is sent; an
 * intent's id comes with its ack, which the loop does not wait for (a phone does not either).
 */
async function edit(warmupMs: number, durationMs: number, intervalMs: number, addShare: number) {
  const made = new TimedRanges();
  const refused: string[] = [];
  const acks: number[] = [];
  const answers: Array<Promise<void>> = [];
  let sent = 0;
  const measureFrom = Date.now() + warmupMs;
  const end = measureFrom + durationMs;
  // Receivers start noting a little before edits are measured: each process starts its clock
  // when its command arrives, so another's first measured edit may reach this one a moment
  // before its own warm-up ends. Arrivals of unmeasured edits join nothing.
  const startRecording = setTimeout(
    () => {
      recording = true;
    },
    Math.max(0, warmupMs - RECORD_AHEAD_MS),
  );
  await Promise.all(
    clients.map(async (client) => {
      await sleep(Math.random() * intervalMs);
      for (let n = 0; Date.now() < end; n++) {
        const measured = Date.now() >= measureFrom;
        const sentAt = now();
        const outcome = write(client, n, Math.random() < addShare);
        if (measured) {
          sent++;
          answers.push(
            outcome.then((id) => {
              if ('refused' in id) refused.push(id.refused);
              else made.noteEdit(id, sentAt, client.person.key);
              if (writePath === 'intents') acks.push(now() - sentAt);
            }),
          );
        }
        await sleep(intervalMs);
      }
    }),
  );
  await Promise.all(answers);
  // The last edits are still on their way: wait until nothing has arrived for a second.
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  while (now() - lastArrival < 1000 && Date.now() < giveUpAt) await sleep(100);
  clearTimeout(startRecording);
  recording = false;
  reply({
    type: 'edited',
    sent,
    made: made.take(),
    arrived: arrived.take(),
    refused,
    acks: Float64Array.from(acks),
    boards: clients.filter((c) => c.person.stock).map(digestOf),
  });
}

async function join(serverUrl: string, yjsUrl: string, joinCode: string, joins: ScheduledJoin[]) {
  const times: number[] = [];
  const failures: string[] = [];
  await Promise.all(
    joins.map(async (planned) => {
      await sleep(planned.atMs);
      const startedAt = now();
      try {
        const { status, body } = await postJsonFrom<JoinReply>(
          `${serverUrl}/api/join`,
          { joinCode, name: planned.name, site: planned.site },
          planned.address,
        );
        if (status !== 200) throw new Error(`join answered ${status}`);
        // A phone opens the board and the control plane at once, as the client does.
        // Kaptár's board, read-only; key -1: a joining phone makes no timed edits.
        await open(yjsUrl, 'y-websocket', 'intents', serverUrl, {
          key: -1,
          participantId: body.participantId,
          boardId: body.boards[0]?.id ?? '',
          address: planned.address,
          token: body.participantToken,
          control: true,
          stock: true,
        });
        times.push(now() - startedAt);
      } catch (error) {
        failures.push(`${planned.name}: ${String(error)}`);
      }
    }),
  );
  reply({ type: 'joined', latencies: Float64Array.from(times), failures });
}

async function vote(votes: PlannedVote[]): Promise<void> {
  const times: number[] = [];
  const refused: string[] = [];
  await Promise.all(
    votes.map(async (planned) => {
      const client = clients[planned.person];
      if (!client?.control) return refused.push('no control connection');
      await sleep(planned.atMs);
      const startedAt = now();
      try {
        const ack = await castVote(client.control, {
          boardId: client.person.boardId,
          cardId: planned.cardId,
          delta: 1,
        });
        if (ack.ok) times.push(now() - startedAt);
        else refused.push(String(ack.code));
      } catch (error) {
        refused.push(String(error));
      }
    }),
  );
  reply({ type: 'voted', latencies: Float64Array.from(times), refused });
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'connect':
      return void connect(message.yjsUrl, message.dialect, message.writes, message.serverUrl, message.people);
    case 'edit':
      return void edit(message.warmupMs, message.durationMs, message.intervalMs, message.addShare);
    case 'join':
      return void join(message.serverUrl, message.yjsUrl, message.joinCode, message.joins);
    case 'vote':
      return void vote(message.votes);
    case 'close':
      for (const client of clients) {
        client.close();
        client.control?.disconnect();
      }
      return process.exit(0);
  }
});
reply({ type: 'started' });
