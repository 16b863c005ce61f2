// 5-second broker bars -> the strategy's bar size. Bars start on multiples of the bar size in UTC epoch seconds
// (a 60 s bar starts at :00). A bar is emitted as soon as its last 5-second part arrives (which is the moment the
// next period starts, since a part is delivered when it ends), or when a part of a later period shows a gap, or by
// flushDue() when the period is over and the final part never came (session close, data gap). Duplicated and late
// parts (a resubscription after IB 1101 can replay one) are ignored, never double-counted.
import type { Bar } from '../domain/bar';

export interface AggregatedBar {
  bar: Bar;
  parts: number;
  expectedParts: number;
  partial: boolean;
}

interface Pending {
  bar: Bar;
  parts: number;
}

export class BarAggregator {
  private current: Pending | null = null;
  private lastPartTime = -Infinity;
  private lastEmittedStart = -Infinity;
  private ignoredParts = 0;
  readonly expectedParts: number;

  constructor(
    readonly barSeconds: number,
    readonly partSeconds = 5,
  ) {
    if (!Number.isInteger(partSeconds) || partSeconds <= 0) throw new Error(`part size must be a whole number of seconds above 0, got ${partSeconds}`);
    if (!Number.isInteger(barSeconds) || barSeconds < partSeconds || barSeconds % partSeconds !== 0) {
      throw new Error(`bar size must be a whole multiple of ${partSeconds} seconds, got ${barSeconds}`);
    }
    this.expectedParts = barSeconds / partSeconds;
  }

  /** Adds one part; returns the bars it completed (usually none or one, oldest first). */
  push(part: Bar): AggregatedBar[] {
    const start = Math.floor(part.time / this.barSeconds) * this.barSeconds;
    if (part.time <= this.lastPartTime || start <= this.lastEmittedStart || !validPart(part)) {
      this.ignoredParts++;
      return [];
    }
    this.lastPartTime = part.time;
    const out: AggregatedBar[] = [];
    if (this.current !== null && start > this.current.bar.time) out.push(this.emit(this.current));
    const volume = Math.max(0, part.volume);
    if (this.current === null) {
      this.current = { bar: { time: start, open: part.open, high: part.high, low: part.low, close: part.close, volume }, parts: 1 };
    } else {
      const b = this.current.bar;
      b.high = Math.max(b.high, part.high);
      b.low = Math.min(b.low, part.low);
      b.close = part.close;
      b.volume += volume;
      this.current.parts++;
    }
    if (part.time + this.partSeconds >= start + this.barSeconds) out.push(this.emit(this.current));
    return out;
  }

  /** Emits the bar in progress if its period ended more than graceSeconds before nowSeconds. */
  flushDue(nowSeconds: number, graceSeconds = this.partSeconds): AggregatedBar | null {
    if (this.current === null) return null;
    if (nowSeconds < this.current.bar.time + this.barSeconds + graceSeconds) return null;
    return this.emit(this.current);
  }

  /** The bar in progress (a copy), or null. */
  pending(): Bar | null {
    return this.current === null ? null : { ...this.current.bar };
  }

  /** Parts dropped as duplicates, late or malformed. */
  ignored(): number {
    return this.ignoredParts;
  }

  private emit(p: Pending): AggregatedBar {
    this.current = null;
    this.lastEmittedStart = p.bar.time;
    return { bar: { ...p.bar }, parts: p.parts, expectedParts: this.expectedParts, partial: p.parts < this.expectedParts };
  }
}

function validPart(b: Bar): boolean {
  const prices = [b.open, b.high, b.low, b.close];
  return Number.isFinite(b.time) && prices.every((p) => Number.isFinite(p) && p > 0) && b.high >= b.low;
}
