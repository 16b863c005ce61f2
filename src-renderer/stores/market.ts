// Market slice: the latest bar and z-score for the header readouts. The chart does not re-render through React:
// it subscribes to this store transiently and calls series.update per bar.
import { create } from 'zustand';
import type { BarDTO, MarketBarEventDTO, MarketSnapshotDTO, StrategyViewDTO } from '../../src-preload/contract';

interface MarketSlice {
  view: StrategyViewDTO | null;
  history: { bars: BarDTO[]; z: (number | null)[] } | null;
  last: MarketBarEventDTO | null;
  barsReceived: number;
  loadSnapshot(s: MarketSnapshotDTO): void;
  pushBar(e: MarketBarEventDTO): void;
}

export const useMarket = create<MarketSlice>((set) => ({
  view: null,
  history: null,
  last: null,
  barsReceived: 0,
  loadSnapshot: (s) => {
    const { bars, z, ...view } = s;
    const lastBar = bars.at(-1);
    set({ view, history: { bars, z }, last: lastBar ? { symbol: s.symbol, bar: lastBar, z: z.at(-1) ?? null } : null });
  },
  pushBar: (e) => set((st) => ({ last: e, barsReceived: st.barsReceived + 1 })),
}));
