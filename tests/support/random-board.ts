/**
 * A workshop board built as a room builds one, in an order given by a seed: residents add cards
 * to the areas of the problems-and-resources map, the moderator groups them, names some groups,
 * takes cards out again. Everything goes through intents, in batches, as devices send them.
 */
import { newId } from '@kaptar/board';
import { type Intent, MAX_INTENTS_PER_BATCH } from '@kaptar/protocol';
import type { ControlClient } from './control-client.js';
import { addCardIntent, applyIntents } from './intents.js';

const TEXTS = [
  'Nincs buszjárat hétvégén',
  'Kevés a munkahely a faluban, a fiatalok elköltöznek',
  'Van egy üres iskolaépület',
  'Kovács Mari tud szőni és tanítana is',
  'A kultúrház teteje beázik, és nincs pénz a javításra, pedig ott lennének a programok',
  'Közösségi kert a templom mögött',
  'Egyedül élő idősek, akiknek nincs, aki bevásároljon',
  'A nyugdíjas klub szívesen főz a falunapon',
  'Rossz a térerő a felvégen',
  'Traktor, amit kölcsön lehet kérni',
];
const TITLES = ['Közlekedés', '', 'Idősek segítése', 'Munka és megélhetés a faluban, fiataloknak is'];

/** A seeded generator: a failing order can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Adds `cards` cards and groups about a third of them; returns the card ids, oldest first. */
export async function randomWorkshop({
  author,
  moderator,
  boardId,
  cards,
  seed,
  kinds = ['problem', 'resource'],
  grouping = true,
}: {
  author: ControlClient;
  moderator: ControlClient;
  boardId: string;
  cards: number;
  seed: number;
  /** The kinds cards are drawn from, each into its area. */
  kinds?: ReadonlyArray<'problem' | 'resource'>;
  /** Whether the moderator groups some of them. */
  grouping?: boolean;
}): Promise<string[]> {
  const next = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const ids: string[] = [];
  const adds: Intent[] = [];
  const moves: Intent[] = [];
  const groups: string[] = [];
  const grouped = new Set<string>();
  for (let i = 0; i < cards; i++) {
    const kind = pick(kinds);
    const card = addCardIntent(`${pick(TEXTS)} (${i + 1})`, kind, {
      area: kind === 'problem' ? 'problems' : 'resources',
    });
    adds.push(card);
    ids.push(card.cardId);
    const roll = grouping ? next() : 1;
    if (roll < 0.25 && ids.length > 1) {
      const onto = pick(ids.slice(0, -1));
      const groupId = newId();
      moves.push({ id: newId(), type: 'card:group-with', cardId: card.cardId, targetId: onto, groupId });
      if (!grouped.has(onto)) groups.push(groupId);
      grouped.add(onto).add(card.cardId);
    } else if (roll < 0.35) {
      const groupId = newId();
      moves.push({ id: newId(), type: 'group:create', groupId, cardIds: [card.cardId], title: pick(TITLES) });
      groups.push(groupId);
      grouped.add(card.cardId);
    } else if (roll < 0.4 && grouped.size > 0) {
      const out = pick([...grouped]);
      moves.push({
        id: newId(),
        type: 'card:leave-group',
        cardId: out,
        area: pick(['problems', 'resources']),
      });
      grouped.delete(out);
    }
  }
  // In batches, as an outbox sends them: the cards first, then the moderator's grouping, in order.
  for (const [control, intents] of [
    [author, adds],
    [moderator, moves],
  ] as const) {
    for (let i = 0; i < intents.length; i += MAX_INTENTS_PER_BATCH) {
      await applyIntents(control, boardId, intents.slice(i, i + MAX_INTENTS_PER_BATCH));
    }
  }
  return ids;
}
