// Scenarios 14 and 15 with a real SQLite audit log: a runaway signal is cut by the rate limit and fat-fingered or
// stale orders are denied before sending, each refusal leaving one audit row with its reason.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditRepo } from '../store/audit-repo';
import { openDatabase } from '../store/db';
import { EntryGuard } from './entry-guard';
import type { MarketContext, OrderToCheck } from './order-guards';

const limits = { maxOrdersPerMinute: 10, maxPosition: 2, priceCollarPoints: 10, staleDataSeconds: 30 };
const market: MarketContext = { now: 1000, lastPrice: 5000, lastDataAt: 999, connected: true, exposure: 0, tradingState: 'active', tradingBlockedBy: null, sessionClosingIn: null };
const buy: OrderToCheck = { side: 'BUY', qty: 1, type: 'MKT', limitPrice: null, stopPrice: null, opening: true };

function setup() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'qs-guard-')), 'qs.db'));
  const audit = new AuditRepo(db);
  return { db, audit, guard: new EntryGuard(audit, limits) };
}

const refusals = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare(`SELECT detail_json FROM audit_log WHERE kind = 'order_refused' ORDER BY id`).all() as { detail_json: string }[]).map(
    (r) => (JSON.parse(r.detail_json) as { reason: string }).reason,
  );

describe('entry guard', () => {
  it('14: 100 entries in one second: the first 10 pass, the other 90 are refused and each is logged', () => {
    const { db, guard } = setup();
    const results = Array.from({ length: 100 }, (_, i) => guard.check(buy, { ...market, now: 1000 + i / 100 }));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const logged = refusals(db);
    expect(logged).toHaveLength(90);
    expect(new Set(logged)).toEqual(new Set(['order_rate_limit']));
    // A minute later the window has slid: entries pass again.
    expect(guard.check(buy, { ...market, now: 1061, lastDataAt: 1060 }).ok).toBe(true);
  });

  it('15: quantity above the max, a limit outside the collar and stale data are each denied with one audit row', () => {
    const { db, guard } = setup();
    expect(guard.check({ ...buy, qty: 3 }, market).ok).toBe(false);
    expect(guard.check({ ...buy, type: 'LMT', limitPrice: 5020 }, market).ok).toBe(false);
    expect(guard.check(buy, { ...market, lastDataAt: 900 }).ok).toBe(false);
    expect(refusals(db)).toEqual(['max_position', 'price_collar', 'stale_data']);
    expect(guard.check(buy, market).ok).toBe(true);
    expect(refusals(db)).toHaveLength(3);
  });
});
