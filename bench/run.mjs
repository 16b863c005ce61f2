#!/usr/bin/env node
// npm run bench: figures, measured side by side in one process. Not a test: nothing here passes or fails.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { zscoreJs, backtestJs } from './baselines.mjs';

const require = createRequire(import.meta.url);
const native = require('@qs/native');

const N = 1_000_000;
function bars(n, seed) {
  const c = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  new native.PriceWalk({ seed, barSeconds: 60, startTime: 1767623400, stepsPerBar: 30 }).fill(c.time, c.open, c.high, c.low, c.close, c.volume);
  return c;
}

function best(fn, reps = 5) {
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    fn();
    t = Math.min(t, performance.now() - s);
  }
  return t;
}

async function bestAsync(fn, reps = 3) {
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    await fn();
    t = Math.min(t, performance.now() - s);
  }
  return t;
}

const b = bars(N, 7);
const out = new Float64Array(N);
const row = (name, ms, extra = '') => console.log(`${name.padEnd(46)} ${ms.toFixed(2).padStart(9)} ms  ${((ms * 1e6) / N).toFixed(2).padStart(7)} ns/bar  ${extra}`);
console.log(`Quant Scalper benchmarks: ${N.toLocaleString('en-US')} one-minute bars, ${availableParallelism()} cores, Node ${process.version}\n`);

const zNative = best(() => native.zscoreBatch(b.close, 20, out));
const zJs = best(() => zscoreJs(b.close, 20, out));
row('z-score batch, N=20, native (Rust)', zNative);
row('z-score batch, N=20, plain JS (shifted sums)', zJs, `native is ${(zJs / zNative).toFixed(2)}x JS`);

const params = {
  strategy: 'zscore', lookback: 20, entryZ: 2, exitZ: 0.5, quantity: 1, maxPosition: 2, stopUsd: 200, targetUsd: 300,
  maxHoldMinutes: 120, dailyLossLimitUsd: 500, consecutiveLossesToPause: 3, pauseMinutes: 30, maxDrawdownUsd: 1000,
  maxOrdersPerMinute: 10, breakers: false, commissionPerSide: 0.62, slippageTicks: 1, barSeconds: 60, capital: 10000,
};
const run = (p) => native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, p);
const btNative = await bestAsync(() => run(params));
const btJs = best(() => backtestJs(b, params), 3);
const check = await run(params);
const jsTrades = backtestJs(b, params);
row('backtest, breakers off, native (end to end)', btNative, `${check.trades.length} trades`);
row('backtest, breakers off, plain JS loop', btJs, `${jsTrades.trades} trades, net $${jsTrades.pnl.toFixed(2)} (native $${check.metrics.netPnl.toFixed(2)}); native is ${(btJs / btNative).toFixed(2)}x JS`);
const btOn = await bestAsync(() => run({ ...params, breakers: true }));
row('backtest, breakers on, native (end to end)', btOn);

const grid = { lookbacks: [10, 20, 30, 50], entryZ: [1.5, 2, 2.5], exitZ: [0, 0.25, 0.5, 0.75], rankBy: 'score' };
const gridMs = await bestAsync(() => native.runGridSearch(b.time, b.open, b.high, b.low, b.close, b.volume, params, grid, new native.JobControl()), 2);
console.log(`${'grid search, 48 combinations'.padEnd(46)} ${gridMs.toFixed(2).padStart(9)} ms  (${(gridMs / 48).toFixed(2)} ms per combination)`);
const wfMs = await bestAsync(() => native.runWalkForward(b.time, b.open, b.high, b.low, b.close, b.volume, params, grid, 5, 0.7, new native.JobControl()), 1);
console.log(`${'walk-forward, 5 folds x 48'.padEnd(46)} ${wfMs.toFixed(2).padStart(9)} ms  (${(wfMs / gridMs).toFixed(2)}x the grid)`);
console.log('\nTargets (issue): z-score <= 5 ns/bar and >= 1.0x JS; backtest <= 4 ns/bar and >= 2x JS; grid <= 100 ms; walk-forward <= 2x grid.');
