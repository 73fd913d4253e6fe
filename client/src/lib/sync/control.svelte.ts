/**
 * The socket.io control plane on this device: for now the live participant
 * list. Payloads are checked against the shared schema before use.
 */
import { check, PresenceList, type ServerToClientEvents } from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';

export class ControlSync {
  people = $state.raw<PresenceList>([]);
  connected = $state(false);
  private readonly socket: Socket<ServerToClientEvents>;

  constructor(token: string) {
    this.socket = io({ path: '/socket.io/', auth: { token } });
    this.socket.on('connect', () => {
      this.connected = true;
    });
    this.socket.on('disconnect', () => {
      this.connected = false;
    });
    this.socket.on('presence', (list) => {
      const checked = check(PresenceList, list);
      if (checked.ok) this.people = checked.value;
    });
  }

  destroy(): void {
    this.socket.disconnect();
  }
}
