import { addCard, getCard, listCards, readMeta, voteTotals } from '@kaptar/board';
import { ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { newCard } from '../support/cards.js';
import { useServer } from '../support/harness.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

/** A board with Anna's and Béla's cards, one vote cast, and everyone's tokens. */
async function votedBoard() {
  const session = await createSession(kaptar.server);
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  const bela = await joinSession(kaptar.server, session.joinCode, 'Béla', 'Felsőtelep');
  const annaBoard = await kaptar.board(boardId, anna.participantToken);
  const belaBoard = await kaptar.board(boardId, bela.participantToken);
  const annaCard = addCard(
    annaBoard.doc,
    { participantId: anna.participantId, role: 'participant' },
    newCard('Anna'),
  );
  const belaCard = addCard(
    belaBoard.doc,
    { participantId: bela.participantId, role: 'participant' },
    newCard('Béla'),
  );
  const observer = await kaptar.board(boardId, session.moderatorToken);
  await waitFor(() => listCards(observer.doc).length === 2, 'both cards on the server');
  const moderator = await kaptar.control(session.moderatorToken);
  await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } });
  await (await kaptar.control(bela.participantToken)).ask('vote', { boardId, cardId: belaCard.id, delta: 1 });
  await waitFor(() => voteTotals(observer.doc).get(belaCard.id) === 1, 'the vote on the observer');
  return { session, boardId, anna, annaCard, belaCard, observer, moderator };
}

/**
 * Forges a change the way a hand-made client would: start from the server's board, change it
 * with the raw Yjs API, send only the change over a raw websocket. Resolves with the close code,
 * or null if the connection stayed open.
 */
async function sendForged(boardId: string, token: string, base: Y.Doc, change: (doc: Y.Doc) => void) {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(forged);
  change(forged);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forged, before));
  const socket = new WebSocket(`${kaptar.server.wsUrl}${YJS_PATH}/${boardId}?token=${token}`);
  await new Promise((resolve) => socket.on('open', resolve));
  const closed = new Promise<number>((resolve) => socket.on('close', resolve));
  socket.send(encoding.toUint8Array(encoder));
  const code = await Promise.race([
    closed,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 400)),
  ]);
  socket.close();
  return code;
}

describe('hand-crafted Yjs updates over a raw websocket', () => {
  it('a participant cannot write the protected roots: refused, closed, nothing changes', async () => {
    const { boardId, anna, belaCard, observer } = await votedBoard();
    const cases: Array<(doc: Y.Doc) => void> = [
      (doc) => doc.getMap('meta').set('locked', true),
      (doc) => doc.getMap('meta').set('voteBudget', 50),
      (doc) => doc.getMap<Y.Map<number>>('votes').get(belaCard.id)?.set(anna.participantId, 40),
      (doc) => doc.getMap<Y.Map<number>>('votes').get(belaCard.id)?.clear(),
      (doc) => doc.getMap('votes').set('new-card', new Y.Map()),
    ];
    for (const change of cases) {
      expect(await sendForged(boardId, anna.participantToken, observer.doc, change)).toBe(
        ROOM_CLOSE.refusedUpdate,
      );
    }
    expect(readMeta(observer.doc)).toMatchObject({ locked: false, voteBudget: 5 });
    expect(voteTotals(observer.doc).get(belaCard.id)).toBe(1);
  });

  it("a participant cannot rewrite or delete another participant's card: not applied, connection kept", async () => {
    const { boardId, anna, belaCard, observer, moderator } = await votedBoard();
    await moderator.ask('board:settings', { boardId, settings: { phase: 'collect' } });
    await waitFor(() => readMeta(observer.doc).phase === 'collect', 'back to collect');
    const text = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards').get(belaCard.id)?.set('text', 'Átírva');
    // Possibly an honest relay after a crash, so the connection stays open; nothing is applied.
    expect(await sendForged(boardId, anna.participantToken, observer.doc, text)).toBeNull();
    const remove = (doc: Y.Doc) => doc.getMap('cards').delete(belaCard.id);
    expect(await sendForged(boardId, anna.participantToken, observer.doc, remove)).toBeNull();
    // Broken invariants are never honest: refused and closed.
    const tooLong = (doc: Y.Doc) =>
      doc.getMap<Y.Map<unknown>>('cards').get(belaCard.id)?.set('text', 'x'.repeat(281));
    expect(await sendForged(boardId, anna.participantToken, observer.doc, tooLong)).toBe(
      ROOM_CLOSE.refusedUpdate,
    );
    expect(getCard(observer.doc, belaCard.id)?.text).toBe('Béla');
    expect(listCards(observer.doc).map((card) => card.text)).toContain('Béla');
  });

  it("a viewer's writes are dropped without closing; a locked board holds participants' writes until unlocked", async () => {
    const { session, boardId, anna, annaCard, observer, moderator } = await votedBoard();
    await moderator.ask('board:settings', { boardId, settings: { phase: 'collect' } });
    const moveByViewer = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards').get(annaCard.id)?.set('x', 999);
    expect(await sendForged(boardId, session.viewerToken, observer.doc, moveByViewer)).toBeNull();
    expect(getCard(observer.doc, annaCard.id)?.x).not.toBe(999);

    // Anna's phone, with a stock client, writes while the board is locked.
    expect(await moderator.ask('board:settings', { boardId, settings: { locked: true } })).toEqual({
      ok: true,
    });
    const annaBoard = await kaptar.board(boardId, anna.participantToken);
    await waitFor(() => readMeta(annaBoard.doc).locked, 'the lock on the phone');
    annaBoard.doc.getMap<Y.Map<unknown>>('cards').get(annaCard.id)?.set('text', 'Zárás alatt írva');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(getCard(observer.doc, annaCard.id)?.text).toBe('Anna');
    expect(annaBoard.provider.wsconnected).toBe(true);

    // Unlocked: the kaptar.server asks again and the held-back edit arrives.
    await moderator.ask('board:settings', { boardId, settings: { locked: false } });
    await waitFor(
      () => getCard(observer.doc, annaCard.id)?.text === 'Zárás alatt írva',
      'the held-back edit',
    );
  });
});
