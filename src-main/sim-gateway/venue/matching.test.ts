import { describe, expect, it } from 'vitest';
import { fillPrice } from './matching';

const bar = { open: 5000, high: 5002, low: 4998, close: 5001 };

describe('fillPrice', () => {
  it('market orders take the open', () => {
    expect(fillPrice({ action: 'BUY', orderType: 'MKT', lmtPrice: null, auxPrice: null }, bar)).toBe(5000);
    expect(fillPrice({ action: 'SELL', orderType: 'MKT', lmtPrice: null, auxPrice: null }, bar)).toBe(5000);
  });
  it('limits fill when traded through, at the limit or a better open', () => {
    expect(fillPrice({ action: 'BUY', orderType: 'LMT', lmtPrice: 4999, auxPrice: null }, bar)).toBe(4999);
    expect(fillPrice({ action: 'BUY', orderType: 'LMT', lmtPrice: 4997.75, auxPrice: null }, bar)).toBeNull();
    expect(fillPrice({ action: 'BUY', orderType: 'LMT', lmtPrice: 5010, auxPrice: null }, bar)).toBe(5000);
    expect(fillPrice({ action: 'SELL', orderType: 'LMT', lmtPrice: 5002, auxPrice: null }, bar)).toBe(5002);
    expect(fillPrice({ action: 'SELL', orderType: 'LMT', lmtPrice: 5002.25, auxPrice: null }, bar)).toBeNull();
    expect(fillPrice({ action: 'SELL', orderType: 'LMT', lmtPrice: 4990, auxPrice: null }, bar)).toBe(5000);
  });
  it('stops trigger when reached, at the stop or a worse open', () => {
    expect(fillPrice({ action: 'BUY', orderType: 'STP', lmtPrice: null, auxPrice: 5001 }, bar)).toBe(5001);
    expect(fillPrice({ action: 'BUY', orderType: 'STP', lmtPrice: null, auxPrice: 5002.25 }, bar)).toBeNull();
    expect(fillPrice({ action: 'BUY', orderType: 'STP', lmtPrice: null, auxPrice: 4995 }, bar)).toBe(5000);
    expect(fillPrice({ action: 'SELL', orderType: 'STP', lmtPrice: null, auxPrice: 4998 }, bar)).toBe(4998);
    expect(fillPrice({ action: 'SELL', orderType: 'STP', lmtPrice: null, auxPrice: 4997.75 }, bar)).toBeNull();
    expect(fillPrice({ action: 'SELL', orderType: 'STP', lmtPrice: null, auxPrice: 5005 }, bar)).toBe(5000);
  });
});
