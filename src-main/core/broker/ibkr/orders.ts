// Port order requests -> @stoqey/ib Order objects. A bracket is three orders with consecutive ids: the entry and the
// take-profit go with transmit=false and the stop with transmit=true, so IB receives the whole bracket at once and
// activates the children only when the parent fills. The children share an OCA group ("reduce with block": a
// partial fill of one exit shrinks the other instead of cancelling it, so a 2-lot is never left unprotected).
// Exits are GTC so protection survives the daily session break; outsideRth lets stops trigger in the overnight session.
import { OrderAction, OrderType, SecType, TimeInForce, type Contract, type Order } from '@stoqey/ib';
import type { BracketRequest, ContractRef, OrderSide, SingleOrderRequest } from '../port';

export const OCA_REDUCE_WITH_BLOCK = 2;

export interface PlacedOrder {
  orderId: number;
  order: Order;
}

export const refs = (orderRef: string) => ({ entry: `${orderRef}:entry`, takeProfit: `${orderRef}:tp`, stopLoss: `${orderRef}:sl` });

export function ibContract(c: ContractRef): Contract {
  return {
    conId: c.conId,
    symbol: c.symbol,
    secType: SecType.FUT,
    lastTradeDateOrContractMonth: c.lastTradeDate,
    multiplier: c.multiplier,
    exchange: c.exchange,
    currency: c.currency,
    localSymbol: c.localSymbol,
    tradingClass: c.tradingClass,
  };
}

const action = (s: OrderSide): OrderAction => (s === 'BUY' ? OrderAction.BUY : OrderAction.SELL);
const opposite = (s: OrderSide): OrderSide => (s === 'BUY' ? 'SELL' : 'BUY');

/** ids: three consecutive order ids (entry, take-profit, stop). */
export function bracketOrders(r: BracketRequest, ids: readonly [number, number, number], account: string | null): { orders: PlacedOrder[]; ocaGroup: string } {
  const [entryId, tpId, slId] = ids;
  const names = refs(r.orderRef);
  const ocaGroup = `${r.orderRef}:oca`;
  const base = { totalQuantity: r.qty, outsideRth: true, ...(account !== null ? { account } : {}) };
  const entry: Order =
    r.entry.type === 'LMT'
      ? { ...base, action: action(r.side), orderType: OrderType.LMT, lmtPrice: r.entry.limitPrice, tif: TimeInForce.DAY, orderRef: names.entry, transmit: false }
      : { ...base, action: action(r.side), orderType: OrderType.MKT, tif: TimeInForce.DAY, orderRef: names.entry, transmit: false };
  const exit = { ...base, action: action(opposite(r.side)), tif: TimeInForce.GTC, parentId: entryId, ocaGroup, ocaType: OCA_REDUCE_WITH_BLOCK };
  const takeProfit: Order = { ...exit, orderType: OrderType.LMT, lmtPrice: r.targetPrice, orderRef: names.takeProfit, transmit: false };
  const stopLoss: Order = { ...exit, orderType: OrderType.STP, auxPrice: r.stopPrice, orderRef: names.stopLoss, transmit: true };
  return {
    ocaGroup,
    orders: [
      { orderId: entryId, order: entry },
      { orderId: tpId, order: takeProfit },
      { orderId: slId, order: stopLoss },
    ],
  };
}

export function singleOrder(r: SingleOrderRequest, orderId: number, account: string | null): PlacedOrder {
  const base = { action: action(r.side), totalQuantity: r.qty, orderRef: r.orderRef, transmit: true, outsideRth: true, ...(account !== null ? { account } : {}) };
  const o = r.order;
  const order: Order =
    o.type === 'LMT'
      ? { ...base, orderType: OrderType.LMT, lmtPrice: o.limitPrice, tif: TimeInForce.DAY }
      : o.type === 'STP'
        ? { ...base, orderType: OrderType.STP, auxPrice: o.stopPrice, tif: TimeInForce.GTC }
        : { ...base, orderType: OrderType.MKT, tif: TimeInForce.DAY };
  return { orderId, order };
}
