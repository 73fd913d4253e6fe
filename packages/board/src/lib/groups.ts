/**
 * Grouping: anyone may group any card (it is the room's shared work), in the
 * phases that allow it. A card's group is one field, so a card is never in two
 * groups. Group ids, like card ids, come from the device that starts the group.
 */
import * as Y from 'yjs';
import { type Actor, writableCard } from './cards.js';
import { BoardError } from './errors.js';
import { newId } from './ids.js';
import {
  type BoardModel,
  type BoardTarget,
  GROUP_COLORS,
  modelOf,
  type PatchOp,
  readGroup,
} from './model.js';
import { assertMayAct } from './rules.js';
import { type Group, groupsRoot, MAX_GROUP_TITLE, MAX_GROUPS_PER_BOARD } from './schema.js';
import { areaKind, areaOf, findTemplate } from './templates.js';
import { checkArea, checkedText } from './validation.js';

export { GROUP_COLORS };

export function listGroups(doc: Y.Doc): Group[] {
  const groups: Group[] = [];
  groupsRoot(doc).forEach((map, id) => {
    // Boards of earlier versions and archives may hold a plain value here (rebuildDoc reads
    // them): skipped like a malformed card, not a TypeError that fails the whole import.
    const group = map instanceof Y.Map ? readGroup(id, map) : undefined;
    if (group) groups.push(group);
  });
  return groups.sort((a, b) => a.id.localeCompare(b.id));
}

export function getGroup(doc: Y.Doc, id: string): Group | undefined {
  return modelOf(doc).group(id);
}

/**
 * Starts a group in the first card's area holding the given cards (phone: "new group" from one
 * card). A group's cards are in its area (`Card.area`), wherever each was before: every view
 * draws and labels them there.
 */
export function createGroup(
  target: BoardTarget,
  actor: Actor,
  cardIds: string[],
  title = '',
  id: string = newId(),
  now: number = Date.now(),
): Group {
  const board = modelOf(target);
  assertMayAct(actor.role, 'group', board.meta());
  const cards = cardIds.map((cardId) => writableCard(board, actor, cardId, 'group'));
  const first = cards[0];
  if (!first) throw new BoardError('card-not-found', 'A group starts from an existing card');
  if (board.idUsed(id)) throw new BoardError('id-taken', 'This group id is already used on the board');
  if (board.groupCount() >= MAX_GROUPS_PER_BOARD) {
    throw new BoardError('board-full', `A board holds at most ${MAX_GROUPS_PER_BOARD} groups`);
  }
  const area = areaOf(findTemplate(board.meta().template), first);
  const group: Group = {
    id,
    title: normalizeTitle(title),
    area,
    createdAt: now,
    x: first.x,
    y: first.y,
    color: board.groupCount() % GROUP_COLORS,
  };
  board.apply([
    { op: 'group:put', group },
    ...cards.map((card): PatchOp => ({ op: 'card:set', id: card.id, fields: { groupId: id, area } })),
  ]);
  return group;
}

/**
 * Desktop drop: `dragged` onto `targetId`. Joins the target's group, or starts one with both
 * (named `newGroupId`). Returns the group the two share.
 */
export function groupWith(
  target: BoardTarget,
  actor: Actor,
  draggedId: string,
  targetId: string,
  newGroupId: string = newId(),
  now: number = Date.now(),
): string {
  if (draggedId === targetId) throw new BoardError('invalid-setting', 'A card cannot be grouped with itself');
  const board = modelOf(target);
  const onto = board.card(targetId);
  if (!onto) throw new BoardError('card-not-found', `No card ${targetId} on this board`);
  if (onto.groupId) {
    addToGroup(board, actor, draggedId, onto.groupId);
    return onto.groupId;
  }
  return createGroup(board, actor, [targetId, draggedId], '', newGroupId, now).id;
}

export function addToGroup(target: BoardTarget, actor: Actor, cardId: string, groupId: string): void {
  const board = modelOf(target);
  const group = writableGroup(board, actor, groupId);
  writableCard(board, actor, cardId, 'group');
  const area = areaOf(findTemplate(board.meta().template), group);
  board.apply([{ op: 'card:set', id: cardId, fields: { groupId, area } }]);
}

/** Takes a card out of its group and puts it, loose, into `area`. */
export function removeFromGroup(target: BoardTarget, actor: Actor, cardId: string, area: string): void {
  const board = modelOf(target);
  const card = writableCard(board, actor, cardId, 'group');
  // Taking a card out of a group is shared work; "leaving" with a card that is in no group is
  // only a move, and a move of another person's card is theirs (or the moderator's) to make.
  if (!card.groupId) writableCard(board, actor, cardId, 'moveCard');
  const template = findTemplate(board.meta().template);
  const to = checkArea(template, area);
  // Loose in an area of one kind, it is of that kind, as a card moved there is.
  const kind = areaKind(template, to) ?? card.kind;
  board.apply([{ op: 'card:set', id: cardId, fields: { groupId: null, area: to, kind } }]);
}

export function renameGroup(target: BoardTarget, actor: Actor, groupId: string, title: string): void {
  const board = modelOf(target);
  writableGroup(board, actor, groupId);
  board.apply([{ op: 'group:set', id: groupId, fields: { title: normalizeTitle(title) } }]);
}

/** Moves the group to another area; its cards are drawn inside it, so they go with it. */
export function moveGroup(target: BoardTarget, actor: Actor, groupId: string, area: string): void {
  const board = modelOf(target);
  writableGroup(board, actor, groupId);
  const to = checkArea(findTemplate(board.meta().template), area);
  const members = board.cards().filter((card) => card.groupId === groupId);
  board.apply([
    { op: 'group:set', id: groupId, fields: { area: to } },
    ...members.map((card): PatchOp => ({ op: 'card:set', id: card.id, fields: { area: to } })),
  ]);
}

/** Removes the group; its cards stay, loose, in the area where the group was. */
export function dissolveGroup(target: BoardTarget, actor: Actor, groupId: string): void {
  const board = modelOf(target);
  const group = writableGroup(board, actor, groupId);
  const area = areaOf(findTemplate(board.meta().template), group);
  const members = board.cards().filter((card) => card.groupId === groupId);
  board.apply([
    ...members.map((card): PatchOp => ({ op: 'card:set', id: card.id, fields: { groupId: null, area } })),
    { op: 'group:remove', id: groupId },
  ]);
}

function writableGroup(board: BoardModel, actor: Actor, groupId: string): Group {
  assertMayAct(actor.role, 'group', board.meta());
  const group = board.group(groupId);
  if (!group) throw new BoardError('group-not-found', `No group ${groupId}`);
  return group;
}

function normalizeTitle(title: string): string {
  const trimmed = checkedText(title, 'line', 'The group title');
  if ([...trimmed].length > MAX_GROUP_TITLE) {
    throw new BoardError('title-too-long', `Group titles are at most ${MAX_GROUP_TITLE} characters`);
  }
  return trimmed;
}
