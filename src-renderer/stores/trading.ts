// Trading slice: the engine's status (state, position, P&L, orders, latency) and the latest alerts and trades,
// kept current by the core's events.
import { create } from 'zustand';
import type { AlertDTO, TradeDTO, TradingStatusDTO } from '../../src-preload/contract';

const KEEP = 50;

interface TradingSlice {
  status: TradingStatusDTO | null;
  alerts: AlertDTO[];
  trades: TradeDTO[];
  setStatus(s: TradingStatusDTO): void;
  addAlert(a: AlertDTO): void;
  addTrade(t: TradeDTO): void;
  load(alerts: AlertDTO[], trades: TradeDTO[]): void;
}

export const useTrading = create<TradingSlice>((set) => ({
  status: null,
  alerts: [],
  trades: [],
  setStatus: (status) => set({ status }),
  addAlert: (a) => set((s) => ({ alerts: [a, ...s.alerts].slice(0, KEEP) })),
  addTrade: (t) => set((s) => ({ trades: [t, ...s.trades].slice(0, KEEP) })),
  load: (alerts, trades) => set({ alerts: [...alerts].reverse().slice(0, KEEP), trades: trades.slice(0, KEEP) }),
}));
