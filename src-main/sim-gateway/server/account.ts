// Account answers: summary tags, account-update stream values, and the reqExecutions filter. Paper account of
// $100,000 plus realized P&L; margin is a flat per-contract figure (the venue has no risk engine).
import { barTimeText } from '../market/time';
import type { ExecutionFilter } from '../protocol/decode-requests';
import { encodeAccountDownloadEnd, encodeAccountSummary, encodeAccountSummaryEnd, encodeAccountTime, encodeAccountValue, encodePortfolioValue } from '../protocol/encode-session';
import type { VenueExecution, VenuePosition } from '../venue/types';
import type { Connection } from './connection';

const STARTING_CASH = 100_000;
const MARGIN_PER_CONTRACT = 1_500;

export function accountValues(positions: readonly VenuePosition[], lastPrice: number): Record<string, number> {
  let realized = 0;
  let unrealized = 0;
  let contracts = 0;
  for (const p of positions) {
    realized += p.realizedPnl;
    unrealized += (lastPrice * p.contract.multiplier - p.avgCost) * p.position;
    contracts += Math.abs(p.position);
  }
  const cash = STARTING_CASH + realized;
  const netLiq = cash + unrealized;
  const available = netLiq - contracts * MARGIN_PER_CONTRACT;
  return { NetLiquidation: netLiq, TotalCashValue: cash, AvailableFunds: available, BuyingPower: available * 4, RealizedPnL: realized, UnrealizedPnL: unrealized };
}

/** Sends the requested tags (all known ones for an empty list or "All"), then the end marker. */
export function sendAccountSummary(c: Connection, reqId: number, tags: string, account: string, values: Record<string, number>): void {
  const wanted = tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const [tag, value] of Object.entries(values)) {
    if (wanted.length > 0 && !wanted.includes(tag) && !wanted.includes('All')) continue;
    c.send(encodeAccountSummary(reqId, account, tag, value.toFixed(2), 'USD'));
  }
  c.send(encodeAccountSummaryEnd(reqId));
}

export function sendAccountUpdate(
  c: Connection,
  first: boolean,
  a: { account: string; positions: readonly VenuePosition[]; lastPrice: number; now: number; values: Record<string, number> },
): void {
  for (const [k, v] of Object.entries(a.values)) c.send(encodeAccountValue(k, v.toFixed(2), 'USD', a.account));
  for (const p of a.positions) {
    const unrealized = Math.round((a.lastPrice * p.contract.multiplier - p.avgCost) * p.position * 100) / 100;
    c.send(encodePortfolioValue(p, a.lastPrice, unrealized, p.realizedPnl));
  }
  c.send(encodeAccountTime(barTimeText(a.now).slice(9, 14)));
  if (first) c.send(encodeAccountDownloadEnd(a.account));
}

/** clientId 0 in the filter means every client; the time filter is not applied. */
export function matchesFilter(e: VenueExecution, f: ExecutionFilter): boolean {
  if (f.clientId !== 0 && e.clientId !== f.clientId) return false;
  if (f.account !== '' && f.account !== e.account) return false;
  if (f.symbol !== '' && f.symbol.toUpperCase() !== e.contract.symbol) return false;
  if (f.secType !== '' && f.secType.toUpperCase() !== e.contract.secType) return false;
  const side = f.side.toUpperCase();
  if (side !== '' && side !== e.side && (side === 'BUY' ? 'BOT' : 'SLD') !== e.side) return false;
  return true;
}
