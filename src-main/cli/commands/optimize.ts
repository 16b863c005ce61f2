import type { Command } from 'commander';
import { runGridSearch } from '../../core/native/backtest';
import { addBacktestOptions, explained, loadBars, paramsFrom, parseList, type BacktestCliOptions } from '../backtest-options';
import { printJson } from '../io';

interface OptimizeOptions extends BacktestCliOptions {
  lookbacks: number[];
  entryZs: number[];
  exitZs: number[];
  rankBy: string;
  top: number;
}

export function addGridOptions(cmd: Command): Command {
  return cmd
    .option('--lookbacks <list>', 'z-score windows to try', parseList('--lookbacks', true), [10, 20, 30, 50])
    .option('--entry-zs <list>', 'entry thresholds to try', parseList('--entry-zs', false), [1.5, 2, 2.5])
    .option('--exit-zs <list>', 'exit thresholds to try', parseList('--exit-zs', false), [0, 0.25, 0.5, 0.75])
    .option('--rank-by <metric>', 'netPnl | sharpe | sortino | profitFactor | winRate | expectancy | score | maxDrawdown', 'score');
}

export function register(program: Command): void {
  addGridOptions(addBacktestOptions(program.command('optimize').description('Grid search over lookback x entry z x exit z on all cores, ranked by a metric')))
    .option('--top <n>', 'rows to print', (v) => Number(v), 10)
    .action(async (o: OptimizeOptions) => {
      const bars = loadBars(o.data, o.repair);
      const params = paramsFrom(o, bars);
      const grid = { lookbacks: o.lookbacks, entryZ: o.entryZs, exitZ: o.exitZs, rankBy: o.rankBy as 'score' };
      const rows = await explained(() => runGridSearch(bars, params, grid));
      if (o.json) return printJson({ rankBy: o.rankBy, results: rows });
      process.stdout.write(`${rows.length} combinations on ${bars.time.length} bars, ranked by ${o.rankBy}:\n`);
      process.stdout.write('lookback  entry z  exit z   net P&L   trades  win rate  PF     Sharpe  max DD    score\n');
      for (const r of rows.slice(0, o.top)) {
        const m = r.metrics;
        process.stdout.write(
          `${String(r.lookback).padEnd(10)}${String(r.entryZ).padEnd(9)}${String(r.exitZ).padEnd(9)}${m.netPnl.toFixed(2).padStart(9)}  ${String(m.trades).padStart(6)}  ${(m.winRate * 100).toFixed(1).padStart(7)}%  ${(m.profitFactor == null ? 'n/a' : m.profitFactor.toFixed(2)).padEnd(6)} ${m.sharpe.toFixed(2).padStart(6)}  ${m.maxDrawdown.toFixed(2).padStart(8)}  ${m.score.toFixed(3)}\n`,
        );
      }
    });
}
