/** A socket.io control connection from one loopback address, as a phone's (lib/addresses.ts). */
import { newId } from '@kaptar/board';
import {
  type Ack,
  type ClientToServerEvents,
  type Intent,
  type IntentResult,
  MAX_INTENTS_PER_BATCH,
  type ServerToClientEvents,
  type VoteCommand,
} from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';
import { addCardIntent } from '../../support/intents.js';

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openControl(serverUrl: string, token: string, address: string): Promise<ControlSocket> {
  const socket: ControlSocket = io(serverUrl, {
    auth: { token },
    transports: ['websocket'],
    // Passed on to ws in Node (engine.io-client's websocket transport), missing from the types.
    localAddress: address,
  } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Casts one vote; resolves with the server's acknowledgement. */
export function castVote(socket: ControlSocket, command: VoteCommand): Promise<Ack> {
  return socket.timeout(10_000).emitWithAck('vote', command);
}

export type IntentsAck = Ack<{ results: IntentResult[] }>;

/** Sends one batch of intents; resolves with the server's acknowledgement (one result each). */
export function sendIntents(socket: ControlSocket, boardId: string, intents: Intent[]): Promise<IntentsAck> {
  return socket.timeout(10_000).emitWithAck('intents', { boardId, intents });
}

/** Moves a card, as a phone's drag ends. */
export function moveIntent(cardId: string, x: number, y: number): Intent {
  return { id: newId(), type: 'card:move', cardId, x, y };
}

/**
 * Adds cards through intents, in batches as large as the server takes; returns their ids in
 * order, or throws on the first refusal (building a board must not lose cards silently).
 */
export async function addCards(
  socket: ControlSocket,
  boardId: string,
  cards: Array<Pick<Intent & { type: 'card:add' }, 'text' | 'kind' | 'x' | 'y'>>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < cards.length; i += MAX_INTENTS_PER_BATCH) {
    const intents = cards
      .slice(i, i + MAX_INTENTS_PER_BATCH)
      .map(({ text, kind, x, y }) => addCardIntent(text, kind, { x, y }));
    const ack = await sendIntents(socket, boardId, intents);
    if (!ack.ok) throw new Error(`intents refused: ${ack.code} ${ack.error}`);
    const refused = ack.results.find((result) => !result.ok);
    if (refused && !refused.ok) throw new Error(`card refused: ${refused.code} ${refused.error}`);
    ids.push(...intents.map((intent) => intent.cardId));
  }
  return ids;
}
