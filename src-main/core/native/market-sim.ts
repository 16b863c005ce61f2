// Typed wrapper over the native market simulator (regimes, GARCH volatility, CME session hours).
import { allocColumns, columnsFromBars, type Bar, type BarColumns } from '../domain/bar';
import { cmeTradingDay, native } from './index';

export const regimes = ['bull', 'bear', 'sideways', 'volatile', 'switching'] as const;
export type Regime = (typeof regimes)[number];

export interface MarketSimOptions {
  seed: number;
  regime: Regime;
  barSeconds: number;
  startTime: number;
  startPrice?: number;
}

export function createMarketSim(o: MarketSimOptions): InstanceType<typeof native.MarketSim> {
  return new native.MarketSim({ seed: o.seed, regime: o.regime, barSeconds: o.barSeconds, startTime: o.startTime, startPrice: o.startPrice ?? 5000 });
}

export function simulateBars(o: MarketSimOptions, count: number): BarColumns {
  const c = allocColumns(count);
  createMarketSim(o).fill(c.time, c.open, c.high, c.low, c.close, c.volume);
  return c;
}

/** Every session bar of `days` CME trading days, starting with the first session at or after `startTime`. */
export function simulateDays(o: MarketSimOptions, days: number): BarColumns {
  const sim = createMarketSim(o);
  const out: Bar[] = [];
  const seenDays: number[] = [];
  for (;;) {
    const b = sim.nextBar();
    const day = cmeTradingDay(b.time);
    if (seenDays.at(-1) !== day) {
      if (seenDays.length === days) break;
      seenDays.push(day);
    }
    out.push(b);
  }
  return columnsFromBars(out);
}
