// The typed event stream out of the trading runtime. The app core forwards these to every UI (contract events),
// the alert notifier and the logs. Times are epoch seconds UTC; prices in index points; money in US dollars.
import type { BarDTO, LatencyDTO, OrderDTO, PnlDTO, TradingPhase, TradingStateDTO } from '../../../src-preload/contract';

export type { TradingMode } from '../../../src-preload/contract';

/** The runtime's lifecycle and trading state (the contract's `TradingPhase`, documented there). */
export type RuntimePhase = TradingPhase;
export type TradingStateView = TradingStateDTO;

export interface ConnectionView {
  connected: boolean;
  /** e.g. "connected to 127.0.0.1:4002 as client 17", "connection lost (1100)", "reconnecting in 4 s". */
  detail: string;
}

/** Orders as every UI sees them (the contract's DTO). */
export type OrderView = OrderDTO;

export interface FillView {
  execId: string;
  orderRef: string | null;
  side: 'BOT' | 'SLD';
  qty: number;
  price: number;
  time: number;
}

export interface TradeView {
  side: 'long' | 'short';
  qty: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  pnlUsd: number;
  pnlPoints: number;
  exitReason: string;
  tradingDay: number;
}

export interface AlertView {
  category: 'fills' | 'trades' | 'risk' | 'kill_switch' | 'connection' | 'errors';
  level: 'info' | 'warning' | 'critical';
  text: string;
}

export interface RefusalView {
  reason: string;
  message: string;
  orderRef: string | null;
}

/** Status of the kill switch's flatten: never a silent no-op. */
export interface FlattenView {
  status: 'queued' | 'cancelling' | 'closing' | 'done' | 'refused' | 'failed';
  message: string;
}

export type BarView = BarDTO;

export type EngineEvent =
  | { type: 'state'; state: TradingStateView }
  | { type: 'connection'; connection: ConnectionView }
  | { type: 'bar'; bar: BarView }
  /** Historical bars fetched at start (strategy warm-up), oldest first: charts start from them. */
  | { type: 'history'; bars: BarView[] }
  | { type: 'pnl'; pnl: PnlDTO }
  | { type: 'order'; order: OrderView }
  | { type: 'fill'; fill: FillView }
  | { type: 'trade'; trade: TradeView }
  | { type: 'alert'; alert: AlertView }
  | { type: 'refusal'; refusal: RefusalView }
  | { type: 'flatten'; flatten: FlattenView }
  | { type: 'latency'; latency: LatencyDTO };

export type EngineEventType = EngineEvent['type'];
export type EngineListener = (e: EngineEvent) => void;

/** A tiny synchronous fan-out: a throwing listener never breaks the engine. */
export class EngineEvents {
  private readonly listeners = new Set<EngineListener>();

  emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // The listener's transport reports its own errors; trading must not stop because a UI failed.
      }
    }
  }

  subscribe(l: EngineListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
