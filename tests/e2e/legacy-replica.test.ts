import { addCard, listCards } from '@kaptar/board';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PHONE, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { createSession } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

const ui = useBrowser();
const open: Array<BoardClient | ControlClient> = [];
afterAll(() => {
  for (const client of open) 'destroy' in client ? client.destroy() : client.close();
});

describe('a phone that kept a copy of the board from before intents (write API v1)', () => {
  it('sends the cards it wrote offline once, as intents, and drops the old copy', async () => {
    const session = await createSession(ui.server, 'Régi telefon');
    const boardId = session.boards[0]?.id as string;
    const reader = await connectSynced(ui.server.wsUrl, boardId, session.moderatorToken);
    const moderator = await connectControl(ui.server.url, session.moderatorToken);
    open.push(reader, moderator);
    const phone = await ui.open(PHONE, `/join/${session.joinCode}`);
    await phone.getByLabel('A neved').fill('Nagy Irén');
    await phone.getByLabel('A településed').fill('Tanya');
    await phone.getByRole('button', { name: 'Belépek' }).click();
    await expect
      .poll(() => phone.getByTestId('connection-state').getAttribute('data-link'))
      .toBe('connected');
    await expect.poll(() => moderator.presence.list.some((person) => person.name === 'Nagy Irén')).toBe(true);
    const me = moderator.presence.list.find((person) => person.name === 'Nagy Irén')?.participantId as string;

    // The copy v1 kept: the phone wrote its card into its own replica, and the server never got it.
    const old = new Y.Doc();
    addCard(
      old,
      { participantId: me, role: 'participant' },
      {
        id: 'regikartya1',
        kind: 'problem',
        text: 'Offline írtam, még a frissítés előtt',
        site: 'Tanya',
        x: 52,
        y: 110,
      },
    );
    const update = [...Y.encodeStateAsUpdate(old)];
    const name = `kaptar:board:${boardId}:${me}`;
    await phone.evaluate(
      ([dbName, bytes]) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open(dbName as string);
          request.onupgradeneeded = () => {
            request.result.createObjectStore('updates', { autoIncrement: true });
            request.result.createObjectStore('custom');
          };
          request.onsuccess = () => {
            const tx = request.result.transaction('updates', 'readwrite');
            tx.objectStore('updates').add(new Uint8Array(bytes as number[]));
            tx.oncomplete = () => {
              request.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          request.onerror = () => reject(request.error);
        }),
      [name, update] as const,
    );

    await phone.reload();
    await expect
      .poll(() => listCards(reader.doc).map((card) => [card.id, card.text, card.authorId, card.site]))
      .toEqual([['regikartya1', 'Offline írtam, még a frissítés előtt', me, 'Tanya']]);
    const names = () => phone.evaluate(() => indexedDB.databases().then((all) => all.map((db) => db.name)));
    await expect.poll(async () => (await names()).includes(name)).toBe(false);
    // Once only: another reload sends nothing more.
    await phone.reload();
    await expect
      .poll(() => phone.getByTestId('connection-state').getAttribute('data-link'))
      .toBe('connected');
    await phone.waitForTimeout(500);
    expect(listCards(reader.doc)).toHaveLength(1);
  });
});
