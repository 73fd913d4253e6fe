/** The moderator's read routes a hostile board must not break: exports, snapshots, compare. */
import { postJson, type Reachable } from '../../support/server.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** What `moderatorReads` answers when every read works: each export, the new snapshot, its read, the compare. */
export const ALL_READS_ANSWER = {
  json: 200,
  csv: 200,
  svg: 200,
  md: 200,
  snapshot: 201,
  readSnapshot: 200,
  compare: 200,
};

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
