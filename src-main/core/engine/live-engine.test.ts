// The live engine over TCP against the simulated gateway: it trades, the database agrees with the broker, and the
// kill switch, pause/resume and restarts behave as the trader expects (reliability scenarios 16 and 18's restart).
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionsRepo } from '../store/executions-repo';
import { TradesRepo } from '../store/trades-repo';
import { startKit, testConfig, type Kit } from './live-test-kit';

let kit: Kit | null = null;
afterEach(async () => {
  await kit?.close();
  kit = null;
});

const brokerQty = (k: Kit) => k.gw.positions().reduce((s, p) => s + p.qty, 0);
const working = (k: Kit) => k.gw.orders().filter((o) => ['PreSubmitted', 'Submitted', 'PendingSubmit'].includes(o.status));

describe('live engine against the simulated gateway', () => {
  it('trades the simulated market: bracket orders, fills and trades, and the database matches the broker', async () => {
    kit = await startKit();
    const k = kit;
    expect(k.engine.state().phase).toBe('active');
    await k.stepUntil(() => new TradesRepo(k.db).list().length >= 2);
    await k.waitUntil(() => k.engine.snapshot().pnl.position === brokerQty(k));
    const trades = new TradesRepo(k.db).list();
    expect(trades.length).toBeGreaterThanOrEqual(2);
    for (const t of trades) expect(['signal', 'stop', 'target', 'time']).toContain(t.exitReason);
    // Every entry went out as a bracket: entry + take-profit + stop, tagged with our orderRefs.
    const ours = k.gw.orders().filter((o) => o.orderRef.startsWith('qs'));
    expect(ours.filter((o) => o.orderRef.endsWith(':entry')).length).toBeGreaterThanOrEqual(2);
    expect(ours.filter((o) => o.orderRef.endsWith(':sl')).length).toBe(ours.filter((o) => o.orderRef.endsWith(':entry')).length);
    // The database's fills are exactly the broker's.
    expect(new ExecutionsRepo(k.db).netPosition()).toBe(brokerQty(k));
    const execs = k.db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number };
    expect(execs.n).toBe(k.gw.executions().length);
    const lat = k.engine.snapshot().latency;
    expect(lat.count).toBeGreaterThanOrEqual(2);
    expect(lat.p50Ms).not.toBeNull();
  }, 60_000);

  it('kill switch while connected: cancels working orders, closes the position, HALTED survives a restart until resumed', async () => {
    kit = await startKit();
    const k = kit;
    await k.stepUntil(() => brokerQty(k) !== 0 && working(k).length === 2);
    const r = await k.engine.flatten('test');
    expect(r.accepted).toBe(true);
    await k.stepUntil(() => brokerQty(k) === 0, 5);
    await k.waitUntil(() => working(k).length === 0);
    expect(k.engine.state().phase).toBe('halted');
    expect(k.engine.state().reason).toBe('kill_switch');
    const audit = k.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE kind = 'kill_switch'`).get() as { n: number };
    expect(audit.n).toBeGreaterThanOrEqual(1);

    await k.restart();
    expect(k.engine.state().phase).toBe('halted');
    const ordersBefore = k.gw.orders().length;
    await k.stepUntil(() => false, 120).catch(() => undefined); // 10 minutes of signals: no entries while HALTED
    expect(k.gw.orders().length).toBe(ordersBefore);
    const resumed = await k.engine.resume('test');
    expect(resumed.accepted).toBe(true);
    expect(k.engine.state().phase).toBe('active');
  }, 60_000);

  it('pause stops new entries while the bracket keeps protecting the position', async () => {
    kit = await startKit();
    const k = kit;
    await k.stepUntil(() => brokerQty(k) !== 0 && working(k).length === 2);
    await k.engine.pause('test');
    expect(k.engine.state().phase).toBe('paused');
    const entriesBefore = k.gw.orders().filter((o) => o.orderRef.endsWith(':entry')).length;
    await k.stepUntil(() => brokerQty(k) === 0); // the stop, target or an exit closes it
    await k.stepUntil(() => false, 240).catch(() => undefined);
    expect(k.gw.orders().filter((o) => o.orderRef.endsWith(':entry')).length).toBe(entriesBefore);
  }, 60_000);

  it('18: the consecutive-loss pause trips on the losing trade that reaches the count, alerts, and survives a restart', async () => {
    kit = await startKit({ config: testConfig({ risk: { stopUsd: 20, targetUsd: 30, consecutiveLossesToPause: 1, pauseMinutes: 600 } }) });
    const k = kit;
    await k.stepUntil(() => new TradesRepo(k.db).list().some((t) => t.pnlUsd < 0));
    await k.waitUntil(() => k.engine.state().phase === 'paused');
    expect(k.engine.state().reason).toBe('consecutive_loss_pause');
    const losing = new TradesRepo(k.db).list().find((t) => t.pnlUsd < 0);
    // The pause runs 600 minutes from the losing exit.
    expect(k.engine.state().until).toBe((losing?.exitTime ?? 0) + 600 * 60);
    expect(k.events.some((e) => e.type === 'alert' && e.alert.text.includes('after consecutive losing trades'))).toBe(true);
    await k.restart();
    expect(k.engine.state().phase).toBe('paused');
    expect(k.engine.state().reason).toBe('consecutive_loss_pause');
  }, 60_000);

  it('18: the daily loss limit halts until the next CME session and closes the position', async () => {
    kit = await startKit({ config: testConfig({ risk: { stopUsd: 20, targetUsd: 300, dailyLossLimitUsd: 20, consecutiveLossesToPause: 100 } }) });
    const k = kit;
    await k.stepUntil(() => k.engine.state().phase === 'halted');
    expect(k.engine.state().reason).toBe('daily_loss_limit');
    expect(k.engine.snapshot().core.dayRealized + k.engine.snapshot().pnl.unrealizedUsd).toBeLessThanOrEqual(-20);
    // Halted until the next session start: 17:00 Chicago time, i.e. 23:00 UTC in November.
    expect(new Date((k.engine.state().until ?? 0) * 1000).getUTCHours()).toBe(23);
    await k.stepUntil(() => brokerQty(k) === 0, 50);
    await k.restart();
    expect(k.engine.state().phase).toBe('halted');
  }, 60_000);

  it('a restart under changed strategy settings keeps HALTED and the P&L, and starts the strategy afresh', async () => {
    kit = await startKit();
    const k = kit;
    await k.stepUntil(() => new TradesRepo(k.db).list().length >= 1);
    await k.engine.flatten('test');
    await k.stepUntil(() => brokerQty(k) === 0, 20);
    const realized = k.engine.snapshot().core.realized;
    k.config = testConfig({ strategy: { barSeconds: 60, zscore: { lookback: 8, entryZ: 1.5, exitZ: 0.2 } } });
    await k.restart();
    expect(k.engine.state().phase).toBe('halted');
    expect(k.engine.snapshot().core.realized).toBe(realized);
    const changed = k.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE message LIKE 'Strategy settings changed%'`).get() as { n: number };
    expect(changed.n).toBe(1);
  }, 60_000);

  it('sends no new entries in the minutes before the daily break', async () => {
    // Monday 15:46 CT: 14 minutes before the 16:00 CT break, inside the default 15-minute window.
    kit = await startKit({ gateway: { startTime: Date.parse('2026-11-16T15:46:00-06:00') / 1000 } });
    const k = kit;
    await k.stepUntil(() => k.events.some((e) => e.type === 'refusal' && e.refusal.reason === 'session_closing'), 150);
    expect(k.gw.orders().filter((o) => o.orderRef.endsWith(':entry'))).toHaveLength(0);
    const audit = k.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE kind = 'order_refused' AND message LIKE '%market closes in%'`).get() as { n: number };
    expect(audit.n).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
