import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { createSession, joinSession } from '../support/server.js';

const kaptar = useServer();

const HOSTILE_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fdata',
  "x'%20OR%20'1'%3D'1",
  '1%3B%20DROP%20TABLE%20sessions',
  '%00',
  'a'.repeat(300),
];

describe('ids in routes', () => {
  it('never reach the file system or SQL: hostile ids get 4xx with {error}, and the data is intact', async () => {
    const session = await createSession(kaptar.server);
    const anna = await joinSession(kaptar.server, session.joinCode);
    const auth = { authorization: `Bearer ${session.moderatorToken}` };
    const routes = (id: string) => [
      `/api/sessions/${id}`,
      `/api/sessions/${id}/report`,
      `/api/sessions/${id}/archive`,
      `/api/boards/${id}/snapshots`,
      `/api/boards/${id}/snapshots/${id}`,
      `/api/boards/${id}/export?format=csv`,
      `/api/boards/${session.boards[0]?.id}/snapshots/${id}`,
      `/api/boards/${session.boards[0]?.id}/export?format=csv&snapshot=${id}`,
      `/api/join/${id}`,
    ];
    for (const id of HOSTILE_IDS) {
      for (const route of routes(id)) {
        const response = await fetch(`${kaptar.server.url}${route}`, { headers: auth });
        expect(response.status, route).toBeGreaterThanOrEqual(400);
        expect(response.status, route).toBeLessThan(500);
        const body = (await response.json()) as { error?: string };
        expect(typeof body.error, route).toBe('string');
        expect(JSON.stringify(body), route).not.toMatch(/root:|SQLITE|stack/i);
      }
    }
    const still = await fetch(`${kaptar.server.url}/api/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${anna.participantToken}` },
    });
    expect(still.status).toBe(200);
  });
});
