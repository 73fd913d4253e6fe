/** What a secret-ballot test starts from: a board of four cards in the vote phase, votes hidden. */
import { type ControlClient, connectControl } from './control-client.js';
import { addCards } from './intents.js';
import { createSession, type Reachable } from './server.js';

export interface HiddenVote {
  session: Awaited<ReturnType<typeof createSession>>;
  boardId: string;
  /** The moderator's control connection (the caller closes it). */
  moderator: ControlClient;
  cardIds: string[];
}

export async function hiddenVote(server: Reachable, title: string, voteBudget: number): Promise<HiddenVote> {
  const session = await createSession(server, title);
  const boardId = session.boards[0]?.id as string;
  const moderator = await connectControl(server.url, session.moderatorToken);
  const cardIds = await addCards(moderator, boardId, ['Busz', 'Orvos', 'Bolt', 'Posta']);
  const ack = await moderator.ask('board:settings', {
    boardId,
    settings: { phase: 'vote', voteBudget, votesHidden: true },
  });
  if (!ack.ok) throw new Error(`the vote could not be opened: ${JSON.stringify(ack)}`);
  return { session, boardId, moderator, cardIds };
}
