/**
 * The join of edits to their arrivals (lib/edit-timing.ts), on updates made as Kaptár's server
 * makes them: one writer for everyone's intents, several intents merged into one relayed message.
 */
import { applyIntent, type BoardIntent } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deliveryDelays, intentEdit, nextEdit, TimedRanges } from './lib/edit-timing.js';

const author = (participantId: string) => ({
  actor: { participantId, role: 'participant' as const },
  site: 'Falu',
});

/** Applies an intent as the server's room does; returns its effect and its update. */
function serverApplies(doc: Y.Doc, participantId: string, intent: BoardIntent) {
  let update: Uint8Array | undefined;
  const onUpdate = (u: Uint8Array) => {
    update = u;
  };
  doc.on('update', onUpdate);
  doc.transact(() => applyIntent(doc, author(participantId), intent));
  doc.off('update', onUpdate);
  const effect = { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) };
  return { effect, update: update as Uint8Array };
}

const KAPTAR = { skipClient: -1, oneEditPerClient: false, contiguous: true };

describe('edit timing', () => {
  it('joins intents to merged server messages by their effect, not counting the sender', () => {
    const doc = new Y.Doc();
    const add = (cardId: string, x: number): BoardIntent => ({
      type: 'card:add',
      cardId,
      kind: 'problem',
      text: 't',
      x,
      y: 0,
    });
    const a = serverApplies(doc, 'a', add('card-a', 1));
    const b = serverApplies(doc, 'b', add('card-b', 2));
    const move = serverApplies(doc, 'a', { type: 'card:move', cardId: 'card-a', x: 5, y: 5 });
    const made = new TimedRanges();
    made.noteEdit(intentEdit(a.effect), 0, 1);
    made.noteEdit(intentEdit(b.effect), 10, 2);
    made.noteEdit(intentEdit(move.effect), 20, 1);
    // The first two intents in one relayed message, the move in the next; three receivers.
    const first = Y.mergeUpdates([a.update, b.update]);
    const arrived = new TimedRanges();
    for (const receiver of [1, 2, 3]) {
      arrived.noteUpdate(first, { ...KAPTAR, receiver }, 15);
      arrived.noteUpdate(move.update, { ...KAPTAR, receiver }, 30);
    }
    const delays = [...deliveryDelays([made.take()], [arrived.take()])].sort((x, y) => x - y);
    // a's add to 2 and 3 (15), b's to 1 and 3 (5), the move to 2 and 3 (10).
    expect(delays).toEqual([5, 5, 10, 10, 15, 15]);
  });

  it('reads a relay’s one-edit messages from their header, skipping the receiver’s own', () => {
    const doc = new Y.Doc();
    const edit = nextEdit(doc);
    let update: Uint8Array = new Uint8Array();
    doc.on('update', (u: Uint8Array) => {
      update = u;
    });
    applyIntent(doc, author('a'), { type: 'card:add', cardId: 'c', kind: 'problem', text: 't', x: 0, y: 0 });
    const made = new TimedRanges();
    made.noteEdit(edit, 100, 1);
    const arrived = new TimedRanges();
    arrived.noteUpdate(
      update,
      { skipClient: doc.clientID, receiver: 1, oneEditPerClient: true, contiguous: false },
      103,
    );
    arrived.noteUpdate(
      update,
      { skipClient: 42, receiver: 2, oneEditPerClient: true, contiguous: false },
      107,
    );
    expect([...deliveryDelays([made.take()], [arrived.take()])]).toEqual([7]);
  });
});
