/**
 * The one connection state every screen shows. "offline" is the browser's
 * own verdict (no network at all); "reconnecting" means the network is there
 * but the server is not (yet) answering.
 */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface LinkFacts {
  browserOnline: boolean;
  socketOpen: boolean;
  synced: boolean;
  everConnected: boolean;
}

export function linkState(facts: LinkFacts): LinkState {
  if (!facts.browserOnline) return 'offline';
  if (facts.socketOpen && facts.synced) return 'connected';
  return facts.everConnected ? 'reconnecting' : 'connecting';
}
