// One load-generator process: `count` stock y-websocket clients on one board. Each moves its own
// card once a second, writing the send time into `x`; every client records how long each other
// client's move took to arrive. Plain JavaScript so many of these start fast.
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const { serverUrl, room, people, durationMs, intervalMs } = JSON.parse(process.argv[2]);
// Every provider adds an exit listener; hundreds per process are expected here.
process.setMaxListeners(0);
const latencies = [];
const clients = people.map(({ token, participantId }) => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: WebSocket,
    disableBc: true,
  });
  const cards = doc.getMap('cards');
  cards.observeDeep((events, transaction) => {
    if (transaction.local) return;
    const now = performance.timeOrigin + performance.now();
    for (const event of events) {
      if (event.target === cards) continue;
      if (event.keysChanged?.has('x')) latencies.push(now - event.target.get('x'));
    }
  });
  return { doc, provider, participantId, cardId: `c-${participantId}` };
});

const synced = () => clients.every((c) => c.provider.synced);
while (!synced()) await new Promise((resolve) => setTimeout(resolve, 50));
for (const client of clients) {
  const card = new Y.Map();
  for (const [key, value] of Object.entries({
    kind: 'problem',
    text: 'mérés',
    authorId: client.participantId,
    site: 'bench',
    x: 0,
    y: 0,
    createdAt: Date.now(),
  }))
    card.set(key, value);
  client.doc.getMap('cards').set(client.cardId, card);
}
process.send?.({ ready: true });
await new Promise((resolve) => process.once('message', resolve));

const end = Date.now() + durationMs;
let sent = 0;
await Promise.all(
  clients.map(async (client) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalMs));
    while (Date.now() < end) {
      client.doc
        .getMap('cards')
        .get(client.cardId)
        ?.set('x', performance.timeOrigin + performance.now());
      sent++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }),
);
await new Promise((resolve) => setTimeout(resolve, 1000));
process.send?.({ latencies, sent });
for (const client of clients) client.provider.destroy();
process.exit(0);
