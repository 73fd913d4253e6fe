import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  bringEveryone,
  NO_SESSION_SHARED,
  observeSessionShared,
  readSessionShared,
  SESSION_ROOT,
  setClosed,
  setFocus,
  showInitiatives,
  showOnScreen,
} from './session-doc.js';

/** A replica as a device holds it: the server's updates applied to a document of its own. */
function replicaOf(server: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  server.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update));
  return replica;
}

describe('the session document', () => {
  it('starts with nothing on the screen, nobody brought anywhere and no focus', () => {
    expect(readSessionShared(new Y.Doc())).toEqual(NO_SESSION_SHARED);
  });

  it('puts the moderator’s board on the screen, writing nothing when it is there already', () => {
    const doc = new Y.Doc();
    const replica = replicaOf(doc);
    expect(showOnScreen(doc, 'b1')).toBe(true);
    const before = Y.encodeStateVector(doc);
    expect(showOnScreen(doc, 'b1')).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(showOnScreen(doc, 'b2')).toBe(true);
    expect(readSessionShared(replica).screen).toEqual({ boardId: 'b2' });
  });

  it('brings everyone to a board: each bring has its own moment, and the screen goes along', () => {
    const doc = new Y.Doc();
    const replica = replicaOf(doc);
    bringEveryone(doc, 'b2', 1000);
    expect(readSessionShared(replica)).toMatchObject({
      screen: { boardId: 'b2' },
      broughtTo: { boardId: 'b2', at: 1000 },
    });
    bringEveryone(doc, 'b2', 2000);
    expect(readSessionShared(replica).broughtTo).toEqual({ boardId: 'b2', at: 2000 });
  });

  it('puts a card or a group on the screen (and its board), and takes it off', () => {
    const doc = new Y.Doc();
    const replica = replicaOf(doc);
    const seen: unknown[] = [];
    const stop = observeSessionShared(replica, (shared) => seen.push(shared.focus));
    setFocus(doc, { boardId: 'b3', kind: 'group', id: 'g1', onPhones: true });
    expect(readSessionShared(replica)).toMatchObject({
      screen: { boardId: 'b3' },
      focus: { boardId: 'b3', kind: 'group', id: 'g1', onPhones: true },
    });
    setFocus(doc, null);
    expect(readSessionShared(replica).focus).toBeNull();
    // The screen stays where the presenter left it.
    expect(readSessionShared(replica).screen).toEqual({ boardId: 'b3' });
    stop();
    expect(seen).toEqual([{ boardId: 'b3', kind: 'group', id: 'g1', onPhones: true }, null]);
  });

  it('shows the initiatives on the screen until taken off or another board is shown; a reload keeps them', () => {
    const doc = new Y.Doc();
    const replica = replicaOf(doc);
    showOnScreen(doc, 'b1');
    showInitiatives(doc, true);
    expect(readSessionShared(replica)).toMatchObject({
      screen: { boardId: 'b1' },
      initiativesOnScreen: true,
    });
    // The moderator's page sends its board again whenever it opens.
    expect(showOnScreen(doc, 'b1')).toBe(false);
    expect(readSessionShared(replica).initiativesOnScreen).toBe(true);
    showInitiatives(doc, false);
    expect(readSessionShared(replica).initiativesOnScreen).toBe(false);
    showInitiatives(doc, true);
    expect(showOnScreen(doc, 'b2')).toBe(true);
    expect(readSessionShared(replica)).toMatchObject({
      screen: { boardId: 'b2' },
      initiativesOnScreen: false,
    });
  });

  it('marks the session closed and open again, writing nothing when it already is', () => {
    const doc = new Y.Doc();
    const replica = replicaOf(doc);
    setClosed(doc, true);
    const before = Y.encodeStateVector(doc);
    setClosed(doc, true);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readSessionShared(replica).closed).toBe(true);
    setClosed(doc, false);
    expect(readSessionShared(replica).closed).toBe(false);
  });

  it('reads a field off its shape as nothing, never as a half value', () => {
    const doc = new Y.Doc();
    const map = doc.getMap(SESSION_ROOT);
    map.set('screen', { boardId: 'not an id!' });
    map.set('broughtTo', { boardId: 'b1', at: 'yesterday' });
    map.set('focus', { boardId: 'b1', kind: 'area', id: 'c1', onPhones: true });
    expect(readSessionShared(doc)).toEqual(NO_SESSION_SHARED);
    map.set('focus', { boardId: 'b1', kind: 'card', id: 'c1', onPhones: 'yes' });
    expect(readSessionShared(doc).focus).toEqual({ boardId: 'b1', kind: 'card', id: 'c1', onPhones: false });
  });
});
