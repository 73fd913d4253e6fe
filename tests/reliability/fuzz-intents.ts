/**
 * Intent batches for fuzzing the control plane: valid ones of every type on the board's own
 * cards and groups, then mutated (a field dropped, a value of the wrong type or size, a field
 * added, the type changed) or replaced by junk outright. Deterministic for a given `next`. Every
 * payload fits in one control message (64 KiB), so each one must be answered.
 */
import { MAX_CARD_TEXT, MAX_COORDINATE } from '@kaptar/board';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Payload = { [key: string]: Json };

const TYPES = [
  'card:add',
  'card:edit',
  'card:move',
  'card:delete',
  'card:group-with',
  'card:join-group',
  'card:leave-group',
  'group:create',
  'group:rename',
  'group:move',
  'group:dissolve',
];

function nested(depth: number): Json {
  let value: Json = 'deep';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Values a hand-made client might put anywhere. */
const JUNK: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  MAX_COORDINATE + 1,
  '',
  ' ',
  'x'.repeat(MAX_CARD_TEXT + 1),
  'x'.repeat(MAX_CARD_TEXT * 2 + 1),
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "'; DROP TABLE boards; --",
  '\u0000\u0001\u202e',
  '🧨'.repeat(300),
  '<script>alert(1)</script>',
  [],
  [1, 2, 3],
  {},
  JSON.parse('{"__proto__": {"admin": true}}') as Json,
  { toString: 'x' },
  nested(2000),
];

export interface IntentFuzzer {
  /** The next payload for `socket.emit('intents', payload, ack)`. */
  payload(): Json;
}

export function intentFuzzer(
  next: () => number,
  board: { boardId: string; otherBoardId: string; cardIds: string[]; groupIds: string[] },
): IntentFuzzer {
  let counter = 0;
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const id = () => `f${(counter++).toString(36)}${int(1e9).toString(36)}`;
  const someCard = () => (next() < 0.8 ? pick(board.cardIds) : id());
  const someGroup = () => (next() < 0.8 ? pick(board.groupIds) : id());
  const coordinate = () => int(2 * MAX_COORDINATE) - MAX_COORDINATE;

  const valid = (): Payload => {
    const type = pick(TYPES);
    const base: Payload = { id: id(), type };
    switch (type) {
      case 'card:add':
        return {
          ...base,
          cardId: id(),
          kind: pick(['problem', 'resource']),
          text: `kártya ${counter}`,
          x: 10,
          y: 10,
        };
      case 'card:edit':
        return { ...base, cardId: someCard(), text: `átírva ${counter}` };
      case 'card:move':
      case 'card:leave-group':
        return { ...base, cardId: someCard(), x: coordinate(), y: coordinate() };
      case 'card:delete':
        return { ...base, cardId: someCard() };
      case 'card:group-with':
        return { ...base, cardId: someCard(), targetId: someCard(), groupId: id() };
      case 'card:join-group':
        return { ...base, cardId: someCard(), groupId: someGroup() };
      case 'group:create':
        return { ...base, groupId: id(), cardIds: [someCard(), someCard()], title: `csoport ${counter}` };
      case 'group:rename':
        return { ...base, groupId: someGroup(), title: `név ${counter}` };
      case 'group:move':
        return { ...base, groupId: someGroup(), x: coordinate(), y: coordinate() };
      default:
        return { ...base, groupId: someGroup() };
    }
  };

  const mutated = (): Json => {
    const intent = valid();
    const keys = Object.keys(intent);
    switch (int(6)) {
      case 0: {
        const { [pick(keys)]: _dropped, ...rest } = intent;
        return rest;
      }
      case 1:
        return { ...intent, [pick(keys)]: pick(JUNK) };
      case 2:
        return {
          ...intent,
          [pick(['authorId', 'site', 'createdAt', '__proto__', 'constructor', 'role'])]: pick(JUNK),
        };
      case 3:
        return { ...intent, type: pick([...TYPES, 'card:steal', 'vote', '', 'CARD:ADD']) };
      case 4:
        return { ...intent, id: pick(JUNK) };
      default:
        return intent;
    }
  };

  return {
    payload() {
      const roll = next();
      if (roll < 0.05) return pick(JUNK);
      if (roll < 0.1)
        return { boardId: pick([board.otherBoardId, ...JUNK.slice(0, 12)]), intents: [valid()] };
      if (roll < 0.13)
        return { boardId: board.boardId, intents: Array.from({ length: 51 + int(250) }, valid) };
      if (roll < 0.16) return { boardId: board.boardId, intents: pick(JUNK), extra: pick(JUNK) };
      // Mostly valid intents with one mutated among them (which may still pass the schema): one
      // that fails it refuses the whole batch, so the board's own rules get the others.
      const intents: Json[] = Array.from({ length: 1 + int(5) }, valid);
      if (next() < 0.6) intents[int(intents.length)] = mutated();
      return { boardId: board.boardId, intents };
    },
  };
}
