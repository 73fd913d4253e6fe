import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, editCard, getCard } from './cards.js';
import { groupWith } from './groups.js';
import { updateMeta } from './meta.js';
import { authorshipProblems } from './rules.js';
import { MAX_CARD_TEXT } from './schema.js';
import { anna, newCard } from './test-helpers.js';
import { inspectUpdate } from './update-guard.js';
import { castVote } from './votes.js';

/** A server board and a client replica that starts in sync with it. */
function pair() {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const sync = () => Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client, sync };
}

/** The update `change` makes on the client, as it would travel to the server. */
function updateOf(client: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => {
    update = update ? Y.mergeUpdates([update, u]) : u;
  };
  client.on('update', capture);
  change();
  client.off('update', capture);
  if (!update) throw new Error('the change wrote nothing');
  return update;
}

describe('inspectUpdate', () => {
  it('accepts what the typed operations write, and counts new cards', () => {
    const { server, client } = pair();
    const update = updateOf(client, () =>
      addCard(client, anna, newCard({ kind: 'resource', text: 'Közösségi ház' })),
    );
    expect(inspectUpdate(server, update)).toMatchObject({
      problems: [],
      protectedRoots: new Set(),
      newCards: 1,
    });
  });

  it('refuses card text over the limit in a new card written around the operations', () => {
    const { server, client } = pair();
    const update = updateOf(client, () => {
      const map = new Y.Map<unknown>();
      map.set('kind', 'problem');
      map.set('text', 'x'.repeat(MAX_CARD_TEXT + 1));
      client.getMap('cards').set('c1', map);
    });
    expect(inspectUpdate(server, update).problems).toContain('invalid card text');
  });

  it('refuses an over-long text written over an existing card (the item carries no key of its own)', () => {
    const { server, client, sync } = pair();
    const { id } = addCard(server, anna, newCard());
    sync();
    const update = updateOf(client, () => {
      client
        .getMap<Y.Map<unknown>>('cards')
        .get(id)
        ?.set('text', 'x'.repeat(MAX_CARD_TEXT + 1));
    });
    expect(inspectUpdate(server, update).problems).toEqual(['invalid card text']);
  });

  it('refuses an unknown kind and text smuggled in as a nested type', () => {
    const { server, client } = pair();
    const update = updateOf(client, () => {
      const map = new Y.Map<unknown>();
      map.set('kind', 'spam');
      map.set('text', new Y.Text('x'.repeat(1000)));
      client.getMap('cards').set('c1', map);
    });
    expect(inspectUpdate(server, update).problems).toEqual(['invalid card kind', 'invalid card text']);
  });

  it('refuses writes to roots the board does not have', () => {
    const { server, client } = pair();
    const update = updateOf(client, () => client.getMap('junk').set('a', 1));
    expect(inspectUpdate(server, update).problems).toEqual(['writes to unknown root "junk"']);
  });

  it('reports writes into the protected roots, direct and nested', () => {
    const { server, client, sync } = pair();
    const { id } = addCard(server, anna, newCard());
    updateMeta(server, { phase: 'vote' });
    castVote(server, anna, id, 1);
    sync();
    const direct = updateOf(client, () => client.getMap('meta').set('locked', false));
    expect(inspectUpdate(server, direct).protectedRoots).toEqual(new Set(['meta']));
    const nested = updateOf(client, () => client.getMap<Y.Map<number>>('votes').get(id)?.set('bela', 50));
    expect(inspectUpdate(server, nested).protectedRoots).toEqual(new Set(['votes']));
  });

  it('reports deletions in the protected roots', () => {
    const { server, client, sync } = pair();
    const { id } = addCard(server, anna, newCard());
    updateMeta(server, { phase: 'vote' });
    castVote(server, anna, id, 1);
    sync();
    const update = updateOf(client, () => client.getMap<Y.Map<number>>('votes').get(id)?.delete('anna'));
    expect(inspectUpdate(server, update).protectedRoots).toEqual(new Set(['votes']));
  });

  it('ignores deletions in protected roots that the board already has (every sync resends them)', () => {
    const { server, client, sync } = pair();
    updateMeta(server, { phase: 'group' });
    updateMeta(server, { phase: 'collect' }); // deletes the first phase value
    sync();
    const update = updateOf(client, () => addCard(client, anna, newCard()));
    const full = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(inspectUpdate(server, update).protectedRoots).toEqual(new Set());
    expect(inspectUpdate(server, full).protectedRoots).toEqual(new Set());
  });

  it("ignores content the board already has, the server's own writes included (a reload resends everything)", () => {
    const { server, client, sync } = pair();
    const { id } = addCard(server, anna, newCard());
    updateMeta(server, { phase: 'vote' });
    castVote(server, anna, id, 1);
    sync();
    const everything = Y.encodeStateAsUpdate(client);
    expect(inspectUpdate(server, everything)).toMatchObject({
      problems: [],
      protectedRoots: new Set(),
      newCards: 0,
    });
  });

  it('lets an edit of a card deleted meanwhile through: it lands nowhere', () => {
    const { server, client, sync } = pair();
    const { id } = addCard(server, anna, newCard());
    sync();
    server.getMap('cards').delete(id);
    const update = updateOf(client, () => client.getMap<Y.Map<unknown>>('cards').get(id)?.set('x', 5));
    expect(inspectUpdate(server, update).problems).toEqual([]);
  });

  it('refuses an update that points at content the board does not have', () => {
    const { server, client, sync } = pair();
    const other = new Y.Doc();
    addCard(other, anna, newCard());
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other));
    sync();
    // The client edits a card the server never received: the update refers to unknown items.
    const [id] = [...client.getMap('cards').keys()];
    const update = updateOf(client, () =>
      client
        .getMap<Y.Map<unknown>>('cards')
        .get(id as string)
        ?.set('x', 1),
    );
    expect(inspectUpdate(server, update).problems).toEqual(['refers to content the board does not have']);
  });

  it('throws on bytes that are not an update', () => {
    expect(() => inspectUpdate(new Y.Doc(), new Uint8Array([255, 255, 255, 255, 255]))).toThrow();
  });
});

describe('authorship in updates', () => {
  function annaAndBelaBoard() {
    const { server, client, sync } = pair();
    const own = addCard(server, anna, newCard({ text: 'Anna kártyája' }));
    const other = addCard(
      server,
      { participantId: 'bela', role: 'participant' },
      newCard({ text: 'Béla kártyája' }),
    );
    sync();
    const authorOf = (id: string) => getCard(server, id)?.authorId;
    const problemsOf = (change: () => void) =>
      authorshipProblems(inspectUpdate(server, updateOf(client, change)), authorOf, 'anna');
    const cardMap = (id: string) => client.getMap<Y.Map<unknown>>('cards').get(id) as Y.Map<unknown>;
    return { client, own, other, problemsOf, cardMap };
  }

  it("lets a participant change their own card and group anyone's", () => {
    const { client, own, other, problemsOf, cardMap } = annaAndBelaBoard();
    expect(problemsOf(() => editCard(client, anna, own.id, 'Új szöveg'))).toEqual([]);
    expect(problemsOf(() => groupWith(client, anna, other.id, own.id))).toEqual([]);
    expect(problemsOf(() => cardMap(other.id).set('x', 999))).toEqual([]);
    expect(problemsOf(() => addCard(client, anna, newCard()))).toEqual([]);
    expect(problemsOf(() => deleteCard(client, anna, own.id))).toEqual([]);
  });

  it("refuses edits and deletions of another participant's card and cards in another name", () => {
    const { client, other, problemsOf, cardMap } = annaAndBelaBoard();
    expect(problemsOf(() => cardMap(other.id).set('text', 'Átírva'))).toEqual([
      "changes another participant's card",
    ]);
    // Deleting a card deletes its fields too: both are reported.
    expect(problemsOf(() => client.getMap('cards').delete(other.id))).toContain(
      "deletes another participant's card",
    );
    expect(
      problemsOf(() => addCard(client, { participantId: 'bela', role: 'participant' }, newCard())),
    ).toEqual(['creates a card in another name']);
  });
});

describe('full states', () => {
  it('accepts a whole board with deleted and merged content, as an archive or a reloaded phone sends it', () => {
    const doc = new Y.Doc();
    const kept = addCard(doc, anna, newCard({ text: 'Marad' }));
    for (let i = 0; i < 5; i++) editCard(doc, anna, kept.id, `Átírva ${i}`);
    const gone = addCard(doc, anna, newCard({ text: 'Törölt' }));
    deleteCard(doc, anna, gone.id);
    updateMeta(doc, { phase: 'group' });
    updateMeta(doc, { phase: 'collect' });
    const state = Y.encodeStateAsUpdate(doc);
    expect(Y.decodeUpdate(state).structs.some((struct) => struct instanceof Y.GC)).toBe(true);
    expect(inspectUpdate(new Y.Doc(), state).problems).toEqual([]);
  });
});
