// Every server message, decoded by the @stoqey/ib Decoder itself at version 193: no leftover fields, no underrun.
import { describe, expect, it } from 'vitest';
import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { mesContract } from '../market/contracts';
import type { VenueExecution, VenueOrder } from '../venue/types';
import { encodeCommissionReport, encodeExecDetails, encodeExecDetailsEnd } from './encode-executions';
import { encodeContractData, encodeHistoricalData, encodeRealtimeBar, encodeTickPrice, encodeTickSize } from './encode-market';
import { encodeOpenOrder, encodeOrderStatus } from './encode-orders';
import { encodeAccountSummary, encodeError, encodePortfolioValue, encodePosition } from './encode-session';
import type { Field } from './fields';
import { encodeFrame, splitFields } from './framing';

interface Emitted {
  name: string;
  args: unknown[];
}

function decode(fields: Field[]): { events: Emitted[]; errors: string[] } {
  const events: Emitted[] = [];
  const errors: string[] = [];
  const d = new Decoder({
    serverVersion: 193,
    emitEvent: (name: string, ...args: unknown[]) => events.push({ name, args }),
    emitError: (msg: string) => errors.push(msg),
    emitInfo: () => undefined,
  } as unknown as ConstructorParameters<typeof Decoder>[0]);
  const frame = encodeFrame(fields);
  d.enqueueMessage(splitFields(frame.subarray(4)));
  d.process();
  return { events, errors };
}

const contract = mesContract(2026, 12);
const order: VenueOrder = {
  orderId: 7, clientId: 3, permId: 1500000001, parentId: 6, contract, action: 'SELL', totalQuantity: 2, orderType: 'STP',
  lmtPrice: null, auxPrice: 4990.25, tif: 'GTC', ocaGroup: 'oca1', ocaType: 1, account: 'DU123456', orderRef: 'strat-1',
  outsideRth: true, transmitted: true, status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, placedAt: 0, whyHeld: 'child',
};
const exec: VenueExecution = {
  execId: '0001f401.4f2a.01.01', orderId: 7, clientId: 3, permId: 1500000001, contract, side: 'SLD', shares: 2, price: 4990.25,
  time: 1795271400, cumQty: 2, avgPrice: 4990.25, orderRef: 'strat-1', account: 'DU123456', commission: 1.24, realizedPnl: null,
};

describe('server messages decode cleanly in @stoqey/ib at version 193', () => {
  it('openOrder', () => {
    const { events, errors } = decode(encodeOpenOrder(order));
    expect(errors).toEqual([]);
    const [id, c, o, st] = events[0]?.args ?? [];
    expect(events[0]?.name).toBe('openOrder');
    expect(id).toBe(7);
    expect(c).toMatchObject({ conId: contract.conId, symbol: 'MES', localSymbol: 'MESZ6', multiplier: 5 });
    expect(o).toMatchObject({ action: 'SELL', totalQuantity: 2, orderType: 'STP', auxPrice: 4990.25, ocaGroup: 'oca1', ocaType: 1, parentId: 6, permId: 1500000001, clientId: 3, orderRef: 'strat-1' });
    expect(st).toMatchObject({ status: 'PreSubmitted' });
  });
  it('orderStatus', () => {
    const { events, errors } = decode(encodeOrderStatus(order));
    expect(errors).toEqual([]);
    expect(events[0]?.args).toEqual([7, 'PreSubmitted', 0, 2, 0, 1500000001, 6, 0, 3, 'child', 0]);
  });
  it('execDetails + commissionReport', () => {
    const a = decode(encodeExecDetails(-1, exec));
    expect(a.errors).toEqual([]);
    expect(a.events[0]?.args[2]).toMatchObject({ execId: exec.execId, side: 'SLD', shares: 2, price: 4990.25, orderRef: 'strat-1', permId: 1500000001 });
    const b = decode(encodeCommissionReport(exec));
    expect(b.errors).toEqual([]);
    expect(b.events[0]?.args[0]).toMatchObject({ execId: exec.execId, commission: 1.24, currency: 'USD', realizedPNL: undefined });
    expect(decode(encodeExecDetailsEnd(4)).errors).toEqual([]);
  });
  it('contractData', () => {
    const { events, errors } = decode(encodeContractData(9, contract, 1795271400));
    expect(errors).toEqual([]);
    expect(events[0]?.args[1]).toMatchObject({
      contract: { symbol: 'MES', lastTradeDateOrContractMonth: '20261218', conId: contract.conId, multiplier: 5, localSymbol: 'MESZ6', tradingClass: 'MES' },
      minTick: 0.25, timeZoneId: 'US/Central', realExpirationDate: '20261218', contractMonth: '202612',
    });
  });
  it('market data, history, account, position, error', () => {
    const bar = { time: 1795271400, open: 5000, high: 5001.25, low: 4999.5, close: 5000.75, volume: 42 };
    for (const f of [
      encodeRealtimeBar(1, bar), encodeTickPrice(2, 4, 5000.75, 3), encodeTickSize(2, 8, 42),
      encodeHistoricalData(3, 'a', 'b', [bar, bar], String), encodePosition({ account: 'DU1', contract, position: -2, avgPrice: 5000, avgCost: 24999.38, realizedPnl: 0 }),
      encodePortfolioValue({ account: 'DU1', contract, position: 1, avgPrice: 5000, avgCost: 25000.62, realizedPnl: 0 }, 5001, 4.38, 0),
      encodeAccountSummary(5, 'DU1', 'NetLiquidation', '100000.00', 'USD'),
    ]) {
      const r = decode(f);
      expect(r.errors).toEqual([]);
      expect(r.events.length).toBeGreaterThan(0);
    }
    // An error message surfaces through emitError with exactly its text (no decoding complaint besides it).
    expect(decode(encodeError(7, 201, 'Order rejected - reason:x')).errors).toEqual(['Order rejected - reason:x']);
  });
});
