// Options shared by backtest, optimize and walkforward: the data file and the strategy/risk parameters.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import type { BarColumns } from '../core/domain/bar';
import { parseBarsCsv } from '../core/domain/bars-csv';
import { BarsImportError, importBars } from '../core/backtest/csv-import';
import { mostCommonSpacing, type BacktestParamsInput } from '../core/native/backtest';
import { CliError, parseIntOption, parseNumberOption } from './io';

export interface BacktestCliOptions {
  data: string;
  strategy: string;
  lookback: number;
  bollingerK: number;
  rsiOversold: number;
  rsiOverbought: number;
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
  repair?: boolean;
  json?: boolean;
}

export function addBacktestOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <file>', 'bars CSV (time,open,high,low,close,volume)')
    .option('--strategy <name>', 'zscore | bollinger | rsi', 'zscore')
    .option('--lookback <n>', 'indicator period in bars (z-score window, Bollinger period, RSI period)', parseIntOption('--lookback', 2, 5000), 20)
    .option('--bollinger-k <k>', 'bollinger: band width in standard deviations', parseNumberOption('--bollinger-k', 0.01, 10), 2)
    .option('--rsi-oversold <level>', 'rsi: go long below this', parseNumberOption('--rsi-oversold', 0.01, 99.99), 30)
    .option('--rsi-overbought <level>', 'rsi: go short above this', parseNumberOption('--rsi-overbought', 0.01, 99.99), 70)
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
    .option('--repair', 'repair bad bars (drop broken rows, sort, de-duplicate) and report each change, instead of refusing them')
    .option('--json', 'print the result as JSON');
}

/** Reads and checks the bars: defects refuse the run (or, with --repair, are fixed); every finding goes to stderr. */
export function loadBars(file: string, repair = false): BarColumns {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read bars file ${file}`);
  }
  let result;
  try {
    result = importBars(parseBarsCsv(text), repair ? 'repair' : 'strict');
  } catch (err) {
    if (err instanceof BarsImportError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
  for (const r of result.report.repaired) process.stderr.write(`repaired line ${r.row + 2} (${r.time}): ${r.message}\n`);
  const warnings = result.report.warnings;
  for (const w of warnings.slice(0, 20)) process.stderr.write(`warning line ${w.row + 2} (${w.time}): ${w.message}\n`);
  if (warnings.length > 20) process.stderr.write(`... and ${warnings.length - 20} more warnings\n`);
  const bars = result.bars;
  if (bars.time.length < 2) throw new CliError(`${file} has ${bars.time.length} usable bar(s); a backtest needs at least 2`);
  return bars;
}

export function paramsFrom(o: BacktestCliOptions, bars: BarColumns): BacktestParamsInput & { barSeconds: number } {
  const barSeconds = o.barSeconds ?? mostCommonSpacing(bars.time);
  if (barSeconds === null) throw new CliError('cannot tell the bar length from the data; pass --bar-seconds');
  return {
    strategy: parseStrategy(o.strategy),
    lookback: o.lookback,
    bollingerK: o.bollingerK,
    rsiOversold: o.rsiOversold,
    rsiOverbought: o.rsiOverbought,
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
  };
}

function parseStrategy(name: string): 'zscore' | 'bollinger' | 'rsi' {
  if (name === 'zscore' || name === 'bollinger' || name === 'rsi') return name;
  throw new CliError(`--strategy must be zscore, bollinger or rsi, got "${name}"`);
}

/** Turns validation and native errors into one clear CLI error. */
export async function explained<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ZodError) throw new CliError(err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

export function parseList(name: string, integer: boolean) {
  return (raw: string): number[] => {
    const v = raw.split(',').map((s) => Number(s.trim()));
    if (v.length === 0 || v.some((x) => !Number.isFinite(x) || (integer && !Number.isInteger(x)))) {
      throw new CliError(`${name} must be a comma-separated list of ${integer ? 'whole numbers' : 'numbers'}, got "${raw}"`);
    }
    return v;
  };
}
