/**
 * A workshop board built as a room builds one, in an order given by a seed: residents add cards
 * to the areas of the problems-and-resources map, the moderator groups them, names some groups,
 * takes cards out again. Everything goes through intents, as devices send them.
 */
import { newId } from '@kaptar/board';
import type { Intent } from '@kaptar/protocol';
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
}: {
  author: ControlClient;
  moderator: ControlClient;
  boardId: string;
  cards: number;
  seed: number;
}): Promise<string[]> {
  const next = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const ids: string[] = [];
  const groups: string[] = [];
  const grouped = new Set<string>();
  for (let i = 0; i < cards; i++) {
    const kind = next() < 0.55 ? 'problem' : 'resource';
    const card = addCardIntent(`${pick(TEXTS)} (${i + 1})`, kind, {
      area: kind === 'problem' ? 'problems' : 'resources',
    });
    await applyIntents(author, boardId, [card]);
    ids.push(card.cardId);
    const roll = next();
    const moves: Intent[] = [];
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
    if (moves.length > 0) await applyIntents(moderator, boardId, moves);
  }
  return ids;
}
