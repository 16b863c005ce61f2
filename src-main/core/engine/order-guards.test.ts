import { describe, expect, it } from 'vitest';
import { checkOrder, OrderRateLimiter, type GuardLimits, type MarketContext, type OrderToCheck } from './order-guards';

const lim: GuardLimits = { maxOrdersPerMinute: 3, maxPosition: 2, priceCollarPoints: 10, staleDataSeconds: 30 };
const market: MarketContext = { now: 1000, lastPrice: 5000, lastDataAt: 995, connected: true, exposure: 0, tradingState: 'active', tradingBlockedBy: null, sessionClosingIn: null };
const buy: OrderToCheck = { side: 'BUY', qty: 1, type: 'MKT', limitPrice: null, stopPrice: null, opening: true };
const reason = (o: OrderToCheck, m: Partial<MarketContext> = {}, rate = new OrderRateLimiter(lim.maxOrdersPerMinute)) => {
  const r = checkOrder(o, { ...market, ...m }, lim, rate);
  return r.ok ? 'ok' : r.reason;
};

describe('pre-trade guards', () => {
  it('pass a plain entry', () => expect(reason(buy)).toBe('ok'));

  it('refuse quantity above the max position, also when adding to a position', () => {
    expect(reason({ ...buy, qty: 3 })).toBe('max_position');
    expect(reason(buy, { exposure: 2 })).toBe('max_position');
    expect(reason({ ...buy, side: 'SELL', qty: 2, opening: false }, { exposure: 2 })).toBe('ok');
    expect(reason({ ...buy, qty: 3, opening: false }, { exposure: -3 })).toBe('max_position');
  });

  it('refuse a limit price outside the collar, exactly past its edge', () => {
    expect(reason({ ...buy, type: 'LMT', limitPrice: 5010 })).toBe('ok');
    expect(reason({ ...buy, type: 'LMT', limitPrice: 5010.25 })).toBe('price_collar');
    expect(reason({ ...buy, type: 'LMT', limitPrice: 4989.75 })).toBe('price_collar');
  });

  it('refuse entries on stale or missing data, never exits', () => {
    expect(reason(buy, { lastDataAt: 970 })).toBe('ok');
    expect(reason(buy, { lastDataAt: 969 })).toBe('stale_data');
    expect(reason(buy, { lastPrice: null })).toBe('no_price');
    expect(reason({ ...buy, side: 'SELL', opening: false }, { exposure: 1, lastDataAt: 0 })).toBe('ok');
  });

  it('refuse entries while halted, paused or near the close; exits still go', () => {
    expect(reason(buy, { tradingState: 'halted' })).toBe('halted');
    expect(reason(buy, { tradingState: 'paused' })).toBe('paused');
    expect(reason(buy, { sessionClosingIn: 12 })).toBe('session_closing');
    expect(reason({ ...buy, side: 'SELL', opening: false }, { exposure: 1, tradingState: 'halted' })).toBe('ok');
  });

  it('refuse everything when disconnected or the mode forbids trading', () => {
    expect(reason({ ...buy, opening: false }, { connected: false })).toBe('disconnected');
    expect(reason(buy, { tradingBlockedBy: 'type "LIVE U123" to confirm' })).toBe('trading_not_allowed');
  });

  it('rate-limit entries over a sliding minute', () => {
    const rate = new OrderRateLimiter(3);
    for (const t of [1000, 1001, 1002]) rate.record(t);
    expect(reason(buy, { now: 1003 }, rate)).toBe('order_rate_limit');
    expect(reason({ ...buy, side: 'SELL', opening: false }, { now: 1003, exposure: 1 }, rate)).toBe('ok');
    expect(reason(buy, { now: 1060, lastDataAt: 1059 }, rate)).toBe('ok');
  });
});
