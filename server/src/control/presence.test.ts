import { describe, expect, it } from 'vitest';
import { Presence } from './presence.js';

describe('Presence', () => {
  it('keeps a participant online until their last device leaves', () => {
    const presence = new Presence();
    presence.connect('s1', 'anna');
    presence.connect('s1', 'anna');
    presence.disconnect('s1', 'anna');
    expect(presence.isOnline('s1', 'anna')).toBe(true);
    presence.disconnect('s1', 'anna');
    expect(presence.isOnline('s1', 'anna')).toBe(false);
  });

  it('keeps sessions apart and ignores a disconnect it never saw', () => {
    const presence = new Presence();
    presence.connect('s1', 'anna');
    presence.disconnect('s2', 'anna');
    presence.disconnect('s1', 'bela');
    expect(presence.isOnline('s1', 'anna')).toBe(true);
    expect(presence.isOnline('s2', 'anna')).toBe(false);
  });
});
