import { describe, expect, it } from 'vitest';
import { contracts, fmtUntil, why } from './wording';

describe('engine wording', () => {
  it('says states and amounts in words with the exchange time zone', () => {
    expect(why('daily_loss_limit')).toBe('after the daily loss limit');
    expect(why('something_new')).toBe('(something new)');
    expect(contracts(-1)).toBe('1 contract');
    expect(contracts(2)).toBe('2 contracts');
    expect(fmtUntil(Date.UTC(2026, 10, 16, 23, 0) / 1000)).toBe('Nov 16, 17:00 CST');
  });
});
