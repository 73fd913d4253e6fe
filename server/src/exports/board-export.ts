/** A board or snapshot as plain data with people's names: the source of every export format. */
import {
  areaOf,
  findTemplate,
  groupLabels,
  type Language,
  MODERATOR_NAME,
  readContents,
} from '@kaptar/board';
import type { BoardExport } from '@kaptar/protocol';
import type * as Y from 'yjs';
import type { ParticipantRecord, SnapshotRecord } from '../storage/store.js';

/** Participant id -> the name a file shows: a moderator joins without one. */
export function peopleNames(people: ParticipantRecord[], lang: Language): Map<string, string> {
  return new Map(people.map((p) => [p.id, p.role === 'moderator' ? MODERATOR_NAME[lang] : p.name]));
}

export function boardExport(
  doc: Y.Doc,
  context: {
    boardId: string;
    sessionTitle: string;
    names: Map<string, string>;
    /** The file's language: an untitled group is called as the board calls it ("Névtelen csoport 2"). */
    lang: Language;
    snapshot?: SnapshotRecord;
  },
): BoardExport {
  const { cards, groups, meta } = readContents(doc);
  const groupTitles = groupLabels(groups, context.lang);
  const template = findTemplate(meta.template);
  const areas = (template?.areas ?? []).map((area) => ({ id: area.id, title: area.title[context.lang] }));
  const areaTitles = new Map(areas.map((area) => [area.id, area.title]));
  return {
    boardId: context.boardId,
    sessionTitle: context.sessionTitle,
    ...(context.snapshot ? { snapshot: context.snapshot } : {}),
    phase: meta.phase,
    groups: groups.map((g) => ({ id: g.id, title: groupTitles.get(g.id) ?? g.title })),
    areas,
    cards: cards.map((card) => ({
      id: card.id,
      kind: card.kind,
      text: card.text,
      groupId: card.groupId ?? '',
      group: card.groupId ? (groupTitles.get(card.groupId) ?? '') : '',
      votes: card.votes,
      site: card.site,
      author: context.names.get(card.authorId) ?? '',
      enteredBy: card.enteredBy ? (context.names.get(card.enteredBy) ?? '') : '',
      createdAt: card.createdAt,
      area: areaTitles.get(areaOf(template, card)) ?? '',
    })),
  };
}
