#!/usr/bin/env node
// Times one plain-JS baseline in a process of its own and prints one JSON line. Each baseline gets a fresh V8 heap
// and fresh compiled code: timed in the bench's own process after the other baselines, the same function ran up to
// 2x slower (garbage collection and re-optimization left over from the others), which would flatter the native side.
import { bars, N, native, params, slow, summary, timesOf } from './setup.mjs';
import { backtestJs, backtestLoopJs, backtestSameOutputsJs, firstBars, zscoreJs } from './baselines.mjs';

/** The bars, their z column (lookback 20) and an output array of one value per bar. */
function data(b) {
  const z = new Float64Array(b.time.length);
  native.zscoreBatch(b.close, 20, z);
  return { b, z, out: new Float64Array(b.time.length) };
}

/** Calls per process of the loops the bench sets against the native loop (the native calls get 100 turns). */
const LOOP_REPS = 30;

// Each case: the call timed, how many times, and what the bench checks against the native results.
const sameOutputs = (barsChecked) => ({
  call: ({ b, z, out }) => backtestSameOutputsJs(b, params, z, out, barsChecked),
  reps: LOOP_REPS,
  check: (r) => ({ trades: r.tradeCount, metrics: r.metrics }),
});
const cases = {
  zscore: { call: ({ b, out }) => zscoreJs(b.close, 20, out), reps: 15, check: () => ({}) },
  loop: { call: ({ b, z, out }) => backtestLoopJs(b, params, z, out), reps: LOOP_REPS, check: (r) => r },
  same: sameOutputs(false),
  sameChecked: sameOutputs(true),
  slow: { call: ({ b, z, out }) => backtestLoopJs(b, slow, z, out), reps: 9, check: (r) => r },
  end: { call: ({ b }) => backtestJs(b, params), reps: 5, check: (r) => ({ trades: r.trades.length, pnl: r.metrics.netPnl }) },
};
const which = process.argv[2];
if (!(which in cases)) {
  console.error(`usage: js-timer.mjs ${Object.keys(cases).join('|')}`);
  process.exit(2);
}
const { call, reps, check } = cases[which];
const all = data(bars(N, 7));
// A few calls on the first 2,000 bars first, so V8 has seen every part of the function (the code after the loop
// too) before it optimizes it: optimized in the middle of the first long call instead, a loop ran up to 1.5x slower
// and fell back to slower code at its end in every call.
const warm = data(firstBars(all.b, 2_000));
for (let i = 0; i < 3; i++) call(warm);
const result = call(all);
console.log(JSON.stringify({ ...summary(timesOf(() => call(all), reps)), ...check(result) }));
