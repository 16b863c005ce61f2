import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnsFromBars } from '../domain/bar';
import { AuditRepo } from './audit-repo';
import { BacktestRunsRepo } from './backtest-runs-repo';
import { BarsRepo } from './bars-repo';
import { openDatabase } from './db';
import { ExecutionsRepo } from './executions-repo';
import { backtestTradesCsv, tradesCsv } from './export-csv';
import { OrdersRepo, type OrderIntent } from './orders-repo';
import { GIVE_UP_AFTER_S, OutboxRepo } from './outbox-repo';
import { SnapshotsRepo } from './snapshots-repo';
import { TradesRepo } from './trades-repo';

const db = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'qs-db-')), 'qs.db'));

const entry: OrderIntent = { orderRef: 'i1:entry', intentId: 'i1', role: 'entry', symbol: 'MESZ6', side: 'BUY', qty: 1, type: 'MKT', limitPrice: null, stopPrice: null, parentRef: null };

describe('orders', () => {
  it('write the intent before sending, then every broker status with its history', () => {
    const d = db();
    const orders = new OrdersRepo(d);
    orders.insertIntents([entry, { ...entry, orderRef: 'i1:sl', role: 'stop', side: 'SELL', type: 'STP', stopPrice: 4960, parentRef: 'i1:entry' }]);
    expect(orders.open().map((o) => [o.orderRef, o.state])).toEqual([['i1:entry', 'intent'], ['i1:sl', 'intent']]);
    expect(orders.updateStatus('i1:entry', { state: 'Submitted', brokerOrderId: 7, permId: 9001 })).toBe(true);
    expect(orders.updateStatus('i1:entry', { state: 'Filled', filledQty: 1, avgFillPrice: 5000.25 })).toBe(true);
    expect(orders.updateStatus('nope', { state: 'Filled' })).toBe(false);
    expect(orders.byRef('i1:entry')).toMatchObject({ state: 'Filled', brokerOrderId: 7, permId: 9001, filledQty: 1, avgFillPrice: 5000.25 });
    expect(orders.history('i1:entry').map((h) => h.state)).toEqual(['intent', 'Submitted', 'Filled']);
    expect(orders.open().map((o) => o.orderRef)).toEqual(['i1:sl']);
    expect(() => orders.insertIntents([entry])).toThrow(/UNIQUE/);
  });
});

describe('executions', () => {
  it('are deduplicated by execId so a resent fill does not double the position', () => {
    const ex = new ExecutionsRepo(db());
    const fill = { execId: 'x.1', orderRef: 'i1:entry', brokerOrderId: 7, side: 'BOT' as const, qty: 1, price: 5000.25, time: 100, commission: null };
    expect(ex.insert(fill)).toBe(true);
    expect(ex.insert(fill)).toBe(false);
    expect(ex.insert({ ...fill, execId: 'x.2', side: 'SLD', time: 200 })).toBe(true);
    expect(ex.netPosition()).toBe(0);
    expect(ex.lastTime()).toBe(200);
    ex.setCommission('x.1', 0.62);
    expect(ex.forOrder('i1:entry')[0]?.commission).toBe(0.62);
  });

  it('list the fills of the app\'s own orders, oldest first, without foreign ones', () => {
    const ex = new ExecutionsRepo(db());
    const fill = { execId: 'b', orderRef: 'i1:entry', brokerOrderId: 7, side: 'BOT' as const, qty: 1, price: 5000.25, time: 200, commission: 0.62 };
    ex.insert(fill);
    ex.insert({ ...fill, execId: 'a', orderRef: null, time: 100 });
    ex.insert({ ...fill, execId: 'c', orderRef: 'i1:tp', side: 'SLD', price: 5010, time: 150 });
    expect(ex.ours()).toEqual([
      { side: 'SLD', qty: 1, price: 5010, time: 150, commission: 0.62 },
      { side: 'BOT', qty: 1, price: 5000.25, time: 200, commission: 0.62 },
    ]);
  });
});

describe('audit log', () => {
  it('is append-only and keeps secrets out', () => {
    const d = db();
    const audit = new AuditRepo(d);
    audit.append('order_refused', 'engine', 'quantity 3 above max position 2', { reason: 'max_position', account: 'DU1234567' });
    expect(() => d.prepare(`UPDATE audit_log SET message = 'edited'`).run()).toThrow(/append-only/);
    expect(() => d.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    const [row] = audit.recent(10);
    expect(row).toMatchObject({ kind: 'order_refused', message: 'quantity 3 above max position 2', detail: { reason: 'max_position', account: 'DU***' } });
  });
});

describe('trades and daily P&L', () => {
  it('roll up per CME trading day', () => {
    const trades = new TradesRepo(db());
    const t = { side: 'long' as const, qty: 1, entryTime: 1, entryPrice: 5000, exitTime: 2, exitPrice: 5010, pnlUsd: 48.76, commissionUsd: 1.24, exitReason: 'signal', tradingDay: 20260106 };
    trades.record(t);
    trades.record({ ...t, pnlUsd: -201.24, exitReason: 'stop' });
    expect(trades.day(20260106)).toEqual({ tradingDay: 20260106, realizedUsd: 48.76 - 201.24, commissionsUsd: 2.48, trades: 2, wins: 1, losses: 1 });
    expect(tradesCsv(trades.list()).split('\n')[0]).toBe('entry_time,exit_time,side,qty,entry_price,exit_price,pnl_usd,commission_usd,exit_reason,trading_day');
  });
});

describe('bars, snapshots, backtest runs', () => {
  it('store bars in one transaction, unique per symbol/size/time', () => {
    const bars = new BarsRepo(db());
    const b = (time: number, close: number) => ({ time, open: close, high: close + 1, low: close - 1, close, volume: 10 });
    expect(bars.upsertMany('MES', 60, columnsFromBars([b(0, 5000), b(60, 5001), b(120, 5002)]))).toBe(3);
    bars.upsertMany('MES', 60, columnsFromBars([b(60, 5009)]));
    expect(bars.count('MES', 60)).toBe(3);
    expect(bars.range('MES', 60, 60, 120).map((x) => x.close)).toEqual([5009]);
  });

  it('keep the latest engine snapshot', () => {
    const s = new SnapshotsRepo(db());
    expect(s.latest()).toBeNull();
    s.save('{"state":"active"}');
    s.save('{"state":"halted"}');
    expect(s.latest()?.stateJson).toBe('{"state":"halted"}');
  });

  it('save and export a backtest run', () => {
    const runs = new BacktestRunsRepo(db());
    const id = runs.save({ kind: 'backtest', params: { lookback: 20 }, metrics: { netPnl: 12.5 }, trades: [{ side: 'short', qty: 1, entryTime: 60, entryPrice: 5000, exitTime: 120, exitPrice: 4990, pnl: 48.76, exitReason: 'target' }], equity: [10000, 10048.76] });
    const run = runs.get(id);
    expect(run?.metrics).toEqual({ netPnl: 12.5 });
    expect(backtestTradesCsv(run!).split('\n')[1]).toBe('1970-01-01T00:01:00Z,1970-01-01T00:02:00Z,short,1,5000,4990,48.76,target');
  });
});

describe('alerts outbox', () => {
  it('retries with backoff and gives up after the deadline, never losing an alert silently', () => {
    let now = 1000;
    const out = new OutboxRepo(db(), () => now);
    const id = out.enqueue('risk', 'critical', 'Daily loss limit $500 reached: trading halted until 17:00 CT');
    expect(out.due().map((a) => a.id)).toEqual([id]);
    expect(out.attemptFailed(id, 'ETIMEDOUT')).toBe('retry');
    expect(out.due()).toEqual([]);
    now += 30;
    expect(out.due().map((a) => a.attempts)).toEqual([1]);
    expect(out.attemptFailed(id, 'ETIMEDOUT')).toBe('retry');
    now += 59;
    expect(out.due()).toEqual([]);
    now += 1;
    expect(out.due()).toHaveLength(1);
    now = 1000 + GIVE_UP_AFTER_S;
    expect(out.attemptFailed(id, 'ETIMEDOUT')).toBe('failed');
    expect(out.due()).toEqual([]);
    const id2 = out.enqueue('fills', 'info', 'Bought 1 MES at 5000.25');
    out.delivered(id2);
    expect(out.due()).toEqual([]);
  });
});
