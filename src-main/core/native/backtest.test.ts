// The native backtest against an independent plain-TypeScript implementation of docs/BACKTEST.md (breakers off,
// so only the fill model and the strategy are compared): identical trades on several seeded data sets.
import { describe, expect, it } from 'vitest';
import { allocColumns, type BarColumns } from '../domain/bar';
import { checkBars, mostCommonSpacing, runBacktest, runGridSearch, runWalkForward, type BacktestOutput } from './backtest';
import { native, PriceWalk } from './index';

interface RefTrade {
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  exitReason: string;
}

function zRef(close: Float64Array, n: number, i: number): number | null {
  if (i + 1 < n) return null;
  const w = Array.from(close.slice(i + 1 - n, i + 1), (v) => v - (close[i + 1 - n] ?? 0));
  if (w.every((v) => v === w[0])) return 0;
  const mean = w.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return ((w[n - 1] ?? 0) - mean) / sd;
}

function referenceBacktest(b: BarColumns, p: { lookback: number; entryZ: number; exitZ: number; stopPts: number; targetPts: number; maxHoldSecs: number; slip: number; barSeconds: number }): RefTrade[] {
  const trades: RefTrade[] = [];
  const tick = 0.25;
  const away = (price: number, from: number) => (price >= from ? Math.ceil(price / tick - 1e-9) : Math.floor(price / tick + 1e-9)) * tick;
  let pos: { side: 'long' | 'short'; entry: number; t: number; stop: number; target: number } | null = null;
  let pending: { kind: 'enter'; side: 'long' | 'short' } | { kind: 'exit'; reason: string } | null = null;
  const n = b.time.length;
  for (let i = 0; i < n; i++) {
    const [t, o, h, l] = [b.time[i]!, b.open[i]!, b.high[i]!, b.low[i]!];
    if (pending?.kind === 'enter') {
      const s = pending.side === 'long' ? 1 : -1;
      const fill = o + s * p.slip;
      pos = { side: pending.side, entry: fill, t, stop: away(fill - s * p.stopPts, fill), target: away(fill + s * p.targetPts, fill) };
    } else if (pending?.kind === 'exit' && pos) {
      const s = pos.side === 'long' ? 1 : -1;
      trades.push({ side: pos.side, entryTime: pos.t, entryPrice: pos.entry, exitTime: t, exitPrice: o - s * p.slip, exitReason: pending.reason });
      pos = null;
    }
    pending = null;
    if (pos) {
      const long = pos.side === 'long';
      let exit: [number, string] | null = null;
      if (long ? o <= pos.stop : o >= pos.stop) exit = [o, 'stop'];
      else if (long ? o >= pos.target : o <= pos.target) exit = [o, 'target'];
      else if (long ? l <= pos.stop : h >= pos.stop) exit = [pos.stop, 'stop'];
      else if (long ? h >= pos.target : l <= pos.target) exit = [pos.target, 'target'];
      if (exit) {
        trades.push({ side: pos.side, entryTime: pos.t, entryPrice: pos.entry, exitTime: t, exitPrice: exit[0], exitReason: exit[1] });
        pos = null;
      }
    }
    const z = zRef(b.close, p.lookback, i);
    if (z === null) continue;
    if (pos) {
      if (t + p.barSeconds - pos.t >= p.maxHoldSecs) pending = { kind: 'exit', reason: 'time' };
      else if (Math.abs(z) <= p.exitZ) pending = { kind: 'exit', reason: 'signal' };
    } else if (z <= -p.entryZ) pending = { kind: 'enter', side: 'long' };
    else if (z >= p.entryZ) pending = { kind: 'enter', side: 'short' };
  }
  if (pos) trades.push({ side: pos.side, entryTime: pos.t, entryPrice: pos.entry, exitTime: b.time[n - 1]! + p.barSeconds, exitPrice: b.close[n - 1]!, exitReason: 'end' });
  return trades;
}

function bars(seed: number, count: number, barSeconds: number): BarColumns {
  const c = allocColumns(count);
  new PriceWalk({ seed, barSeconds, startTime: 1_767_623_400, stepsPerBar: 30 }).fill(c.time, c.open, c.high, c.low, c.close, c.volume);
  return c;
}

describe('native backtest vs an independent TypeScript implementation', () => {
  it.each([
    [1, 20, 2, 0.5, 200, 300, 120, 1],
    [2, 10, 1.5, 0, 100, 100, 30, 0],
    [3, 30, 2.5, 0.75, 50, 80, 60, 2],
    [4, 50, 2, 0.25, 200, 300, 240, 1],
  ])('seed %i lookback %i entry %f exit %f', async (seed, lookback, entryZ, exitZ, stopUsd, targetUsd, maxHoldMinutes, slippageTicks) => {
    const b = bars(seed, 5000, 60);
    const native = await runBacktest(b, { lookback, entryZ, exitZ, stopUsd, targetUsd, maxHoldMinutes, slippageTicks, barSeconds: 60, breakers: false });
    const ref = referenceBacktest(b, { lookback, entryZ, exitZ, stopPts: stopUsd / 5, targetPts: targetUsd / 5, maxHoldSecs: maxHoldMinutes * 60, slip: slippageTicks * 0.25, barSeconds: 60 });
    expect(native.trades.length).toBeGreaterThan(5);
    expect(native.trades.map(({ side, entryTime, entryPrice, exitTime, exitPrice, exitReason }) => ({ side, entryTime, entryPrice, exitTime, exitPrice, exitReason }))).toEqual(ref);
    const sum = native.trades.reduce((a, t) => a + t.pnl, 0);
    expect(native.metrics.netPnl).toBeCloseTo(sum, 6);
    expect(native.equity).toHaveLength(5000);
  });

  it('breakers are on by default and change the result on a losing configuration', async () => {
    const b = bars(9, 20_000, 60);
    const on = await runBacktest(b, { barSeconds: 60, stopUsd: 25, targetUsd: 25, lookback: 10, entryZ: 1 });
    const off = await runBacktest(b, { barSeconds: 60, stopUsd: 25, targetUsd: 25, lookback: 10, entryZ: 1, breakers: false });
    expect(on.trades.length).toBeLessThan(off.trades.length);
  });

  it('names a bad parameter', async () => {
    expect(() => runBacktest(bars(1, 10, 60), { barSeconds: 60, entryZ: 1, exitZ: 2 })).toThrow(/exit z must be below entry z/);
    expect(mostCommonSpacing(new Float64Array([0, 60, 120, 300, 360]))).toBe(60);
  });
});

describe('bars checked once (a data set run many times)', () => {
  it('backtests on them give what backtests that check the bars give, for every strategy, split runs too', async () => {
    // Long enough for the z-score run to split across two threads.
    const b = bars(31, 150_000, 60);
    const kept = checkBars(b);
    expect(kept.length).toBe(150_000);
    for (const strategy of ['zscore', 'bollinger', 'rsi'] as const) {
      for (const breakers of [false, true]) {
        const settings = { strategy, lookback: 20, barSeconds: 60, breakers };
        const [plain, checked] = await Promise.all([runBacktest(b, settings), runBacktest(kept, settings)]);
        expect(plain.trades.length, strategy).toBeGreaterThan(100);
        expect(checked.metrics).toEqual(plain.metrics);
        expect(checked.trades).toEqual(plain.trades);
        expect(checked.equity).toEqual(plain.equity);
      }
    }
  });

  it('grid search and walk-forward on them give what they give on the columns', async () => {
    const b = bars(34, 40_000, 60);
    const kept = checkBars(b);
    const grid = { lookbacks: [10, 30], entryZ: [1.5, 2.5], exitZ: [0, 0.5] };
    for (const breakers of [false, true]) {
      const settings = { barSeconds: 60, breakers };
      const [plain, checked] = await Promise.all([runGridSearch(b, settings, grid), runGridSearch(kept, settings, grid)]);
      expect(plain).toHaveLength(8);
      expect(checked).toEqual(plain);
      const [wfPlain, wfChecked] = await Promise.all([runWalkForward(b, settings, grid, 3), runWalkForward(kept, settings, grid, 3)]);
      expect(wfPlain.folds).toHaveLength(3);
      expect(wfChecked).toEqual(wfPlain);
    }
  });

  it('are a copy: changing the columns afterwards changes nothing', async () => {
    const b = bars(32, 5_000, 60);
    const kept = checkBars(b);
    const before = await runBacktest(kept, { barSeconds: 60, breakers: false });
    b.close.fill(Number.NaN);
    b.time.reverse();
    const after = await runBacktest(kept, { barSeconds: 60, breakers: false });
    expect(after.trades.length).toBeGreaterThan(5);
    expect(after).toEqual(before);
  });

  it('refuses bad bars by name when loaded', () => {
    const nan = bars(33, 1_000, 60);
    nan.high[417] = Number.NaN;
    expect(() => checkBars(nan)).toThrow('bar 417 has a price that is not a finite number');
    const unordered = bars(33, 1_000, 60);
    unordered.time[600] = unordered.time[599]!;
    expect(() => checkBars(unordered)).toThrow('bar 600 does not start after bar 599 (times must increase)');
    const short = bars(33, 1_000, 60);
    expect(() => checkBars({ ...short, volume: short.volume.subarray(1) })).toThrow(/same length/);
  });

  // A time that is not a time used to pass as 1970 (NaN) or abort the whole process in the calendar (infinite or
  // past year 9999): now every way in refuses it by name, and the process goes on.
  it('refuses bar times that are not times, outside 1900 to 9999, by name, on every path', async () => {
    const spoils: [string, (b: BarColumns) => void, string][] = [
      ['NaN first', (b) => (b.time[0] = Number.NaN), 'bar 0 has a start time out of range (epoch seconds from 1900 to 9999)'],
      ['infinite last', (b) => (b.time[b.time.length - 1] = Number.POSITIVE_INFINITY), 'bar 1999 has a start time out of range (epoch seconds from 1900 to 9999)'],
      ['year 10000', (b) => (b.time[b.time.length - 1] = 253_402_300_800), 'bar 1999 has a start time out of range (epoch seconds from 1900 to 9999)'],
    ];
    for (const [name, spoil, message] of spoils) {
      const b = bars(5, 2_000, 60);
      spoil(b);
      expect(() => checkBars(b), name).toThrow(message);
      for (const breakers of [false, true]) await expect(runBacktest(b, { barSeconds: 60, breakers }), name).rejects.toThrow(message);
      await expect(runGridSearch(b, { barSeconds: 60 }), name).rejects.toThrow(message);
    }
    // The process is still here, and runs on good bars.
    expect((await runBacktest(bars(5, 2_000, 60), { barSeconds: 60 })).metrics.tradingDays).toBeGreaterThan(0);
  });
});

describe('trade columns in a caller-lent array', () => {
  const settings = { strategy: 'zscore', lookback: 20, entryZ: 2, exitZ: 0.5, quantity: 1, maxPosition: 2, stopUsd: 200, targetUsd: 300, maxHoldMinutes: 120, dailyLossLimitUsd: 500, consecutiveLossesToPause: 3, pauseMinutes: 30, maxDrawdownUsd: 1000, maxOrdersPerMinute: 10, breakers: false, commissionPerSide: 0.62, slippageTicks: 1, barSeconds: 60, capital: 10_000 };
  const call = (b: BarColumns, trades?: Float64Array) =>
    native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, settings, new Float64Array(b.time.length), undefined, trades);

  it('writes them there when they fit and into a new array when not, the same values either way', async () => {
    const b = bars(21, 20_000, 60);
    const fresh = await call(b);
    const n = fresh.tradeCount;
    expect(n).toBeGreaterThan(100);
    const roomy = new Float64Array(8 * n + 5).fill(-7);
    const lent = await call(b, roomy);
    expect(lent.tradeColumns).toBe(roomy);
    expect(Array.from(roomy.subarray(0, 8 * n))).toEqual(Array.from(fresh.tradeColumns));
    expect(Array.from(roomy.subarray(8 * n))).toEqual([-7, -7, -7, -7, -7]);
    const small = new Float64Array(8 * n - 1).fill(-7);
    const overflow = await call(b, small);
    expect(overflow.tradeColumns).not.toBe(small);
    expect(Array.from(overflow.tradeColumns)).toEqual(Array.from(fresh.tradeColumns));
    expect(small.every((v) => v === -7)).toBe(true);
  });

  it('refuses a lent array that shares memory with the bars or the equity array', async () => {
    const b = bars(22, 2_000, 60);
    const equity = new Float64Array(b.time.length);
    await expect(native.runBacktest(b.time, b.open, b.high, b.low, b.close, b.volume, settings, equity, undefined, equity)).rejects.toThrow(/must not share memory/);
    await expect(call(b, b.close)).rejects.toThrow(/must not share memory/);
  });

  it('concurrent backtests through the wrapper each get their own trades', async () => {
    const data = [bars(23, 30_000, 60), bars(24, 30_000, 60), bars(25, 30_000, 60)];
    const alone: BacktestOutput[] = [];
    for (const b of data) alone.push(await runBacktest(b, { barSeconds: 60, breakers: false }));
    // Twice at once: the second round reuses the arrays the first gave back.
    for (let round = 0; round < 2; round++) {
      const together = await Promise.all(data.map((b) => runBacktest(b, { barSeconds: 60, breakers: false })));
      together.forEach((r, i) => expect(r.trades).toEqual(alone[i]?.trades));
    }
    expect(new Set(alone.map((r) => r.trades.length)).size).toBeGreaterThan(1);
  });
});

describe('long runs: progress and cancellation', () => {
  it('reports progress up to the total and resolves off the JS thread', async () => {
    const b = bars(12, 20_000, 60);
    const seen: [number, number][] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1); // the event loop keeps running while Rust works
    const rows = await runGridSearch(b, { barSeconds: 60 }, {}, { onProgress: (d, t) => seen.push([d, t]), pollMs: 5 });
    clearInterval(timer);
    expect(rows).toHaveLength(48);
    expect(seen.at(-1)).toEqual([48, 48]);
    expect(ticks).toBeGreaterThan(0);
    const wf = await runWalkForward(b, { barSeconds: 60 }, { lookbacks: [10, 20] }, 3, 0.7, { onProgress: (d, t) => seen.push([d, t]) });
    expect(wf.folds).toHaveLength(3);
    expect(seen.at(-1)).toEqual([3 * 2 * 12, 3 * 2 * 12]);
  });

  it('cancels when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runGridSearch(bars(13, 5_000, 60), { barSeconds: 60 }, {}, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });
});
