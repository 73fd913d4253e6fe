/**
 * Logs are read by whoever runs or hosts the server: no token, moderator link or projector link
 * may be in any line at any level. The server runs as its own process at the most verbose level
 * while every kind of request that carries a token is made.
 */
import { newId } from '@kaptar/board';
import { FOLLOW_UP_API, followUpPath, YJS_PATH } from '@kaptar/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectControl } from '../support/control-client.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { createSession, joinSession } from '../support/server.js';

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.kill('SIGTERM');
  server = undefined;
});

describe('the log', () => {
  it('holds no token at any level, whatever the requests that carried one', async () => {
    server = await startServerProcess({ captureLog: true, logLevel: 'trace' });
    const session = await createSession(server, 'Napló próba');
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(server, session.joinCode);
    const tokens = [session.moderatorToken, session.viewerToken, anna.participantToken];

    // A Yjs room (token in the query string), a refused one, the control plane, bearer routes.
    for (const token of [anna.participantToken, `${session.viewerToken}x`]) {
      const socket = new WebSocket(`${server.wsUrl}${YJS_PATH}/${boardId}?token=${token}&epoch=x`);
      await new Promise((resolve) => {
        socket.once('close', resolve);
        socket.once('error', resolve);
        socket.once('open', () => setTimeout(() => socket.close(), 50));
      });
    }
    const control = await connectControl(server.url, session.moderatorToken);
    await control.ask('board:settings', { boardId, settings: { phase: 'group' } });
    // An initiative's follow-up link: its token is in the path of its page and of the route it reads.
    const initiativeId = newId();
    const change = {
      op: 'propose',
      initiativeId,
      name: 'Esti fuvar',
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
    };
    await control.ask('initiative', { change });
    const followUp = String((await control.ask('initiative:link', { initiativeId })).token);
    tokens.push(followUp);
    await fetch(`${server.url}${FOLLOW_UP_API}${followUp}`);
    await fetch(`${server.url}${followUpPath(followUp)}`);
    control.close();
    for (const token of tokens) {
      await fetch(`${server.url}/api/sessions/${session.sessionId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await fetch(`${server.url}/api/boards/${boardId}/export?format=json&token=${token}`);
    }
    await fetch(`${server.url}/s/${session.sessionId}?key=${session.moderatorToken}`);
    await server.kill('SIGTERM');

    const log = server.logText();
    // The requests were logged (at trace every one is), without what identified their sender.
    expect(log).toContain(`/yjs/${boardId}?…`);
    expect(log).toContain(`/api/sessions/${session.sessionId}`);
    expect(log).toContain(`${FOLLOW_UP_API}…`);
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
