/**
 * Who is online in each session. A person may have several tabs or devices,
 * so presence counts sockets per participant rather than flipping a flag.
 */
export class Presence {
  private readonly online = new Map<string, Map<string, number>>();

  connect(sessionId: string, participantId: string): void {
    const session = this.online.get(sessionId) ?? new Map<string, number>();
    session.set(participantId, (session.get(participantId) ?? 0) + 1);
    this.online.set(sessionId, session);
  }

  disconnect(sessionId: string, participantId: string): void {
    const session = this.online.get(sessionId);
    const count = session?.get(participantId) ?? 0;
    if (!session || count === 0) return;
    if (count > 1) session.set(participantId, count - 1);
    else session.delete(participantId);
    if (session.size === 0) this.online.delete(sessionId);
  }

  isOnline(sessionId: string, participantId: string): boolean {
    return this.online.get(sessionId)?.has(participantId) ?? false;
  }
}
