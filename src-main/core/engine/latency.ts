// Bar arrival -> order sent latency, in milliseconds. Keeps the most recent samples in a ring (bounded memory on a
// session that runs for weeks) and answers p50 / p99 over them with the nearest-rank method.
import type { LatencyDTO } from '../../../src-preload/contract';
/** p50/p99 of bar arrival -> order sent, in ms (the contract's DTO). */
export type LatencyStats = LatencyDTO;

export class LatencyRecorder {
  private readonly samples: number[] = [];
  private next = 0;
  private total = 0;
  private last: number | null = null;

  constructor(private readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`latency capacity must be a whole number above 0, got ${capacity}`);
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return; // a clock step backwards is not a measurement
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.total++;
    this.last = ms;
  }

  stats(): LatencyStats {
    if (this.samples.length === 0) return { count: 0, p50Ms: null, p99Ms: null, lastMs: null, maxMs: null };
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { count: this.total, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), lastMs: this.last, maxMs: sorted[sorted.length - 1] ?? null };
  }
}

/** Nearest-rank percentile of an ascending array (p in (0, 1]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}
