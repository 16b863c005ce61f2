// Client requests, read from the field layout the @stoqey/ib encoder produces at server version 193 (indices below
// count the message id as field 0). Only what the venue uses is read; the variable tails are ignored.
import type { ContractQuery } from '../market/contracts';
import { REQ } from './ids';

export interface OrderRequest {
  orderId: number;
  contract: ContractQuery;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  ocaGroup: string;
  account: string;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  outsideRth: boolean;
  ocaType: number;
}

export interface HistoricalRequest {
  reqId: number;
  contract: ContractQuery;
  endDateTime: string;
  barSize: string;
  duration: string;
  useRth: boolean;
  whatToShow: string;
  formatDate: number;
  keepUpToDate: boolean;
}

export interface ExecutionFilter {
  clientId: number;
  account: string;
  time: string;
  symbol: string;
  secType: string;
  exchange: string;
  side: string;
}

export type Request =
  | { kind: 'startApi'; clientId: number }
  | { kind: 'placeOrder'; order: OrderRequest }
  | { kind: 'cancelOrder'; orderId: number }
  | { kind: 'globalCancel' }
  | { kind: 'openOrders'; scope: 'client' | 'all' | 'auto' }
  | { kind: 'executions'; reqId: number; filter: ExecutionFilter }
  | { kind: 'ids' }
  | { kind: 'currentTime' }
  | { kind: 'contractDetails'; reqId: number; contract: ContractQuery }
  | { kind: 'mktData'; reqId: number; contract: ContractQuery }
  | { kind: 'cancelMktData'; reqId: number }
  | { kind: 'realTimeBars'; reqId: number; contract: ContractQuery }
  | { kind: 'cancelRealTimeBars'; reqId: number }
  | { kind: 'historicalData'; req: HistoricalRequest }
  | { kind: 'cancelHistoricalData'; reqId: number }
  | { kind: 'positions'; subscribe: boolean }
  | { kind: 'accountSummary'; reqId: number; tags: string }
  | { kind: 'cancelAccountSummary'; reqId: number }
  | { kind: 'accountUpdates'; subscribe: boolean }
  | { kind: 'marketDataType' }
  | { kind: 'unknown'; msgId: number };

const int = (f: readonly string[], i: number): number => {
  const n = parseInt(f[i] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
};
const str = (f: readonly string[], i: number): string => f[i] ?? '';
const num = (f: readonly string[], i: number): number | null => {
  const s = f[i] ?? '';
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n !== Number.MAX_VALUE ? n : null;
};
const bool = (f: readonly string[], i: number): boolean => int(f, i) !== 0;

/** The 12-field contract block [conId, symbol, secType, ltdom, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, tradingClass]. */
function contractAt(f: readonly string[], i: number): ContractQuery {
  return {
    conId: int(f, i),
    symbol: str(f, i + 1),
    secType: str(f, i + 2),
    lastTradeDateOrContractMonth: str(f, i + 3),
    exchange: str(f, i + 7),
    currency: str(f, i + 9),
    localSymbol: str(f, i + 10),
  };
}

function placeOrder(f: readonly string[]): OrderRequest {
  return {
    orderId: int(f, 1),
    contract: contractAt(f, 2),
    action: str(f, 16).toUpperCase(),
    totalQuantity: num(f, 17) ?? 0,
    orderType: str(f, 18).toUpperCase(),
    lmtPrice: num(f, 19),
    auxPrice: num(f, 20),
    tif: str(f, 21) || 'DAY',
    ocaGroup: str(f, 22),
    account: str(f, 23),
    orderRef: str(f, 26),
    // TWS reads transmit as an int: an empty field is 0 (held in TWS until transmitted).
    transmit: bool(f, 27),
    parentId: int(f, 28),
    outsideRth: bool(f, 33),
    ocaType: int(f, 46),
  };
}

/** Throws on a message too short for its layout (the connection then treats the frame as malformed). */
export function decodeRequest(f: readonly string[]): Request {
  const id = int(f, 0);
  switch (id) {
    case REQ.START_API:
      return { kind: 'startApi', clientId: int(f, 2) };
    case REQ.PLACE_ORDER:
      if (f.length < 47) throw new Error(`placeOrder with ${f.length} fields`);
      return { kind: 'placeOrder', order: placeOrder(f) };
    case REQ.CANCEL_ORDER:
      return { kind: 'cancelOrder', orderId: int(f, 1) };
    case REQ.GLOBAL_CANCEL:
      return { kind: 'globalCancel' };
    case REQ.OPEN_ORDERS:
      return { kind: 'openOrders', scope: 'client' };
    case REQ.ALL_OPEN_ORDERS:
      return { kind: 'openOrders', scope: 'all' };
    case REQ.AUTO_OPEN_ORDERS:
      return { kind: 'openOrders', scope: 'auto' };
    case REQ.EXECUTIONS:
      return {
        kind: 'executions',
        reqId: int(f, 2),
        filter: { clientId: int(f, 3), account: str(f, 4), time: str(f, 5), symbol: str(f, 6), secType: str(f, 7), exchange: str(f, 8), side: str(f, 9) },
      };
    case REQ.IDS:
      return { kind: 'ids' };
    case REQ.CURRENT_TIME:
      return { kind: 'currentTime' };
    case REQ.CONTRACT_DATA: {
      if (f.length < 15) throw new Error(`reqContractDetails with ${f.length} fields`);
      // [9, 8, reqId, conId, symbol, secType, ltdom, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, ...]
      return { kind: 'contractDetails', reqId: int(f, 2), contract: contractAt(f, 3) };
    }
    case REQ.MKT_DATA:
      return { kind: 'mktData', reqId: int(f, 2), contract: contractAt(f, 3) };
    case REQ.CANCEL_MKT_DATA:
      return { kind: 'cancelMktData', reqId: int(f, 2) };
    case REQ.REAL_TIME_BARS:
      return { kind: 'realTimeBars', reqId: int(f, 2), contract: contractAt(f, 3) };
    case REQ.CANCEL_REAL_TIME_BARS:
      return { kind: 'cancelRealTimeBars', reqId: int(f, 2) };
    case REQ.HISTORICAL_DATA:
      if (f.length < 22) throw new Error(`reqHistoricalData with ${f.length} fields`);
      // [20, reqId, <contract 12>, includeExpired, endDateTime, barSize, duration, useRTH, whatToShow, formatDate, keepUpToDate, chartOptions]
      return {
        kind: 'historicalData',
        req: {
          reqId: int(f, 1),
          contract: contractAt(f, 2),
          endDateTime: str(f, 15),
          barSize: str(f, 16),
          duration: str(f, 17),
          useRth: bool(f, 18),
          whatToShow: str(f, 19),
          formatDate: int(f, 20),
          keepUpToDate: bool(f, 21),
        },
      };
    case REQ.CANCEL_HISTORICAL_DATA:
      return { kind: 'cancelHistoricalData', reqId: int(f, 2) };
    case REQ.POSITIONS:
      return { kind: 'positions', subscribe: true };
    case REQ.CANCEL_POSITIONS:
      return { kind: 'positions', subscribe: false };
    case REQ.ACCOUNT_SUMMARY:
      return { kind: 'accountSummary', reqId: int(f, 2), tags: str(f, 4) };
    case REQ.CANCEL_ACCOUNT_SUMMARY:
      return { kind: 'cancelAccountSummary', reqId: int(f, 2) };
    case REQ.ACCOUNT_UPDATES:
      return { kind: 'accountUpdates', subscribe: bool(f, 2) };
    case REQ.MARKET_DATA_TYPE:
      return { kind: 'marketDataType' };
    default:
      return { kind: 'unknown', msgId: id };
  }
}
