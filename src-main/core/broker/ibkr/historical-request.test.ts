import { BarSizeSetting } from '@stoqey/ib';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../domain/bar';
import { planHistorical, shapeHistorical } from './historical-request';

const T0 = Date.UTC(2026, 10, 23, 15, 0, 0) / 1000;
const bar = (time: number, close: number): Bar => ({ time, open: close, high: close, low: close, close, volume: 1 });

describe('historical request plan', () => {
  it('uses the IB size when it exists, and a divisor otherwise', () => {
    expect(planHistorical(60, 3 * 3600)).toEqual({ barSize: BarSizeSetting.MINUTES_ONE, baseSeconds: 60, durationStr: '10800 S' });
    expect(planHistorical(45, 900)).toMatchObject({ barSize: BarSizeSetting.SECONDS_FIFTEEN, baseSeconds: 15 });
    expect(planHistorical(300, 3 * 86_400)).toMatchObject({ durationStr: '3 D' });
    expect(() => planHistorical(60, 30)).toThrow(/at least one bar/);
  });

  it('keeps complete bars inside the window and drops the bar still forming', () => {
    const plan = planHistorical(60, 180);
    const ib = [bar(T0 - 60, 1), bar(T0, 2), bar(T0 + 60, 3), bar(T0 + 120, 4), bar(T0 + 180, 5)];
    // now = T0 + 200: the T0+180 bar is still forming; the window starts at T0 + 20.
    expect(shapeHistorical(ib, plan, 60, 180, T0 + 200).map((b) => b.close)).toEqual([3, 4]);
  });

  it('aggregates divisor bars and drops incomplete groups', () => {
    const plan = planHistorical(45, 135);
    const ib = Array.from({ length: 8 }, (_, i) => bar(T0 + 15 * i, 10 + i)); // T0 is a multiple of 45
    const out = shapeHistorical(ib, plan, 45, 135, T0 + 135);
    expect(out).toEqual([
      { time: T0, open: 10, high: 12, low: 10, close: 12, volume: 3 },
      { time: T0 + 45, open: 13, high: 15, low: 13, close: 15, volume: 3 },
    ]);
  });
});
