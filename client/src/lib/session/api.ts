/** Calls to the Kaptár HTTP API, typed by the shared protocol schemas. */
import type {
  CreateSessionBody,
  CreateSessionReply,
  ErrorReply,
  JoinBody,
  JoinInfoReply,
  JoinReply,
  SessionInfoReply,
  SitesBody,
} from '@kaptar/protocol';

/** A refused request: `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network');
  }
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, (body as Partial<ErrorReply>).error ?? response.statusText);
  return body as T;
}

export const api = {
  createSession: (body: CreateSessionBody) =>
    request<CreateSessionReply>('/api/sessions', { method: 'POST', body: JSON.stringify(body) }),
  join: (body: JoinBody) => request<JoinReply>('/api/join', { method: 'POST', body: JSON.stringify(body) }),
  joinInfo: (joinCode: string) => request<JoinInfoReply>(`/api/join/${encodeURIComponent(joinCode)}`),
  sessionInfo: (sessionId: string, token: string) =>
    request<SessionInfoReply>(`/api/sessions/${encodeURIComponent(sessionId)}`, { token }),
  updateSites: (sessionId: string, token: string, body: SitesBody) =>
    request<SitesBody>(`/api/sessions/${encodeURIComponent(sessionId)}/sites`, {
      method: 'PUT',
      token,
      body: JSON.stringify(body),
    }),
};
