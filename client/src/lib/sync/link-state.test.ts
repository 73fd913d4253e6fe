import { describe, expect, it } from 'vitest';
import { linkState } from './link-state.js';

const facts = { browserOnline: true, socketOpen: true, synced: true, everConnected: true };

describe('linkState', () => {
  it('is connected only when the socket is open and the board synced', () => {
    expect(linkState(facts)).toBe('connected');
    expect(linkState({ ...facts, synced: false })).toBe('reconnecting');
  });

  it('tells a first connection from a lost one', () => {
    expect(linkState({ ...facts, socketOpen: false, everConnected: false })).toBe('connecting');
    expect(linkState({ ...facts, socketOpen: false })).toBe('reconnecting');
  });

  it('says offline whenever the browser has no network', () => {
    expect(linkState({ ...facts, browserOnline: false })).toBe('offline');
  });
});
