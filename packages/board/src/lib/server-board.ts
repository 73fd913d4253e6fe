/**
 * The board as the server holds it: the shared document plus its private state. The operations
 * run against it as against any board model; it decides where each write goes. A participant's
 * card during silent collect becomes a draft; a card on an anonymous board goes on the document
 * without its author, who is kept in the private state; everything else goes on the document.
 */
import type * as Y from 'yjs';
import { BoardError } from './errors.js';
import { type BoardModel, modelOf, type PatchOp } from './model.js';
import type { PrivateState } from './private-state.js';
import { type BoardMeta, type Card, type Group, talliesRoot } from './schema.js';
import { writeTally } from './votes.js';

export class ServerBoard implements BoardModel {
  private readonly shared: BoardModel;

  constructor(
    readonly doc: Y.Doc,
    readonly secrets: PrivateState,
  ) {
    this.shared = modelOf(doc);
  }

  meta(): BoardMeta {
    return this.shared.meta();
  }

  /** A card on the shared board (not a draft), with its author also on an anonymous board. */
  boardCard(id: string): Card | undefined {
    const card = this.shared.card(id);
    return card && this.withAuthor(card);
  }

  /** The cards on the shared board, with their authors. */
  boardCards(): Card[] {
    return this.shared.cards().map((card) => this.withAuthor(card));
  }

  card(id: string): Card | undefined {
    return this.boardCard(id) ?? this.secrets.draft(id);
  }

  group(id: string): Group | undefined {
    return this.shared.group(id);
  }

  cards(): Card[] {
    return [...this.boardCards(), ...this.secrets.drafts()];
  }

  cardCount(): number {
    return this.shared.cardCount() + this.secrets.drafts().length;
  }

  cardCountBy(authorId: string): number {
    // On an anonymous board the document's cards carry no author: they are counted by the
    // private state's record of authors instead.
    return (
      this.shared.cardCountBy(authorId) +
      this.secrets.cardsAuthoredBy(authorId) +
      this.secrets.draftsBy(authorId).length
    );
  }

  groupCount(): number {
    return this.shared.groupCount();
  }

  idUsed(id: string): boolean {
    return this.shared.idUsed(id) || this.secrets.draftIdUsed(id);
  }

  isDraft(id: string): boolean {
    return this.secrets.draft(id) !== undefined;
  }

  apply(patch: PatchOp[]): void {
    // Checked before anything is written: a group half made around a draft would stay.
    for (const change of patch) {
      if (change.op === 'card:set' && change.fields.groupId && this.secrets.draft(change.id)) {
        throw new BoardError('card-not-found', 'A card is grouped only once it is revealed');
      }
    }
    this.doc.transact(() => {
      for (const change of patch) this.applyOne(change);
    });
  }

  private applyOne(change: PatchOp): void {
    if (change.op === 'card:put') {
      if (change.draft) {
        this.secrets.putDraft(change.card);
        return;
      }
      if (!this.meta().anonymous) this.shared.apply([change]);
      else {
        this.secrets.setAuthor(change.card.id, change.card.authorId);
        this.shared.apply([{ op: 'card:put', card: { ...change.card, authorId: '' } }]);
      }
      // A card put back (an undo) shows its total again: its ballots were kept.
      if (!this.meta().votesHidden) writeTally(this, change.card.id);
      return;
    }
    const draft =
      change.op === 'card:set' || change.op === 'card:remove' ? this.secrets.draft(change.id) : undefined;
    if (draft && change.op === 'card:set') this.secrets.putDraft({ ...draft, ...change.fields });
    else if (draft) this.secrets.retireDraft(draft.id);
    else {
      if (change.op === 'card:remove') {
        this.secrets.removeAuthor(change.id);
        // A removed card's total goes with it; its ballots stay stored and stop counting.
        talliesRoot(this.doc).delete(change.id);
      }
      this.shared.apply([change]);
    }
  }

  private withAuthor(card: Card): Card {
    const author = this.secrets.authorOfCard(card.id);
    return author === undefined ? card : { ...card, authorId: author };
  }
}
