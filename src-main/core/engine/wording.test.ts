import { describe, expect, it } from 'vitest';
import { contracts, fmtUntil, roundAway, why } from './wording';

describe('engine wording and tick rounding', () => {
  it('rounds bracket prices to the 0.25 grid away from the reference price', () => {
    expect(roundAway(5000.1 - 40, 5000.1)).toBe(4960);
    expect(roundAway(5000.1 + 60, 5000.1)).toBe(5060.25);
    expect(roundAway(4960, 5000)).toBe(4960); // already on the grid: unchanged
  });

  it('says states and amounts in words with the exchange time zone', () => {
    expect(why('daily_loss_limit')).toBe('after the daily loss limit');
    expect(why('something_new')).toBe('(something new)');
    expect(contracts(-1)).toBe('1 contract');
    expect(contracts(2)).toBe('2 contracts');
    expect(fmtUntil(Date.UTC(2026, 10, 16, 23, 0) / 1000)).toBe('Nov 16, 17:00 CST');
  });
});
