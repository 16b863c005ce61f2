// The simulation feed of the foundation slice: seeded bars from the native price walk, z-scored by the native
// streaming kernel, pushed as events at a fixed pace. Timers are injected so tests drive it without sleeping.
import type { BarDTO, FeedStatusDTO, MarketSnapshotDTO, StrategyViewDTO } from '../../../src-preload/contract';
import type { CoreEvents } from '../events';
import { PriceWalk, ZScoreStream } from '../native';

export interface SimFeedOptions extends StrategyViewDTO {
  seed: number;
  startTime: number;
  startPrice: number;
  /** Wall-clock milliseconds between bars (the simulated bar length is `barSeconds`). */
  intervalMs: number;
  /** Bars generated before the feed starts, so the chart and the z-score are warm at launch. */
  historyBars: number;
  /** Bars kept for snapshots. */
  keep: number;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export class SimFeed {
  private readonly walk: InstanceType<typeof PriceWalk>;
  private readonly zscore: InstanceType<typeof ZScoreStream>;
  private readonly bars: BarDTO[] = [];
  private readonly zs: (number | null)[] = [];
  private handle: unknown = null;
  private emitted = 0;

  constructor(
    private readonly opts: SimFeedOptions,
    private readonly events: CoreEvents,
    private readonly timers: Timers = realTimers,
  ) {
    this.walk = new PriceWalk({
      seed: opts.seed,
      startPrice: opts.startPrice,
      startTime: opts.startTime,
      barSeconds: opts.barSeconds,
    });
    this.zscore = new ZScoreStream(opts.lookback);
    for (let i = 0; i < opts.historyBars; i++) this.advance();
  }

  start(): void {
    if (this.handle !== null) return;
    this.handle = this.timers.setInterval(() => this.tick(), this.opts.intervalMs);
    this.events.emit('feed:status', this.status());
  }

  stop(): void {
    if (this.handle === null) return;
    this.timers.clearInterval(this.handle);
    this.handle = null;
    this.events.emit('feed:status', this.status());
  }

  /** One bar: generate, score, remember, publish. */
  tick(): void {
    const { bar, z } = this.advance();
    this.emitted++;
    this.events.emit('market:bar', { symbol: this.opts.symbol, bar, z });
  }

  status(): FeedStatusDTO {
    return { running: this.handle !== null, barsEmitted: this.emitted };
  }

  snapshot(limit = this.opts.keep): MarketSnapshotDTO {
    const from = Math.max(0, this.bars.length - limit);
    const { symbol, barSeconds, lookback, entryZ, exitZ } = this.opts;
    return { symbol, barSeconds, lookback, entryZ, exitZ, bars: this.bars.slice(from), z: this.zs.slice(from) };
  }

  private advance(): { bar: BarDTO; z: number | null } {
    const n = this.walk.nextBar();
    const bar: BarDTO = { time: n.time, open: n.open, high: n.high, low: n.low, close: n.close, volume: n.volume };
    const z = this.zscore.push(bar.close);
    this.bars.push(bar);
    this.zs.push(z);
    if (this.bars.length > this.opts.keep) {
      this.bars.shift();
      this.zs.shift();
    }
    return { bar, z };
  }
}
