/** Calls to the Kaptár HTTP API, typed by the shared protocol schemas. */
import type { Language } from '@kaptar/board';
import type {
  BoardChanges,
  CreateSessionBody,
  CreateSessionReply,
  ErrorReply,
  ExportQuery,
  FollowUpReply,
  HttpErrorCode,
  JoinBody,
  JoinInfoReply,
  JoinReply,
  OutcomeTable,
  ReportReply,
  RestoreReply,
  SessionInfoReply,
  SitesBody,
  SnapshotList,
  SnapshotSummary,
} from '@kaptar/protocol';
import { FOLLOW_UP_API } from '@kaptar/protocol';

/** A refused request: `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's code for a refusal the app explains in its own words. */
    readonly code?: HttpErrorCode,
  ) {
    super(message);
  }
}

async function send(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.body) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<ErrorReply>;
    throw new ApiError(response.status, body.error ?? response.statusText, body.code);
  }
  return response;
}

/**
 * The plain ASCII name the server gives a download (`filename=`, from the session's title and the
 * day): it survives every USB stick and mail program, unlike the accented `filename*`.
 */
function fileName(response: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
}

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  return (await (await send(path, init)).json()) as T;
}

export const api = {
  createSession: (body: CreateSessionBody) =>
    request<CreateSessionReply>('/api/sessions', { method: 'POST', body: JSON.stringify(body) }),
  join: (body: JoinBody) => request<JoinReply>('/api/join', { method: 'POST', body: JSON.stringify(body) }),
  joinInfo: (joinCode: string) => request<JoinInfoReply>(`/api/join/${encodeURIComponent(joinCode)}`),
  sessionInfo: (sessionId: string, token: string) =>
    request<SessionInfoReply>(`/api/sessions/${encodeURIComponent(sessionId)}`, { token }),
  snapshots: (boardId: string, token: string) =>
    request<SnapshotList>(`/api/boards/${encodeURIComponent(boardId)}/snapshots`, { token }),
  saveSnapshot: (boardId: string, token: string, name: string) =>
    request<SnapshotSummary>(`/api/boards/${encodeURIComponent(boardId)}/snapshots`, {
      method: 'POST',
      token,
      body: JSON.stringify({ name }),
    }),
  restoreSnapshot: (boardId: string, token: string, snapshotId: string, mode: 'rollback' | 'new-board') =>
    request<RestoreReply>(
      `/api/boards/${encodeURIComponent(boardId)}/snapshots/${encodeURIComponent(snapshotId)}/restore`,
      { method: 'POST', token, body: JSON.stringify({ mode }) },
    ),
  archive: async (sessionId: string, token: string) => {
    const response = await send(`/api/sessions/${encodeURIComponent(sessionId)}/archive`, { token });
    return { blob: await response.blob(), name: fileName(response, 'kaptar.json') };
  },
  /** Imports an archive file as a new session; the caller becomes its moderator. */
  importArchive: (archive: string) =>
    request<CreateSessionReply>('/api/sessions/import', { method: 'POST', body: archive }),
  /** Deletes the session with everything in it, its follow-up pages too. */
  deleteSession: async (sessionId: string, token: string) => {
    await send(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE', token });
  },
  report: (sessionId: string, token: string) =>
    request<ReportReply>(`/api/sessions/${encodeURIComponent(sessionId)}/report`, { token }),
  /** The session's initiatives as a file: Markdown, or one of the three tables as CSV. */
  outcomeFile: async (sessionId: string, token: string, format: 'md' | 'csv', table?: OutcomeTable) => {
    const query = new URLSearchParams({ format, ...(table ? { table } : {}) });
    const response = await send(`/api/sessions/${encodeURIComponent(sessionId)}/outcome?${query}`, { token });
    return { blob: await response.blob(), name: fileName(response, `kaptar.${format}`) };
  },
  /** An initiative's follow-up page: no account, the link's token is the key. */
  followUp: (token: string) => request<FollowUpReply>(`${FOLLOW_UP_API}${encodeURIComponent(token)}`),
  compare: (boardId: string, token: string, from: string, to?: string) =>
    request<BoardChanges>(
      `/api/boards/${encodeURIComponent(boardId)}/compare?${new URLSearchParams({ from, ...(to ? { to } : {}) })}`,
      { token },
    ),
  /**
   * The export as a file to save (the route needs the bearer token, so no plain link); in the
   * session's language unless `lang` says otherwise.
   */
  exportFile: async (
    boardId: string,
    token: string,
    format: ExportQuery['format'],
    snapshotId?: string,
    lang?: Language,
  ) => {
    const query = new URLSearchParams({
      format,
      ...(snapshotId ? { snapshot: snapshotId } : {}),
      ...(lang ? { lang } : {}),
    });
    const response = await send(`/api/boards/${encodeURIComponent(boardId)}/export?${query}`, { token });
    return { blob: await response.blob(), name: fileName(response, `kaptar.${format}`) };
  },
  updateSites: (sessionId: string, token: string, body: SitesBody) =>
    request<SitesBody>(`/api/sessions/${encodeURIComponent(sessionId)}/sites`, {
      method: 'PUT',
      token,
      body: JSON.stringify(body),
    }),
};
