// The venue's own records of orders, executions and positions. Encoders read these; tests read copies of them.
import type { VenueContract } from '../market/contracts';

export type OrderAction = 'BUY' | 'SELL';
export type VenueOrderType = 'MKT' | 'LMT' | 'STP';

/** IB's order status words, as TWS sends them. */
export type OrderStatusText = 'PendingSubmit' | 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled' | 'Inactive';

export interface VenueOrder {
  orderId: number;
  /** 0 for orders "placed by hand in TWS". */
  clientId: number;
  permId: number;
  parentId: number;
  contract: VenueContract;
  action: OrderAction;
  totalQuantity: number;
  orderType: VenueOrderType;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  ocaGroup: string;
  /** 1 cancel the rest, 2 reduce with block, 3 reduce without block (0 when not in an OCA group). */
  ocaType: number;
  account: string;
  orderRef: string;
  outsideRth: boolean;
  /** False while the order waits in the gateway for the transmit=true order that completes its bracket. */
  transmitted: boolean;
  status: OrderStatusText;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Simulated epoch seconds of placement. */
  placedAt: number;
  /** "child" while a bracket child waits for its parent to fill. */
  whyHeld: string;
}

export interface VenueExecution {
  execId: string;
  orderId: number;
  clientId: number;
  permId: number;
  contract: VenueContract;
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  /** Simulated epoch seconds. */
  time: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
  account: string;
  commission: number;
  /** Realized P&L in $ of this fill net of both sides' commissions; null for a fill that only opens or adds. */
  realizedPnl: number | null;
}

export interface VenuePosition {
  account: string;
  contract: VenueContract;
  /** Contracts, + long / - short. */
  position: number;
  /** Average fill price in index points. */
  avgPrice: number;
  /** IB's avgCost for futures: average price x multiplier, plus (long) or minus (short) the commission per contract, in $. */
  avgCost: number;
  realizedPnl: number;
}

export const isWorking = (o: VenueOrder): boolean =>
  o.status === 'PendingSubmit' || o.status === 'PreSubmitted' || o.status === 'Submitted';

export const isDone = (o: VenueOrder): boolean => o.status === 'Filled' || o.status === 'Cancelled' || o.status === 'Inactive';
