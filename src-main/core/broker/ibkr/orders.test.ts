import { OrderAction, OrderType } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import { MESZ6 } from '../test-contract';
import { bracketOrders, ibContract, OCA_REDUCE_WITH_BLOCK, singleOrder } from './orders';

describe('IB order construction', () => {
  it('builds a bracket: consecutive ids, parent and take-profit held, the stop transmits all three', () => {
    const { orders, ocaGroup } = bracketOrders(
      { contract: MESZ6, orderRef: 'intent-7', side: 'BUY', qty: 2, entry: { type: 'MKT' }, stopPrice: 5996, targetPrice: 6008 },
      [41, 42, 43],
      'DU123456',
    );
    expect(ocaGroup).toBe('intent-7:oca');
    expect(orders.map((o) => o.orderId)).toEqual([41, 42, 43]);
    const [entry, tp, sl] = orders.map((o) => o.order);
    expect(entry).toMatchObject({ action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 2, transmit: false, orderRef: 'intent-7:entry', account: 'DU123456' });
    expect(entry?.parentId).toBeUndefined();
    expect(tp).toMatchObject({ action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: 6008, parentId: 41, transmit: false, orderRef: 'intent-7:tp', ocaGroup, ocaType: OCA_REDUCE_WITH_BLOCK, tif: 'GTC' });
    expect(sl).toMatchObject({ action: OrderAction.SELL, orderType: OrderType.STP, auxPrice: 5996, parentId: 41, transmit: true, orderRef: 'intent-7:sl', ocaGroup, tif: 'GTC' });
  });

  it('a SELL bracket with a limit entry buys back at the target and stop', () => {
    const { orders } = bracketOrders(
      { contract: MESZ6, orderRef: 'r', side: 'SELL', qty: 1, entry: { type: 'LMT', limitPrice: 6001 }, stopPrice: 6005, targetPrice: 5990 },
      [1, 2, 3],
      null,
    );
    expect(orders[0]?.order).toMatchObject({ action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: 6001 });
    expect(orders[0]?.order.account).toBeUndefined();
    expect(orders[1]?.order.action).toBe(OrderAction.BUY);
    expect(orders[2]?.order.action).toBe(OrderAction.BUY);
  });

  it('builds single MKT/LMT/STP orders that transmit at once', () => {
    expect(singleOrder({ contract: MESZ6, orderRef: 'flat-1', side: 'SELL', qty: 3, order: { type: 'MKT' } }, 9, null).order).toMatchObject({ orderType: OrderType.MKT, totalQuantity: 3, transmit: true, orderRef: 'flat-1' });
    expect(singleOrder({ contract: MESZ6, orderRef: 'x', side: 'BUY', qty: 1, order: { type: 'STP', stopPrice: 6010 } }, 9, null).order).toMatchObject({ orderType: OrderType.STP, auxPrice: 6010 });
    expect(singleOrder({ contract: MESZ6, orderRef: 'x', side: 'BUY', qty: 1, order: { type: 'LMT', limitPrice: 5990 } }, 9, null).order).toMatchObject({ orderType: OrderType.LMT, lmtPrice: 5990 });
  });

  it('addresses the contract by conId and exchange', () => {
    expect(ibContract(MESZ6)).toMatchObject({ conId: 730283085, exchange: 'CME', localSymbol: 'MESZ6', secType: 'FUT', currency: 'USD' });
  });
});
