import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile } from './latency';

describe('latency recorder', () => {
  it('answers nearest-rank p50 and p99', () => {
    const r = new LatencyRecorder();
    expect(r.stats()).toEqual({ count: 0, p50Ms: null, p99Ms: null, lastMs: null, maxMs: null });
    for (let i = 100; i >= 1; i--) r.record(i);
    expect(r.stats()).toEqual({ count: 100, p50Ms: 50, p99Ms: 99, lastMs: 1, maxMs: 100 });
    expect(percentile([3], 0.99)).toBe(3);
  });

  it('keeps only the newest samples and ignores nonsense', () => {
    const r = new LatencyRecorder(3);
    for (const v of [1000, 1000, 1, 2, 3, Number.NaN, -5]) r.record(v);
    expect(r.stats()).toMatchObject({ count: 5, p50Ms: 2, maxMs: 3, lastMs: 3 });
  });
});
