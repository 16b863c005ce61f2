import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../domain/bar';
import { BarAggregator } from './bar-aggregator';

const T0 = Date.UTC(2026, 10, 23, 15, 0, 0) / 1000; // a minute boundary
const part = (time: number, close: number, volume = 1): Bar => ({ time, open: close, high: close + 0.25, low: close - 0.25, close, volume });

describe('BarAggregator', () => {
  it('emits a 1-minute bar the moment its 12th 5-second part arrives, aligned to the minute', () => {
    const agg = new BarAggregator(60);
    const out = [];
    for (let i = 0; i < 12; i++) out.push(...agg.push(part(T0 + i * 5, 5000 + i * 0.25, 2)));
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({
      bar: { time: T0, open: 5000, high: 5000 + 11 * 0.25 + 0.25, low: 5000 - 0.25, close: 5000 + 11 * 0.25, volume: 24 },
      parts: 12,
      expectedParts: 12,
      partial: false,
    });
    expect(agg.pending()).toBeNull();
  });

  it('starting mid-minute gives a partial first bar, aligned to the minute start', () => {
    const agg = new BarAggregator(60);
    const out = [];
    for (let i = 6; i < 12; i++) out.push(...agg.push(part(T0 + i * 5, 5000)));
    expect(out).toHaveLength(1);
    expect(out[0]?.bar.time).toBe(T0);
    expect(out[0]?.partial).toBe(true);
    expect(out[0]?.parts).toBe(6);
  });

  it('a part from a later period closes a bar whose last part never came', () => {
    const agg = new BarAggregator(60);
    for (let i = 0; i < 10; i++) agg.push(part(T0 + i * 5, 5000));
    const out = agg.push(part(T0 + 120, 5001));
    expect(out.map((b) => [b.bar.time, b.parts, b.partial])).toEqual([[T0, 10, true]]);
    expect(agg.pending()?.time).toBe(T0 + 120);
  });

  it('ignores duplicated, out-of-order and late parts', () => {
    const agg = new BarAggregator(15);
    agg.push(part(T0, 5000, 1));
    agg.push(part(T0, 5000, 1)); // duplicate (resubscription replay)
    agg.push(part(T0 + 5, 5000.25, 1));
    const done = agg.push(part(T0 + 10, 5000.5, 1));
    expect(done[0]?.bar.volume).toBe(3);
    expect(agg.push(part(T0 + 10, 5000.5, 1))).toEqual([]); // late part of an emitted bar
    expect(agg.push(part(T0 - 5, 4999, 1))).toEqual([]);
    expect(agg.ignored()).toBe(3);
  });

  it('flushDue emits a bar whose period is over, and not before the grace time', () => {
    const agg = new BarAggregator(60);
    for (let i = 0; i < 11; i++) agg.push(part(T0 + i * 5, 5000));
    expect(agg.flushDue(T0 + 64)).toBeNull();
    const b = agg.flushDue(T0 + 65);
    expect(b?.parts).toBe(11);
    expect(agg.pending()).toBeNull();
    // The missing last part arriving after the flush is late: not a second bar for the same minute.
    expect(agg.push(part(T0 + 55, 5000))).toEqual([]);
  });

  it('treats negative volume (no trades reported) as zero and rejects malformed parts', () => {
    const agg = new BarAggregator(10);
    agg.push({ ...part(T0, 5000), volume: -1 });
    expect(agg.push({ ...part(T0 + 5, 5000), high: NaN })).toEqual([]);
    const out = agg.push(part(T0 + 5, 5000, 3));
    expect(out[0]?.bar.volume).toBe(3);
  });

  it('refuses bar sizes that are not multiples of 5 seconds', () => {
    expect(() => new BarAggregator(7)).toThrow(/multiple of 5 seconds/);
    expect(() => new BarAggregator(0)).toThrow(/multiple/);
  });

  it('property: complete streams aggregate to the OHLCV of each aligned period, in order, exactly once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(5, 10, 15, 30, 60, 300),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 200 }),
        (barSeconds, steps, offsetParts) => {
          const agg = new BarAggregator(barSeconds);
          const parts: Bar[] = steps.map(([ticks, vol], i) => part(T0 + (offsetParts + i) * 5, 4000 + ticks * 0.25, vol));
          const out = parts.flatMap((p) => agg.push(p));
          const tail = agg.flushDue(Number.MAX_SAFE_INTEGER);
          if (tail !== null) out.push(tail);
          const groups = new Map<number, Bar[]>();
          for (const p of parts) {
            const s = Math.floor(p.time / barSeconds) * barSeconds;
            groups.set(s, [...(groups.get(s) ?? []), p]);
          }
          expect(out.map((b) => b.bar.time)).toEqual([...groups.keys()]);
          for (const b of out) {
            const g = groups.get(b.bar.time) ?? [];
            expect(b.bar.open).toBe(g[0]?.open);
            expect(b.bar.close).toBe(g[g.length - 1]?.close);
            expect(b.bar.high).toBe(Math.max(...g.map((x) => x.high)));
            expect(b.bar.low).toBe(Math.min(...g.map((x) => x.low)));
            expect(b.bar.volume).toBe(g.reduce((s, x) => s + x.volume, 0));
            expect(b.partial).toBe(g.length < barSeconds / 5);
          }
        },
      ),
    );
  });
});
