/**
 * The intents this person made on this board and the server has not yet shown back: kept in
 * IndexedDB (so a day offline survives reloads), sent in order, one batch at a time, and again
 * with the same ids after a drop (the server answers a replay with its stored result, so nothing
 * is doubled). An intent leaves once its effect is in the replica, whether the ack or the update
 * came first (and, for an intent whose effect is also private, once a private view sent after its
 * answer is in: see BoardSync). A final refusal stays, with its reason, until the author resends or
 * discards it.
 */
import { intentSubjects, newId } from '@kaptar/board';
import {
  type Intent,
  type IntentEffect,
  type IntentErrorCode,
  type IntentResult,
  intentBody,
  MAX_INTENT_BATCH_BYTES,
  MAX_INTENTS_PER_BATCH,
} from '@kaptar/protocol';
import { noteStamp, stamp } from './private-view.js';
import { loadList, saveList } from './saved-list.js';

/** A resident without a phone the moderator made the intent for: the server applies it as theirs. */
export interface OnBehalf {
  participantId: string;
  /** Their settlement: the card drawn before the server answers carries it, as the server's will. */
  site: string;
}

export interface OutboxEntry {
  intent: Intent;
  /** The moderator's intent for a resident without a phone; absent for this person's own. */
  onBehalfOf?: OnBehalf;
  /** When it was made, on this device's clock: a card drawn before the server has it needs a time. */
  madeAt: number;
  /** Set once the server applied it: where its effect is in the board's history... */
  effect?: IntentEffect;
  /** ...of the board's document of this epoch (a rebuilt board holds the effect, not that clock). */
  effectEpoch?: string;
  /** ...and when the answer came (`stamp()`): a private view older than this does not show it yet. */
  answeredAt?: number;
  /** Set when the server refused it for good. */
  refusal?: { code: IntentErrorCode; error: string };
}

/**
 * Sends a batch (all of one sender: this person, or the resident `onBehalfOf` names) and answers
 * its results, or null when the server could not be reached.
 */
export type SendIntents = (intents: Intent[], onBehalfOf?: string) => Promise<IntentResult[] | null>;

/** How long to wait before sending again what could not be sent (offline, rate limit, disk). */
const RETRY_MS = 2000;

export class Outbox {
  entries = $state.raw<OutboxEntry[]>([]);
  /** Resolves once the entries saved on this device are loaded. */
  readonly loaded: Promise<void>;
  /** Nothing is sent or saved before the saved list is in: it comes first, and must not be overwritten. */
  private isLoaded = false;
  private sending = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(
    private readonly key: string,
    /** The epoch of the replica the effects are checked against. */
    private readonly epoch: string,
    private readonly send: SendIntents,
    /** Whether this device already shows an answered intent's effect (the replica holds it...). */
    private readonly hasEffect: (effect: IntentEffect, entry: OutboxEntry) => boolean,
    private readonly onChange: () => void,
    /** Called with the intents the server just applied. */
    private readonly onApplied: (entries: OutboxEntry[]) => void = () => undefined,
  ) {
    const merge = (saved: OutboxEntry[]) => {
      this.isLoaded = true;
      for (const entry of saved) noteStamp(entry.answeredAt);
      // Anything added before the saved list came back goes after it, in order.
      this.update([...saved, ...this.entries]);
      this.settle();
      this.flush();
    };
    this.loaded = loadList<OutboxEntry>(key).then(merge, () => merge([]));
  }

  /** Intents that will change the board (drawn over the replica): sent or still to send. */
  get pending(): OutboxEntry[] {
    return this.entries.filter((entry) => !entry.refusal);
  }

  get refused(): OutboxEntry[] {
    return this.entries.filter((entry) => entry.refusal);
  }

  /** How many intents wait to be sent or confirmed. */
  get waiting(): number {
    return this.entries.filter((entry) => !entry.refusal && !entry.effect).length;
  }

  add(intent: Intent, onBehalfOf?: OnBehalf): void {
    this.update([...this.entries, { intent, madeAt: Date.now(), ...(onBehalfOf ? { onBehalfOf } : {}) }]);
    this.flush();
  }

  /**
   * Sends a refused intent again, as a new intent (its id changes: the old one was answered), with
   * the refused intents after it that depend on it (an edit of the card it added), in order.
   */
  resend(intentId: string): void {
    const again = this.withDependents(intentId);
    this.update(
      this.entries.map((entry) =>
        again.has(entry)
          ? { intent: { ...entry.intent, id: newId() }, madeAt: entry.madeAt, onBehalfOf: entry.onBehalfOf }
          : entry,
      ),
    );
    this.flush();
  }

  /** Drops a refused intent and the refused intents after it that depend on it. */
  discard(intentId: string): void {
    const gone = this.withDependents(intentId);
    this.update(this.entries.filter((entry) => !gone.has(entry)));
  }

  /** Drops what the replica now shows; true if anything left (and the views were told). */
  settle(): boolean {
    const left = this.unsettled(this.entries);
    if (left.length === this.entries.length) return false;
    this.update(left);
    return true;
  }

  /** Sends what waits, one batch at a time, until nothing waits or the server cannot take more now. */
  flush(): void {
    if (this.sending || this.destroyed || !this.isLoaded) return;
    const { batch, onBehalfOf } = nextBatch(this.entries.filter((entry) => !entry.refusal && !entry.effect));
    if (batch.length === 0) return;
    this.sending = true;
    void this.send(batch, onBehalfOf).then((results) => {
      this.sending = false;
      if (this.destroyed) return;
      const retryLater = results === null || results.some((result) => !result.ok && !result.final);
      if (results) this.record(results);
      if (retryLater) this.flushLater();
      else this.flush();
    });
  }

  destroy(): void {
    this.destroyed = true;
    if (this.retry) clearTimeout(this.retry);
  }

  /** The refused entry and the refused ones after it that name any card or group it names. */
  private withDependents(intentId: string): Set<OutboxEntry> {
    const start = this.entries.findIndex((entry) => entry.intent.id === intentId);
    const root = this.entries[start];
    if (!root) return new Set();
    const subjects = new Set(intentSubjects(intentBody(root.intent)));
    const chosen = new Set([root]);
    for (const entry of this.entries.slice(start + 1)) {
      const names = intentSubjects(intentBody(entry.intent));
      if (!entry.refusal || !names.some((id) => subjects.has(id))) continue;
      chosen.add(entry);
      for (const id of names) subjects.add(id);
    }
    return chosen;
  }

  private record(results: IntentResult[]): void {
    const byId = new Map(results.map((result) => [result.id, result]));
    const answeredAt = stamp();
    const applied: OutboxEntry[] = [];
    const answered = this.entries.map((entry) => {
      const result = byId.get(entry.intent.id);
      if (!result) return entry;
      if (result.ok) {
        const done = { ...entry, effect: result.effect, effectEpoch: this.epoch, answeredAt };
        applied.push(done);
        return done;
      }
      return result.final ? { ...entry, refusal: { code: result.code, error: result.error } } : entry;
    });
    // One update for the answers and what the replica already shows: one save, one redraw.
    this.update(this.unsettled(answered));
    if (applied.length > 0) this.onApplied(applied);
  }

  /** The entries whose effect is not yet in the replica (one in a replica of another epoch is: rebuilt). */
  private unsettled(entries: OutboxEntry[]): OutboxEntry[] {
    return entries.filter(
      (entry) => !(entry.effect && (entry.effectEpoch !== this.epoch || this.hasEffect(entry.effect, entry))),
    );
  }

  private flushLater(): void {
    this.retry ??= setTimeout(() => {
      this.retry = null;
      this.flush();
    }, RETRY_MS);
  }

  private update(entries: OutboxEntry[]): void {
    this.entries = entries;
    this.onChange();
    if (this.isLoaded) void saveList(this.key, entries).catch(() => undefined);
  }
}

const encoder = new TextEncoder();

/**
 * The first intents waiting, as many as one batch may hold by count and by size (at least one),
 * all of the first one's sender: a batch is one person's, so the moderator's own intents and those
 * made for a resident without a phone go in batches of their own, in the order they were made.
 */
function nextBatch(waiting: OutboxEntry[]): { batch: Intent[]; onBehalfOf?: string } {
  const onBehalfOf = waiting[0]?.onBehalfOf?.participantId;
  const batch: Intent[] = [];
  let bytes = 0;
  for (const entry of waiting.slice(0, MAX_INTENTS_PER_BATCH)) {
    if (entry.onBehalfOf?.participantId !== onBehalfOf) break;
    bytes += encoder.encode(JSON.stringify(entry.intent)).byteLength;
    if (batch.length > 0 && bytes > MAX_INTENT_BATCH_BYTES) break;
    batch.push(entry.intent);
  }
  return { batch, onBehalfOf };
}
