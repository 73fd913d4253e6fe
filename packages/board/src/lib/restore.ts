/**
 * Restoring a snapshot as a forward change. The board is edited, key by key,
 * until it holds what the snapshot holds; nothing is swapped. Phones keep
 * offline copies of the board, and a swapped-in old state would let those
 * copies merge the very content the restore removed straight back.
 */
import * as Y from 'yjs';
import { listCards } from './cards.js';
import type { BoardContents } from './contents.js';
import { listGroups } from './groups.js';
import { isId } from './ids.js';
import { readMeta, updateMeta } from './meta.js';
import { modelOf, type PatchOp, retiredIds } from './model.js';
import { type Ballot, EMPTY_PRIVATE_ROWS, type PrivateRows } from './private-state.js';
import {
  type BoardMeta,
  type Card,
  cardsRoot,
  DEFAULT_META,
  type Group,
  groupsRoot,
  MAX_CARD_TEXT,
  MAX_GROUP_TITLE,
  ROOT,
  talliesRoot,
  votesRoot,
} from './schema.js';
import type { ServerBoard } from './server-board.js';
import { findTemplate } from './templates.js';
import { cleanText } from './text.js';
import { publishTallies } from './votes.js';

/**
 * Makes every root of `board` equal to the same root in `snapshot`, in one transaction. The
 * snapshot is read through its typed contents first: one saved by an earlier version may hold junk.
 */
export function restoreContent(board: ServerBoard, snapshot: Y.Doc, rows: PrivateRows | null): void {
  const { doc: clean, ballots } = rebuildDoc(snapshot);
  board.doc.transact(() => {
    for (const root of [ROOT.cards, ROOT.groups, ROOT.meta]) {
      mirrorMap(board.doc.getMap(root), clean.getMap(root));
    }
    // A snapshot saved before the secret ballot kept its ballots in its document.
    board.secrets.replaceWith(
      rows ?? { ...EMPTY_PRIVATE_ROWS, ballots },
      (id) => board.boardCard(id) !== undefined,
    );
    publishTallies(board, !readMeta(board.doc).votesHidden);
  });
  clean.destroy();
}

function mirrorMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) {
    if (!source.has(key)) target.delete(key);
  }
  source.forEach((value, key) => {
    const current = target.get(key);
    if (value instanceof Y.Map) {
      if (current instanceof Y.Map) {
        mirrorMap(current, value);
      } else {
        const fresh = new Y.Map<unknown>();
        target.set(key, fresh);
        mirrorMap(fresh, value);
      }
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      target.set(key, value);
    }
  });
}

/** A snapshot's document, read-only in spirit: built from its stored full state. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** A card whose texts follow the text rule (text.ts): stored before it, they are cleaned, never refused. */
const cleanCard = <C extends Pick<Card, 'text' | 'site'>>(card: C): C => ({
  ...card,
  text: cleanText(card.text, 'card', MAX_CARD_TEXT),
  site: cleanText(card.site),
});

const cleanGroup = (group: Group): Group => ({
  ...group,
  title: cleanText(group.title, 'line', MAX_GROUP_TITLE),
});

/**
 * Brings the texts of a board's document under the text rule in place, in one transaction: card
 * texts and settlements and group titles stored before the rule are cleaned (`cleanText`), nothing
 * else changes (ids, places, groups, votes), so devices get the change as any other update. Returns
 * how many texts changed.
 */
export function cleanDocTexts(doc: Y.Doc): number {
  let changed = 0;
  const clean = (map: unknown, field: string, tidy: (text: string) => string) => {
    if (!(map instanceof Y.Map)) return;
    const value: unknown = map.get(field);
    if (typeof value !== 'string') return;
    const cleaned = tidy(value);
    if (cleaned === value) return;
    map.set(field, cleaned);
    changed++;
  };
  doc.transact(() => {
    cardsRoot(doc).forEach((map) => {
      clean(map, 'text', (text) => cleanText(text, 'card', MAX_CARD_TEXT));
      clean(map, 'site', (site) => cleanText(site));
    });
    groupsRoot(doc).forEach((map) => {
      clean(map, 'title', (title) => cleanText(title, 'line', MAX_GROUP_TITLE));
    });
  });
  return changed;
}

/**
 * A fresh document holding what `old` holds, read through the typed fields: cards, groups,
 * settings, and the totals when votes are visible; every text cleaned by the text rule (text.ts).
 * Anything else (a plain value where a card
 * belongs, an unknown root, a field of the wrong type) is left behind and counted. Ballots found
 * in the old shape (`votes`: card -> participant -> count) come back apart, for the store: the
 * fresh document never holds them. Used for archives and for boards saved by an earlier version,
 * which any client could write.
 */
export function rebuildDoc(
  old: Y.Doc,
  /**
   * During a silent collect, which cards are participants' (drafts): an earlier version kept them
   * in the document and hid them in the view; rebuilt, they go to the private state instead.
   */
  isParticipants: (card: Card) => boolean = () => false,
  /** The id a person has in the rebuilt board (an imported archive's people get new ones). */
  renamePerson: (participantId: string) => string = (id) => id,
): { doc: Y.Doc; dropped: number; ballots: Ballot[]; drafts: Card[] } {
  const meta = readMeta(old);
  // Ids a device cannot name in an intent (the wire's pattern) would make every batch naming them fail.
  const valid = listCards(old)
    .filter((card) => isId(card.id))
    .map(cleanCard)
    .map((card) => withPeopleRenamed(card, renamePerson));
  const drafts = meta.silentCollect
    ? valid.filter(isParticipants).map((card) => ({ ...card, groupId: null }))
    : [];
  const draftIds = new Set(drafts.map((card) => card.id));
  const cards = valid.filter((card) => !draftIds.has(card.id));
  const groups = listGroups(old)
    .filter((group) => isId(group.id))
    .map(cleanGroup);
  const ballots = oldBallots(old, new Set(cards.map((card) => card.id))).map((ballot) =>
    ballot.participantId === UNATTRIBUTED_VOTER
      ? ballot
      : { ...ballot, participantId: renamePerson(ballot.participantId) },
  );
  // Deleted ids stay dead: an old copy of the board on a phone must not bring a removed card back.
  const retired = retiredIds(old).map((id) => ({
    id,
    root: cardsRoot(old)._map.has(id) ? ROOT.cards : ROOT.groups,
  }));
  const doc = writeBoard({ meta, groups, cards, ballots, retired });
  const before = cardsRoot(old).size + groupsRoot(old).size;
  return { doc, dropped: before - valid.length - groups.length, ballots, drafts };
}

/**
 * A card's people under their ids in the rebuilt board: its author, and the moderator who typed it
 * for a resident without a phone (none for someone the rebuild does not know).
 */
function withPeopleRenamed<C extends Pick<Card, 'authorId' | 'enteredBy'>>(
  card: C,
  renamePerson: (participantId: string) => string,
): C {
  const authorId = card.authorId ? renamePerson(card.authorId) : '';
  const enteredBy = card.enteredBy ? renamePerson(card.enteredBy) : '';
  return { ...card, authorId, enteredBy };
}

/** Board contents as files of every version hold them: before areas, cards and groups had none. */
export type ContentsOfAnyVersion = Omit<BoardContents, 'cards' | 'groups'> & {
  cards: Array<Omit<BoardContents['cards'][number], 'area'> & { area?: string }>;
  groups: Array<Omit<Group, 'area' | 'createdAt'> & { area?: string; createdAt?: number }>;
};

/**
 * A fresh document holding a board given as plain data (an archive of version 2, checked by its
 * schema in @kaptar/protocol): texts cleaned by the text rule, a group that is not there left off
 * its cards, each total brought in as votes of no one (UNATTRIBUTED_VOTER), for the store.
 */
export function docFromContents(
  contents: ContentsOfAnyVersion,
  /** The id a person has in the rebuilt board (an imported archive's people get new ones). */
  renamePerson: (participantId: string) => string,
): { doc: Y.Doc; ballots: Ballot[] } {
  // Files written before areas have none: '' lets `areaOf` find it from the position.
  const groups = contents.groups.map((group) => cleanGroup({ area: '', createdAt: 0, ...group }));
  const groupIds = new Set(groups.map((group) => group.id));
  const cards = contents.cards.map(({ votes: _votes, ...card }) =>
    cleanCard({
      area: '',
      ...withPeopleRenamed(card, renamePerson),
      groupId: card.groupId !== null && groupIds.has(card.groupId) ? card.groupId : null,
    }),
  );
  const ballots = contents.cards
    .filter((card) => card.votes > 0)
    .map((card) => ({ participantId: UNATTRIBUTED_VOTER, cardId: card.id, votes: card.votes }));
  // Settings another server may hold (a template this one lacks, a timer of no length) read as a
  // document's would: the default template, no timer.
  const { meta } = contents;
  const settings: BoardMeta = {
    ...meta,
    template: findTemplate(meta.template) ? meta.template : DEFAULT_META.template,
    timer: meta.timer && meta.timer.durationMs > 0 ? meta.timer : null,
  };
  return { doc: writeBoard({ meta: settings, groups, cards, ballots, retired: [] }), ballots };
}

/** A board read and checked, for `writeBoard`. */
interface TypedBoard {
  meta: BoardMeta;
  groups: Group[];
  cards: Card[];
  ballots: Ballot[];
  /** Ids deleted from the board, kept dead in the new document. */
  retired: Array<{ id: string; root: string }>;
}

/** A fresh document holding `board`, the totals included while its votes are visible. */
function writeBoard({ meta, groups, cards, ballots, retired }: TypedBoard): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const { id, root: name } of retired) {
      const root: Y.Map<unknown> = doc.getMap(name);
      root.set(id, new Y.Map());
      root.delete(id);
    }
    updateMeta(doc, meta);
    modelOf(doc).apply([
      ...groups.map((group): PatchOp => ({ op: 'group:put', group })),
      ...cards.map((card): PatchOp => ({ op: 'card:put', card })),
    ]);
    if (!meta.votesHidden) {
      const tallies = talliesRoot(doc);
      for (const { cardId, votes } of ballots) tallies.set(cardId, (tallies.get(cardId) ?? 0) + votes);
    }
  });
  return doc;
}

/**
 * Votes counted on a voter of no one: totals brought in without their ballots (an archive keeps
 * totals only), so they count on the board and against nobody's budget.
 */
export const UNATTRIBUTED_VOTER = '';

/** The ballots of the old shape; a total with no ballots behind it (an archive) is unattributed. */
function oldBallots(old: Y.Doc, cardIds: Set<string>): Ballot[] {
  const ballots: Ballot[] = [];
  const valid = (count: unknown): count is number =>
    typeof count === 'number' && Number.isInteger(count) && count > 0;
  votesRoot(old).forEach((perCard, cardId) => {
    if (!cardIds.has(cardId) || !(perCard instanceof Y.Map)) return;
    perCard.forEach((votes, participantId) => {
      if (valid(votes)) ballots.push({ participantId, cardId, votes });
    });
  });
  const counted = new Set(ballots.map((ballot) => ballot.cardId));
  talliesRoot(old).forEach((votes, cardId) => {
    if (cardIds.has(cardId) && !counted.has(cardId) && valid(votes))
      ballots.push({ participantId: UNATTRIBUTED_VOTER, cardId, votes });
  });
  return ballots;
}
