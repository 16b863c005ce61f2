// Historical bars for reqHistoricalData. History is regenerated per request from a second simulator seeded from the
// venue seed and the window start (deterministic), then shifted on the tick grid so its last close meets the live
// price: charts join without a visible jump, and every bar ends at or before "now".
import type { NativeBar } from '../../core/native';
import { createMarketSim, type Regime } from '../../core/native/market-sim';
import { MES_TICK } from './contracts';

export const BAR_SIZES: Record<string, number> = { '5 secs': 5, '1 min': 60, '5 mins': 300 };
const MAX_BARS = 200_000;

/** "N S" or "N D" in seconds; null for anything else. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+)\s+([SD])\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  return (m[2]?.toUpperCase() === 'D' ? 86_400 : 1) * n;
}

export function historicalBars(o: { seed: number; regime: Regime; end: number; durationSecs: number; barSecs: number; lastPrice: number }): NativeBar[] {
  const start = Math.floor((o.end - o.durationSecs) / o.barSecs) * o.barSecs;
  const derivedSeed = (o.seed * 1_000_003 + start) % 2 ** 52;
  const sim = createMarketSim({ seed: derivedSeed, regime: o.regime, barSeconds: o.barSecs, startTime: start, startPrice: o.lastPrice });
  const bars: NativeBar[] = [];
  while (bars.length < MAX_BARS) {
    const b = sim.nextBar();
    if (b.time + o.barSecs > o.end) break;
    bars.push(b);
  }
  const lastClose = bars.at(-1)?.close;
  if (lastClose === undefined) return bars;
  const shift = Math.round((o.lastPrice - lastClose) / MES_TICK) * MES_TICK;
  return bars.map((b) => ({ ...b, open: b.open + shift, high: b.high + shift, low: b.low + shift, close: b.close + shift }));
}
