import path from 'node:path';
import { addCard, listCards, MAX_CARD_TEXT } from '@kaptar/board';
import { MAX_YJS_MESSAGE_BYTES, ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { newCard } from '../support/cards.js';
import { useServer } from '../support/harness.js';
import { addCardVia, applyIntents, intent } from '../support/intents.js';
import { rawMap } from '../support/junk.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

/** What the server allows a connection to send of updates and awareness before it is closed (4405). */
const READ_ONLY_BUDGET = 64 * 1024;

async function workshop() {
  const session = await createSession(kaptar.server);
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  const boardId = session.boards[0]?.id as string;
  return { session, anna, boardId };
}

/** A raw websocket that records every message; `outcome` is the close code or a refused upgrade's status. */
function rawSocket(boardId: string, token: string, query = '') {
  const socket = new WebSocket(
    `${kaptar.server.wsUrl}${YJS_PATH}/${boardId}?token=${encodeURIComponent(token)}${query}`,
  );
  const received: Uint8Array[] = [];
  socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const outcome = new Promise<{ closeCode?: number; httpStatus?: number }>((resolve) => {
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('unexpected-response', (_, response) => resolve({ httpStatus: response.statusCode }));
    socket.on('error', () => undefined);
  });
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  return { socket, outcome, opened, received };
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const updateMessage = (update: Uint8Array) => syncMessage((e) => syncProtocol.writeUpdate(e, update));
const step1Message = (doc: Y.Doc) => syncMessage((e) => syncProtocol.writeSyncStep1(e, doc));

function awarenessMessage(payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Message type and, for sync messages, the sub-type (0 = SyncStep1, a request for the receiver's state). */
function kindOf(message: Uint8Array): string {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  return type === 0 ? `sync/${decoding.readVarUint(decoder)}` : String(type);
}

/**
 * Asks the server for the whole board on the raw socket and reads the answer: proves the socket
 * is still open and served, and shows what the server's own document holds.
 */
async function serverBoardOver(raw: ReturnType<typeof rawSocket>): Promise<Y.Doc> {
  const seen = raw.received.length;
  raw.socket.send(step1Message(new Y.Doc()));
  await waitFor(
    () => raw.received.slice(seen).some((message) => kindOf(message) === 'sync/1'),
    'the answer to a sync request',
  );
  const answer = raw.received.slice(seen).find((message) => kindOf(message) === 'sync/1') as Uint8Array;
  const decoder = decoding.createDecoder(answer);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  return doc;
}

describe('Yjs rooms over the y-websocket protocol', () => {
  it('every stock reader gets the changes made with intents, until all hold the same board', async () => {
    const { session, anna, boardId } = await workshop();
    const moderator = await kaptar.board(boardId, session.moderatorToken);
    const participant = await kaptar.board(boardId, anna.participantToken);
    const annaControl = await kaptar.control(anna.participantToken);
    const moderatorControl = await kaptar.control(session.moderatorToken);

    const fromAnna = await addCardVia(annaControl, boardId, 'Nincs orvos a faluban');
    await addCardVia(moderatorControl, boardId, 'Közösségi ház', 'resource');
    await waitFor(
      () => listCards(moderator.doc).length === 2 && listCards(participant.doc).length === 2,
      'both cards on both clients',
    );

    await applyIntents(annaControl, boardId, [
      intent('card:edit', { cardId: fromAnna, text: 'Nincs állandó orvos a faluban' }),
      intent('card:move', { cardId: fromAnna, area: 'resources' }),
    ]);
    await waitFor(
      () =>
        [moderator, participant].every((client) =>
          listCards(client.doc).some(
            (c) => c.text === 'Nincs állandó orvos a faluban' && c.area === 'resources',
          ),
        ),
      'the edit and move to arrive',
    );
    expect(listCards(moderator.doc)).toEqual(listCards(participant.doc));
    const annas = listCards(moderator.doc).find((card) => card.id === fromAnna);
    expect(annas).toMatchObject({ authorId: anna.participantId, site: 'Alsóváros', area: 'resources' });
  });

  it('refuses a missing token, a wrong token and a token of another session before the upgrade', async () => {
    const { boardId } = await workshop();
    const other = await createSession(kaptar.server);
    expect(await rawSocket(boardId, '').outcome).toEqual({ httpStatus: 401 });
    expect(await rawSocket(boardId, 'wrong-token').outcome).toEqual({ httpStatus: 401 });
    expect(await rawSocket(boardId, other.moderatorToken).outcome).toEqual({ httpStatus: 403 });
    expect(await rawSocket('no-such-board', other.moderatorToken).outcome).toEqual({ httpStatus: 403 });
  });

  it('closes a connection that sends garbage, while another client on the board carries on', async () => {
    const { session, anna, boardId } = await workshop();
    const observer = await kaptar.board(boardId, anna.participantToken);

    const frames = [
      new Uint8Array([0, 0, 200, 1, 2]), // sync request whose state vector runs past the end
      new Uint8Array([7]), // unknown message type
      new Uint8Array([0, 9, 0]), // unknown sync sub-type
      new Uint8Array([]), // no message type at all
      new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255]), // varint garbage
    ];
    for (const frame of frames) {
      const bad = rawSocket(boardId, anna.participantToken);
      await bad.opened;
      bad.socket.send(frame);
      expect(await bad.outcome, `frame ${[...frame].join(',')}`).toEqual({ closeCode: ROOM_CLOSE.malformed });
    }
    const text = rawSocket(boardId, anna.participantToken);
    await text.opened;
    text.socket.send('hello');
    expect(await text.outcome).toEqual({ closeCode: ROOM_CLOSE.malformed });

    await addCardVia(await kaptar.control(session.moderatorToken), boardId, 'Még mindig működik');
    await waitFor(() => listCards(observer.doc).length === 1, 'the healthy edit to arrive');
  });

  it("drops a client's own Yjs writes: nothing changes on the server or other replicas, the connection stays open", async () => {
    const { session, anna, boardId } = await workshop();
    const observer = await kaptar.board(boardId, session.moderatorToken);
    const annaReplica = await kaptar.board(boardId, anna.participantToken);
    const annaActs = { participantId: anna.participantId, role: 'participant' as const };

    // A stock provider sends whatever is written to its replica: a card written there, as an old client would.
    const local = addCard(annaReplica.doc, annaActs, newCard('Csak a saját telefonomon'));
    // A hand-made one sends a forged card (over-long text), a card under someone else's name and junk bytes.
    const forged = new Y.Doc();
    forged.getMap('cards').set('forged', rawMap({ ...newCard('x'.repeat(MAX_CARD_TEXT + 1)), createdAt: 1 }));
    addCard(forged, { participantId: 'someone-else', role: 'moderator' }, newCard('Álnéven'));
    const attacker = rawSocket(boardId, anna.participantToken);
    await attacker.opened;
    attacker.socket.send(updateMessage(Y.encodeStateAsUpdate(forged)));
    attacker.socket.send(new Uint8Array([0, 2, 5, 255, 255, 255, 255, 255])); // a SyncStep2 of junk
    attacker.socket.send(new Uint8Array([0, 2, 200, 1, 2])); // an update that runs past its end

    // Proof the observer would have seen them: a card sent after them, as an intent, arrives alone.
    const honest = await addCardVia(await kaptar.control(anna.participantToken), boardId, 'Rendes kártya');
    await waitFor(() => listCards(observer.doc).length === 1, 'the honest card');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listCards(observer.doc).map((card) => card.id)).toEqual([honest]);
    expect(observer.doc.getMap('cards').size).toBe(1);

    // The server's own document holds only the honest card, and both writers are still connected.
    const onServer = await serverBoardOver(attacker);
    expect([...onServer.getMap('cards').keys()]).toEqual([honest]);
    const fresh = await kaptar.board(boardId, session.moderatorToken);
    expect(listCards(fresh.doc).map((card) => card.id)).toEqual([honest]);
    expect(annaReplica.provider.wsconnected).toBe(true);
    // Anna's replica still shows her local card: the server never asks a replica for its state.
    expect(annaReplica.doc.getMap('cards').has(local.id)).toBe(true);
    expect(attacker.socket.readyState).toBe(WebSocket.OPEN);
    attacker.socket.close();
  });

  it('closes a connection that keeps writing beyond its budget with 4405, and only that one', async () => {
    const { session, anna, boardId } = await workshop();
    const observer = await kaptar.board(boardId, session.moderatorToken);
    const writer = rawSocket(boardId, anna.participantToken);
    await writer.opened;

    // Updates and awareness together, each of 4 KiB: under the budget the connection is kept...
    const chunk = 4 * 1024;
    const filler = new Doc4k(chunk);
    let sent = 0;
    for (let i = 0; sent + 2 * chunk < READ_ONLY_BUDGET; i++) {
      const message = i % 2 ? awarenessMessage(new Uint8Array(chunk - 8)) : filler.update();
      writer.socket.send(message);
      sent += message.byteLength;
    }
    expect((await serverBoardOver(writer)).getMap('cards').size).toBe(0);
    expect(writer.socket.readyState).toBe(WebSocket.OPEN);

    // ...and beyond it, it is closed as a writer.
    for (let i = 0; i < 4; i++) writer.socket.send(filler.update());
    expect(await writer.outcome).toEqual({ closeCode: ROOM_CLOSE.readOnly });

    // Nothing of it reached the board, and another connection on it is served as before.
    await addCardVia(await kaptar.control(anna.participantToken), boardId, 'Utána');
    await waitFor(() => listCards(observer.doc).length === 1, 'a card after the close');
    expect(observer.provider.wsconnected).toBe(true);
  });

  it('closes a connection whose message is over the size limit (1009)', async () => {
    const { anna, boardId } = await workshop();
    const big = rawSocket(boardId, anna.participantToken);
    await big.opened;
    big.socket.send(new Uint8Array(MAX_YJS_MESSAGE_BYTES + 1));
    expect(await big.outcome).toEqual({ closeCode: 1009 });

    // A message of exactly the limit is read (and, as a write, dropped), not refused.
    const atLimit = rawSocket(boardId, anna.participantToken);
    await atLimit.opened;
    const message = updateMessage(new Uint8Array(MAX_YJS_MESSAGE_BYTES - 5));
    expect(message.byteLength).toBe(MAX_YJS_MESSAGE_BYTES);
    atLimit.socket.send(message);
    expect((await serverBoardOver(atLimit)).getMap('cards').size).toBe(0);
    atLimit.socket.close();
  });

  it("never relays a client's awareness, and never asks a client for its state", async () => {
    const { session, anna, boardId } = await workshop();
    const annaReplica = await kaptar.board(boardId, anna.participantToken);
    const other = await kaptar.board(boardId, session.moderatorToken);
    const listener = rawSocket(boardId, session.moderatorToken);
    await listener.opened;
    listener.socket.send(step1Message(new Y.Doc()));

    // Anna's stock provider announces her cursor; a hand-made client announces a fake one.
    annaReplica.provider.awareness.setLocalStateField('user', { name: 'Anna' });
    const fake = new awarenessProtocol.Awareness(new Y.Doc());
    fake.setLocalState({ user: { name: 'Moderátor' } });
    const attacker = rawSocket(boardId, anna.participantToken);
    await attacker.opened;
    attacker.socket.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(fake, [fake.clientID])));
    attacker.socket.send(new Uint8Array([3])); // "tell me everyone's awareness"
    // A change from the server passes by, so the sockets are known to be served meanwhile.
    await addCardVia(await kaptar.control(session.moderatorToken), boardId, 'Közben');
    await waitFor(() => listCards(other.doc).length === 1, 'the card on the other replica');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect([...other.provider.awareness.getStates().keys()]).toEqual([other.doc.clientID]);
    const kinds = [...listener.received, ...attacker.received].map(kindOf);
    expect(kinds.filter((kind) => kind === '1')).toEqual([]);
    expect(kinds).not.toContain('sync/0');
    expect(kinds).toContain('sync/1');
    expect(kinds).toContain('sync/2');
    listener.socket.close();
    attacker.socket.close();
  });

  it("closes a replica of another epoch of the board with 4410, and serves the board's own epoch", async () => {
    const { session, boardId } = await workshop();
    await addCardVia(await kaptar.control(session.moderatorToken), boardId, 'Ebben a korszakban');
    const stale = rawSocket(boardId, session.moderatorToken, '&epoch=an-older-epoch');
    expect(await stale.outcome).toEqual({ closeCode: ROOM_CLOSE.staleReplica });

    const db = new Database(path.join(kaptar.server.dataDir, 'kaptar.sqlite'), { readonly: true });
    const { epoch } = db.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId) as { epoch: string };
    db.close();
    expect(epoch).not.toBe('');
    const current = rawSocket(boardId, session.moderatorToken, `&epoch=${encodeURIComponent(epoch)}`);
    await current.opened;
    expect(listCards(await serverBoardOver(current)).map((card) => card.text)).toEqual([
      'Ebben a korszakban',
    ]);
    current.socket.close();
  });
});

/** Yjs updates of about `size` bytes each, for filling a connection's write budget. */
class Doc4k {
  private readonly doc = new Y.Doc();
  private n = 0;

  constructor(private readonly size: number) {}

  update(): Uint8Array {
    let made: Uint8Array = new Uint8Array();
    const keep = (update: Uint8Array) => {
      made = update;
    };
    this.doc.once('update', keep);
    this.doc.getMap('junk').set(`k${this.n++}`, 'x'.repeat(this.size - 40));
    return updateMessage(made);
  }
}
