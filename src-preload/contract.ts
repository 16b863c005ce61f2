// The one contract between the application core and every UI: request channels with their validated payloads
// and typed responses, pushed events, and the DTOs they carry. The Electron preload implements `Api` over IPC,
// the browser client implements it over WebSocket, and the core's handlers are typed against it.
import { z } from 'zod';

export type TradingMode = 'simulation' | 'paper' | 'live';
export type ShellKind = 'electron' | 'headless';

/** One OHLCV bar; `time` is the bar start in epoch seconds UTC, prices in index points. */
export interface BarDTO {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface ConfigStatusDTO {
  /** The config.yaml in use, or null when running on defaults. */
  file: string | null;
  /** Errors mean the app refuses to trade until the file is fixed. */
  errors: string[];
  warnings: string[];
}

export interface TradingGateDTO {
  /** The mode the config asks for (null when the config is invalid). */
  configuredMode: TradingMode | null;
  /** Whether trading may start now. */
  canTrade: boolean;
  /** LIVE mode only: the trader typed the confirmation phrase in this session. */
  armed: boolean;
  /** Why trading may not start, in plain words. */
  reason: string | null;
  /** LIVE mode only: the exact phrase to type, e.g. "LIVE U1234567". */
  confirmationPhrase: string | null;
}

export interface CommandResultDTO {
  accepted: boolean;
  message: string;
}

export interface AppInfoDTO {
  name: string;
  version: string;
  shell: ShellKind;
  mode: TradingMode;
  dataDir: string | null;
  config: ConfigStatusDTO;
}

export interface StrategyViewDTO {
  symbol: string;
  barSeconds: number;
  lookback: number;
  entryZ: number;
  exitZ: number;
}

/** Recent bars with their z-scores (null while the z-score window warms up). */
export interface MarketSnapshotDTO extends StrategyViewDTO {
  bars: BarDTO[];
  z: (number | null)[];
}

export interface MarketBarEventDTO {
  symbol: string;
  bar: BarDTO;
  z: number | null;
}

export interface FeedStatusDTO {
  running: boolean;
  barsEmitted: number;
}

// ---- trading (live engine) ------------------------------------------------------------------------------------

/**
 * stopped / starting / reconciling: not trading yet; active: entries allowed; paused: no new entries, exits and
 * brackets keep working; halted: no new entries until resumed (or until `until`); blocked: startup reconciliation
 * found something the database does not know, and the trader chooses adopt or flatten.
 */
export type TradingPhase = 'stopped' | 'starting' | 'reconciling' | 'active' | 'paused' | 'halted' | 'blocked';

export interface TradingStateDTO {
  phase: TradingPhase;
  /** Machine-readable (kill_switch, daily_loss_limit, consecutive_loss_pause, drawdown_halt, reconciliation_mismatch). */
  reason: string | null;
  /** Epoch seconds when a timed pause or halt ends by itself; null when only the trader ends it. */
  until: number | null;
  message: string;
}

export interface PnlDTO {
  /** Signed contracts: + long, - short. */
  position: number;
  avgPrice: number | null;
  lastPrice: number | null;
  /** CME trading day yyyymmdd (starts 17:00 CT). */
  tradingDay: number;
  realizedUsd: number;
  realizedPoints: number;
  unrealizedUsd: number;
  unrealizedPoints: number;
  commissionsUsd: number;
  netUsd: number;
}

export interface OrderDTO {
  orderRef: string;
  role: 'entry' | 'target' | 'stop' | 'exit' | 'flatten';
  side: 'BUY' | 'SELL';
  qty: number;
  type: 'MKT' | 'LMT' | 'STP';
  limitPrice: number | null;
  stopPrice: number | null;
  state: string;
  filledQty: number;
  avgFillPrice: number | null;
  brokerOrderId: number | null;
  detail: string | null;
}

export interface TradeDTO {
  side: 'long' | 'short';
  qty: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  pnlUsd: number;
  exitReason: string;
  tradingDay: number;
}

export interface AlertDTO {
  /** Epoch seconds. */
  time: number;
  category: string;
  level: 'info' | 'warning' | 'critical';
  text: string;
}

export interface LatencyDTO {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  lastMs: number | null;
  maxMs: number | null;
}

export interface TradingStatusDTO {
  /** False when trading is not running at all (invalid config, no database, paper/live not started). */
  running: boolean;
  mode: TradingMode;
  /** Why trading is not running (null when it is). */
  notRunningReason: string | null;
  state: TradingStateDTO;
  connection: { connected: boolean; detail: string };
  /** e.g. MESZ6 (null before the contract is resolved). */
  contract: string | null;
  position: { side: 'long' | 'short'; qty: number; entryPrice: number; stop: number; target: number } | null;
  pnl: PnlDTO;
  latency: LatencyDTO;
  orders: OrderDTO[];
  /** Startup reconciliation problems the trader must resolve (adopt or flatten). */
  mismatches: string[];
}

// ---- requests -------------------------------------------------------------------------------------------------

const empty = z.object({}).strict();

export const requestSchemas = {
  'app:info': empty,
  'market:snapshot': z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(),
  'feed:status': empty,
  'trading:gate': empty,
  /** Arm LIVE trading by typing the confirmation phrase shown by trading:gate. */
  'trading:armLive': z.object({ phrase: z.string().max(64) }).strict(),
  'trading:status': empty,
  /** Kill switch: cancel every working order, close the position at market, HALTED until resumed. */
  'trading:flatten': z.object({ confirm: z.literal(true) }).strict(),
  'trading:pause': empty,
  'trading:resume': empty,
  /** After a startup mismatch: take the broker's position over as the app's own. */
  'trading:adopt': z.object({ confirm: z.literal(true) }).strict(),
  'trading:trades': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'trading:alerts': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
} as const;

export type RequestChannel = keyof typeof requestSchemas;
export type RequestPayload<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>;

export interface ResponseMap {
  'app:info': AppInfoDTO;
  'market:snapshot': MarketSnapshotDTO;
  'feed:status': FeedStatusDTO;
  'trading:gate': TradingGateDTO;
  'trading:armLive': CommandResultDTO;
  'trading:status': TradingStatusDTO;
  'trading:flatten': CommandResultDTO;
  'trading:pause': CommandResultDTO;
  'trading:resume': CommandResultDTO;
  'trading:adopt': CommandResultDTO;
  'trading:trades': TradeDTO[];
  'trading:alerts': AlertDTO[];
}

export const requestChannels = Object.keys(requestSchemas) as RequestChannel[];

export function isRequestChannel(name: string): name is RequestChannel {
  return Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

// ---- events ---------------------------------------------------------------------------------------------------

export interface EventMap {
  'market:bar': MarketBarEventDTO;
  'feed:status': FeedStatusDTO;
  'trading:status': TradingStatusDTO;
  'trading:alert': AlertDTO;
  'trading:trade': TradeDTO;
}

export type EventName = keyof EventMap;
export const eventNames: readonly EventName[] = ['market:bar', 'feed:status', 'trading:status', 'trading:alert', 'trading:trade'];

export function isEventName(name: string): name is EventName {
  return (eventNames as readonly string[]).includes(name);
}

// ---- errors and envelopes -------------------------------------------------------------------------------------

export type ApiErrorCode = 'bad_request' | 'unknown_channel' | 'refused' | 'internal';

export interface ApiErrorDTO {
  code: ApiErrorCode;
  message: string;
}

/** What crosses the wire for a request: never a thrown error (Electron mangles those), always an envelope. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorDTO };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function unwrap<T>(env: Envelope<T>): T {
  if (env.ok) return env.value;
  throw new ApiError(env.error.code, env.error.message);
}

// ---- the API every UI sees as window.api ----------------------------------------------------------------------

export interface Api {
  request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<ResponseMap[C]>;
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** IPC channel names (Electron). */
export const ipcChannel = {
  request: (c: RequestChannel) => `qs:req:${c}`,
  event: (e: EventName) => `qs:evt:${e}`,
} as const;

/** WebSocket frames (headless shell). */
export const wsClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), channel: z.string().max(64), payload: z.unknown() }).strict(),
]);
export type WsClientFrame = z.infer<typeof wsClientFrame>;

export type WsServerFrame =
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };
