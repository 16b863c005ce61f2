// The bench's plain-JS baselines must do the work the native calls do, or its ratios mean nothing: the same z-score
// (to 1e-9) and, for the backtest with the same outputs, the same trades, equity curve and metrics, bit for bit.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { backtestLoopJs, backtestSameOutputsJs, zscoreJs } from './baselines.mjs';

const native = createRequire(import.meta.url)('@qs/native');

function bars(n, seed, startTime) {
  const c = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  new native.PriceWalk({ seed, barSeconds: 60, startTime, stepsPerBar: 30 }).fill(c.time, c.open, c.high, c.low, c.close, c.volume);
  return c;
}

const base = {
  strategy: 'zscore', lookback: 20, entryZ: 2, exitZ: 0.5, quantity: 1, maxPosition: 2, stopUsd: 200, targetUsd: 300,
  maxHoldMinutes: 120, dailyLossLimitUsd: 500, consecutiveLossesToPause: 3, pauseMinutes: 30, maxDrawdownUsd: 1000,
  maxOrdersPerMinute: 10, breakers: false, commissionPerSide: 0.62, slippageTicks: 1, barSeconds: 60, capital: 10000,
};
const settings = [
  base,
  { ...base, entryZ: 2.5, exitZ: 0, stopUsd: 500, targetUsd: 600, maxHoldMinutes: 600, quantity: 2 },
  { ...base, maxHoldMinutes: 15, slippageTicks: 0, capital: 2000 },
];
// Fridays before the switches to and from daylight saving time in Chicago (2026-03-08 and 2026-11-01).
const starts = [Date.parse('2026-03-06T20:00:00Z') / 1000, Date.parse('2026-10-30T20:00:00Z') / 1000];

describe('bench baselines', () => {
  it('the JS z-score is the native one to 1e-9', () => {
    const b = bars(30_000, 3, starts[0]);
    const js = zscoreJs(b.close, 20, new Float64Array(b.close.length));
    const rust = new Float64Array(b.close.length);
    native.zscoreBatch(b.close, 20, rust);
    let gap = 0;
    for (let i = 0; i < js.length; i++) gap = Math.max(gap, Number.isNaN(js[i]) !== Number.isNaN(rust[i]) ? Infinity : Number.isNaN(js[i]) ? 0 : Math.abs(js[i] - rust[i]));
    expect(gap).toBeLessThanOrEqual(1e-9);
  });

  for (const [si, start] of starts.entries()) {
    for (const [pi, p] of settings.entries()) {
      it(`the JS backtest with the same outputs is the native one, bit for bit (start ${si}, setting ${pi})`, async () => {
        const b = bars(30_000, 11 + si, start);
        const z = new Float64Array(b.close.length);
        native.zscoreBatch(b.close, p.lookback, z);
        const rustEquity = new Float64Array(z.length);
        const rust = await native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, p, rustEquity, z);
        const jsEquity = new Float64Array(z.length);
        const js = backtestSameOutputsJs(b, p, z, jsEquity);
        expect(js.tradeCount).toBe(rust.tradeCount);
        expect(js.tradeCount).toBeGreaterThan(10);
        const n = rust.tradeCount;
        for (let col = 0; col < 8; col++) {
          expect(Array.from(js.tradeColumns.subarray(col * js.columnStride, col * js.columnStride + n))).toEqual(Array.from(rust.tradeColumns.subarray(col * n, (col + 1) * n)));
        }
        expect(jsEquity).toEqual(rustEquity);
        expect({ ...js.metrics, profitFactor: js.metrics.profitFactor ?? undefined }).toEqual({ ...rust.metrics });
        expect(js.metrics.tradingDays).toBeGreaterThan(3);
        // The bare loop (what the first JS row times) agrees on the trades and the net P&L.
        const bare = backtestLoopJs(b, p, z, new Float64Array(z.length));
        expect(bare.trades).toBe(n);
        expect(bare.pnl).toBeCloseTo(rust.metrics.netPnl, 6);
      });
    }
  }

  it('the JS backtest with the same outputs refuses bad bars as the native call does', async () => {
    const cases = [
      [(b) => (b.close[700] = NaN), /bar 700 has a price that is not a finite number/],
      [(b) => (b.high[3] = Infinity), /bar 3 has a price that is not a finite number/],
      [(b) => (b.time[500] = b.time[499]), /bar 500 does not start after bar 499/],
      [(b) => (b.time[0] = NaN), /bar 0 has a start time out of range \(epoch seconds from 1900 to 9999\)/],
      [(b) => (b.time[999] = Infinity), /bar 999 has a start time out of range/],
    ];
    for (const [spoil, message] of cases) {
      const b = bars(1_000, 5, starts[0]);
      spoil(b);
      const z = new Float64Array(1_000);
      expect(() => backtestSameOutputsJs(b, base, z, new Float64Array(1_000))).toThrow(message);
      await expect(native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, base, new Float64Array(1_000), z)).rejects.toThrow(message);
    }
  });

  it('four huge finite prices, whose sum overflows, pass the JS bar check as they pass the native one', async () => {
    const b = bars(1_000, 5, starts[0]);
    for (const column of [b.open, b.high, b.low, b.close]) column[400] = 1e308;
    const z = new Float64Array(1_000);
    expect(() => backtestSameOutputsJs(b, base, z, new Float64Array(1_000))).not.toThrow();
    await expect(native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, base, new Float64Array(1_000), z)).resolves.toBeDefined();
  });

  it('on bars checked when loaded the JS backtest skips the check and gives the same results', () => {
    const b = bars(30_000, 11, starts[0]);
    const z = new Float64Array(b.close.length);
    native.zscoreBatch(b.close, base.lookback, z);
    const [e1, e2] = [new Float64Array(z.length), new Float64Array(z.length)];
    const checked = backtestSameOutputsJs(b, base, z, e1);
    const skipped = backtestSameOutputsJs(b, base, z, e2, true);
    expect(skipped.metrics).toEqual(checked.metrics);
    expect(e2).toEqual(e1);
    // It does not look at the bars' check: a NaN close there no longer throws.
    b.open[0] = NaN;
    expect(() => backtestSameOutputsJs(b, base, z, e2, true)).not.toThrow();
    expect(() => backtestSameOutputsJs(b, base, z, e2)).toThrow(/bar 0 has a price/);
  });
});
