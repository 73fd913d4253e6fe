/** The usual scene of the disk tests: Anna writes on a new session's board, the moderator reads. */
import { addCard, listCards } from '@kaptar/board';
import { newCard } from './cards.js';
import type { ServerProcess } from './process-server.js';
import { createSession, joinSession, type Reachable, waitFor } from './server.js';
import { type BoardClient, connectSynced } from './yjs-client.js';

export interface WriterAndReader {
  session: Awaited<ReturnType<typeof createSession>>;
  boardId: string;
  /** Anna, the participant who writes. */
  anna: Awaited<ReturnType<typeof joinSession>>;
  writer: BoardClient;
  reader: BoardClient;
  /** Anna adds a card through her own connection. */
  write(text: string): void;
}

/** Both connected and synced, with Anna's `firstCard` already seen by the reader. */
export async function writerAndReader(
  server: Reachable & { wsUrl: string },
  title: string,
  firstCard: string,
): Promise<WriterAndReader> {
  const session = await createSession(server, title);
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(server, session.joinCode);
  const writer = await connectSynced(server.wsUrl, boardId, anna.participantToken);
  const reader = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
  const actor = { participantId: anna.participantId, role: 'participant' as const };
  const write = (text: string) => void addCard(writer.doc, actor, newCard(text));
  write(firstCard);
  await waitFor(() => listCards(reader.doc).length === 1, 'the first card');
  return { session, boardId, anna, writer, reader, write };
}

/**
 * Kills the server hard (SIGKILL), starts it again and reads the board as a fresh client:
 * the card texts, sorted, show what really was on disk. The client joins `clients` for cleanup.
 */
export async function cardsAfterHardRestart(
  server: ServerProcess,
  boardId: string,
  token: string,
  clients: BoardClient[],
): Promise<string[]> {
  await server.kill('SIGKILL');
  await server.restart();
  const fresh = await connectSynced(server.wsUrl, boardId, token);
  clients.push(fresh);
  return listCards(fresh.doc)
    .map((card) => card.text)
    .sort();
}
