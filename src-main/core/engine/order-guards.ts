// Pre-trade checks: the last line between a decision and the market. They catch what no strategy should ever
// produce (a runaway loop, a fat-fingered quantity or price, an order on stale data) and what the trader has
// forbidden (HALTED, PAUSED, an unarmed LIVE mode). Each refusal carries a machine-readable reason and a sentence
// for the trader; the order manager writes one audit row per refusal. Orders that only reduce the position
// (exits, bracket children, the kill switch) are never blocked by the rate limit, the trading state or stale data:
// refusing to close a position is never the safe choice.

export type GuardReason =
  | 'order_rate_limit'
  | 'max_position'
  | 'price_collar'
  | 'stale_data'
  | 'no_price'
  | 'halted'
  | 'paused'
  | 'disconnected'
  | 'trading_not_allowed'
  | 'session_closing';

export type GuardResult = { ok: true } | { ok: false; reason: GuardReason; message: string };

export interface GuardLimits {
  maxOrdersPerMinute: number;
  maxPosition: number;
  priceCollarPoints: number;
  staleDataSeconds: number;
}

export interface OrderToCheck {
  side: 'BUY' | 'SELL';
  qty: number;
  type: 'MKT' | 'LMT' | 'STP';
  limitPrice: number | null;
  stopPrice: number | null;
  /** True for orders that open or add to a position; false for exits, bracket children and flatten. */
  opening: boolean;
}

export interface MarketContext {
  /** Epoch seconds now (the engine's clock). */
  now: number;
  lastPrice: number | null;
  /** Epoch seconds when the last bar (or tick) arrived; null before any. */
  lastDataAt: number | null;
  connected: boolean;
  /** Signed contracts held plus those of opening orders still working. */
  exposure: number;
  tradingState: 'active' | 'paused' | 'halted';
  /** Mode / live guard: null when trading is allowed, otherwise why not. */
  tradingBlockedBy: string | null;
  /** Set inside the no-new-entries window before the daily break or the weekend close. */
  sessionClosingIn: number | null;
}

/** Sliding one-minute window of orders sent. */
export class OrderRateLimiter {
  private readonly sent: number[] = [];

  constructor(private readonly perMinute: number) {}

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] as number) <= now - 60) this.sent.shift();
  }

  /** Orders sent in the last 60 s. */
  count(now: number): number {
    this.prune(now);
    return this.sent.length;
  }

  wouldExceed(now: number): boolean {
    return this.count(now) >= this.perMinute;
  }

  record(now: number): void {
    this.sent.push(now);
  }
}

const refuse = (reason: GuardReason, message: string): GuardResult => ({ ok: false, reason, message });

export function checkOrder(o: OrderToCheck, m: MarketContext, lim: GuardLimits, rate: OrderRateLimiter): GuardResult {
  if (m.tradingBlockedBy !== null) return refuse('trading_not_allowed', `Order not sent: ${m.tradingBlockedBy}`);
  if (!m.connected) return refuse('disconnected', 'Order not sent: the broker connection is down');
  if (!Number.isInteger(o.qty) || o.qty <= 0) return refuse('max_position', `Order not sent: quantity ${o.qty} is not a whole number of contracts above 0`);

  const signed = o.side === 'BUY' ? o.qty : -o.qty;
  if (o.qty > lim.maxPosition || (o.opening && Math.abs(m.exposure + signed) > lim.maxPosition)) {
    return refuse(
      'max_position',
      `Order not sent: ${o.side} ${o.qty} MES would take the position to ${m.exposure + signed} contracts, above the max position of ${lim.maxPosition}`,
    );
  }
  if (!o.opening) return checkPrices(o, m, lim, false);

  if (m.tradingState === 'halted') return refuse('halted', 'New entry not sent: trading is HALTED');
  if (m.tradingState === 'paused') return refuse('paused', 'New entry not sent: trading is PAUSED');
  if (m.sessionClosingIn !== null) {
    return refuse('session_closing', `New entry not sent: the market closes in ${Math.ceil(m.sessionClosingIn)} min (no new entries before the close)`);
  }
  if (m.lastPrice === null || m.lastDataAt === null) return refuse('no_price', 'New entry not sent: no market data yet');
  const age = m.now - m.lastDataAt;
  if (age > lim.staleDataSeconds) {
    return refuse('stale_data', `New entry not sent: the last market data is ${Math.round(age)} s old (limit ${lim.staleDataSeconds} s)`);
  }
  if (rate.wouldExceed(m.now)) {
    return refuse('order_rate_limit', `New entry not sent: ${rate.count(m.now)} orders in the last minute reached the limit of ${lim.maxOrdersPerMinute}`);
  }
  return checkPrices(o, m, lim, true);
}

/** A limit price must sit within the collar around the last price (a fat-finger check). */
function checkPrices(o: OrderToCheck, m: MarketContext, lim: GuardLimits, opening: boolean): GuardResult {
  if (o.type !== 'LMT' || o.limitPrice === null || !opening) return { ok: true };
  if (m.lastPrice === null) return refuse('no_price', 'Limit order not sent: no last price to check it against');
  const off = Math.abs(o.limitPrice - m.lastPrice);
  if (off > lim.priceCollarPoints) {
    return refuse(
      'price_collar',
      `Order not sent: limit ${o.limitPrice.toFixed(2)} is ${off.toFixed(2)} points from the last price ${m.lastPrice.toFixed(2)} (collar ${lim.priceCollarPoints} points)`,
    );
  }
  return { ok: true };
}
