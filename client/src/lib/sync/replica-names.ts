/**
 * Where replicas live in IndexedDB, and what happens to those of an earlier version. Before
 * intents (write API v1) a phone wrote its own replica, so one that was offline may hold cards
 * the server never received: they are sent once, as intents, and the old replica is dropped.
 */
import { isId, listCards, modelOf } from '@kaptar/board';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { Outbox } from './outbox.svelte.js';

export function replicaName(boardId: string, epoch: string, participantId: string): string {
  return `kaptar:replica:${boardId}:${epoch}:${participantId}`;
}

/** The name version 1 gave a person's copy of a board. */
const legacyName = (boardId: string, participantId: string) => `kaptar:board:${boardId}:${participantId}`;

const checked = new Set<string>();

/**
 * Once the new replica is synced: the person's own cards in a version-1 copy that the board does
 * not have are queued as intents (their intent id is fixed by the card, so doing this twice sends
 * them once), then the old copy is deleted.
 */
export async function sendLegacyCards(
  boardId: string,
  participantId: string,
  replica: Y.Doc,
  outbox: Outbox,
): Promise<void> {
  const name = legacyName(boardId, participantId);
  if (checked.has(name) || typeof indexedDB.databases !== 'function') return;
  checked.add(name);
  const databases = await indexedDB.databases();
  if (!databases.some((database) => database.name === name)) return;
  const old = new Y.Doc();
  const copy = new IndexeddbPersistence(name, old);
  await copy.whenSynced;
  await outbox.loaded;
  // A card the board holds or once held (deleted by the moderator meanwhile) is not sent again.
  const board = modelOf(replica);
  const queued = new Set(outbox.entries.map((entry) => entry.intent.id));
  for (const card of listCards(old)) {
    const id = `v1-${card.id}`.slice(0, 64);
    if (card.authorId !== participantId || board.idUsed(card.id) || !isId(card.id) || queued.has(id))
      continue;
    const { kind, text, x, y } = card;
    outbox.add({ id, type: 'card:add', cardId: card.id, kind, text, x, y });
  }
  await copy.clearData();
  old.destroy();
}
