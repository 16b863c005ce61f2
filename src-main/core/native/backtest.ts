// Typed wrapper over the native backtest (runs on a worker thread; the JS thread never blocks). Parameters are
// validated here with zod so a bad value is reported by name before it reaches Rust.
import { z } from 'zod';
import type { BacktestOutput } from '@qs/native';
import type { BarColumns } from '../domain/bar';
import { native } from './index';

export type { BacktestOutput };

export const backtestParamsSchema = z
  .object({
    strategy: z.enum(['zscore']).default('zscore'),
    lookback: z.number().int().min(2).max(5000).default(20),
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

export function runBacktest(bars: BarColumns, params: BacktestParamsInput): Promise<BacktestOutput> {
  const p = backtestParamsSchema.parse(params);
  return native.runBacktest(bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume, p);
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
