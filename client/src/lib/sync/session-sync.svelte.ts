/**
 * The session document on this device: a read-only replica of what the whole session shares
 * (the board on the projector, the board everyone was brought to, presenter focus, the initiatives
 * residents found), synced over y-websocket like a board. Kept in memory only: it is small, and an
 * old copy on the device (a focus taken off long ago) would mislead more than a moment without one.
 */
import {
  type Initiative,
  NO_SESSION_SHARED,
  observeInitiatives,
  observeSessionShared,
  type SessionShared,
} from '@kaptar/board';
import { sessionRoomName, YJS_PATH } from '@kaptar/protocol';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { websocketBase } from './board-sync.svelte.js';

export class SessionSync {
  shared = $state.raw<SessionShared>(NO_SESSION_SHARED);
  /** The session's initiatives (founded self-help groups), oldest first. */
  initiatives = $state.raw<Initiative[]>([]);
  /** Whether `shared` is the server's (synced once), not the empty start. */
  synced = $state(false);
  private readonly doc = new Y.Doc();
  private readonly provider: WebsocketProvider;
  private readonly stops: Array<() => void>;

  constructor(sessionId: string, token: string) {
    this.stops = [
      observeSessionShared(this.doc, (shared) => {
        this.shared = shared;
      }),
      observeInitiatives(this.doc, (initiatives) => {
        this.initiatives = initiatives;
      }),
    ];
    this.provider = new WebsocketProvider(websocketBase() + YJS_PATH, sessionRoomName(sessionId), this.doc, {
      params: { token },
      disableBc: true,
    });
    // Nothing to share of this device: no awareness state, so the provider never sends one.
    this.provider.awareness.setLocalState(null);
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.synced = true;
    });
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    this.provider.destroy();
    this.doc.destroy();
  }
}
