// Reliability scenarios over TCP against the simulated gateway (see ../shared/reference/reliability-scenarios.md):
// crash windows around order placement (1, 2), lost acknowledgements (4), resent executions (5), an unknown broker
// position at startup (6), connectivity faults (8, 9, 10, 12) and the kill switch while disconnected (17).
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db';
import { OrdersRepo } from '../store/orders-repo';
import { TradesRepo } from '../store/trades-repo';
import { startKit, sleep, type Kit } from './live-test-kit';

let kit: Kit | null = null;
afterEach(async () => {
  await kit?.close();
  kit = null;
});

const brokerQty = (k: Kit) => k.gw.positions().reduce((s, p) => s + p.qty, 0);
const entries = (k: Kit) => k.gw.orders().filter((o) => o.orderRef.endsWith(':entry'));
const alertsAbout = (k: Kit, word: string) => k.events.filter((e) => e.type === 'alert' && e.alert.text.includes(word));

describe('crash windows around placing an order', () => {
  it('1: an intent written but never sent resolves to no order at the broker, never a resubmission', async () => {
    kit = await startKit({ start: false });
    const k = kit;
    new OrdersRepo(k.db).insertIntents([
      { orderRef: 'qs99-enter-crash:entry', intentId: 'qs99-enter-crash', role: 'entry', symbol: 'MESZ6', side: 'BUY', qty: 1, type: 'MKT', limitPrice: null, stopPrice: null, parentRef: null },
    ]);
    const report = await k.engine.start();
    expect(report.neverSent).toEqual(['qs99-enter-crash:entry']);
    expect(k.gw.orders().filter((o) => o.orderRef.startsWith('qs99-enter-crash'))).toHaveLength(0);
    expect(new OrdersRepo(k.db).byRef('qs99-enter-crash:entry')?.state).toBe('Rejected');
    expect(k.engine.state().phase).toBe('active');
  }, 30_000);

  it('2: stopped after placeOrder and before the ack: the restart finds exactly one working order by orderRef', async () => {
    kit = await startKit();
    const k = kit;
    k.gw.faults.pauseMatching(true);
    k.gw.faults.loseNextAck();
    await k.stepUntil(() => entries(k).length === 1);
    const ref = entries(k)[0]?.orderRef as string;
    // The app goes away before any acknowledgement reached it.
    await k.restart();
    const row = new OrdersRepo(k.db).byRef(ref);
    expect(row?.state).toMatch(/Submitted|PreSubmitted/);
    expect(k.gw.orders().filter((o) => o.orderRef === ref)).toHaveLength(1);
    k.gw.faults.pauseMatching(false);
    await k.stepUntil(() => brokerQty(k) !== 0);
    await k.waitUntil(() => k.engine.snapshot().pnl.position === brokerQty(k));
    expect(entries(k).filter((o) => o.orderRef === ref)).toHaveLength(1);
  }, 30_000);

  it('4: an ack that never arrives is resolved by a targeted query, without resubmitting', async () => {
    kit = await startKit();
    const k = kit;
    k.gw.faults.pauseMatching(true);
    k.gw.faults.loseNextAck();
    await k.stepUntil(() => entries(k).length === 1);
    const ref = entries(k)[0]?.orderRef as string;
    expect(new OrdersRepo(k.db).byRef(ref)?.state).toBe('PendingSubmit');
    // The query's own openOrder/orderStatus replies reach the order manager as events before the query (and the
    // executions query beside it) resolves, so the state can read Submitted a moment before the audit row is written.
    const audited = () => k.db.prepare(`SELECT message FROM audit_log WHERE message LIKE '%had no acknowledgement; targeted query found it working%'`).all();
    await k.waitUntil(() => audited().length >= 1, 8_000);
    expect(new OrdersRepo(k.db).byRef(ref)?.state).toMatch(/Submitted/);
    expect(k.gw.orders().filter((o) => o.orderRef === ref)).toHaveLength(1);
  }, 30_000);
});

describe('broker state at startup and after reconnects', () => {
  it('5: executions resent after a reconnect count once; the position is not doubled', async () => {
    kit = await startKit();
    const k = kit;
    k.gw.faults.resendExecutionsOnReconnect(true);
    await k.stepUntil(() => brokerQty(k) !== 0);
    await k.waitUntil(() => k.engine.snapshot().pnl.position === brokerQty(k));
    const before = k.engine.snapshot().pnl.position;
    k.gw.faults.dropConnections();
    await k.waitUntil(() => !k.broker.connectionState().canTrade, 3_000);
    await k.waitUntil(() => k.broker.connectionState().canTrade, 5_000);
    await sleep(300);
    expect(k.engine.snapshot().pnl.position).toBe(before);
    expect(k.engine.snapshot().pnl.position).toBe(brokerQty(k));
    const n = k.db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number };
    expect(n.n).toBe(k.gw.executions().length);
  }, 30_000);

  it('6: a broker position the database does not know blocks trading until the trader adopts it', async () => {
    kit = await startKit({ start: false });
    const k = kit;
    k.gw.placeManualOrder({ action: 'BUY', qty: 1 });
    k.gw.step(2);
    expect(brokerQty(k)).toBe(1);
    const report = await k.engine.start();
    expect(report.mismatches.join(' ')).toContain('broker holds long 1 contract');
    expect(k.engine.state().phase).toBe('blocked');
    expect(alertsAbout(k, 'Trading blocked at startup')).toHaveLength(1);
    expect((await k.engine.resume('test')).accepted).toBe(false);
    const entriesBefore = entries(k).length;
    await k.stepUntil(() => false, 120).catch(() => undefined);
    expect(entries(k).length).toBe(entriesBefore);
    const adopted = await k.engine.adopt('test');
    expect(adopted.accepted).toBe(true);
    expect(k.engine.state().phase).toBe('active');
    expect(k.engine.snapshot().core.position?.qty).toBe(1);
    expect(k.engine.snapshot().pnl.position).toBe(1);
  }, 30_000);

  it('8: a gateway socket reset reconnects with the same client id; earlier orders stay cancellable', async () => {
    kit = await startKit();
    const k = kit;
    await k.stepUntil(() => brokerQty(k) !== 0 && k.gw.orders().filter((o) => o.status === 'PreSubmitted' || o.status === 'Submitted').length === 2);
    k.gw.faults.dropConnections();
    await k.waitUntil(() => !k.broker.connectionState().canTrade, 3_000);
    const ordersWhileDown = k.gw.orders().length;
    await k.waitUntil(() => k.broker.connectionState().canTrade, 5_000);
    expect(k.broker.connectionState().endpoint).toContain('client 17');
    expect(k.gw.orders().length).toBe(ordersWhileDown);
    expect((await k.engine.flatten('test')).accepted).toBe(true);
    await k.stepUntil(() => brokerQty(k) === 0 && k.gw.orders().every((o) => !['PreSubmitted', 'Submitted'].includes(o.status)), 20);
  }, 30_000);

  it('9, 10: 1100 stops trading; 1101 resubscribes market data once; 1102 keeps the one subscription', async () => {
    kit = await startKit();
    const k = kit;
    k.gw.step(12);
    await sleep(50);
    expect(k.broker.openBarRequests()).toBe(1);
    k.gw.faults.sendConnectivity(1100);
    await k.waitUntil(() => k.broker.connectionState().phase === 'lost');
    expect(k.broker.connectionState().canTrade).toBe(false);
    k.gw.faults.sendConnectivity(1101);
    await k.waitUntil(() => k.broker.connectionState().canTrade);
    await sleep(100);
    expect(k.broker.openBarRequests()).toBe(1);
    const barsBefore = k.events.filter((e) => e.type === 'bar').length;
    k.gw.step(24);
    await k.waitUntil(() => k.events.filter((e) => e.type === 'bar').length > barsBefore);
    k.gw.faults.sendConnectivity(1100);
    k.gw.faults.sendConnectivity(1102);
    await k.waitUntil(() => k.broker.connectionState().phase === 'restored-data-kept');
    expect(k.broker.openBarRequests()).toBe(1);
    expect(k.engine.state().phase).toBe('active');
  }, 30_000);

  it('12: a silent half-open socket is detected by the liveness check and alerted', async () => {
    kit = await startKit();
    const k = kit;
    k.gw.faults.goSilent(true);
    await k.waitUntil(() => !k.broker.connectionState().canTrade, 4_000);
    expect(k.broker.connectionState().reason).toBe('liveness-timeout');
    expect(alertsAbout(k, 'Broker connection').length).toBeGreaterThanOrEqual(1);
    k.gw.faults.goSilent(false);
    await k.waitUntil(() => k.broker.connectionState().canTrade, 8_000);
  }, 30_000);

  it('17: the kill switch while disconnected is refused out loud, trading HALTED, and an alert raised', async () => {
    kit = await startKit();
    const k = kit;
    await k.gw.close();
    await k.waitUntil(() => !k.broker.connectionState().canTrade, 4_000);
    const r = await k.engine.flatten('test');
    expect(r.accepted).toBe(false);
    expect(r.message).toContain('not connected');
    expect(k.engine.state().phase).toBe('halted');
    expect(k.events.some((e) => e.type === 'flatten' && e.flatten.status === 'refused')).toBe(true);
    expect(alertsAbout(k, 'Flatten refused').length).toBe(1);
    const outbox = openDatabase(k.file).prepare(`SELECT COUNT(*) AS n FROM alerts_outbox WHERE text LIKE 'Flatten refused%'`).get() as { n: number };
    expect(outbox.n).toBe(1);
  }, 30_000);

  it('8: a fill made while the connection was gone is recorded exactly once after the reconnect', async () => {
    kit = await startKit();
    const k = kit;
    await k.stepUntil(() => brokerQty(k) !== 0 && k.gw.orders().filter((o) => o.status === 'Submitted').length === 2);
    await k.waitUntil(() => k.engine.snapshot().core.position !== undefined);
    k.gw.faults.goSilent(true);
    await k.waitUntil(() => !k.broker.connectionState().canTrade, 4_000);
    // While the app cannot hear the gateway, the market takes out the stop or the target.
    for (let i = 0; i < 5000 && brokerQty(k) !== 0; i++) k.gw.step(1);
    expect(brokerQty(k)).toBe(0);
    const tradesBefore = new TradesRepo(k.db).list().length;
    k.gw.faults.goSilent(false);
    await k.waitUntil(() => k.broker.connectionState().canTrade, 8_000);
    await k.waitUntil(() => k.engine.snapshot().pnl.position === 0, 5_000);
    await k.waitUntil(() => new TradesRepo(k.db).list().length === tradesBefore + 1, 5_000);
    const n = k.db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number };
    expect(n.n).toBe(k.gw.executions().length);
    expect(k.engine.snapshot().core.position).toBeUndefined();
    expect(['stop', 'target']).toContain(new TradesRepo(k.db).list()[0]?.exitReason);
  }, 30_000);

  it('11: a gateway restart is followed by reconnect and reconciliation with no human action', async () => {
    kit = await startKit();
    const k = kit;
    const reconciliations = () => (k.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE kind = 'reconciliation'`).get() as { n: number }).n;
    expect(reconciliations()).toBe(1);
    k.gw.faults.dropConnections();
    await k.waitUntil(() => reconciliations() === 2, 8_000);
    expect(k.engine.state().phase).toBe('active');
    expect(alertsAbout(k, 'Broker connection back').length).toBe(1);
  }, 30_000);

  it('11: when the gateway does not come back, a second alert says so', async () => {
    kit = await startKit({ start: false });
    const k = kit;
    (k.engine as unknown as { o: { reconnectAlertS: number } }).o.reconnectAlertS = 1;
    await k.engine.start();
    await k.gw.close();
    await k.waitUntil(() => alertsAbout(k, 'has not come back').length === 1, 5_000);
  }, 30_000);
});
