/** Writing a board as a device does: intents on the control plane, answered one by one. */
import { type CardKind, newId } from '@kaptar/board';
import type { Intent, IntentResult } from '@kaptar/protocol';
import type { ControlClient } from './control-client.js';

/** A new card as a phone sends it: its own random id, a place on the board. */
export function addCardIntent(
  text: string,
  kind: CardKind = 'problem',
  place: { x: number; y: number } = { x: 40, y: 40 },
): Intent & { type: 'card:add' } {
  return { id: newId(), type: 'card:add', cardId: newId(), kind, text, ...place };
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

/** Adds cards (all accepted, or it throws) and returns their ids in order. */
export async function addCards(
  control: ControlClient,
  boardId: string,
  texts: string[],
  kind: CardKind = 'problem',
): Promise<string[]> {
  const intents = texts.map((text) => addCardIntent(text, kind));
  const results = await sendIntents(control, boardId, intents);
  const refused = results.filter((result) => !result.ok);
  if (refused.length > 0) throw new Error(`cards refused: ${JSON.stringify(refused)}`);
  return intents.map((intent) => intent.cardId);
}
