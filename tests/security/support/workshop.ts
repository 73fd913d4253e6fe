/**
 * Session A, where the attacks happen: a moderator, honest phones (a stock y-websocket reader and
 * an intent writer each), and ways to see what the server and every device hold.
 */
import { type BoardContents, readContents } from '@kaptar/board';
import type { CreateSessionReply, JoinReply } from '@kaptar/protocol';
import * as Y from 'yjs';
import type { ControlClient } from '../../support/control-client.js';
import type { Harness } from '../../support/harness.js';
import { createSession, joinSession, waitFor } from '../../support/server.js';
import type { BoardClient } from '../../support/yjs-client.js';

export interface Phone {
  join: JoinReply;
  reader: BoardClient;
  control: ControlClient;
}

export interface Workshop {
  session: CreateSessionReply;
  boardId: string;
  moderator: { reader: BoardClient; control: ControlClient };
  phones: Phone[];
  /** The server's own document of the board, in plain data. */
  serverContents(): Promise<BoardContents>;
  /** The server's document itself, encoded (what a forger starts from). */
  serverState(): Promise<Uint8Array>;
  serverClientId(): Promise<number>;
  /** Entries in each root of the server's document, junk included (readContents skips junk). */
  serverRoots(): Promise<Record<string, number>>;
  /** Waits until the moderator and every phone (but `except`) hold exactly what the server holds; returns it. */
  everyoneAgrees(what?: string, except?: Phone[]): Promise<BoardContents>;
}

/** The people of session A: who joined, with their tokens (devices are opened per test). */
export interface WorkshopPeople {
  session: CreateSessionReply;
  joins: JoinReply[];
}

export async function workshopPeople(kaptar: Harness, names: string[]): Promise<WorkshopPeople> {
  const session = await createSession(kaptar.server);
  const joins: JoinReply[] = [];
  for (const [index, name] of names.entries()) {
    joins.push(
      await joinSession(kaptar.server, session.joinCode, name, index % 2 ? 'Felsőtelep' : 'Alsóváros'),
    );
  }
  return { session, joins };
}

export async function workshop(kaptar: Harness, names: string[] = ['Anna', 'Béla']): Promise<Workshop> {
  return openWorkshop(kaptar, await workshopPeople(kaptar, names));
}

/** Opens everyone's devices on the session's first board (closed by the harness after the test). */
export async function openWorkshop(kaptar: Harness, { session, joins }: WorkshopPeople): Promise<Workshop> {
  const boardId = session.boards[0]?.id as string;
  const phones: Phone[] = [];
  for (const join of joins) {
    phones.push({
      join,
      reader: await kaptar.board(boardId, join.participantToken),
      control: await kaptar.control(join.participantToken),
    });
  }
  const moderator = {
    reader: await kaptar.board(boardId, session.moderatorToken),
    control: await kaptar.control(session.moderatorToken),
  };
  const rooms = () => kaptar.server.app.rooms;
  const serverContents = () => rooms().withRoom(boardId, (room) => readContents(room.doc));
  return {
    session,
    boardId,
    moderator,
    phones,
    serverContents,
    serverState: () => rooms().withRoom(boardId, (room) => Y.encodeStateAsUpdate(room.doc)),
    serverClientId: () => rooms().withRoom(boardId, (room) => room.doc.clientID),
    serverRoots: () => rooms().withRoom(boardId, (room) => rootSizes(room.doc)),
    async everyoneAgrees(what = 'every device to hold the server’s board', except = []) {
      const expected = JSON.stringify(await serverContents());
      const present = phones.filter((phone) => !except.includes(phone));
      const devices = [moderator.reader, ...present.map((phone) => phone.reader)];
      await waitFor(
        () => devices.every((device) => JSON.stringify(readContents(device.doc)) === expected),
        what,
      );
      return JSON.parse(expected) as BoardContents;
    },
  };
}

/**
 * Entries in each root of a document, junk included: for "nothing was applied" checks. A root
 * nobody has asked for by type yet (an unknown one, or any root of a freshly loaded document) is a
 * bare AbstractType: its keyed entries are the live items of `_map`, its sequence is `_length`.
 */
export function rootSizes(doc: Y.Doc): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [name, type] of doc.share) {
    const keyed = [...type._map.values()].filter((item) => !item.deleted).length;
    sizes[name] = keyed + type._length;
  }
  return sizes;
}
