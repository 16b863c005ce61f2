// A whole session through the unmodified @stoqey/ib client over real TCP: the decoder must accept every message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderAction, OrderType, SecType, type Contract, type Order } from '@stoqey/ib';
import { startSimGateway, type SimGateway } from './index';
import { RecordingClient } from './test-support';

const MES: Contract = { symbol: 'MES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };

let gw: SimGateway;
let client: RecordingClient;

beforeEach(async () => {
  gw = await startSimGateway({ port: 0, clock: 'manual', seed: 7 });
});
afterEach(async () => {
  client.close();
  await gw.close();
});

describe('fidelity with @stoqey/ib 1.6.10', () => {
  it('runs a full trading session without decoder complaints', async () => {
    client = new RecordingClient(gw.port, 11).connect();
    const next = await client.waitName('nextValidId');
    const firstId = Number(next.args[0]);
    expect(firstId).toBeGreaterThan(0);
    expect(client.named('managedAccounts')[0]?.args[0]).toBe('DU123456');
    await client.waitFor((e) => e.name === 'info' && e.args[1] === 2104);

    client.api.reqCurrentTime();
    const t = await client.waitName('currentTime');
    expect(t.args[0]).toBe(gw.now());

    // Contract details: several quarterly expiries.
    client.api.reqContractDetails(1, MES);
    await client.waitFor((e) => e.name === 'contractDetailsEnd' && e.args[0] === 1);
    const details = client.named('contractDetails').map((e) => e.args[1] as { contract: Contract; realExpirationDate: string; minTick: number });
    expect(details.length).toBeGreaterThanOrEqual(4);
    expect(details.map((d) => d.contract.localSymbol)).toEqual(expect.arrayContaining(['MESZ6', 'MESH7', 'MESM7', 'MESU7']));
    const front = details[0]?.contract;
    expect(front?.multiplier).toBe(5);
    expect(details[0]?.minTick).toBe(0.25);
    client.api.reqContractDetails(2, { symbol: 'NOPE', secType: SecType.FUT, exchange: 'CME', currency: 'USD' });
    await client.waitFor((e) => e.name === 'error!' && e.args[1] === 200 && e.args[2] === 2);

    const fut: Contract = { ...MES, conId: front?.conId, lastTradeDateOrContractMonth: front?.lastTradeDateOrContractMonth };

    // Real-time bars on the manual clock.
    client.api.reqRealTimeBars(3, fut, 5, 'TRADES', false);
    await new Promise((r) => setTimeout(r, 50));
    gw.step(3);
    await client.waitFor((e) => client.named('realtimeBar').length >= 3 && e.name === 'realtimeBar');
    const bar = client.named('realtimeBar')[2]?.args ?? [];
    expect(bar[0]).toBe(3);
    expect(Number(bar[5]) % 0.25).toBe(0);

    // Historical bars end at or before now, epoch-second dates.
    client.api.reqHistoricalData(4, fut, '', '600 S', '1 min' as never, 'TRADES', 0, 2, false);
    await client.waitFor((e) => e.name === 'historicalData' && String(e.args[1]).startsWith('finished'));
    const hist = client.named('historicalData').filter((e) => !String(e.args[1]).startsWith('finished'));
    expect(hist.length).toBeGreaterThan(5);
    expect(Number(hist.at(-1)?.args[1]) + 60).toBeLessThanOrEqual(gw.now());

    // Bracket: MKT parent (held), LMT take-profit (held), STP stop (transmits all).
    const p = gw.lastPrice();
    const parent: Order = { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT, transmit: false, orderRef: 'br-1' };
    const tp: Order = { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: p + 200, parentId: firstId, transmit: false, orderRef: 'br-1' };
    const sl: Order = { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.STP, auxPrice: p - 200, parentId: firstId, transmit: true, orderRef: 'br-1' };
    client.api.placeOrder(firstId, fut, parent);
    client.api.placeOrder(firstId + 1, fut, tp);
    client.api.placeOrder(firstId + 2, fut, sl);
    await client.waitFor((e) => e.name === 'orderStatus' && e.args[0] === firstId + 2);
    const acks = client.events.filter((e) => e.name === 'openOrder' || e.name === 'orderStatus').map((e) => [e.name, e.args[0]]);
    expect(acks.slice(0, 2)).toEqual([['openOrder', firstId], ['orderStatus', firstId]]);
    expect(client.events.find((e) => e.name === 'orderStatus' && e.args[0] === firstId + 2)?.args[1]).toBe('PreSubmitted');

    gw.step(1);
    const exec = await client.waitName('execDetails');
    expect(exec.args[0]).toBe(-1);
    expect(exec.args[2]).toMatchObject({ orderId: firstId, side: 'BOT', shares: 1, orderRef: 'br-1' });
    const comm = await client.waitName('commissionReport');
    expect(comm.args[0]).toMatchObject({ commission: 0.62, currency: 'USD' });
    await client.waitFor((e) => e.name === 'orderStatus' && e.args[0] === firstId && e.args[1] === 'Filled');
    await client.waitFor((e) => e.name === 'orderStatus' && e.args[0] === firstId + 2 && e.args[1] === 'Submitted');

    // Cancel the take-profit: Cancelled + 202; cancelling it again: 10148.
    client.api.cancelOrder(firstId + 1);
    await client.waitFor((e) => e.name === 'orderStatus' && e.args[0] === firstId + 1 && e.args[1] === 'Cancelled');
    await client.waitFor((e) => e.name === 'error!' && e.args[1] === 202 && e.args[2] === firstId + 1);
    client.api.cancelOrder(firstId + 1);
    await client.waitFor((e) => e.name === 'error!' && e.args[1] === 10148);

    client.api.reqPositions();
    await client.waitName('positionEnd');
    const pos = client.named('position')[0]?.args ?? [];
    expect(pos[0]).toBe('DU123456');
    expect(pos[2]).toBe(1);

    client.api.reqExecutions(5, { clientId: 0 } as never);
    await client.waitFor((e) => e.name === 'execDetailsEnd' && e.args[0] === 5);
    expect(client.named('execDetails').filter((e) => e.args[0] === 5)).toHaveLength(1);

    client.api.reqAllOpenOrders();
    const endIdx = client.events.length;
    await client.waitName('openOrderEnd', 4000, endIdx);
    const open = client.events.slice(endIdx).filter((e) => e.name === 'openOrder').map((e) => e.args[0]);
    expect(open).toEqual([firstId + 2]);

    client.api.reqAccountSummary(6, 'All', 'NetLiquidation,TotalCashValue,BuyingPower,AvailableFunds');
    await client.waitFor((e) => e.name === 'accountSummaryEnd');
    expect(client.named('accountSummary').length).toBe(4);

    client.api.reqMktData(7, fut, '', false, false);
    gw.step(1);
    await client.waitFor((e) => e.name === 'tickPrice' && e.args[0] === 7 && e.args[1] === 4);

    client.api.reqGlobalCancel();
    await client.waitFor((e) => e.name === 'orderStatus' && e.args[0] === firstId + 2 && e.args[1] === 'Cancelled');

    expect(client.protocolErrors()).toEqual([]);
    expect(new Set(client.named('error!').map((e) => e.args[1]))).toEqual(new Set([200, 202, 10148]));
    expect(client.named('info').map((e) => e.args[1])).toEqual([2104, 2106, 2158]);
    expect(gw.orders().map((o) => o.status)).toEqual(['Filled', 'Cancelled', 'Cancelled']);
    expect(new Set(gw.orders().map((o) => o.permId)).size).toBe(3);
  });
});
