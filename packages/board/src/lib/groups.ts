/**
 * Grouping: anyone may group any card (it is the room's shared work), in the
 * phases that allow it. A card's group is one field, so concurrent grouping
 * can never put a card in two groups; the last writer wins.
 */
import * as Y from 'yjs';
import { type Actor, getCard, listCards, writableCard } from './cards.js';
import { BoardError } from './errors.js';
import { newId } from './ids.js';
import { readMeta } from './meta.js';
import { CARD_SIZE } from './placement.js';
import { assertMayAct } from './rules.js';
import { type Group, type GroupMap, groupsRoot, MAX_GROUP_TITLE } from './schema.js';
import { checkPosition } from './validation.js';

/** Colours are picked in turn so neighbouring groups differ. */
export const GROUP_COLORS = 6;

export function listGroups(doc: Y.Doc): Group[] {
  const groups: Group[] = [];
  groupsRoot(doc).forEach((map, id) => {
    const group = readGroup(id, map);
    if (group) groups.push(group);
  });
  return groups.sort((a, b) => a.id.localeCompare(b.id));
}

export function getGroup(doc: Y.Doc, id: string): Group | undefined {
  const map = groupsRoot(doc).get(id);
  return map ? readGroup(id, map) : undefined;
}

/** Starts a group at the first card's place holding the given cards (phone: "new group" from one card). */
export function createGroup(doc: Y.Doc, actor: Actor, cardIds: string[], title = ''): Group {
  assertMayAct(actor.role, 'group', readMeta(doc));
  const first = cardIds[0] === undefined ? undefined : getCard(doc, cardIds[0]);
  if (!first) throw new BoardError('card-not-found', 'A group starts from an existing card');
  const group: Group = {
    id: newId(),
    title: normalizeTitle(title),
    x: first.x,
    y: first.y,
    color: groupsRoot(doc).size % GROUP_COLORS,
  };
  doc.transact(() => {
    const map: GroupMap = new Y.Map();
    for (const [field, value] of Object.entries(group)) if (field !== 'id') map.set(field, value);
    groupsRoot(doc).set(group.id, map);
    for (const cardId of cardIds) writableCard(doc, actor, cardId, 'group').set('groupId', group.id);
  });
  return group;
}

/** Desktop drop: `dragged` onto `target`. Joins the target's group, or starts one with both. */
export function groupWith(doc: Y.Doc, actor: Actor, draggedId: string, targetId: string): string {
  if (draggedId === targetId) throw new BoardError('invalid-setting', 'A card cannot be grouped with itself');
  const target = getCard(doc, targetId);
  if (!target) throw new BoardError('card-not-found', `No card ${targetId} on this board`);
  if (target.groupId) {
    addToGroup(doc, actor, draggedId, target.groupId);
    return target.groupId;
  }
  return createGroup(doc, actor, [targetId, draggedId]).id;
}

export function addToGroup(doc: Y.Doc, actor: Actor, cardId: string, groupId: string): void {
  if (!groupsRoot(doc).has(groupId)) throw new BoardError('group-not-found', `No group ${groupId}`);
  const card = writableCard(doc, actor, cardId, 'group');
  doc.transact(() => card.set('groupId', groupId));
}

/** Takes a card out of its group and puts it down at (x, y). */
export function removeFromGroup(doc: Y.Doc, actor: Actor, cardId: string, x: number, y: number): void {
  checkPosition(x, y);
  const card = writableCard(doc, actor, cardId, 'group');
  doc.transact(() => {
    card.delete('groupId');
    card.set('x', x);
    card.set('y', y);
  });
}

export function renameGroup(doc: Y.Doc, actor: Actor, groupId: string, title: string): void {
  const group = writableGroup(doc, actor, groupId);
  const normalized = normalizeTitle(title);
  doc.transact(() => group.set('title', normalized));
}

/** Moves the group; its cards are drawn inside it, so they move with it. */
export function moveGroup(doc: Y.Doc, actor: Actor, groupId: string, x: number, y: number): void {
  checkPosition(x, y);
  const group = writableGroup(doc, actor, groupId);
  doc.transact(() => {
    group.set('x', x);
    group.set('y', y);
  });
}

/** Removes the group; its cards stay, laid out in a column where the group was. */
export function dissolveGroup(doc: Y.Doc, actor: Actor, groupId: string): void {
  const group = writableGroup(doc, actor, groupId);
  const x = Number(group.get('x'));
  const y = Number(group.get('y'));
  const members = listCards(doc).filter((card) => card.groupId === groupId);
  doc.transact(() => {
    members.forEach((card, index) => {
      const map = writableCard(doc, actor, card.id, 'group');
      map.delete('groupId');
      map.set('x', x);
      map.set('y', y + index * (CARD_SIZE.height + 16));
    });
    groupsRoot(doc).delete(groupId);
  });
}

function writableGroup(doc: Y.Doc, actor: Actor, groupId: string): GroupMap {
  assertMayAct(actor.role, 'group', readMeta(doc));
  const group = groupsRoot(doc).get(groupId);
  if (!group) throw new BoardError('group-not-found', `No group ${groupId}`);
  return group;
}

function normalizeTitle(title: string): string {
  const trimmed = title.trim();
  if ([...trimmed].length > MAX_GROUP_TITLE) {
    throw new BoardError('title-too-long', `Group titles are at most ${MAX_GROUP_TITLE} characters`);
  }
  return trimmed;
}

function readGroup(id: string, map: GroupMap): Group | undefined {
  const x = map.get('x');
  const y = map.get('y');
  if (typeof x !== 'number' || typeof y !== 'number') return undefined;
  const title = map.get('title');
  const color = map.get('color');
  return {
    id,
    title: typeof title === 'string' ? title : '',
    x,
    y,
    color: typeof color === 'number' ? color % GROUP_COLORS : 0,
  };
}
