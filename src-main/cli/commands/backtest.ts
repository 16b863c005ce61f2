import type { Command } from 'commander';
import { formatTime } from '../../core/domain/bars-csv';
import { runBacktest } from '../../core/native/backtest';
import { addBacktestOptions, explained, loadBars, paramsFrom, type BacktestCliOptions } from '../backtest-options';
import { printJson } from '../io';
import { metricsSummary } from '../metrics-summary';
import { strategySummary } from '../strategy-summary';

export function register(program: Command): void {
  addBacktestOptions(
    program.command('backtest').description("Backtest a strategy on a bars CSV with the live engine's decision core (semantics: docs/BACKTEST.md)"),
  ).action(async (o: BacktestCliOptions) => {
    const bars = loadBars(o.data, o.repair);
    const params = paramsFrom(o, bars);
    const result = await explained(() => runBacktest(bars, params));
    const trades = result.trades.map((t) => ({ ...t, entryTime: formatTime(t.entryTime), exitTime: formatTime(t.exitTime) }));
    if (o.json) return printJson({ metrics: result.metrics, trades, equity: Array.from(result.equity) });
    process.stdout.write(strategySummary(params, bars.time.length) + metricsSummary(result.metrics));
  });
}
