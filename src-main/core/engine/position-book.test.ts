import { describe, expect, it } from 'vitest';
import { cmeTradingDay } from '../native/index';
import { PositionBook } from './position-book';

// Tuesday 2026-01-06 15:00 CT = 21:00 UTC; 17:00 CT starts trading day 2026-01-07.
const t0 = Date.UTC(2026, 0, 6, 21, 0) / 1000;

describe('position book', () => {
  it('tracks position, average price and P&L in points and dollars', () => {
    const b = new PositionBook(cmeTradingDay, 0.62);
    b.apply({ side: 'BOT', qty: 1, price: 5000, time: t0, commission: 0.62 });
    b.apply({ side: 'BOT', qty: 1, price: 5001, time: t0 + 1, commission: 0.62 });
    b.mark(5003, t0 + 2);
    expect(b.view()).toMatchObject({ position: 2, avgPrice: 5000.5, unrealizedPoints: 5, unrealizedUsd: 25, tradingDay: 20260106 });
    const r = b.apply({ side: 'SLD', qty: 1, price: 4990.5, time: t0 + 3, commission: null });
    expect(r).toEqual({ closedQty: 1, realizedPoints: -10 });
    expect(b.view()).toMatchObject({ position: 1, avgPrice: 5000.5, realizedUsd: -50, commissionsUsd: 1.86, unrealizedUsd: -50, netUsd: -101.86 });
  });

  it('flips through zero at the fill price and resets at the CME day boundary (17:00 CT)', () => {
    const b = new PositionBook(cmeTradingDay, 0.62);
    b.apply({ side: 'SLD', qty: 1, price: 5000, time: t0, commission: 0.62 });
    b.apply({ side: 'BOT', qty: 2, price: 4990, time: t0 + 10, commission: 1.24 });
    expect(b.view()).toMatchObject({ position: 1, avgPrice: 4990, realizedPoints: 10, realizedUsd: 50 });
    b.mark(4990, t0 + 2 * 3600); // 17:00 CT
    expect(b.view()).toMatchObject({ tradingDay: 20260107, realizedUsd: 0, commissionsUsd: 0, position: 1 });
  });
});
