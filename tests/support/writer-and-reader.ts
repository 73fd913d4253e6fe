/**
 * The usual scene of the disk tests: Anna writes on a new session's board with intents over her
 * own control connection; the moderator reads with a stock y-websocket client.
 */
import { listCards } from '@kaptar/board';
import type { Intent, IntentResult } from '@kaptar/protocol';
import { type ControlClient, connectControl } from './control-client.js';
import { addCardIntent, sendIntents } from './intents.js';
import type { ServerProcess } from './process-server.js';
import { createSession, joinSession, type Reachable, waitFor } from './server.js';
import { type BoardClient, connectSynced } from './yjs-client.js';

export interface WriterAndReader {
  session: Awaited<ReturnType<typeof createSession>>;
  boardId: string;
  /** Anna, the participant who writes. */
  anna: Awaited<ReturnType<typeof joinSession>>;
  /** Anna's control connection, which carries her intents. */
  control: ControlClient;
  /** Anna's own stock replica (read-only). */
  writer: BoardClient;
  reader: BoardClient;
  /** Anna adds a card: the intent sent and the server's answer to it. */
  write(text: string): Promise<{ intent: Intent; result: IntentResult }>;
  /** Anna's phone sends an intent again, with its id, as its outbox does after a passing refusal. */
  resend(intent: Intent): Promise<IntentResult>;
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
  const control = await connectControl(server.url, anna.participantToken);
  const writer = await connectSynced(server.wsUrl, boardId, anna.participantToken);
  const reader = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
  const resend = async (intent: Intent) => {
    const [result] = await sendIntents(control, boardId, [intent]);
    if (!result) throw new Error('no answer to the intent');
    return result;
  };
  const write = async (text: string) => {
    const intent = addCardIntent(text);
    return { intent, result: await resend(intent) };
  };
  const first = await write(firstCard);
  if (!first.result.ok) throw new Error(`the first card was refused: ${JSON.stringify(first.result)}`);
  await waitFor(() => listCards(reader.doc).length === 1, 'the first card');
  return { session, boardId, anna, control, writer, reader, write, resend };
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
