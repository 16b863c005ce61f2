import { describe, expect, it } from 'vitest';
import { mesContract } from '../market/contracts';
import { Venue, type NewOrder } from './venue';
import type { VenueExecution, VenueOrder } from './types';

const contract = mesContract(2026, 12);

function setup(opts: { partial?: boolean } = {}) {
  const v = new Venue({ account: 'DU1', now: () => 0, partialFills: () => opts.partial ?? false, matchingPaused: () => false });
  const acks: [number, string][] = [];
  const cancels: number[] = [];
  const execs: VenueExecution[] = [];
  v.on({
    order: (o: VenueOrder) => acks.push([o.orderId, o.status]),
    cancelled: (o) => cancels.push(o.orderId),
    execution: (e) => execs.push(e),
    position: () => undefined,
  });
  return { v, acks, cancels, execs, status: (id: number) => v.orders().find((o) => o.orderId === id)?.status };
}

const order = (o: Partial<NewOrder> & Pick<NewOrder, 'orderId' | 'action' | 'orderType'>): NewOrder => ({
  clientId: 1, contract, totalQuantity: 1, lmtPrice: null, auxPrice: null, tif: 'DAY', ocaGroup: '', ocaType: 0, account: '',
  orderRef: 'r', transmit: true, parentId: 0, outsideRth: false, ...o,
});

const bar = (time: number, open: number, high: number, low: number, close: number) => ({ time, open, high, low, close });

describe('Venue', () => {
  it('holds a bracket until the transmitting child, then activates children when the parent fills', () => {
    const { v, acks, status } = setup();
    v.place(order({ orderId: 1, action: 'BUY', orderType: 'MKT', transmit: false }));
    v.place(order({ orderId: 2, action: 'SELL', orderType: 'LMT', lmtPrice: 5010, parentId: 1, transmit: false }));
    expect(acks).toEqual([]);
    v.onBar(bar(0, 5000, 5020, 4980, 5000)); // held orders never match
    expect(status(1)).toBe('PendingSubmit');
    v.place(order({ orderId: 3, action: 'SELL', orderType: 'STP', auxPrice: 4990, parentId: 1 }));
    expect(acks).toEqual([[1, 'Submitted'], [2, 'PreSubmitted'], [3, 'PreSubmitted']]);
    // Parent fills at the open; children wait for the next bar even though this bar reaches the take-profit.
    v.onBar(bar(5, 5000, 5012, 4999, 5005));
    expect([status(1), status(2), status(3)]).toEqual(['Filled', 'Submitted', 'Submitted']);
    v.onBar(bar(10, 5005, 5011, 5004, 5010));
    expect([status(2), status(3)]).toEqual(['Filled', 'Cancelled']);
    expect(v.positions()[0]?.position).toBe(0);
  });

  it('OCA type 1: one fill cancels the rest of the group', () => {
    const { v, status, cancels } = setup();
    v.place(order({ orderId: 1, action: 'BUY', orderType: 'LMT', lmtPrice: 4995, ocaGroup: 'g', ocaType: 1 }));
    v.place(order({ orderId: 2, action: 'BUY', orderType: 'STP', auxPrice: 5005, ocaGroup: 'g', ocaType: 1 }));
    v.onBar(bar(0, 5000, 5006, 4999, 5004));
    expect([status(1), status(2)]).toEqual(['Cancelled', 'Filled']);
    expect(cancels).toEqual([1]);
  });

  it('cancelling a bracket parent cancels its children; unknown and done orders are errors', () => {
    const { v, status } = setup();
    v.place(order({ orderId: 1, action: 'BUY', orderType: 'LMT', lmtPrice: 4900, transmit: false }));
    v.place(order({ orderId: 2, action: 'SELL', orderType: 'STP', auxPrice: 4890, parentId: 1 }));
    expect(v.cancel(1)).toEqual({ ok: true });
    expect([status(1), status(2)]).toEqual(['Cancelled', 'Cancelled']);
    expect(v.cancel(1)).toMatchObject({ ok: false, code: 10148 });
    expect(v.cancel(99)).toMatchObject({ ok: false, code: 10147 });
  });

  it('partial fills, commissions, realized P&L and avgCost', () => {
    const { v, execs } = setup({ partial: true });
    v.place(order({ orderId: 1, action: 'BUY', orderType: 'MKT', totalQuantity: 3 }));
    v.onBar(bar(0, 5000, 5001, 4999, 5000));
    expect(execs.map((e) => e.shares)).toEqual([1]);
    v.onBar(bar(5, 5001, 5002, 5000, 5001));
    expect(execs.map((e) => [e.shares, e.price, e.cumQty])).toEqual([[1, 5000, 1], [2, 5001, 3]]);
    const p = v.positions()[0];
    expect(p?.position).toBe(3);
    expect(p?.avgCost).toBeCloseTo((5000 * 5 + 5001 * 5 * 2) / 3 + 0.62, 6);
    v.place(order({ orderId: 2, action: 'SELL', orderType: 'LMT', lmtPrice: 5010, totalQuantity: 3 }));
    v.onBar(bar(10, 5008, 5012, 5007, 5011));
    const close = execs.at(-1);
    expect(close?.price).toBe(5010);
    expect(close?.commission).toBe(1.86);
    expect(close?.realizedPnl).toBeCloseTo(3 * (5010 * 5) - (5000 * 5 + 5001 * 10) - 3 * 0.62 - 1.86, 2);
    expect(execs[0]?.realizedPnl).toBeNull();
    expect(new Set(execs.map((e) => e.execId)).size).toBe(3);
  });

  it('order ids: next id stays above every id seen; modify by re-placing the same id', () => {
    const { v } = setup();
    v.place(order({ orderId: 41, action: 'BUY', orderType: 'LMT', lmtPrice: 4900 }));
    expect(v.nextOrderId()).toBe(42);
    v.place(order({ orderId: 41, action: 'BUY', orderType: 'LMT', lmtPrice: 4950 }));
    expect(v.orders()[0]?.lmtPrice).toBe(4950);
    expect(v.place(order({ orderId: 41, clientId: 2, action: 'BUY', orderType: 'LMT', lmtPrice: 4950 }))).toMatchObject({ ok: false, code: 103 });
  });
});
