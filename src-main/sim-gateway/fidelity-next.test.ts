// The same venue through IBApiNext (RxJS wrapper with permId bookkeeping): promises resolve and no error surfaces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import { BarSizeSetting, IBApiNext, OrderAction, OrderType, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { startSimGateway, type SimGateway } from './index';

let gw: SimGateway;
let api: IBApiNext;

beforeEach(async () => {
  gw = await startSimGateway({ port: 0, clock: 'manual', seed: 3 });
  api = new IBApiNext({ host: '127.0.0.1', port: gw.port, reconnectInterval: 0 });
});
afterEach(async () => {
  api.disconnect();
  await gw.close();
});

describe('fidelity with IBApiNext', () => {
  it('resolves contract details, history, orders, executions and positions', async () => {
    const errors: string[] = [];
    api.error.subscribe((e) => errors.push(`${e.code}: ${e.error.message}`));
    api.connect(21);
    expect(await api.getCurrentTime()).toBe(gw.now());
    const fut: Contract = { symbol: 'MES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };
    const details = await api.getContractDetails(fut);
    expect(details.length).toBeGreaterThanOrEqual(4);
    const front: Contract = { ...details[0]?.contract, exchange: 'CME' };

    gw.step(12);
    const bars = await api.getHistoricalData(front, undefined, '1800 S', BarSizeSetting.SECONDS_FIVE, WhatToShow.TRADES, 0, 2);
    expect(bars.length).toBeGreaterThan(100);
    expect(bars.every((b) => Number.isInteger((b.close ?? 0) / 0.25))).toBe(true);

    const id = await api.placeNewOrder(front, { action: OrderAction.BUY, totalQuantity: 2, orderType: OrderType.MKT, transmit: true, orderRef: 'nx' });
    const open = await api.getAllOpenOrders();
    expect(open.map((o) => o.orderId)).toContain(id);
    gw.step(1);
    await new Promise((r) => setTimeout(r, 50));
    const execs = await api.getExecutionDetails({ clientId: 21 } as never);
    expect(execs.map((e) => e.execution.orderRef)).toEqual(['nx']);
    const positions = await firstValueFrom(api.getPositions().pipe(filter((u) => (u.all.get('DU123456')?.length ?? 0) > 0)));
    expect(positions.all.get('DU123456')?.[0]?.pos).toBe(2);
    expect(errors.filter((e) => !/^(2104|2106|2158):/.test(e))).toEqual([]);
  });
});
