// Fault hooks, observed through the real @stoqey/ib client over TCP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderAction, OrderType, SecType, type Contract, type Order } from '@stoqey/ib';
import { startSimGateway, type SimGateway } from './index';
import { RecordingClient, sleep } from './test-support';

const MES: Contract = { symbol: 'MES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' };
const mkt = (qty: number, ref = 'f'): Order => ({ action: OrderAction.BUY, totalQuantity: qty, orderType: OrderType.MKT, transmit: true, orderRef: ref });
const lmt = (price: number): Order => ({ action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: price, transmit: true });

let gw: SimGateway;
const clients: RecordingClient[] = [];

async function connect(clientId: number): Promise<{ c: RecordingClient; nextId: number }> {
  const c = new RecordingClient(gw.port, clientId).connect();
  clients.push(c);
  const e = await c.waitName('nextValidId');
  return { c, nextId: Number(e.args[0]) };
}

beforeEach(async () => {
  gw = await startSimGateway({ port: 0, clock: 'manual' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gw.close();
});

describe('fault hooks', () => {
  it('refuses a duplicate client id with 326 and keeps the first connection', async () => {
    await connect(5);
    const dup = new RecordingClient(gw.port, 5).connect();
    clients.push(dup);
    await dup.waitFor((e) => e.name === 'info' && e.args[1] === 326);
    await dup.waitName('disconnected!');
    expect(dup.named('nextValidId')).toEqual([]);
    expect(gw.connectionCount()).toBe(1);
  });

  it('rejects the next order with 201 and creates nothing', async () => {
    const { c, nextId } = await connect(1);
    gw.faults.rejectNextOrder('margin');
    c.api.placeOrder(nextId, MES, mkt(1));
    const err = await c.waitFor((e) => e.name === 'error!' && e.args[1] === 201);
    expect(err.args).toEqual(['Order rejected - reason:margin', 201, nextId]);
    expect(gw.orders()).toEqual([]);
    c.api.placeOrder(nextId + 1, MES, lmt(4000));
    await c.waitFor((e) => e.name === 'orderStatus' && e.args[0] === nextId + 1);
  });

  it('survives dropConnections: the venue keeps orders, ids and positions for the reconnecting app', async () => {
    const first = await connect(3);
    first.c.api.placeOrder(first.nextId, MES, lmt(4000));
    first.c.api.placeOrder(first.nextId + 1, MES, mkt(2));
    await first.c.waitFor((e) => e.name === 'orderStatus' && e.args[0] === first.nextId + 1);
    gw.step(1);
    await first.c.waitName('execDetails');
    gw.faults.dropConnections();
    await first.c.waitName('disconnected!');
    const again = await connect(3);
    expect(again.nextId).toBeGreaterThan(first.nextId + 1);
    again.c.api.reqOpenOrders();
    await again.c.waitName('openOrderEnd');
    expect(again.c.named('openOrder').map((e) => e.args[0])).toEqual([first.nextId]);
    again.c.api.reqPositions();
    await again.c.waitName('positionEnd');
    expect(again.c.named('position')[0]?.args[2]).toBe(2);
    expect(gw.positions()).toMatchObject([{ qty: 2, localSymbol: 'MESZ6' }]);
  });

  it('sends 1100/1101/1102 and gates streaming as IB does', async () => {
    const { c } = await connect(1);
    c.api.reqRealTimeBars(1, MES, 5, 'TRADES', false);
    await sleep(30);
    gw.step(1);
    await c.waitName('realtimeBar');
    gw.faults.sendConnectivity(1100);
    await c.waitFor((e) => e.name === 'info' && e.args[1] === 1100);
    gw.step(2);
    await sleep(50);
    expect(c.named('realtimeBar')).toHaveLength(1);
    gw.faults.sendConnectivity(1102);
    await c.waitFor((e) => e.name === 'info' && e.args[1] === 1102);
    gw.step(1);
    await c.waitFor(() => c.named('realtimeBar').length === 2);
    gw.faults.sendConnectivity(1100);
    gw.faults.sendConnectivity(1101);
    await c.waitFor((e) => e.name === 'info' && e.args[1] === 1101);
    gw.step(1);
    await sleep(50);
    expect(c.named('realtimeBar')).toHaveLength(2); // subscriptions forgotten
    c.api.reqRealTimeBars(2, MES, 5, 'TRADES', false);
    await sleep(30);
    gw.step(1);
    await c.waitFor((e) => e.name === 'realtimeBar' && e.args[0] === 2);
  });

  it('goSilent keeps the socket open but answers nothing', async () => {
    const { c } = await connect(1);
    gw.faults.goSilent(true);
    c.api.reqCurrentTime();
    await sleep(200);
    expect(c.named('currentTime')).toEqual([]);
    expect(c.api.isConnected).toBe(true);
    expect(gw.connectionCount()).toBe(1);
    gw.faults.goSilent(false);
    c.api.reqCurrentTime();
    await c.waitName('currentTime');
  });

  it('partial fills: a market order of 3 fills 1 then 2', async () => {
    const { c, nextId } = await connect(1);
    gw.faults.partialFills(true);
    c.api.placeOrder(nextId, MES, mkt(3, 'pf'));
    await c.waitName('orderStatus');
    gw.step(1);
    await c.waitName('execDetails');
    gw.step(1);
    await c.waitFor(() => c.named('execDetails').length === 2);
    expect(c.named('execDetails').map((e) => (e.args[2] as { shares: number }).shares)).toEqual([1, 2]);
    await c.waitFor((e) => e.name === 'orderStatus' && e.args[1] === 'Filled' && e.args[2] === 3);
  });

  it('resends today\'s executions after nextValidId on every new connection', async () => {
    const a = await connect(1);
    a.c.api.placeOrder(a.nextId, MES, mkt(1, 'again'));
    await a.c.waitName('orderStatus');
    gw.step(1);
    await a.c.waitName('commissionReport');
    gw.faults.resendExecutionsOnReconnect(true);
    a.c.close();
    await sleep(50);
    const b = await connect(1);
    await b.c.waitName('commissionReport');
    const names = b.c.events.map((e) => e.name);
    expect(names.indexOf('execDetails')).toBeGreaterThan(names.indexOf('nextValidId'));
    expect(b.c.named('execDetails')[0]?.args[0]).toBe(-1);
    expect((b.c.named('execDetails')[0]?.args[2] as { orderRef: string }).orderRef).toBe('again');
  });

  it('loseNextAck hides the acknowledgement; the order still shows in reqAllOpenOrders', async () => {
    const { c, nextId } = await connect(1);
    gw.faults.loseNextAck();
    c.api.placeOrder(nextId, MES, lmt(4000));
    await sleep(150);
    expect(c.named('openOrder')).toEqual([]);
    expect(gw.orders()).toHaveLength(1);
    c.api.reqAllOpenOrders();
    await c.waitName('openOrderEnd');
    expect(c.named('openOrder').map((e) => e.args[0])).toEqual([nextId]);
  });

  it('delayAcks delays openOrder/orderStatus; pauseMatching holds fills', async () => {
    const { c, nextId } = await connect(1);
    gw.faults.delayAcks(200);
    gw.faults.pauseMatching(true);
    const t0 = Date.now();
    c.api.placeOrder(nextId, MES, mkt(1));
    await c.waitName('openOrder');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    gw.step(3);
    await sleep(50);
    expect(gw.executions()).toEqual([]);
    gw.faults.pauseMatching(false);
    gw.step(1);
    await c.waitName('execDetails');
  });

  it('manual TWS orders show in reqAllOpenOrders with client id 0', async () => {
    const { c } = await connect(1);
    const id = gw.placeManualOrder({ action: 'SELL', qty: 1, type: 'LMT', lmtPrice: 6000 });
    c.api.reqAllOpenOrders();
    await c.waitName('openOrderEnd');
    const o = c.named('openOrder')[0]?.args[2] as { orderId: number; clientId: number; orderRef: string };
    expect(o).toMatchObject({ orderId: id, clientId: 0, orderRef: '' });
    c.api.reqOpenOrders();
    await c.waitFor(() => c.named('openOrderEnd').length === 2);
    expect(c.named('openOrder')).toHaveLength(1);
  });

  it('paces historical requests with error 162', async () => {
    const { c } = await connect(1);
    c.api.reqHistoricalData(1, MES, '', '300 S', '5 secs' as never, 'TRADES', 0, 2, false);
    await c.waitFor((e) => e.name === 'historicalData' && String(e.args[1]).startsWith('finished'));
    c.api.reqHistoricalData(2, MES, '', '300 S', '5 secs' as never, 'TRADES', 0, 2, false);
    const err = await c.waitFor((e) => e.name === 'error!' && e.args[1] === 162);
    expect(err.args[2]).toBe(2);
    expect(String(err.args[0])).toContain('pacing violation');
  });
});
