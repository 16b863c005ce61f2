#!/usr/bin/env node
// Times one plain-JS baseline in a process of its own and prints one JSON line. Each baseline gets a fresh V8 heap
// and fresh compiled code: timed in the bench's own process after the other baselines, the same function ran up to
// 2x slower (garbage collection and re-optimization left over from the others), which would flatter the native side.
import { best, bars, N, native, params, slow } from './setup.mjs';
import { backtestJs, backtestLoopJs, backtestSameOutputsJs, zscoreJs } from './baselines.mjs';

const b = bars(N, 7);
const z = new Float64Array(N);
native.zscoreBatch(b.close, 20, z);
const out = new Float64Array(N);
const cases = {
  zscore: () => [best(() => zscoreJs(b.close, 20, out), 15), {}],
  loop: () => [best(() => backtestLoopJs(b, params, z, out), 9), backtestLoopJs(b, params, z, out)],
  slow: () => [best(() => backtestLoopJs(b, slow, z, out), 9), backtestLoopJs(b, slow, z, out)],
  same: () => {
    const r = backtestSameOutputsJs(b, params, z, out);
    return [best(() => backtestSameOutputsJs(b, params, z, out), 9), { trades: r.tradeCount, metrics: r.metrics }];
  },
  end: () => {
    const r = backtestJs(b, params);
    return [best(() => backtestJs(b, params), 5), { trades: r.trades.length, pnl: r.metrics.netPnl }];
  },
};
const which = process.argv[2];
if (!(which in cases)) {
  console.error(`usage: js-timer.mjs ${Object.keys(cases).join('|')}`);
  process.exit(2);
}
const [ms, check] = cases[which]();
console.log(JSON.stringify({ ms, ...check }));
