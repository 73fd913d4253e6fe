/**
 * A big workshop board for the client benchmark, written through the real paths: residents
 * join with the join code and add cards as intents over their own control connections, the
 * moderator groups cards (intents too), and residents vote over socket.io. The moderator's
 * replica (y-websocket, read-only) shows what the server holds.
 */
import { type CardKind, listCards, newId, voteTotals } from '@kaptar/board';
import { type CreateSessionReply, type Intent, MAX_INTENTS_PER_BATCH } from '@kaptar/protocol';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { addCardIntent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, type Reachable, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const RESIDENTS = 12;
const SITES = ['Alsóváros', 'Felsőtelep', 'Újfalu', 'Kiskert'];
const GROUPS = 20;
const CARDS_PER_GROUP = 4;
const VOTES_EACH = 10;

// Short and long texts, so cards differ in height as on a real board.
const PHRASES = [
  'Nincs buszjárat este',
  'A közösségi ház hétvégén zárva van, pedig a fiataloknak nincs hova menniük',
  'Van egy kisbusza az egyháznak',
  'Sok idős ember egyedül él, és nem tudja, kitől kérhet segítséget a bevásárláshoz',
  'Az iskola tornatermét este ki lehetne nyitni',
  'Kevés a játszótér',
  'A nyugdíjas klub tagjai szívesen tanítanának kézműveskedést a gyerekeknek hetente egyszer',
  'Nincs helyi piac, a termelők a városba viszik az árut',
];

export interface FilledBoard {
  session: CreateSessionReply;
  boardId: string;
  cards: number;
  groups: number;
  votes: number;
}

/** A session whose first board holds `cards` cards, some of them in groups, with votes on them. */
export async function fillBoard(server: Reachable & { wsUrl: string }, cards: number): Promise<FilledBoard> {
  const session = await createSession(server, 'Mérés: nagy tábla');
  const boardId = session.boards[0]?.id;
  if (!boardId) throw new Error('a new session has a board');
  const moderator = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
  const residents = [];
  for (let r = 0; r < RESIDENTS; r++) {
    residents.push(
      await joinSession(server, session.joinCode, `Lakó ${r + 1}`, SITES[r % SITES.length] ?? 'Alsóváros'),
    );
  }

  // One resident at a time, each into the area of the card's kind.
  for (const [r, resident] of residents.entries()) {
    const share = Math.floor(cards / RESIDENTS) + (r < cards % RESIDENTS ? 1 : 0);
    const control = await connectControl(server.url, resident.participantToken);
    const intents: Intent[] = [];
    for (let c = 0; c < share; c++) {
      const kind: CardKind = (r + c) % 2 === 0 ? 'problem' : 'resource';
      const text = `${PHRASES[(r * 7 + c) % PHRASES.length]} (${r + 1}/${c + 1})`;
      intents.push(addCardIntent(text, kind, { area: kind === 'problem' ? 'problems' : 'resources' }));
    }
    const before = moderator.doc.getMap('cards').size;
    await sendAll(control, boardId, intents);
    await waitFor(
      () => moderator.doc.getMap('cards').size === before + share,
      'cards to reach the moderator',
      20_000,
    );
    control.close();
  }

  // Groups stand in the area of their first card (the layout draws them before its loose cards).
  const control = await connectControl(server.url, session.moderatorToken);
  const all = listCards(moderator.doc);
  // The newest cards (the bottom rows) go into groups; the top of the kind areas stays full.
  // One group per 25 cards, at most GROUPS: a fifth of the board in groups, as 500 cards have.
  const groups = Math.min(GROUPS, Math.floor(all.length / 25));
  const grouped = all.slice(-groups * CARDS_PER_GROUP);
  const groupIntents: Intent[] = [];
  for (let g = 0; g < groups; g++) {
    const cardIds = grouped.slice(g * CARDS_PER_GROUP, (g + 1) * CARDS_PER_GROUP).map((card) => card.id);
    const groupId = newId();
    groupIntents.push({ id: newId(), type: 'group:create', groupId, cardIds, title: `Csoport ${g + 1}` });
  }
  await sendAll(control, boardId, groupIntents);

  await control.ask('board:settings', { boardId, settings: { phase: 'vote', voteBudget: VOTES_EACH } });
  let votes = 0;
  for (const [r, resident] of residents.entries()) {
    const voter = await connectControl(server.url, resident.participantToken);
    for (let v = 0; v < VOTES_EACH; v++) {
      // Spread over the board, several residents on some cards.
      const card = all[(r * 37 + v * 53) % all.length];
      const ack = await voter.ask('vote', { boardId, cardId: card?.id, delta: 1 });
      if (ack.ok) votes++;
    }
    voter.close();
  }
  // Back to grouping: the phase in which the moderator drags cards around.
  await control.ask('board:settings', { boardId, settings: { phase: 'group' } });
  await waitFor(() => voteTotals(moderator.doc).size > 0, 'votes to reach the board');
  control.close();
  moderator.destroy();
  return { session, boardId, cards: all.length, groups, votes };
}

/** Sends intents in batches the server takes; throws if any is refused. */
async function sendAll(control: ControlClient, boardId: string, intents: Intent[]): Promise<void> {
  for (let i = 0; i < intents.length; i += MAX_INTENTS_PER_BATCH) {
    const results = await sendIntents(control, boardId, intents.slice(i, i + MAX_INTENTS_PER_BATCH));
    const refused = results.filter((result) => !result.ok);
    if (refused.length > 0) throw new Error(`intents refused: ${JSON.stringify(refused)}`);
  }
}
