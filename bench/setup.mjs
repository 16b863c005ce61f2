// What the bench's native side and its plain-JS timer share: the data, the settings and how a figure is taken.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const native = createRequire(import.meta.url)('@qs/native');

export const N = 1_000_000;

/** `n` one-minute bars of the seeded price walk, as columns. */
export function bars(n, seed) {
  const c = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  new native.PriceWalk({ seed, barSeconds: 60, startTime: 1767623400, stepsPerBar: 30 }).fill(c.time, c.open, c.high, c.low, c.close, c.volume);
  return c;
}

/** The product's defaults with the breakers off, z-score 20 / 2 / 0.5. */
export const params = {
  strategy: 'zscore', lookback: 20, entryZ: 2, exitZ: 0.5, quantity: 1, maxPosition: 2, stopUsd: 200, targetUsd: 300,
  maxHoldMinutes: 120, dailyLossLimitUsd: 500, consecutiveLossesToPause: 3, pauseMinutes: 30, maxDrawdownUsd: 1000,
  maxOrdersPerMinute: 10, breakers: false, commissionPerSide: 0.62, slippageTicks: 1, barSeconds: 60, capital: 10000,
};

/** A slower strategy: entry 2.5, exit at z = 0, $500 / $600 bracket, 10 h max hold (fewer trades, longer holds). */
export const slow = { ...params, entryZ: 2.5, exitZ: 0, stopUsd: 500, targetUsd: 600, maxHoldMinutes: 600 };

/** The times of `reps` calls of `fn`, in ms. */
export function timesOf(fn, reps) {
  return Array.from({ length: reps }, () => {
    const s = performance.now();
    fn();
    return performance.now() - s;
  });
}

/** The fastest of `reps` calls of the async `fn`, in ms. */
export async function bestAsync(fn, reps = 3) {
  const [times] = await turns([() => timeAsync(fn)], reps);
  return Math.min(...times);
}

/** How long the async `fn` takes, in ms. */
export async function timeAsync(fn) {
  const s = performance.now();
  await fn();
  return performance.now() - s;
}

/** `reps` turns, each calling every one of `timers` (async functions that time something, in ms) once, in order:
 * each timer's times. */
export async function turns(timers, reps) {
  const times = timers.map(() => []);
  for (let i = 0; i < reps; i++) {
    for (const [k, timer] of timers.entries()) times[k].push(await timer());
  }
  return times;
}

/** The fastest and the median of 100 calls of the async `timer` (it times something, in ms): 5 blocks of 20 calls in
 * a row, half a second apart. This VM has slow spells of a second or more; blocks spread over a few seconds are
 * not all inside one, and calls in a row keep what a run reads in the cache (as the backtest lab's run after run
 * on one data set does). */
export async function spread(timer) {
  const times = [];
  for (let blockNo = 0; blockNo < 5; blockNo++) {
    if (blockNo > 0) await sleep(500);
    times.push(...(await turns([timer], 20))[0]);
  }
  return summary(times);
}

/** The fastest and the median of some times, in ms. */
export function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}
