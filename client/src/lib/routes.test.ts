import { followUpPath } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { parseRoute, paths } from './routes.js';

describe('parseRoute', () => {
  it('reads the public join link and board paths', () => {
    expect(parseRoute('/join/123456', '')).toEqual({ page: 'join', code: '123456' });
    expect(parseRoute(paths.board('s 1', 'b/2'), '')).toEqual({
      page: 'board',
      sessionId: 's 1',
      boardId: 'b/2',
    });
    const projector = new URL(paths.board('abc', 'b1', 'viewer'), 'http://x');
    expect(parseRoute(projector.pathname, projector.hash)).toEqual({
      page: 'board',
      sessionId: 'abc',
      boardId: 'b1',
      as: 'viewer',
    });
    expect(parseRoute('/s/abc/b/b1', '#as=admin')).toEqual({
      page: 'board',
      sessionId: 'abc',
      boardId: 'b1',
    });
    expect(parseRoute('/', '')).toEqual({ page: 'home' });
    expect(parseRoute(paths.report('abc'), '')).toEqual({ page: 'report', sessionId: 'abc' });
    // The follow-up link the server hands out opens its page; nothing under it does.
    expect(parseRoute(followUpPath('Ab_c-1'), '')).toEqual({ page: 'followUp', token: 'Ab_c-1' });
    expect(parseRoute(`${followUpPath('Ab_c-1')}/x`, '')).toEqual({ page: 'notFound' });
  });

  it('takes the moderator key from the fragment only', () => {
    const link = new URL(paths.moderatorLink('abc', 'tok+en/='), 'http://x');
    expect(parseRoute(link.pathname, link.hash)).toEqual({
      page: 'moderatorLink',
      sessionId: 'abc',
      key: 'tok+en/=',
    });
    expect(parseRoute('/s/abc', '')).toEqual({ page: 'notFound' });
  });

  it('treats anything else as not found', () => {
    expect(parseRoute('/join/1/2', '')).toEqual({ page: 'notFound' });
    expect(parseRoute('/admin', '')).toEqual({ page: 'notFound' });
  });
});
