// The pre-trade gate as the engine uses it: every order passes checkOrder, every refusal leaves exactly one audit
// row with its machine-readable reason, and every order that passes counts towards the per-minute rate limit.
import type { AuditRepo } from '../store/audit-repo';
import { checkOrder, OrderRateLimiter, type GuardLimits, type GuardResult, type MarketContext, type OrderToCheck } from './order-guards';

export class EntryGuard {
  private readonly rate: OrderRateLimiter;

  constructor(
    private readonly audit: AuditRepo,
    private readonly limits: GuardLimits,
  ) {
    this.rate = new OrderRateLimiter(limits.maxOrdersPerMinute);
  }

  check(order: OrderToCheck, market: MarketContext, orderRef: string | null = null): GuardResult {
    const r = checkOrder(order, market, this.limits, this.rate);
    if (!r.ok) {
      this.audit.append('order_refused', 'engine', r.message, { reason: r.reason, orderRef, order });
      return r;
    }
    if (order.opening) this.rate.record(market.now);
    return r;
  }
}
