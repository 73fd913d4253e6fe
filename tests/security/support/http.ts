/** The moderator's read routes a hostile board must not break: exports, snapshots, compare. */
import { postJson, type Reachable } from '../../support/server.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Status of every export, a new snapshot, reading it back and comparing it with now. */
export async function moderatorReads(server: Reachable, boardId: string, token: string) {
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: bearer(token) });
    return { status: response.status, text: await response.text() };
  };
  const exports: Record<string, { status: number; text: string }> = {};
  for (const format of ['json', 'csv', 'svg', 'md']) {
    exports[format] = await get(`/api/boards/${boardId}/export?format=${format}`);
  }
  const saved = await postJson<{ id: string }>(
    `${server.url}/api/boards/${boardId}/snapshots`,
    { name: 'Biztonsági pillanatkép' },
    bearer(token),
  );
  const snapshot = await get(`/api/boards/${boardId}/snapshots/${saved.body.id}`);
  const compare = await get(`/api/boards/${boardId}/compare?from=${saved.body.id}`);
  return {
    statuses: {
      ...Object.fromEntries(Object.entries(exports).map(([format, { status }]) => [format, status])),
      snapshot: saved.status,
      readSnapshot: snapshot.status,
      compare: compare.status,
    },
    exports,
  };
}
