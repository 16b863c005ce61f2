// execDetails / execDetailsEnd / commissionReport at server version 193 (no version field in execDetails since
// LAST_LIQUIDITY; ends with pendingPriceRevision).
import { executionTimeText } from '../market/time';
import type { VenueExecution } from '../venue/types';
import { UNSET_DOUBLE, type Field } from './fields';
import { MSG } from './ids';

export function encodeExecDetails(reqId: number, e: VenueExecution): Field[] {
  const c = e.contract;
  return [
    MSG.EXECUTION_DATA, reqId, e.orderId,
    c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, 0, '', c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass,
    e.execId, executionTimeText(e.time), e.account, c.exchange, e.side, e.shares, e.price, e.permId, e.clientId,
    0, // liquidation
    e.cumQty, e.avgPrice, e.orderRef,
    '', '', // evRule, evMultiplier
    '', // modelCode
    2, // lastLiquidity: removed liquidity (we fill against the market)
    false, // pendingPriceRevision
  ];
}

export const encodeExecDetailsEnd = (reqId: number): Field[] => [MSG.EXECUTION_DATA_END, 1, reqId];

export function encodeCommissionReport(e: VenueExecution): Field[] {
  return [MSG.COMMISSION_REPORT, 1, e.execId, e.commission, 'USD', e.realizedPnl ?? UNSET_DOUBLE, UNSET_DOUBLE, ''];
}
