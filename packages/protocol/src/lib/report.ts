/**
 * The printable workshop report, `GET /api/sessions/:sessionId/report` (moderator): the record a
 * funded programme files. Every card is in it as text, not only inside a board's picture. Its own
 * file because it gathers the replies of http.ts and initiatives.ts (which reads http.ts).
 */
import type { Static } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { SessionLanguage } from './http.js';
import { InitiativeOutcome } from './initiatives.js';

/** A card as the report prints it; an anonymous board's card may carry no settlement. */
export const ReportCard = Type.Object({
  text: Type.String(),
  kind: Type.String(),
  votes: Type.Integer(),
  site: Type.String(),
});
export type ReportCard = Static<typeof ReportCard>;

/** A titled list of cards: a group (its label as the board shows it) or an area's loose cards. */
const CardList = Type.Object({ title: Type.String(), cards: Type.Array(ReportCard) });

export const ReportBoard = Type.Object({
  id: Type.String(),
  title: Type.String(),
  archived: Type.Boolean(),
  template: Type.String(),
  cardCount: Type.Integer(),
  /** Totals are out on this board (a vote was held and is not hidden): every card says its own. */
  voted: Type.Boolean(),
  /** Each group with its cards, most-voted first, in the order the groups were made. */
  groups: Type.Array(CardList),
  /** The cards in no group, under their template area (under their kind on a board without areas). */
  loose: Type.Array(CardList),
  topProblems: Type.Array(ReportCard),
  topResources: Type.Array(ReportCard),
});
export type ReportBoard = Static<typeof ReportBoard>;

export const ReportReply = Type.Object({
  title: Type.String(),
  /** The session's language: the report is written in it, whatever the reader's interface says. */
  lang: SessionLanguage,
  generatedAt: Type.Number(),
  /** The founded groups, oldest first: the report opens with them. */
  initiatives: Type.Array(InitiativeOutcome),
  boards: Type.Array(ReportBoard),
  /**
   * Per settlement: its participants (residents without a phone count like anyone; `noDevice` says
   * how many of them took part so) and the cards written there, on every board. Site '' holds the
   * cards of no settlement (the moderator's own, an anonymous board's).
   */
  sites: Type.Array(
    Type.Object({
      site: Type.String(),
      participants: Type.Integer(),
      noDevice: Type.Integer(),
      cards: Type.Integer(),
    }),
  ),
  /** Every board's snapshots in time order, oldest first. */
  timeline: Type.Array(
    Type.Object({
      boardId: Type.String(),
      boardTitle: Type.String(),
      name: Type.String(),
      kind: Type.Union([Type.Literal('manual'), Type.Literal('auto')]),
      createdAt: Type.Number(),
      cardCount: Type.Integer(),
      voteCount: Type.Integer(),
    }),
  ),
});
export type ReportReply = Static<typeof ReportReply>;
