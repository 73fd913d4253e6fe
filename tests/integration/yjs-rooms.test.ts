import { addCard, editCard, listCards, MAX_CARD_TEXT, moveCard } from '@kaptar/board';
import { MAX_YJS_MESSAGE_BYTES, ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { moderatorOf, newCard } from '../support/cards.js';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

let server: TestServer;
const clients: BoardClient[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(() => server.stop());

async function connect(boardId: string, token: string) {
  const client = await connectSynced(server.wsUrl, boardId, token);
  clients.push(client);
  return client;
}

async function workshop() {
  const session = await createSession(server);
  const anna = await joinSession(server, session.joinCode, 'Anna', 'Alsóváros');
  const boardId = session.boards[0]?.id as string;
  return { session, anna, boardId };
}

/** Opens a raw websocket; resolves with the close code (or the HTTP status of a refused upgrade). */
function rawSocket(boardId: string, token: string) {
  const socket = new WebSocket(`${server.wsUrl}${YJS_PATH}/${boardId}?token=${encodeURIComponent(token)}`);
  const outcome = new Promise<{ closeCode?: number; httpStatus?: number }>((resolve) => {
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('unexpected-response', (_, response) => resolve({ httpStatus: response.statusCode }));
    socket.on('error', () => undefined);
  });
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  return { socket, outcome, opened };
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('Yjs rooms over the y-websocket protocol', () => {
  it('relays cards between two stock clients until both hold the same board', async () => {
    const { session, anna, boardId } = await workshop();
    const moderator = await connect(boardId, session.moderatorToken);
    const participant = await connect(boardId, anna.participantToken);

    const annaActs = { participantId: anna.participantId, role: 'participant' as const };
    const fromAnna = addCard(participant.doc, annaActs, newCard('Nincs orvos a faluban'));
    addCard(moderator.doc, moderatorOf(session), newCard('Közösségi ház', 'resource'));
    await waitFor(
      () => listCards(moderator.doc).length === 2 && listCards(participant.doc).length === 2,
      'both cards on both clients',
    );

    editCard(participant.doc, annaActs, fromAnna.id, 'Nincs állandó orvos a faluban');
    moveCard(participant.doc, annaActs, fromAnna.id, 500, 300);
    await waitFor(
      () => listCards(moderator.doc).some((c) => c.text === 'Nincs állandó orvos a faluban' && c.x === 500),
      'the edit and move to arrive',
    );
    expect(listCards(moderator.doc)).toEqual(listCards(participant.doc));
  });

  it('refuses a missing token, a wrong token and a token of another session before the upgrade', async () => {
    const { boardId } = await workshop();
    const other = await createSession(server);
    expect(await rawSocket(boardId, '').outcome).toEqual({ httpStatus: 401 });
    expect(await rawSocket(boardId, 'wrong-token').outcome).toEqual({ httpStatus: 401 });
    expect(await rawSocket(boardId, other.moderatorToken).outcome).toEqual({ httpStatus: 403 });
    expect(await rawSocket('no-such-board', other.moderatorToken).outcome).toEqual({ httpStatus: 403 });
  });

  it('closes a connection that sends garbage, while another client on the board carries on', async () => {
    const { session, anna, boardId } = await workshop();
    const healthy = await connect(boardId, session.moderatorToken);
    const observer = await connect(boardId, anna.participantToken);

    const frames = [
      new Uint8Array([0, 2, 200, 1, 2]), // update whose length runs past the end
      new Uint8Array([7]), // unknown message type
      new Uint8Array([0, 9, 0]), // unknown sync sub-type
      new Uint8Array([0, 2, 5, 255, 255, 255, 255, 255]), // varint garbage as an update
    ];
    for (const frame of frames) {
      const bad = rawSocket(boardId, anna.participantToken);
      await bad.opened;
      bad.socket.send(frame);
      expect(await bad.outcome).toEqual({ closeCode: ROOM_CLOSE.malformed });
    }
    const text = rawSocket(boardId, anna.participantToken);
    await text.opened;
    text.socket.send('hello');
    expect(await text.outcome).toEqual({ closeCode: ROOM_CLOSE.malformed });

    addCard(healthy.doc, moderatorOf(session), newCard('Még mindig működik'));
    await waitFor(() => listCards(observer.doc).length === 1, 'the healthy edit to arrive');
  });

  it('refuses an update with over-long card text without applying it', async () => {
    const { session, anna, boardId } = await workshop();
    const observer = await connect(boardId, session.moderatorToken);

    const forged = new Y.Doc();
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(newCard('x'.repeat(MAX_CARD_TEXT + 1)))) {
      map.set(key, value);
    }
    forged.getMap('cards').set('forged', map);
    const attacker = rawSocket(boardId, anna.participantToken);
    await attacker.opened;
    attacker.socket.send(syncUpdateMessage(Y.encodeStateAsUpdate(forged)));
    expect(await attacker.outcome).toEqual({ closeCode: ROOM_CLOSE.refusedUpdate });

    // Prove the observer would have seen it: a valid card sent after the forged one arrives alone.
    const honest = await connect(boardId, anna.participantToken);
    addCard(honest.doc, { participantId: anna.participantId, role: 'participant' }, newCard('Rendes kártya'));
    await waitFor(() => listCards(observer.doc).length === 1, 'the honest card');
    expect(observer.doc.getMap('cards').has('forged')).toBe(false);
  });

  it('closes a connection whose message is over the size limit', async () => {
    const { anna, boardId } = await workshop();
    const big = rawSocket(boardId, anna.participantToken);
    await big.opened;
    big.socket.send(new Uint8Array(MAX_YJS_MESSAGE_BYTES + 1));
    expect(await big.outcome).toEqual({ closeCode: 1009 });
  });
});
