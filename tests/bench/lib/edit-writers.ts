/**
 * One simulated edit (add a card, or move one's own), made the way the server takes edits:
 * - `yjs` (the relays): written into the client's own document, which sends it as a Yjs update
 *   at once; its id is known before it is sent.
 * - `intents` (Kaptár): emitted as one intent on the participant's control connection; the server
 *   writes the items and names them in the ack (`effect`), so the id is known once the ack is in.
 * Either way the edit's time is taken by the caller just before calling, i.e. when it is sent.
 */
import { addCard, moveCard } from '@kaptar/board';
import { addCardIntent } from '../../support/intents.js';
import { moveIntent, sendIntents } from './control.js';
import { type EditId, intentEdit, nextEdit } from './edit-timing.js';
import type { WritePath } from './protocol.js';
import type { SimClient } from './sim-clients.js';

/** The edit's id, or why it has none (the intent was refused, or got no answer). */
export type EditOutcome = EditId | { refused: string };

/** The n-th edit of a participant: a card at (n, 0), or its own card moved to (n, n). */
export type EditWriter = (client: SimClient, n: number, add: boolean) => Promise<EditOutcome>;

const CARD_TEXT = 'mérés';

const actorOf = (client: SimClient) => ({
  participantId: client.person.participantId,
  role: 'participant' as const,
});

const writeYjs: EditWriter = async (client, n, add) => {
  const id = nextEdit(client.doc);
  try {
    if (add || !client.ownCard) {
      const card = { kind: 'problem' as const, text: CARD_TEXT, site: 'bench', x: n, y: 0 };
      client.ownCard = addCard(client.doc, actorOf(client), card).id;
    } else {
      moveCard(client.doc, actorOf(client), client.ownCard, n % 2 === 0 ? 'problems' : 'resources');
    }
  } catch (error) {
    // The board's own rules, run locally (a quota, say): nothing was sent.
    return { refused: String(error) };
  }
  return id;
};

const writeIntent: EditWriter = async (client, n, add) => {
  const { control, person } = client;
  if (!control) return { refused: 'no control connection' };
  let intent: ReturnType<typeof moveIntent>;
  if (add || !client.ownCard) {
    const card = addCardIntent(CARD_TEXT, 'problem', { x: n, y: 0 });
    // As a phone does: its next move is of this card, without waiting for the answer.
    client.ownCard = card.cardId;
    intent = card;
  } else {
    intent = moveIntent(client.ownCard, n, n);
  }
  try {
    const ack = await sendIntents(control, person.boardId, [intent]);
    if (!ack.ok) return { refused: ack.code };
    const [result] = ack.results;
    if (!result) return { refused: 'no result' };
    return result.ok ? intentEdit(result.effect) : { refused: result.code };
  } catch (error) {
    return { refused: String(error) };
  }
};

export const editWriters: Record<WritePath, EditWriter> = { yjs: writeYjs, intents: writeIntent };
