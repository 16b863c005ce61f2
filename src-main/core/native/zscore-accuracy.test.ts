// The native z-score against an exact two-pass reference on the regimes a scalper sees: the MES tick grid near
// 5000, 0.01 steps, long quiet stretches of identical prices (std 0 -> z 0), and a 1M-bar series.
import { describe, expect, it } from 'vitest';
import { zscoreBatch, ZScoreStream } from './index';

/** Deterministic PRNG (mulberry32) so every run checks the same series. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function series(n: number, step: number, seed: number, quietEvery = 0): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  let units = 0; // price = 5000 + units * step, kept exact as an integer count of steps
  for (let i = 0; i < n; i++) {
    const quiet = quietEvery > 0 && Math.floor(i / quietEvery) % 2 === 1;
    if (!quiet) units += Math.floor(r() * 5) - 2;
    out[i] = Number((5000 + units * step).toFixed(2));
  }
  return out;
}

/**
 * Exact reference: prices on a 0.01 grid are integers in hundredths, so the window sums are kept in BigInt
 * without rounding (a sliding sum is exact in integers); only the final division and sqrt are floating point.
 */
function exactZ(closes: Float64Array, n: number): Float64Array {
  const cents = Array.from(closes, (c) => BigInt(Math.round(c * 100)));
  const out = new Float64Array(closes.length).fill(NaN);
  const N = BigInt(n);
  let s = 0n;
  let s2 = 0n;
  for (let i = 0; i < cents.length; i++) {
    const x = cents[i] ?? 0n;
    s += x;
    s2 += x * x;
    if (i >= n) {
      const old = cents[i - n] ?? 0n;
      s -= old;
      s2 -= old * old;
    }
    if (i < n - 1) continue;
    // z = (x - mean) / std = (n*x - sum) / sqrt(n*sum(x^2) - sum^2)
    const n2var = N * s2 - s * s;
    out[i] = n2var === 0n ? 0 : Number(N * x - s) / Math.sqrt(Number(n2var));
  }
  return out;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? NaN;
    const y = b[i] ?? NaN;
    expect(Number.isNaN(x)).toBe(Number.isNaN(y));
    if (!Number.isNaN(x)) worst = Math.max(worst, Math.abs(x - y));
  }
  return worst;
}

describe('native z-score accuracy (max |dz| <= 1e-9)', () => {
  it.each([
    ['tick grid near 5000', 0.25, 0],
    ['0.01 steps', 0.01, 0],
    ['quiet stretches of identical prices', 0.01, 400],
    ['tick grid with quiet stretches', 0.25, 250],
  ])('%s', (_name, step, quiet) => {
    const closes = series(60_000, step, 17, quiet);
    for (const n of [2, 20, 50]) expect(maxDiff(zscoreBatch(closes, n), exactZ(closes, n))).toBeLessThanOrEqual(1e-9);
  });

  it('a flat window gives z = 0 exactly', () => {
    const z = zscoreBatch(new Float64Array(100).fill(5000.37), 10);
    expect(Array.from(z.slice(9)).every((v) => v === 0)).toBe(true);
  });

  it('1M bars', () => {
    const closes = series(1_000_000, 0.25, 99, 5000);
    expect(maxDiff(zscoreBatch(closes, 20), exactZ(closes, 20))).toBeLessThanOrEqual(1e-9);
  });

  it('streaming equals batch, null during warm-up', () => {
    const closes = series(2_000, 0.25, 5);
    const batch = zscoreBatch(closes, 20);
    const s = new ZScoreStream(20);
    closes.forEach((c, i) => {
      const z = s.push(c);
      if (i < 19) expect(z).toBeNull();
      else expect(z).toBe(batch[i]);
    });
  });

  it('rejects bad input with a message that names the problem', () => {
    expect(() => zscoreBatch(new Float64Array([1, NaN, 3]), 2)).toThrow(/index 1 is not a finite number/);
    expect(() => new ZScoreStream(1)).toThrow('z-score window must be 2 to 100000 bars, got 1');
    expect(() => new ZScoreStream(4_294_967_295)).toThrow('z-score window must be 2 to 100000 bars, got 4294967295');
    expect(() => new ZScoreStream(5).push(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});
