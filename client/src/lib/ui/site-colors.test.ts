import { describe, expect, it } from 'vitest';
import { countBySite, siteColor } from './site-colors.js';

describe('settlement colours and counts', () => {
  it('gives the same settlement the same colour however it is typed', () => {
    expect(siteColor('Alsóváros')).toBe(siteColor(' alsóváros '));
    expect(siteColor('Alsóváros')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('counts people per settlement, largest first, ignoring the blank ones', () => {
    expect(countBySite(['Felsőtelep', 'Alsóváros', '', 'Alsóváros'])).toEqual([
      ['Alsóváros', 2],
      ['Felsőtelep', 1],
    ]);
  });
});
