// Typed wrapper over the native backtest (runs on a worker thread; the JS thread never blocks). Parameters are
// validated here with zod so a bad value is reported by name before it reaches Rust.
import { z } from 'zod';
import type { BacktestMetrics, BacktestOutput as NativeBacktestOutput, GridResultRow, WalkForwardOutput } from '@qs/native';
import type { BarColumns } from '../domain/bar';
import { native } from './index';

export type { BacktestMetrics, GridResultRow, WalkForwardOutput };

/** A closed round trip. */
export interface BacktestTrade {
  side: string;
  qty: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  pnl: number;
  exitReason: string;
}

export interface BacktestOutput {
  metrics: BacktestMetrics;
  trades: BacktestTrade[];
  /** Equity marked to market at every bar close (one value per bar). */
  equity: Float64Array;
}

export const backtestParamsSchema = z
  .object({
    strategy: z.enum(['zscore', 'bollinger', 'rsi']).default('zscore'),
    /** The period of the chosen strategy's indicator, in bars. */
    lookback: z.number().int().min(2).max(5000).default(20),
    bollingerK: z.number().positive().max(10).optional(),
    rsiOversold: z.number().gt(0).lt(100).optional(),
    rsiOverbought: z.number().gt(0).lt(100).optional(),
    entryZ: z.number().positive().max(10).default(2),
    exitZ: z.number().min(0).max(10).default(0.5),
    quantity: z.number().int().min(1).max(50).default(1),
    maxPosition: z.number().int().min(1).max(50).default(2),
    stopUsd: z.number().positive().default(200),
    targetUsd: z.number().positive().default(300),
    maxHoldMinutes: z.number().positive().default(120),
    dailyLossLimitUsd: z.number().positive().default(500),
    consecutiveLossesToPause: z.number().int().min(1).default(3),
    pauseMinutes: z.number().positive().default(30),
    maxDrawdownUsd: z.number().positive().default(1000),
    maxOrdersPerMinute: z.number().int().min(1).default(10),
    breakers: z.boolean().default(true),
    commissionPerSide: z.number().min(0).default(0.62),
    slippageTicks: z.number().int().min(0).max(100).default(1),
    barSeconds: z.number().int().min(1).max(86_400),
    capital: z.number().positive().default(10_000),
  })
  .strict()
  .refine((p) => p.exitZ < p.entryZ, { message: 'exit z must be below entry z', path: ['exitZ'] })
  .refine((p) => p.quantity <= p.maxPosition, { message: 'quantity must not exceed the max position', path: ['quantity'] });

export type BacktestParamsInput = z.input<typeof backtestParamsSchema>;

/** The native result's trade columns as objects (layout: see `BacktestOutput` in native/index.d.ts). */
export function tradesFrom(r: NativeBacktestOutput): BacktestTrade[] {
  const n = r.tradeCount;
  const c = r.tradeColumns;
  const trades = new Array<BacktestTrade>(n);
  for (let i = 0; i < n; i++) {
    trades[i] = {
      side: c[6 * n + i]! > 0 ? 'long' : 'short',
      qty: c[5 * n + i]!,
      entryTime: c[i]!,
      entryPrice: c[n + i]!,
      exitTime: c[2 * n + i]!,
      exitPrice: c[3 * n + i]!,
      pnl: c[4 * n + i]!,
      exitReason: r.exitReasons[c[7 * n + i]!]!,
    };
  }
  return trades;
}

/**
 * Trade-column arrays lent to the native call and taken back once the trades are objects: a long run's columns
 * (megabytes) are then written into memory already in use instead of a fresh array each time. One array per call
 * in flight, so concurrent backtests never share one.
 */
const columnArrays: Float64Array[] = [];

/** Bars checked once and held by the native core (a copy: later changes to the columns do not reach it). */
export type CheckedBars = InstanceType<typeof native.CheckedBars>;

/**
 * The bars copied into the native core and checked there, for a data set run many times (the backtest lab):
 * backtests on them skip the check each run otherwise makes, which reads every bar. Throws naming the first bad
 * bar, as a backtest would.
 */
export function checkBars(bars: BarColumns): CheckedBars {
  return new native.CheckedBars(bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume);
}

/**
 * One backtest on a worker thread. The equity curve is written by Rust into an array allocated here. The bars are
 * checked by the run unless they are `CheckedBars`.
 */
export function runBacktest(bars: BarColumns | CheckedBars, params: BacktestParamsInput): Promise<BacktestOutput> {
  const p = backtestParamsSchema.parse(params);
  const checked = bars instanceof native.CheckedBars;
  const equity = new Float64Array(checked ? bars.length : bars.time.length);
  const lent = columnArrays.pop() ?? new Float64Array(0);
  const run = checked
    ? native.runBacktestOnChecked(bars, p, equity, undefined, lent)
    : native.runBacktest(bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume, p, equity, undefined, lent);
  return run.then(
    (r) => {
      const trades = tradesFrom(r);
      // When they did not fit, the columns came in a new array: keep that one, the larger, for next time.
      columnArrays.push(r.tradeColumns.length > lent.length ? r.tradeColumns : lent);
      return { metrics: r.metrics, trades, equity };
    },
    (err: unknown) => {
      columnArrays.push(lent);
      throw err;
    },
  );
}

/** The most common spacing between bar starts, in seconds (the bar length when none is given). */
export function mostCommonSpacing(time: Float64Array): number | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < time.length; i++) {
    const d = (time[i] ?? 0) - (time[i - 1] ?? 0);
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && best !== null && d < best)) [best, bestCount] = [d, c];
  return best;
}

export const gridSchema = z
  .object({
    lookbacks: z.array(z.number().int().min(2).max(5000)).min(1).default([10, 20, 30, 50]),
    entryZ: z.array(z.number().positive().max(10)).min(1).default([1.5, 2, 2.5]),
    exitZ: z.array(z.number().min(0).max(10)).min(1).default([0, 0.25, 0.5, 0.75]),
    rankBy: z.enum(['netPnl', 'sharpe', 'sortino', 'profitFactor', 'winRate', 'expectancy', 'score', 'maxDrawdown']).default('score'),
  })
  .strict();

export type GridInput = z.input<typeof gridSchema>;

export interface JobOptions {
  /** Called while the run is in progress (every `pollMs`) and once at the end: backtests done / total. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the run; the promise rejects with "cancelled". */
  signal?: AbortSignal;
  pollMs?: number;
}

function comboCount(g: z.output<typeof gridSchema>): number {
  const pairs = g.entryZ.flatMap((e) => g.exitZ.filter((x) => x < e)).length;
  return g.lookbacks.length * pairs;
}

/** Runs a native job off the JS thread, reporting progress and honouring cancellation. */
async function withJob<T>(total: number, opts: JobOptions, start: (control: InstanceType<typeof native.JobControl>) => Promise<T>): Promise<T> {
  const control = new native.JobControl();
  if (opts.signal?.aborted) control.cancel();
  const onAbort = (): void => control.cancel();
  opts.signal?.addEventListener('abort', onAbort);
  const timer = opts.onProgress ? setInterval(() => opts.onProgress?.(control.done, total), opts.pollMs ?? 100) : undefined;
  try {
    const result = await start(control);
    opts.onProgress?.(control.done, total);
    return result;
  } finally {
    if (timer !== undefined) clearInterval(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Grid search on all cores (default grid of 48), best first. The bars are checked unless they are `CheckedBars`. */
export function runGridSearch(bars: BarColumns | CheckedBars, params: BacktestParamsInput, grid: GridInput = {}, opts: JobOptions = {}): Promise<GridResultRow[]> {
  const p = backtestParamsSchema.parse(params);
  const g = gridSchema.parse(grid);
  return withJob(comboCount(g), opts, (control) =>
    bars instanceof native.CheckedBars
      ? native.runGridSearchOnChecked(bars, p, g, control)
      : native.runGridSearch(bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume, p, g, control),
  );
}

/** Walk-forward over `folds` folds, each optimized on its first `train` fraction and validated on the rest. */
export function runWalkForward(bars: BarColumns | CheckedBars, params: BacktestParamsInput, grid: GridInput = {}, folds = 5, train = 0.7, opts: JobOptions = {}): Promise<WalkForwardOutput> {
  if (!Number.isInteger(folds) || folds < 1 || folds > 50) throw new Error(`folds must be a whole number from 1 to 50, got ${folds}`);
  if (!(train > 0 && train < 1)) throw new Error(`train must be a fraction between 0 and 1, got ${train}`);
  const p = backtestParamsSchema.parse(params);
  const g = gridSchema.parse(grid);
  return withJob(folds * comboCount(g), opts, (control) =>
    bars instanceof native.CheckedBars
      ? native.runWalkForwardOnChecked(bars, p, g, folds, train, control)
      : native.runWalkForward(bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume, p, g, folds, train, control),
  );
}
