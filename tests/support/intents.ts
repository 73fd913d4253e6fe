/** Writing a board as a device does: intents on the control plane, answered one by one. */
import { type AreaTarget, type CardKind, newId } from '@kaptar/board';
import type { Intent, IntentResult } from '@kaptar/protocol';
import type { ControlClient } from './control-client.js';

/** The intent of one type, without its id. */
export type IntentOf<T extends Intent['type']> = Extract<Intent, { type: T }>;

/** Any intent with a fresh random id, as a phone makes it. */
export function intent<T extends Intent['type']>(
  type: T,
  fields: Omit<IntentOf<T>, 'id' | 'type'>,
): IntentOf<T> {
  return { id: newId(), type, ...fields } as IntentOf<T>;
}

/**
 * A new card as a phone sends it: its own random id and, when given, its area (else the board
 * puts it in the first area of its kind); `{x, y}` as devices of API version 3 sent it.
 */
export function addCardIntent(
  text: string,
  kind: CardKind = 'problem',
  where: AreaTarget = {},
): IntentOf<'card:add'> {
  return intent('card:add', { cardId: newId(), kind, text, ...where });
}

/** Sends one batch and returns the results, or throws with the batch's refusal. */
export async function sendIntents(
  control: ControlClient,
  boardId: string,
  intents: Intent[],
): Promise<IntentResult[]> {
  const ack = await control.ask('intents', { boardId, intents });
  if (!ack.ok) throw new Error(`intents refused: ${ack.code} ${ack.error}`);
  return ack.results as IntentResult[];
}

/** Sends the intents and throws unless every one was applied; returns the results. */
export async function applyIntents(
  control: ControlClient,
  boardId: string,
  intents: Intent[],
): Promise<IntentResult[]> {
  const results = await sendIntents(control, boardId, intents);
  const refused = results.filter((result) => !result.ok);
  if (refused.length > 0) throw new Error(`intents refused: ${JSON.stringify(refused)}`);
  return results;
}

/** Adds cards (all accepted, or it throws) and returns their ids in order. */
export async function addCards(
  control: ControlClient,
  boardId: string,
  texts: string[],
  kind: CardKind = 'problem',
): Promise<string[]> {
  const intents = texts.map((text) => addCardIntent(text, kind));
  await applyIntents(control, boardId, intents);
  return intents.map((intent) => intent.cardId);
}

/** Adds one card and returns its id. */
export async function addCardVia(
  control: ControlClient,
  boardId: string,
  text: string,
  kind: CardKind = 'problem',
): Promise<string> {
  const [id] = await addCards(control, boardId, [text], kind);
  return id as string;
}
