// Fill rules against one 5-second bar. The venue never looks inside a bar, so prices come from OHLC only:
// market orders take the bar's open (the first trade after they arrived); limits fill when the bar trades through
// the limit, at the limit or the better open (a gap); stops trigger when the bar reaches the stop and fill at the
// stop or the worse open (gap slippage).
import type { OrderAction, VenueOrderType } from './types';

export interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface Matchable {
  action: OrderAction;
  orderType: VenueOrderType;
  lmtPrice: number | null;
  auxPrice: number | null;
}

/** Fill price of an order on this bar, or null if it does not fill. */
export function fillPrice(o: Matchable, bar: Ohlc): number | null {
  const buy = o.action === 'BUY';
  switch (o.orderType) {
    case 'MKT':
      return bar.open;
    case 'LMT': {
      const lmt = o.lmtPrice;
      if (lmt === null) return null;
      if (buy) return bar.low <= lmt ? Math.min(lmt, bar.open) : null;
      return bar.high >= lmt ? Math.max(lmt, bar.open) : null;
    }
    case 'STP': {
      const stp = o.auxPrice;
      if (stp === null) return null;
      if (buy) return bar.high >= stp ? Math.max(stp, bar.open) : null;
      return bar.low <= stp ? Math.min(stp, bar.open) : null;
    }
  }
}

export const COMMISSION_PER_CONTRACT = 0.62;
