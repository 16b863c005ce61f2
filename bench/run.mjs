#!/usr/bin/env node
// npm run bench: figures, native beside plain JS. Not a test: nothing here passes or fails. The native calls are
// timed in this process; each JS baseline in a process of its own (js-timer.mjs), on the same data.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { best, bestAsync, bestOfTurns, bars, N, native, params, slow } from './setup.mjs';
import { tradeObjects } from './baselines.mjs';

/** The plain-JS baseline `name` timed in a fresh process: `{ ms, ...its check values }`. */
const js = (name) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('./js-timer.mjs', import.meta.url)), name], { encoding: 'utf8' }));

const b = bars(N, 7);
const out = new Float64Array(N);
const verdict = (ok) => (ok ? 'MET' : 'NOT MET');
const perBar = (ms) => (ms * 1e6) / N;
const row = (name, ms, extra = '') => console.log(`${name.padEnd(46)} ${ms.toFixed(2).padStart(9)} ms  ${perBar(ms).toFixed(2).padStart(7)} ns/bar  ${extra}`);
console.log(`Quant Scalper benchmarks: ${N.toLocaleString('en-US')} one-minute bars, ${availableParallelism()} cores, Node ${process.version}\n`);

const zNative = best(() => native.zscoreBatch(b.close, 20, out), 15);
const zJs = js('zscore').ms;
row('z-score batch, N=20, native (Rust)', zNative);
row('z-score batch, N=20, plain JS (shifted sums)', zJs, `native is ${(zJs / zNative).toFixed(2)}x JS`);
console.log(`    target <= 5 ns/bar: ${perBar(zNative).toFixed(2)} ns/bar, ${verdict(perBar(zNative) <= 5)}; target >= 1.0x JS: ${verdict(zJs / zNative >= 1)}`);

// The TS wrapper's path (src-main/core/native/backtest.ts): JS allocates the equity array, Rust fills it, the trade
// columns become objects.
const tradesFrom = (r) => tradeObjects(r.tradeColumns, r.tradeCount, r.tradeCount, r.exitReasons);
// The trade columns go into an array lent to the call and kept from one call to the next (as the wrapper does).
let lentColumns = new Float64Array(0);
// On the bars checked in the call, or on `checked` (CheckedBars) when given.
const call = async (p, equity, z, checked) => {
  const r = await (checked
    ? native.runBacktestOnChecked(checked, p, equity, z, lentColumns)
    : native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, p, equity, z, lentColumns));
  if (r.tradeColumns.length > lentColumns.length) lentColumns = r.tradeColumns;
  return r;
};
const run = async (p, z) => {
  const equity = new Float64Array(N);
  const r = await call(p, equity, z);
  return { metrics: r.metrics, trades: tradesFrom(r), equity };
};

// (a) The loop alone: both sides read the same precomputed z column and write the equity curve.
const z20 = new Float64Array(N);
native.zscoreBatch(b.close, 20, z20);
// Native: the napi call as the wrapper makes it, minus what is not the loop (the equity array is reused, the trade
// columns are not turned into objects; the JS loop makes no trade objects either).
const eqNative = new Float64Array(N);
const loopCheck = await run(params, z20);
// The same on bars checked once when loaded (CheckedBars, as the app keeps a data set it runs many times): the call
// does not read every bar again to check it, and neither does the JS loop.
const checked = new native.CheckedBars(b.time, b.open, b.high, b.low, b.close, b.volume);
const onChecked = async () => {
  const r = await call(params, eqNative, z20, checked);
  if (r.metrics.netPnl !== loopCheck.metrics.netPnl) throw new Error('the run on checked bars differs');
};
// Timed in turns, so a slow spell of the machine falls on both.
const [loopNative, loopChecked] = await bestOfTurns([() => call(params, eqNative, z20), onChecked], 25);
const { ms: loopJs, ...loopJsCheck } = js('loop');
row('(a) loop alone, precomputed z, native', loopNative, `${loopCheck.trades.length} trades, net $${loopCheck.metrics.netPnl.toFixed(2)}, with metrics, bars checked`);
row('(a) the same, bars checked when loaded, native', loopChecked, 'the same trades and metrics, bars not checked again');
row('(a) loop alone, precomputed z, plain JS', loopJs, `${loopJsCheck.trades} trades, net $${loopJsCheck.pnl.toFixed(2)}, no metrics, bars not checked`);
// The same loop in plain JS with the native call's outputs too: the bars checked, the trade list kept, the equity
// curve's drawdown and daily P&L over CME trading days, and the metrics (checked against the native ones below).
const { ms: fullJs, ...fullJsCheck } = js('same');
const metricGap = Math.max(...Object.keys(fullJsCheck.metrics).map((k) => Math.abs((fullJsCheck.metrics[k] ?? 0) - (loopCheck.metrics[k] ?? 0))));
row('(a) the same with the same outputs, plain JS', fullJs, `${fullJsCheck.trades} trades, with metrics (largest gap from native: ${metricGap.toExponential(1)})`);
console.log(`    target <= 4 ns/bar: ${perBar(loopNative).toFixed(2)} checking the bars in the call, ${verdict(perBar(loopNative) <= 4)}; ${perBar(loopChecked).toFixed(2)} on bars checked when loaded, ${verdict(perBar(loopChecked) <= 4)}`);
console.log(`    target >= 2x JS: ${(fullJs / loopNative).toFixed(2)}x JS with the same outputs, ${verdict(fullJs / loopNative >= 2)}; the bare JS loop (no bar check, no trade list, no metrics): ${(loopJs / loopChecked).toFixed(2)}x on bars checked when loaded, ${verdict(loopJs / loopChecked >= 2)}, ${(loopJs / loopNative).toFixed(2)}x checking them in the call, ${verdict(loopJs / loopNative >= 2)}`);

// (a2) The same loop for a slower strategy (setup.mjs): fewer trades, longer holds. The native loop passes quiet bars
// in blocks, so its cost follows the trades more than the bars.
const slowNative = await bestAsync(() => call(slow, eqNative, z20), 9);
const slowCheck = await run(slow, z20);
const { ms: slowJs, ...slowJsCheck } = js('slow');
row('(a2) loop, slower strategy, native', slowNative, `${slowCheck.trades.length} trades, net $${slowCheck.metrics.netPnl.toFixed(2)}, with metrics`);
row('(a2) loop, slower strategy, plain JS', slowJs, `${slowJsCheck.trades} trades, net $${slowJsCheck.pnl.toFixed(2)}, no metrics; native is ${(slowJs / slowNative).toFixed(2)}x JS`);

// (b) End to end, as the app gets it: indicator, loop, equity curve, metrics and trade objects, on both sides.
const btNative = await bestAsync(() => run(params), 5);
const check = await run(params);
const { ms: btJs, ...jsEnd } = js('end');
row('(b) backtest end to end, native', btNative, `${check.trades.length} trades, net $${check.metrics.netPnl.toFixed(2)}`);
// The JS z-score re-anchors its sums in another order than the native kernel, so a z right at a threshold can
// round the other way: a few trades differ.
row('(b) backtest end to end, plain JS', btJs, `${jsEnd.trades} trades, net $${jsEnd.pnl.toFixed(2)}; native is ${(btJs / btNative).toFixed(2)}x JS (no target)`);
const btOn = await bestAsync(() => run({ ...params, breakers: true }));
row('    backtest end to end, breakers on, native', btOn);

const grid = { lookbacks: [10, 20, 30, 50], entryZ: [1.5, 2, 2.5], exitZ: [0, 0.25, 0.5, 0.75], rankBy: 'score' };
const gridMs = await bestAsync(() => native.runGridSearch(b.time, b.open, b.high, b.low, b.close, b.volume, params, grid, new native.JobControl()), 3);
console.log(`${'(c) grid search, 48 combinations'.padEnd(46)} ${gridMs.toFixed(2).padStart(9)} ms  (${(gridMs / 48).toFixed(2)} ms per combination); target <= 100 ms: ${verdict(gridMs <= 100)}`);
// The same grid with the circuit breakers on (the product's default): the bench strategy halts at its $1,000
// drawdown early, so also with a drawdown limit it never reaches (every combination trades to the end).
for (const [name, p] of [['(c2) grid, breakers on', { ...params, breakers: true }], ['(c3) grid, breakers on, no drawdown halt', { ...params, breakers: true, maxDrawdownUsd: 1e9 }]]) {
  const ms = await bestAsync(() => native.runGridSearch(b.time, b.open, b.high, b.low, b.close, b.volume, p, grid, new native.JobControl()), 3);
  console.log(`${name.padEnd(46)} ${ms.toFixed(2).padStart(9)} ms  (${(ms / 48).toFixed(2)} ms per combination)`);
}
const wfMs = await bestAsync(() => native.runWalkForward(b.time, b.open, b.high, b.low, b.close, b.volume, params, grid, 5, 0.7, new native.JobControl()), 2);
console.log(`${'(d) walk-forward, 5 folds x 48'.padEnd(46)} ${wfMs.toFixed(2).padStart(9)} ms  (${(wfMs / gridMs).toFixed(2)}x the grid); target <= 2x grid: ${verdict(wfMs <= 2 * gridMs)}`);
console.log('\nTargets (issue): z-score <= 5 ns/bar and >= 1.0x JS; backtest <= 4 ns/bar and >= 2x JS; grid <= 100 ms; walk-forward <= 2x grid.');
