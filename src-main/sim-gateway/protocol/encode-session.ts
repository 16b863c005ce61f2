// Session, error, account and position messages at server version 193.
import type { VenuePosition } from '../venue/types';
import type { Field } from './fields';
import { MSG } from './ids';

export const encodeManagedAccounts = (account: string): Field[] => [MSG.MANAGED_ACCTS, 1, account];
export const encodeNextValidId = (id: number): Field[] => [MSG.NEXT_VALID_ID, 1, id];
export const encodeCurrentTime = (epochSecs: number): Field[] => [MSG.CURRENT_TIME, 1, Math.floor(epochSecs)];

/** id -1 reaches @stoqey/ib as an `info` event, any other id as `error`. Last field: advancedOrderRejectJson. */
export const encodeError = (id: number, code: number, message: string): Field[] => [MSG.ERROR, 2, id, code, message, ''];

export function encodePosition(p: VenuePosition): Field[] {
  const c = p.contract;
  return [
    MSG.POSITION, 3, p.account, c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, 0, '', c.multiplier,
    c.exchange, c.currency, c.localSymbol, c.tradingClass, p.position, p.avgCost,
  ];
}
export const encodePositionEnd = (): Field[] => [MSG.POSITION_END, 1];

export const encodeAccountSummary = (reqId: number, account: string, tag: string, value: string, currency: string): Field[] => [
  MSG.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency,
];
export const encodeAccountSummaryEnd = (reqId: number): Field[] => [MSG.ACCOUNT_SUMMARY_END, 1, reqId];

export const encodeAccountValue = (key: string, value: string, currency: string, account: string): Field[] => [MSG.ACCT_VALUE, 2, key, value, currency, account];

export function encodePortfolioValue(p: VenuePosition, marketPrice: number, unrealized: number, realized: number): Field[] {
  const c = p.contract;
  return [
    MSG.PORTFOLIO_VALUE, 8, c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, 0, '', c.multiplier, '', c.currency,
    c.localSymbol, c.tradingClass, p.position, marketPrice, marketPrice * c.multiplier * p.position, p.avgCost, unrealized, realized, p.account,
  ];
}
export const encodeAccountTime = (hhmm: string): Field[] => [MSG.ACCT_UPDATE_TIME, 1, hhmm];
export const encodeAccountDownloadEnd = (account: string): Field[] => [MSG.ACCT_DOWNLOAD_END, 1, account];
