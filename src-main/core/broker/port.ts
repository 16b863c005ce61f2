// The broker port: what the live engine drives, independent of any broker API. Commands acknowledge (a promise that
// settles when the command was handed to the broker, or a query's answer is complete); everything the broker does
// later (order status, fills, bars, connection changes) arrives as typed events. A command that cannot be sent is
// REJECTED with a BrokerError, never queued: an order must not leave minutes later after a reconnect.
//
// Units: times in epoch seconds UTC unless a name says Ms; prices in index points; quantities in whole contracts.
import type { Bar } from '../domain/bar';
import type { BrokerError } from './errors';

export type OrderSide = 'BUY' | 'SELL';

/** The one tradable contract the app resolved (e.g. the MES front month). */
export interface ContractRef {
  conId: number;
  symbol: string;
  /** e.g. MESZ6 */
  localSymbol: string;
  secType: 'FUT';
  exchange: string;
  currency: string;
  tradingClass: string;
  /** yyyymm */
  contractMonth: string;
  /** yyyymmdd (the real expiration date when the broker reports one). */
  lastTradeDate: string;
  /** First date (yyyymmdd, exchange calendar day) the roll rule moves to the next contract. */
  rollDate: string;
  /** Dollars per point per contract (MES: 5). */
  multiplier: number;
  /** Smallest price step in points (MES: 0.25). */
  minTick: number;
}

// ---- connection ----

/**
 * - disconnected: no session (after disconnect(), or between reconnect attempts: see nextRetryAtMs)
 * - connecting: socket opening / handshake, waiting for the broker's first order id
 * - connected: session up, orders may be sent
 * - lost: the gateway is up but lost its link to the broker's servers (IB 1100); no orders
 * - restored-data-lost: link back, market data subscriptions were lost and have been renewed (IB 1101)
 * - restored-data-kept: link back, nothing lost (IB 1102)
 * The two restored phases are connected phases: `canTrade` is true in them.
 */
export type ConnectionPhase = 'disconnected' | 'connecting' | 'connected' | 'lost' | 'restored-data-lost' | 'restored-data-kept';

/** Why the connection is in its phase; a machine-readable word for alerts and tests. */
export type ConnectionReason =
  | 'not-started'
  | 'user'
  | 'connecting'
  | 'handshake-complete'
  | 'socket-closed'
  | 'connect-failed'
  | 'connect-timeout'
  | 'liveness-timeout'
  | 'client-id-in-use'
  | 'broker-link-lost'
  | 'broker-link-restored';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** True only when new orders may be sent (connected or restored). */
  canTrade: boolean;
  reason: ConnectionReason;
  /** The broker's own code when one caused this state (1100, 1101, 1102, 326, 502, ...). */
  code: number | null;
  /** One sentence for the trader. */
  message: string;
  /** Epoch ms the phase began. */
  sinceMs: number;
  /** Consecutive failed attempts since the last stable session. */
  attempt: number;
  /** When the next reconnect attempt starts (epoch ms); null when none is scheduled. */
  nextRetryAtMs: number | null;
  /** e.g. "127.0.0.1:4002 client 17". */
  endpoint: string;
  /** Managed account reported by the broker at login (null before). */
  account: string | null;
}

// ---- market data ----

export interface BarSubscription {
  readonly id: string;
  readonly contract: ContractRef;
  readonly barSeconds: number;
  /** True when no 5-second bar arrived within the stale limit, or the connection is down. */
  isStale(): boolean;
  /** Stops the bars (at the broker too) and forgets the subscription. */
  close(): void;
}

export interface SubscribeBarsOptions {
  /** Seconds without a 5-second bar after which the data is marked stale (default 15). */
  staleAfterSeconds?: number;
}

/** A completed strategy bar: 5-second bars aggregated to the strategy's bar size. */
export interface StrategyBarEvent {
  subscriptionId: string;
  bar: Bar;
  /** 5-second bars that made this bar, and how many a full bar has. */
  parts: number;
  expectedParts: number;
  /** True when some 5-second bars are missing (first bar after subscribing, a data gap, a resubscription). */
  partial: boolean;
}

export interface MarketDataEvent {
  subscriptionId: string;
  stale: boolean;
  /** Epoch seconds of the last 5-second bar's start (null before the first). */
  lastBarTime: number | null;
  message: string;
}

export interface HistoricalBarsRequest {
  contract: ContractRef;
  barSeconds: number;
  durationSeconds: number;
  /** End of the window (epoch seconds); default now. */
  endTime?: number;
}

// ---- orders ----

export type EntryOrder = { type: 'MKT' } | { type: 'LMT'; limitPrice: number };

export interface BracketRequest {
  contract: ContractRef;
  /** The intent's id; orders are tagged `${orderRef}:entry`, `:tp`, `:sl`. */
  orderRef: string;
  side: OrderSide;
  qty: number;
  entry: EntryOrder;
  stopPrice: number;
  targetPrice: number;
}

export interface BracketIds {
  entry: number;
  takeProfit: number;
  stopLoss: number;
  /** The OCA group shared by the two exit orders. */
  ocaGroup: string;
  orderRefs: { entry: string; takeProfit: string; stopLoss: string };
}

export type SingleOrderType = { type: 'MKT' } | { type: 'LMT'; limitPrice: number } | { type: 'STP'; stopPrice: number };

export interface SingleOrderRequest {
  contract: ContractRef;
  /** Tag written on the order and echoed on every execution. */
  orderRef: string;
  side: OrderSide;
  qty: number;
  order: SingleOrderType;
}

/** IB's order status words (ApiPending/ApiCancelled are the client-side variants). */
export type BrokerOrderStatus =
  | 'ApiPending'
  | 'PendingSubmit'
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'ApiCancelled'
  | 'Cancelled'
  | 'Filled'
  | 'Inactive';

export interface OrderStatusEvent {
  orderId: number;
  /** From our own placement or the broker's openOrder; null for an order this session never saw. */
  orderRef: string | null;
  status: BrokerOrderStatus;
  filled: number;
  remaining: number;
  avgFillPrice: number | null;
  lastFillPrice: number | null;
  permId: number | null;
  parentId: number | null;
  clientId: number | null;
  whyHeld: string | null;
}

/** What the broker tells about any order or execution: whose, on which contract, which way, how many. */
interface OrderIdentity {
  orderId: number;
  permId: number | null;
  clientId: number | null;
  orderRef: string | null;
  account: string | null;
  conId: number | null;
  localSymbol: string | null;
  side: OrderSide;
  qty: number;
}

export interface OpenOrderEvent extends OrderIdentity {
  type: string;
  limitPrice: number | null;
  stopPrice: number | null;
  parentId: number | null;
  ocaGroup: string | null;
  status: string;
}

export interface ExecutionEvent extends OrderIdentity {
  execId: string;
  price: number;
  /** Epoch seconds (null when the broker's time text could not be read; see timeText). */
  time: number | null;
  timeText: string;
  cumQty: number | null;
  avgPrice: number | null;
}

export interface CommissionEvent {
  execId: string;
  /** Dollars. */
  commission: number;
  currency: string;
  /** Dollars; null when the broker does not report one (opening executions). */
  realizedPnl: number | null;
}

/** An order the broker refused or ended with an error (201 rejected, 202 cancelled, 10148 already filled, ...). */
export interface OrderErrorEvent {
  orderId: number;
  orderRef: string | null;
  code: number;
  kind: string;
  message: string;
}

export interface PositionReport {
  account: string;
  conId: number;
  symbol: string;
  localSymbol: string;
  /** Signed contracts: + long, - short. */
  qty: number;
  /** Average price in points (the broker's average cost divided by the multiplier). */
  avgPrice: number | null;
}

export interface ExecutionReport extends ExecutionEvent {
  commission: CommissionEvent | null;
}

/** Anything the broker said that is not tied to one order: farm notices, pacing, unknown codes. */
export interface BrokerNotice {
  code: number;
  /** The request or order id the broker named (-1 when none). */
  id: number;
  severity: 'info' | 'warning' | 'error';
  kind: string;
  message: string;
}

export interface BrokerEventMap {
  connection: ConnectionState;
  bar: StrategyBarEvent;
  marketData: MarketDataEvent;
  orderStatus: OrderStatusEvent;
  openOrder: OpenOrderEvent;
  execution: ExecutionEvent;
  commission: CommissionEvent;
  orderError: OrderErrorEvent;
  notice: BrokerNotice;
}

export type BrokerEventName = keyof BrokerEventMap;

export interface BrokerPort {
  /**
   * Starts the session and keeps it up (reconnecting with backoff and the same client id) until disconnect().
   * Resolves at the first connected state; rejects (BrokerError 'timeout') if that takes longer than the adapter's
   * connect timeout, while reconnect attempts continue in the background.
   */
  connect(): Promise<void>;
  /** Closes the session and stops reconnecting. */
  disconnect(): Promise<void>;
  connectionState(): ConnectionState;

  /** The contract to trade now: the broker's listed expiries with the roll rule (roll N calendar days before). */
  resolveFrontMonth(rollDaysBeforeExpiry: number): Promise<ContractRef>;
  /** Completed strategy bars arrive as 'bar' events; restored after reconnects and IB 1101. */
  subscribeBars(contract: ContractRef, barSeconds: number, options?: SubscribeBarsOptions): BarSubscription;
  /** Completed bars of `barSeconds`, oldest first, through the historical pacing limiter. */
  historicalBars(request: HistoricalBarsRequest): Promise<Bar[]>;

  /** Sends entry + take-profit + stop as one bracket; resolves with the broker order ids once sent. */
  placeBracket(request: BracketRequest): Promise<BracketIds>;
  /** Sends one MKT/LMT/STP order (exits, flatten); resolves with its broker order id once sent. */
  placeOrder(request: SingleOrderRequest): Promise<number>;
  cancelOrder(orderId: number): Promise<void>;
  /** Cancels every working order of the account (IB global cancel). */
  cancelAll(): Promise<void>;

  /** Every working order at the broker (all clients, manual TWS orders included). */
  openOrders(): Promise<OpenOrderEvent[]>;
  positions(): Promise<PositionReport[]>;
  /** Executions at or after `sinceTime` (epoch seconds; the broker keeps the current day), with commissions. */
  executions(sinceTime?: number): Promise<ExecutionReport[]>;

  on<E extends BrokerEventName>(event: E, listener: (payload: BrokerEventMap[E]) => void): () => void;
}

export type { BrokerError };
