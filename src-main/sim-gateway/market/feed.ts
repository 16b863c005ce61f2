// The venue's one price path (front month; every listed expiry trades it): the repo's native market simulator in
// 5-second bars, which already follows CME session hours and the chosen regime.
import type { NativeBar } from '../../core/native';
import { createMarketSim, type Regime } from '../../core/native/market-sim';

export const BAR_SECONDS = 5;
export const START_PRICE = 5000;

export class MarketFeed {
  private readonly sim: ReturnType<typeof createMarketSim>;
  private last: NativeBar | null = null;
  private clock: number;

  constructor(
    readonly seed: number,
    readonly regime: Regime,
    readonly startTime: number,
  ) {
    this.sim = createMarketSim({ seed, regime, barSeconds: BAR_SECONDS, startTime, startPrice: START_PRICE });
    this.clock = startTime;
  }

  /** Produces the next bar; simulated time becomes its end (session gaps jump the clock). */
  next(): NativeBar {
    const b = this.sim.nextBar();
    this.last = b;
    this.clock = b.time + BAR_SECONDS;
    return b;
  }

  now(): number {
    return this.clock;
  }

  lastBar(): NativeBar | null {
    return this.last;
  }

  lastPrice(): number {
    return this.last?.close ?? START_PRICE;
  }
}
