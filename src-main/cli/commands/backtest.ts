import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { formatTime, parseBarsCsv } from '../../core/domain/bars-csv';
import { mostCommonSpacing, runBacktest } from '../../core/native/backtest';
import { CliError, parseIntOption, parseNumberOption, printJson } from '../io';

interface BacktestCliOptions {
  data: string;
  strategy: string;
  lookback: number;
  entryZ: number;
  exitZ: number;
  qty: number;
  stopUsd: number;
  targetUsd: number;
  maxHoldMin: number;
  commission: number;
  slippageTicks: number;
  barSeconds?: number;
  capital: number;
  breakers: boolean;
  json?: boolean;
}

const usd = (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toFixed(2)}`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function register(program: Command): void {
  program
    .command('backtest')
    .description('Backtest a strategy on a bars CSV with the live engine\'s decision core (semantics: docs/BACKTEST.md)')
    .requiredOption('--data <file>', 'bars CSV (time,open,high,low,close,volume)')
    .option('--strategy <name>', 'zscore', 'zscore')
    .option('--lookback <n>', 'z-score window in bars', parseIntOption('--lookback', 2, 5000), 20)
    .option('--entry-z <z>', 'enter at |z| >= this', parseNumberOption('--entry-z', 0, 10), 2)
    .option('--exit-z <z>', 'exit at |z| <= this', parseNumberOption('--exit-z', 0, 10), 0.5)
    .option('--qty <n>', 'contracts per entry', parseIntOption('--qty', 1, 50), 1)
    .option('--stop-usd <usd>', 'stop per contract in $ (MES: $5 per point)', parseNumberOption('--stop-usd', 0.01), 200)
    .option('--target-usd <usd>', 'target per contract in $', parseNumberOption('--target-usd', 0.01), 300)
    .option('--max-hold-min <min>', 'max holding time in minutes', parseNumberOption('--max-hold-min', 0.01), 120)
    .option('--commission <usd>', 'commission per contract per side in $', parseNumberOption('--commission', 0), 0.62)
    .option('--slippage-ticks <n>', 'market fills this many 0.25-point ticks worse', parseIntOption('--slippage-ticks', 0, 100), 1)
    .option('--bar-seconds <s>', 'bar length (default: the most common spacing in the data)', parseIntOption('--bar-seconds', 1, 86_400))
    .option('--capital <usd>', 'starting equity in $', parseNumberOption('--capital', 1), 10_000)
    .option('--no-breakers', 'turn the circuit breakers off (daily loss, consecutive losses, drawdown)')
    .option('--json', 'print { metrics, trades, equity } as JSON')
    .action(async (o: BacktestCliOptions) => {
      let text: string;
      try {
        text = readFileSync(o.data, 'utf8');
      } catch {
        throw new CliError(`cannot read bars file ${o.data}`);
      }
      const bars = parseBarsCsv(text);
      if (bars.time.length < 2) throw new CliError(`${o.data} has ${bars.time.length} bar(s); a backtest needs at least 2`);
      const barSeconds = o.barSeconds ?? mostCommonSpacing(bars.time);
      if (barSeconds === null) throw new CliError('cannot tell the bar length from the data; pass --bar-seconds');
      let result;
      try {
        result = await runBacktest(bars, {
          strategy: o.strategy as 'zscore',
          lookback: o.lookback,
          entryZ: o.entryZ,
          exitZ: o.exitZ,
          quantity: o.qty,
          maxPosition: Math.max(2, o.qty),
          stopUsd: o.stopUsd,
          targetUsd: o.targetUsd,
          maxHoldMinutes: o.maxHoldMin,
          commissionPerSide: o.commission,
          slippageTicks: o.slippageTicks,
          barSeconds,
          capital: o.capital,
          breakers: o.breakers,
        });
      } catch (err) {
        if (err instanceof ZodError) throw new CliError(err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      const trades = result.trades.map((t) => ({ ...t, entryTime: formatTime(t.entryTime), exitTime: formatTime(t.exitTime) }));
      if (o.json) {
        printJson({ metrics: result.metrics, trades, equity: result.equity });
        return;
      }
      const m = result.metrics;
      process.stdout.write(
        [
          `Backtest ${o.strategy} lookback ${o.lookback}, entry |z| >= ${o.entryZ}, exit |z| <= ${o.exitZ} on ${bars.time.length} bars of ${barSeconds} s`,
          `Net P&L ${usd(m.netPnl)} over ${m.trades} trades (${m.wins} won, ${m.losses} lost, win rate ${pct(m.winRate)})`,
          `Profit factor ${m.profitFactor === null || m.profitFactor === undefined ? 'n/a (no losing trade)' : m.profitFactor.toFixed(2)}, expectancy ${usd(m.expectancy)} per trade, avg win ${usd(m.avgWin)}, avg loss ${usd(m.avgLoss)}`,
          `Max drawdown ${usd(m.maxDrawdown)} (${pct(m.maxDrawdownPct)}), Sharpe ${m.sharpe.toFixed(2)}, Sortino ${m.sortino.toFixed(2)} over ${m.tradingDays} CME trading days`,
          `Exposure ${pct(m.exposure)}, ${m.tradesPerDay.toFixed(2)} trades per day, longest losing streak ${m.longestLosingStreak}, score ${m.score.toFixed(3)}`,
        ].join('\n') + '\n',
      );
    });
}
