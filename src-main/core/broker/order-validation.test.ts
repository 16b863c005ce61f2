import { describe, expect, it } from 'vitest';
import { validateBracket, validateSingle } from './order-validation';
import type { BracketRequest } from './port';
import { MESZ6 } from './test-contract';

const bracket = (over: Partial<BracketRequest> = {}): BracketRequest => ({
  contract: MESZ6,
  orderRef: 'i-1',
  side: 'BUY',
  qty: 1,
  entry: { type: 'LMT', limitPrice: 6000 },
  stopPrice: 5996,
  targetPrice: 6008,
  ...over,
});

describe('order validation', () => {
  it('accepts well-formed brackets on both sides', () => {
    expect(validateBracket(bracket())).toEqual([]);
    expect(validateBracket(bracket({ side: 'SELL', stopPrice: 6004, targetPrice: 5992 }))).toEqual([]);
    expect(validateBracket(bracket({ entry: { type: 'MKT' } }))).toEqual([]);
  });

  it('names the field for off-tick prices and bad quantities', () => {
    expect(validateBracket(bracket({ stopPrice: 5996.1 }))).toEqual(['stop price 5996.1 is not a multiple of the 0.25 point tick of MESZ6']);
    expect(validateBracket(bracket({ qty: 1.5 }))).toEqual(['quantity must be a whole number of contracts above 0, got 1.5']);
    expect(validateBracket(bracket({ qty: 0, orderRef: ' ' }))).toHaveLength(2);
    expect(validateBracket(bracket({ targetPrice: -1 }))[0]).toMatch(/target price must be a price above 0/);
  });

  it('refuses stops and targets on the wrong side of the entry', () => {
    expect(validateBracket(bracket({ stopPrice: 6010 }))[0]).toMatch(/BUY bracket needs stop < entry < target; got stop 6010, target 6008/);
    expect(validateBracket(bracket({ entry: { type: 'LMT', limitPrice: 6009 } }))[0]).toMatch(/entry 6009/);
    expect(validateBracket(bracket({ side: 'SELL' }))[0]).toMatch(/SELL bracket needs target < entry < stop/);
  });

  it('checks single orders the same way', () => {
    expect(validateSingle({ contract: MESZ6, orderRef: 'x', side: 'SELL', qty: 2, order: { type: 'MKT' } })).toEqual([]);
    expect(validateSingle({ contract: MESZ6, orderRef: 'x', side: 'SELL', qty: 2, order: { type: 'STP', stopPrice: 6000.3 } })[0]).toMatch(/stop price 6000.3/);
  });
});
