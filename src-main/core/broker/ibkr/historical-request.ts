// How to ask IB for historical bars of any strategy size: IB serves a fixed list of bar sizes, so a size it lacks
// (e.g. 45 s) is fetched in the largest listed size that divides it and aggregated here. The duration is written in
// seconds up to one day ("3600 S") and in whole days beyond, and the answer is trimmed to the asked window and to
// bars that have ended (IB includes the bar still forming when the end time is "now").
import { BarSizeSetting } from '@stoqey/ib';
import type { Bar } from '../../domain/bar';
import { BarAggregator } from '../bar-aggregator';

const SIZES: [number, BarSizeSetting][] = [
  [1, BarSizeSetting.SECONDS_ONE],
  [5, BarSizeSetting.SECONDS_FIVE],
  [10, BarSizeSetting.SECONDS_TEN],
  [15, BarSizeSetting.SECONDS_FIFTEEN],
  [30, BarSizeSetting.SECONDS_THIRTY],
  [60, BarSizeSetting.MINUTES_ONE],
  [120, BarSizeSetting.MINUTES_TWO],
  [180, BarSizeSetting.MINUTES_THREE],
  [300, BarSizeSetting.MINUTES_FIVE],
  [600, BarSizeSetting.MINUTES_TEN],
  [900, BarSizeSetting.MINUTES_FIFTEEN],
  [1200, BarSizeSetting.MINUTES_TWENTY],
  [1800, BarSizeSetting.MINUTES_THIRTY],
  [3600, BarSizeSetting.HOURS_ONE],
];

export interface HistoricalPlan {
  barSize: BarSizeSetting;
  /** Seconds of the bars IB returns. */
  baseSeconds: number;
  durationStr: string;
}

export function planHistorical(barSeconds: number, durationSeconds: number): HistoricalPlan {
  if (!Number.isInteger(barSeconds) || barSeconds <= 0 || barSeconds > 3600) throw new Error(`bar size must be whole seconds from 1 to 3600, got ${barSeconds}`);
  if (!Number.isInteger(durationSeconds) || durationSeconds < barSeconds) throw new Error(`duration must be whole seconds of at least one bar (${barSeconds} s), got ${durationSeconds}`);
  const base = [...SIZES].reverse().find(([s]) => s <= barSeconds && barSeconds % s === 0);
  if (base === undefined) throw new Error(`no IB bar size divides ${barSeconds} s`);
  const durationStr = durationSeconds <= 86_400 ? `${durationSeconds} S` : `${Math.ceil(durationSeconds / 86_400)} D`;
  return { barSize: base[1], baseSeconds: base[0], durationStr };
}

/** IB's bars -> complete bars of barSeconds that started at or after end - duration and ended by `end`. */
export function shapeHistorical(ibBars: readonly Bar[], plan: HistoricalPlan, barSeconds: number, durationSeconds: number, endSeconds: number): Bar[] {
  const sorted = [...ibBars].sort((a, b) => a.time - b.time);
  let bars: Bar[];
  if (plan.baseSeconds === barSeconds) {
    bars = sorted;
  } else {
    const agg = new BarAggregator(barSeconds, plan.baseSeconds);
    const out = sorted.flatMap((b) => agg.push(b));
    const tail = agg.flushDue(Number.MAX_SAFE_INTEGER, 0);
    if (tail !== null) out.push(tail);
    bars = out.filter((a) => !a.partial).map((a) => a.bar);
  }
  const from = endSeconds - durationSeconds;
  return bars.filter((b) => b.time >= from && b.time + barSeconds <= endSeconds && b.time % barSeconds === 0);
}
