import type { BacktestMetrics } from '@qs/native';

export const usd = (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toFixed(2)}`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Backtest metrics in a trader's words, dollars and percentages. */
export function metricsSummary(m: BacktestMetrics, indent = ''): string {
  return (
    [
      `Net P&L ${usd(m.netPnl)} over ${m.trades} trades (${m.wins} won, ${m.losses} lost, win rate ${pct(m.winRate)})`,
      `Profit factor ${m.profitFactor == null ? 'n/a (no losing trade)' : m.profitFactor.toFixed(2)}, expectancy ${usd(m.expectancy)} per trade, avg win ${usd(m.avgWin)}, avg loss ${usd(m.avgLoss)}`,
      `Max drawdown ${usd(m.maxDrawdown)} (${pct(m.maxDrawdownPct)}), Sharpe ${m.sharpe.toFixed(2)}, Sortino ${m.sortino.toFixed(2)} over ${m.tradingDays} CME trading days`,
      `Exposure ${pct(m.exposure)}, ${m.tradesPerDay.toFixed(2)} trades per day, longest losing streak ${m.longestLosingStreak}, score ${m.score.toFixed(3)}`,
    ]
      .map((l) => indent + l)
      .join('\n') + '\n'
  );
}
