// CSV export of live trades and of saved backtest runs. Times in ISO-8601 UTC; money in dollars; prices in points.
import { formatTime } from '../domain/bars-csv';
import type { BacktestRun } from './backtest-runs-repo';
import type { TradeRecord } from './trades-repo';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: (string | number | null)[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

export function tradesCsv(trades: readonly TradeRecord[]): string {
  return csv(
    ['entry_time', 'exit_time', 'side', 'qty', 'entry_price', 'exit_price', 'pnl_usd', 'commission_usd', 'exit_reason', 'trading_day'],
    trades.map((t) => [formatTime(t.entryTime), formatTime(t.exitTime), t.side, t.qty, t.entryPrice, t.exitPrice, t.pnlUsd, t.commissionUsd, t.exitReason, t.tradingDay]),
  );
}

export function backtestTradesCsv(run: BacktestRun): string {
  const time = (v: string | number) => (typeof v === 'number' ? formatTime(v) : v);
  return csv(
    ['entry_time', 'exit_time', 'side', 'qty', 'entry_price', 'exit_price', 'pnl_usd', 'exit_reason'],
    run.trades.map((t) => [time(t.entryTime), time(t.exitTime), t.side, t.qty, t.entryPrice, t.exitPrice, t.pnl, t.exitReason]),
  );
}

export function backtestMetricsCsv(run: BacktestRun): string {
  return csv(['metric', 'value'], Object.entries(run.metrics).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v)]));
}
