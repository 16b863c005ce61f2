// Bollinger and RSI through the wrapper against independent TypeScript references (TA-Lib definitions).
import { describe, expect, it } from 'vitest';
import { bollingerBatch, rsiBatch } from './indicators';

function series(n: number, step: number, seed: number, quietEvery = 0): Float64Array {
  let a = seed;
  const r = () => ((a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = new Float64Array(n);
  let units = 0;
  for (let i = 0; i < n; i++) {
    if (!(quietEvery > 0 && Math.floor(i / quietEvery) % 2 === 1)) units += Math.floor(r() * 5) - 2;
    out[i] = Number((5000 + units * step).toFixed(2));
  }
  return out;
}

function bollingerRef(c: Float64Array, n: number, k: number, i: number): [number, number, number] | null {
  if (i + 1 < n) return null;
  const w = Array.from(c.slice(i + 1 - n, i + 1));
  const base = w[0]!;
  const sh = w.map((v) => v - base);
  const mean = sh.reduce((a, b) => a + b, 0) / n;
  const sd = w.every((v) => v === base) ? 0 : Math.sqrt(sh.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return [base + mean, base + mean + k * sd, base + mean - k * sd];
}

function rsiRef(c: Float64Array, n: number): number[] {
  const out = new Array<number>(c.length).fill(NaN);
  let g = 0;
  let l = 0;
  const value = (ag: number, al: number) => (al === 0 ? (ag === 0 ? 50 : 100) : 100 - 100 / (1 + ag / al));
  for (let i = 1; i < c.length; i++) {
    const d = c[i]! - c[i - 1]!;
    if (i <= n) {
      g += Math.max(d, 0);
      l += Math.max(-d, 0);
      if (i === n) {
        g /= n;
        l /= n;
        out[i] = value(g, l);
      }
    } else {
      g = (g * (n - 1) + Math.max(d, 0)) / n;
      l = (l * (n - 1) + Math.max(-d, 0)) / n;
      out[i] = value(g, l);
    }
  }
  return out;
}

describe('Bollinger and RSI (native) vs references, |d| <= 1e-9', () => {
  it.each([
    ['tick grid near 5000', 0.25, 0],
    ['0.01 steps with quiet stretches', 0.01, 300],
  ])('%s', (_name, step, quiet) => {
    const c = series(30_000, step, 3, quiet);
    for (const [n, k] of [[20, 2], [5, 1.5], [50, 2.5]] as const) {
      const b = bollingerBatch(c, n, k);
      for (let i = 0; i < c.length; i++) {
        const ref = bollingerRef(c, n, k, i);
        if (ref === null) expect(Number.isNaN(b.mid[i])).toBe(true);
        else expect(Math.max(Math.abs(b.mid[i]! - ref[0]), Math.abs(b.upper[i]! - ref[1]), Math.abs(b.lower[i]! - ref[2]))).toBeLessThanOrEqual(1e-9);
      }
    }
    for (const n of [2, 14, 30]) {
      const r = rsiBatch(c, n);
      const ref = rsiRef(c, n);
      for (let i = 0; i < c.length; i++) {
        if (Number.isNaN(ref[i]!)) expect(Number.isNaN(r[i])).toBe(true);
        else expect(Math.abs(r[i]! - ref[i]!)).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it('names bad input', () => {
    expect(() => bollingerBatch(new Float64Array(5), 1, 2)).toThrow('Bollinger period must be 2 to 100000 bars, got 1');
    // A typo of a period would ask for gigabytes of window: refused before any memory is taken.
    expect(() => bollingerBatch(new Float64Array(5), 4_294_967_295, 2)).toThrow('Bollinger period must be 2 to 100000 bars, got 4294967295');
    expect(() => rsiBatch(new Float64Array([1, NaN]), 2)).toThrow(/index 1 is not a finite number/);
  });
});
