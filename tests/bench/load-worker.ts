/**
 * One load-generator process of `pnpm bench`: simulated participants (stock y-websocket or
 * Hocuspocus clients, wire clients and socket.io control connections) driven by the coordinator over IPC
 * (lib/protocol.ts). Edits are timed by their Yjs ids (lib/edit-timing.ts).
 */
import { createHash } from 'node:crypto';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { addCard, listCards, moveCard } from '@kaptar/board';
import type { JoinReply } from '@kaptar/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { postJsonFrom } from './lib/addresses.js';
import { type ControlSocket, castVote, openControl } from './lib/control.js';
import { type Dialect, framingOf } from './lib/dialects.js';
import { nextEdit, TimedRanges, updateOfMessage } from './lib/edit-timing.js';
import type {
  BoardDigest,
  FromWorker,
  PlannedVote,
  ScheduledJoin,
  SimulatedPerson,
  ToWorker,
} from './lib/protocol.js';
import { WireClient } from './lib/wire-client.js';

interface Client {
  person: SimulatedPerson;
  /** The stock client's whole board, or the wire client's own cards. */
  doc: Y.Doc;
  synced: Promise<void>;
  close(): void;
  control?: ControlSocket;
  ownCard?: string;
}

/** How long the end of a run waits for edits still on their way. */
const SETTLE_LIMIT_MS = 30_000;
const clients: Client[] = [];
const arrived = new TimedRanges();
let recording = false;
// Every provider adds an exit listener; hundreds per process are expected here.
process.setMaxListeners(0);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reply(message: FromWorker): void {
  process.send?.(message);
}

let lastArrival = 0;

/**
 * Notes when others' edits reached this client's socket. Some relays echo an edit to its
 * sender too (the reference relay does): that is not a delivery to another participant.
 */
function arrivalNoter(doc: Y.Doc, unwrap = (data: Uint8Array): Uint8Array | undefined => data) {
  return (data: Uint8Array) => {
    if (!recording) return;
    const message = unwrap(data);
    if (message === undefined) return;
    const update = updateOfMessage(message);
    if (update === undefined) return;
    lastArrival = now();
    arrived.noteUpdate(update, doc.clientID, lastArrival);
  };
}

/** ws's WebSocket bound to one local address and noting arrivals, shaped like the browser's. */
function webSocketFrom(
  address: string,
  onMessage: (message: Uint8Array) => void,
): typeof globalThis.WebSocket {
  class BoundWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress: address });
      // y-websocket switches the socket to ArrayBuffers.
      this.on('message', (data: ArrayBuffer | Buffer) => onMessage(new Uint8Array(data)));
    }
  }
  // ws's WebSocket is API-compatible with the browser's for everything y-websocket uses.
  return BoundWebSocket as unknown as typeof globalThis.WebSocket;
}

/** Resolves when `subscribe` reports the board's first sync; fails after a minute. */
function firstSync(subscribe: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('board did not sync')), 60_000);
    subscribe(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Hocuspocus's own provider, as an app built on Hocuspocus would use it. */
function stockHocuspocusClient(url: string, person: SimulatedPerson): Client {
  const doc = new Y.Doc();
  const { unwrap } = framingOf('hocuspocus', person.boardId);
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: webSocketFrom(person.address, arrivalNoter(doc, unwrap)),
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: person.boardId, document: doc });
  // A provider given its socket does not attach itself.
  provider.attach();
  const synced = firstSync((done) => provider.on('synced', done));
  return {
    person,
    doc,
    synced,
    close() {
      provider.destroy();
      socket.destroy();
    },
  };
}

function stockClient(yjsUrl: string, person: SimulatedPerson): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(yjsUrl, person.boardId, doc, {
    params: person.token ? { token: person.token } : {},
    WebSocketPolyfill: webSocketFrom(person.address, arrivalNoter(doc)),
    // Node has BroadcastChannel: clients in one process must not sync around the server.
    disableBc: true,
  });
  const synced = firstSync((done) => provider.once('sync', done));
  return { person, doc, synced, close: () => provider.destroy() };
}

function wireClient(yjsUrl: string, dialect: Dialect, person: SimulatedPerson): Client {
  const query = person.token ? `?token=${encodeURIComponent(person.token)}` : '';
  const doc = new Y.Doc();
  // Hocuspocus names the board in every message; y-websocket in the address.
  const url = dialect === 'hocuspocus' ? yjsUrl : `${yjsUrl}/${person.boardId}${query}`;
  const client = new WireClient(
    url,
    person.address,
    doc,
    framingOf(dialect, person.boardId),
    arrivalNoter(doc),
  );
  return { person, doc, synced: client.synced, close: () => client.close() };
}

function clientFor(yjsUrl: string, dialect: Dialect, person: SimulatedPerson): Client {
  if (!person.stock) return wireClient(yjsUrl, dialect, person);
  return dialect === 'hocuspocus' ? stockHocuspocusClient(yjsUrl, person) : stockClient(yjsUrl, person);
}

async function open(
  yjsUrl: string,
  dialect: Dialect,
  serverUrl: string | undefined,
  person: SimulatedPerson,
): Promise<Client> {
  const client = clientFor(yjsUrl, dialect, person);
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
  serverUrl: string | undefined,
  people: SimulatedPerson[],
) {
  const failures: string[] = [];
  await Promise.all(
    people.map((person) =>
      open(yjsUrl, dialect, serverUrl, person).catch((error) =>
        failures.push(`${person.participantId}: ${error}`),
      ),
    ),
  );
  reply({ type: 'connected', failures });
}

const actor = (client: Client) => ({
  participantId: client.person.participantId,
  role: 'participant' as const,
});

function digestOf(client: Client): BoardDigest {
  const cards = listCards(client.doc);
  const hash = createHash('sha256');
  for (const card of cards.sort((a, b) => a.id.localeCompare(b.id)))
    hash.update(`${card.id}:${card.x}:${card.y};`);
  return { boardId: client.person.boardId, cards: cards.length, digest: hash.digest('hex') };
}

/**
 * Each client adds a card (share `addShare`) or moves its own, once per interval, for
 * `warmupMs` unmeasured and then `durationMs` measured.
 */
async function edit(warmupMs: number, durationMs: number, intervalMs: number, addShare: number) {
  const made = new TimedRanges();
  const measureFrom = Date.now() + warmupMs;
  const end = measureFrom + durationMs;
  const startRecording = setTimeout(() => {
    recording = true;
  }, warmupMs);
  await Promise.all(
    clients.map(async (client) => {
      await sleep(Math.random() * intervalMs);
      for (let n = 0; Date.now() < end; n++) {
        const edit = nextEdit(client.doc);
        if (Date.now() >= measureFrom) made.note(edit.client, edit.clock, edit.clock + 1, now());
        if (!client.ownCard || Math.random() < addShare) {
          const card = { kind: 'problem' as const, text: 'mérés', site: 'bench', x: n, y: 0 };
          client.ownCard = addCard(client.doc, actor(client), card).id;
        } else {
          moveCard(client.doc, actor(client), client.ownCard, n, n);
        }
        await sleep(intervalMs);
      }
    }),
  );
  // The last edits are still on their way: wait until nothing has arrived for a second.
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  while (now() - lastArrival < 1000 && Date.now() < giveUpAt) await sleep(100);
  clearTimeout(startRecording);
  recording = false;
  reply({
    type: 'edited',
    made: made.take(),
    arrived: arrived.take(),
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
        await open(yjsUrl, 'y-websocket', serverUrl, {
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
      return void connect(message.yjsUrl, message.dialect, message.serverUrl, message.people);
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
