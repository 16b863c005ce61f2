import type { Command } from 'commander';
import { databaseFile, resolveDataDir } from '../../core/data-dir';
import { BacktestRunsRepo } from '../../core/store/backtest-runs-repo';
import { openDatabase } from '../../core/store/db';
import { backtestMetricsCsv, backtestTradesCsv, tradesCsv } from '../../core/store/export-csv';
import { TradesRepo } from '../../core/store/trades-repo';
import { CliError, parseIntOption, writeFileAtomic } from '../io';

interface ExportOptions {
  what: string;
  run?: number;
  out: string;
  dataDir?: string;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('Export live trades, or a saved backtest run (trades or metrics), to CSV')
    .requiredOption('--what <kind>', 'trades | backtest | backtest-metrics')
    .option('--run <id>', 'backtest run id (with --what backtest or backtest-metrics)', parseIntOption('--run', 1))
    .requiredOption('--out <file>', 'output CSV path')
    .option('--data-dir <dir>', 'data directory (default: QS_DATA_DIR or ~/.quant-scalper)')
    .action((o: ExportOptions) => {
      if (!['trades', 'backtest', 'backtest-metrics'].includes(o.what)) {
        throw new CliError(`--what must be trades, backtest or backtest-metrics, got "${o.what}"`);
      }
      const db = openDatabase(databaseFile(resolveDataDir(o.dataDir)));
      try {
        if (o.what === 'trades') {
          const trades = new TradesRepo(db).list(1_000_000).reverse();
          writeFileAtomic(o.out, tradesCsv(trades));
          process.stderr.write(`wrote ${trades.length} trades to ${o.out}\n`);
          return;
        }
        if (o.run === undefined) throw new CliError(`--what ${o.what} needs --run <id>`);
        const run = new BacktestRunsRepo(db).get(o.run);
        if (run === null) throw new CliError(`no backtest run with id ${o.run}`);
        writeFileAtomic(o.out, o.what === 'backtest' ? backtestTradesCsv(run) : backtestMetricsCsv(run));
        process.stderr.write(`wrote backtest run ${o.run} (${o.what === 'backtest' ? `${run.trades.length} trades` : 'metrics'}) to ${o.out}\n`);
      } finally {
        db.close();
      }
    });
}
