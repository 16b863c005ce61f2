// The IBKR implementation of BrokerPort over @stoqey/ib's event API (IBApi). We keep our own request bookkeeping
// (request ids, End messages, timeouts) rather than IBApiNext's observables, so every command's fate is explicit:
// sent, refused with a reason, or failed with a broker code. The session (session.ts) owns connect/reconnect and
// liveness; this class turns port calls into IB requests and IB callbacks into port events.
import { type IBApi, WhatToShow } from '@stoqey/ib';
import type { Bar } from '../../domain/bar';
import { type Clock, systemClock } from '../clock';
import { BrokerError } from '../errors';
import { OrderIdAllocator } from '../order-ids';
import { validateBracket, validateSingle } from '../order-validation';
import { PacedQueue } from '../paced-queue';
import { IB_HISTORICAL_PACING, PacingLimiter, type PacingRules } from '../pacing-limiter';
import type {
  BarSubscription,
  BracketIds,
  BracketRequest,
  BrokerEventMap,
  BrokerEventName,
  BrokerPort,
  ConnectionState,
  ContractRef,
  ExecutionReport,
  HistoricalBarsRequest,
  OpenOrderEvent,
  PositionReport,
  SingleOrderRequest,
  SubscribeBarsOptions,
} from '../port';
import { TypedEmitter } from '../typed-emitter';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import { BarSubscriptions } from './bar-subscriptions';
import { DEFAULT_LIVENESS, type LivenessOptions } from './liveness';
import { bracketOrders, ibContract, refs, singleOrder } from './orders';
import { QueryBook } from './pending-query';
import { type Instrument, IbQueries } from './queries';
import { IbSession } from './session';
import { IbInbound } from './inbound';

export interface IbkrOptions {
  host: string;
  port: number;
  /** Fixed: IB binds orders to the client id that placed them. */
  clientId: number;
  clock?: Clock;
  backoff?: Partial<BackoffOptions>;
  liveness?: Partial<LivenessOptions>;
  /** Per login attempt (default 10 s). */
  connectTimeoutMs?: number;
  /** How long connect() waits for the first session before rejecting (default 30 s; retries go on). */
  firstConnectTimeoutMs?: number;
  /** Contract details, executions, open orders, positions (default 10 s). */
  queryTimeoutMs?: number;
  /** Historical bars, after pacing (default 60 s). */
  historicalTimeoutMs?: number;
  /** Zone of IB times written without one (the gateway login's zone; default America/New_York). */
  brokerTimeZone?: string;
  instrument?: Instrument;
  /** Default stale limit for subscribeBars (seconds, default 15). */
  staleAfterSeconds?: number;
  pacing?: PacingRules;
  /** Called when an event listener throws (the listener's error never reaches the broker code). */
  onListenerError?: (event: string, err: unknown) => void;
}

export class IbkrBroker implements BrokerPort {
  private readonly clock: Clock;
  private readonly events: TypedEmitter<BrokerEventMap>;
  private readonly session: IbSession;
  private readonly ids = new OrderIdAllocator();
  private readonly book: QueryBook;
  private readonly queries: IbQueries;
  private readonly subs: BarSubscriptions;
  private readonly inbound: IbInbound;
  private venueOffsetMs = 0;
  private venueKnown: { promise: Promise<void>; resolve: () => void } = settledGate();
  private readonly waiters = new Set<{ resolve: () => void; reject: (e: BrokerError) => void }>();

  constructor(private readonly opts: IbkrOptions) {
    if (!Number.isInteger(opts.clientId) || opts.clientId < 0) throw new Error(`client id must be a whole number of 0 or more, got ${opts.clientId}`);
    if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65_535) throw new Error(`port must be 1-65535, got ${opts.port}`);
    this.clock = opts.clock ?? systemClock;
    this.events = new TypedEmitter<BrokerEventMap>((e, err) => opts.onListenerError?.(String(e), err));
    this.book = new QueryBook(this.clock);
    this.subs = new BarSubscriptions(this.clock, this.events, () => this.book.reqId());
    this.queries = new IbQueries({
      clock: this.clock,
      book: this.book,
      pacing: new PacedQueue(new PacingLimiter(this.clock, opts.pacing ?? IB_HISTORICAL_PACING), this.clock),
      client: () => this.requireClient(),
      venueNowSeconds: () => Math.floor((this.clock.now() + this.venueOffsetMs) / 1000),
      instrument: opts.instrument ?? { symbol: 'MES', exchange: 'CME', currency: 'USD' },
      brokerTimeZone: opts.brokerTimeZone ?? 'America/New_York',
      queryTimeoutMs: opts.queryTimeoutMs ?? 10_000,
      historicalTimeoutMs: opts.historicalTimeoutMs ?? 60_000,
      commissionFor: (execId) => this.inbound.commissionFor(execId),
    });
    this.inbound = new IbInbound({
      clientId: opts.clientId,
      brokerTimeZone: opts.brokerTimeZone ?? 'America/New_York',
      ids: this.ids,
      book: this.book,
      queries: this.queries,
      subs: this.subs,
      events: this.events,
      onCurrentTime: (t) => {
        this.venueOffsetMs = t * 1000 - this.clock.now();
        this.venueKnown.resolve();
      },
    });
    this.session = new IbSession(
      {
        endpoint: { host: opts.host, port: opts.port, clientId: opts.clientId },
        clock: this.clock,
        backoff: { ...DEFAULT_BACKOFF, ...opts.backoff },
        liveness: { ...DEFAULT_LIVENESS, ...opts.liveness },
        connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      },
      {
        attach: (api) => this.inbound.attach(api),
        up: (api, id) => this.up(api, id),
        down: () => this.down(),
        linkLost: () => this.subs.linkLost(),
        linkRestored: (dataLost) => {
          if (dataLost) this.subs.renewAll();
        },
        brokerMessage: (id, code, text) => this.inbound.route(id, code, text),
        state: (s) => this.onState(s),
      },
    );
  }

  // ---- connection ----

  connect(): Promise<void> {
    if (this.session.state().canTrade) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      const w = { resolve, reject };
      this.waiters.add(w);
      const limit = this.opts.firstConnectTimeoutMs ?? 30_000;
      const cancel = this.clock.setTimeout(() => {
        if (!this.waiters.delete(w)) return;
        reject(new BrokerError('timeout', `Not connected after ${Math.round(limit / 1000)} s: ${this.session.state().message}`));
      }, limit);
      w.resolve = () => (cancel(), resolve());
      w.reject = (e) => (cancel(), reject(e));
    });
    this.session.start();
    return done;
  }

  disconnect(): Promise<void> {
    this.session.stop();
    for (const w of [...this.waiters]) w.reject(new BrokerError('disconnected', 'disconnect() was called before the connection was up'));
    this.waiters.clear();
    return Promise.resolve();
  }

  connectionState(): ConnectionState {
    return this.session.state();
  }

  on<E extends BrokerEventName>(event: E, listener: (payload: BrokerEventMap[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  // ---- market data ----

  resolveFrontMonth(rollDaysBeforeExpiry: number): Promise<ContractRef> {
    // The roll decision uses the venue's date, so wait (briefly) for the gateway's clock of this session.
    return this.attempt(() => this.venueClock().then(() => this.queries.resolveFrontMonth(rollDaysBeforeExpiry)));
  }

  subscribeBars(contract: ContractRef, barSeconds: number, options?: SubscribeBarsOptions): BarSubscription {
    return this.subs.add(contract, barSeconds, options?.staleAfterSeconds ?? this.opts.staleAfterSeconds ?? 15);
  }

  historicalBars(request: HistoricalBarsRequest): Promise<Bar[]> {
    return this.attempt(() => this.queries.historicalBars(request));
  }

  // ---- orders ----

  placeBracket(r: BracketRequest): Promise<BracketIds> {
    return this.attempt(() => {
      const errs = validateBracket(r);
      if (errs.length > 0) throw new BrokerError('invalid-request', `Bracket ${r.orderRef} not sent: ${errs.join('; ')}`);
      const api = this.requireTrading(`bracket ${r.orderRef}`);
      const [entry, tp, sl] = this.ids.take(3) as [number, number, number];
      const { orders, ocaGroup } = bracketOrders(r, [entry, tp, sl], this.session.state().account);
      const contract = ibContract(r.contract);
      for (const o of orders) this.inbound.rememberOrderRef(o.orderId, o.order.orderRef ?? r.orderRef);
      for (const o of orders) api.placeOrder(o.orderId, contract, o.order);
      return Promise.resolve({ entry, takeProfit: tp, stopLoss: sl, ocaGroup, orderRefs: refs(r.orderRef) });
    });
  }

  placeOrder(r: SingleOrderRequest): Promise<number> {
    return this.attempt(() => {
      const errs = validateSingle(r);
      if (errs.length > 0) throw new BrokerError('invalid-request', `Order ${r.orderRef} not sent: ${errs.join('; ')}`);
      const api = this.requireTrading(`order ${r.orderRef}`);
      const [id] = this.ids.take(1) as [number];
      const o = singleOrder(r, id, this.session.state().account);
      this.inbound.rememberOrderRef(id, r.orderRef);
      api.placeOrder(id, ibContract(r.contract), o.order);
      return Promise.resolve(id);
    });
  }

  cancelOrder(orderId: number): Promise<void> {
    return this.attempt(() => {
      if (!Number.isInteger(orderId) || orderId <= 0) throw new BrokerError('invalid-request', `order id to cancel must be a whole number above 0, got ${orderId}`);
      this.requireClient().cancelOrder(orderId);
      return Promise.resolve();
    });
  }

  cancelAll(): Promise<void> {
    return this.attempt(() => {
      this.requireClient().reqGlobalCancel();
      return Promise.resolve();
    });
  }

  openOrders(): Promise<OpenOrderEvent[]> {
    return this.attempt(() => this.queries.openOrders());
  }

  positions(): Promise<PositionReport[]> {
    return this.attempt(() => this.queries.positions());
  }

  executions(sinceTime?: number): Promise<ExecutionReport[]> {
    return this.attempt(() => this.queries.executions(sinceTime));
  }

  // ---- diagnostics (tests, status screen) ----

  /** Real-time bar requests open at the broker (one per subscription when healthy). */
  openBarRequests(): number {
    return this.subs.openRequests();
  }

  /** The order id the next order would get (null before the first login). */
  nextOrderId(): number | null {
    return this.ids.peek();
  }

  // ---- internals ----

  /** Runs a command, turning a synchronous throw into a rejection. */
  private attempt<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return fn();
    } catch (err) {
      return Promise.reject(err instanceof BrokerError ? err : new BrokerError('invalid-request', err instanceof Error ? err.message : String(err)));
    }
  }

  private requireClient(): IBApi {
    const api = this.session.client();
    if (api === null) throw new BrokerError('not-connected', `Not connected to IB Gateway (${this.session.state().message})`);
    return api;
  }

  private requireTrading(what: string): IBApi {
    const api = this.requireClient();
    const s = this.session.state();
    if (!s.canTrade) throw new BrokerError('not-connected', `${what} not sent: ${s.message}`);
    return api;
  }

  private onState(s: ConnectionState): void {
    if (s.canTrade) {
      for (const w of [...this.waiters]) w.resolve();
      this.waiters.clear();
    }
    this.events.emit('connection', s);
  }

  /** Resolves once this session's currentTime answer arrived, or after 2 s (then our own clock is used). */
  private venueClock(): Promise<void> {
    this.requireClient();
    const gate = this.venueKnown.promise;
    return new Promise<void>((resolve) => {
      const cancel = this.clock.setTimeout(resolve, 2_000);
      void gate.then(() => (cancel(), resolve()));
    });
  }

  private up(api: IBApi, nextValidId: number): void {
    this.ids.observeNextValidId(nextValidId);
    this.venueKnown = openGate();
    api.reqCurrentTime(); // learn the venue's clock (a simulator may run in its own time)
    this.subs.setChannel({
      request: (reqId, contract) => api.reqRealTimeBars(reqId, ibContract(contract), 5, WhatToShow.TRADES, false),
      cancel: (reqId) => api.cancelRealTimeBars(reqId),
    });
  }

  private down(): void {
    this.subs.setChannel(null);
    this.book.failAll(new BrokerError('disconnected', `the connection to IB Gateway was lost before the answer came`));
  }
}

function openGate(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function settledGate(): { promise: Promise<void>; resolve: () => void } {
  return { promise: Promise.resolve(), resolve: () => undefined };
}
