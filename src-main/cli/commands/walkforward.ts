import type { Command } from 'commander';
import { runWalkForward } from '../../core/native/backtest';
import { addBacktestOptions, explained, loadBars, paramsFrom, type BacktestCliOptions } from '../backtest-options';
import { parseIntOption, parseNumberOption, printJson } from '../io';
import { metricsSummary, usd } from '../metrics-summary';
import { addGridOptions } from './optimize';

interface WalkForwardOptions extends BacktestCliOptions {
  lookbacks: number[];
  entryZs: number[];
  exitZs: number[];
  rankBy: string;
  folds: number;
  train: number;
}

export function register(program: Command): void {
  addGridOptions(addBacktestOptions(program.command('walkforward').description('Walk-forward: K folds, optimize on the first part of each, validate on the rest')))
    .option('--folds <k>', 'number of consecutive folds', parseIntOption('--folds', 1, 50), 5)
    .option('--train <fraction>', 'part of each fold used to optimize', parseNumberOption('--train', 0.05, 0.95), 0.7)
    .action(async (o: WalkForwardOptions) => {
      const bars = loadBars(o.data, o.repair);
      const params = paramsFrom(o, bars);
      const grid = { lookbacks: o.lookbacks, entryZ: o.entryZs, exitZ: o.exitZs, rankBy: o.rankBy as 'score' };
      const wf = await explained(() => runWalkForward(bars, params, grid, o.folds, o.train));
      if (o.json) return printJson(wf);
      for (const f of wf.folds) {
        process.stdout.write(`Fold ${f.index + 1}: best lookback ${f.best.lookback}, entry ${f.best.entryZ}, exit ${f.best.exitZ} (train ${o.rankBy} ${f.best.metrics[o.rankBy as 'score'] ?? ''}); validation:\n`);
        process.stdout.write(metricsSummary(f.validation, '  '));
      }
      process.stdout.write(`In-sample ${o.rankBy} ${wf.inSample.toFixed(3)}, out-of-sample ${wf.outOfSample.toFixed(3)}, gap ${wf.gap.toFixed(3)}; out-of-sample net P&L ${usd(wf.oosNetPnl)}\n`);
    });
}
