// A clock that moves only when told: timers fire in due order during advance(). Used by tests of the adapter's
// timing (backoff, liveness, staleness, pacing) so hours pass in milliseconds and nothing depends on machine load.
import type { Clock } from './clock';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(startMs = Date.UTC(2026, 10, 23, 15, 0, 0)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: Timer = { id: ++this.seq, due: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Moves time forward by ms, firing every timer that falls due (timers set while firing included). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.due);
      next.fn();
    }
    this.t = end;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
