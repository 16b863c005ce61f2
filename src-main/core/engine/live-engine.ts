// The live engine: broker bars -> the native decision core -> pre-trade guards -> order manager -> broker, and
// broker fills back into the core. One engine per connection to one account. The core's snapshot is saved on every
// change (and in the same transaction as any order intent), so a restart resumes exactly: position, breakers,
// pause and HALTED included. Trader commands (flatten, pause, resume, adopt) arrive here from the UI, the CLI and
// Telegram alike.
import type { Config } from '../config/schema';
import { cmeTradingDay } from '../native/index';
import { createLiveCore, restoreLiveCore, type CoreIntent, type LiveCore } from '../native/live-core';
import { AuditRepo } from '../store/audit-repo';
import { BarsRepo } from '../store/bars-repo';
import type { Db } from '../store/db';
import { ExecutionsRepo } from '../store/executions-repo';
import { OrdersRepo } from '../store/orders-repo';
import { OutboxRepo } from '../store/outbox-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { TradesRepo } from '../store/trades-repo';
import type { BarSubscription, BrokerPort, ConnectionState, ContractRef, StrategyBarEvent } from '../broker/port';
import { EngineEvents, type AlertView, type RuntimePhase, type TradingMode, type TradingStateView } from './events';
import { LatencyRecorder } from './latency';
import { EntryGuard } from './entry-guard';
import { OrderManager, type ManagedFill } from './order-manager';
import { PositionBook } from './position-book';
import { reconcile, type ReconcileReport } from './reconcile';
import { closingWindow } from './session-window';
import { contracts, fmtUntil, why } from './wording';

export interface LiveEngineOptions {
  broker: BrokerPort;
  db: Db;
  config: Config;
  mode: TradingMode;
  /** Null when orders may be sent; otherwise why not (e.g. LIVE mode not armed). Checked before every entry. */
  tradingBlockedBy: () => string | null;
  /** Wall clock, epoch seconds. */
  now?: () => number;
  /** Seconds without an acknowledgement before a targeted query looks for an order (default 10). */
  ackTimeoutS?: number;
  /** Seconds the connection may stay down before a second, louder alert (default 120). */
  reconnectAlertS?: number;
  /** Historical bars fed to the strategy before trading (default: 3 x the lookback). */
  warmUpBars?: number;
}

export interface CommandOutcome {
  accepted: boolean;
  message: string;
}

/** A pause the trader ends by hand: the core wants an end time, this one is beyond any session. */
const UNTIL_RESUMED = 4_102_444_800; // 2100-01-01

const exitSide = (position: number) => (position > 0 ? 'SELL' : 'BUY') as 'SELL' | 'BUY';

export class LiveEngine {
  readonly events = new EngineEvents();
  private readonly now: () => number;
  private readonly audit: AuditRepo;
  private readonly orders: OrdersRepo;
  private readonly executions: ExecutionsRepo;
  private readonly snapshots: SnapshotsRepo;
  private readonly trades: TradesRepo;
  private readonly bars: BarsRepo;
  private readonly outbox: OutboxRepo;
  private readonly manager: OrderManager;
  private readonly book: PositionBook;
  private readonly guard: EntryGuard;
  private readonly latency = new LatencyRecorder();
  private core: LiveCore;
  private contract: ContractRef | null = null;
  private subscription: BarSubscription | null = null;
  private phase: RuntimePhase = 'stopped';
  private blocked: { reason: string; message: string } | null = null;
  private lastBar: StrategyBarEvent['bar'] | null = null;
  private lastDataAt: number | null = null;
  private refusalIndex = 0;
  private busy: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private ackTimer: NodeJS.Timeout | null = null;
  private lastReport: ReconcileReport | null = null;
  private started = false;
  private wasUp = false;
  private lastConnPhase: string | null = null;
  private downTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: LiveEngineOptions) {
    this.now = o.now ?? (() => Date.now() / 1000);
    const db = o.db;
    this.audit = new AuditRepo(db);
    this.orders = new OrdersRepo(db, this.now);
    this.executions = new ExecutionsRepo(db);
    this.snapshots = new SnapshotsRepo(db, this.now);
    this.trades = new TradesRepo(db);
    this.bars = new BarsRepo(db);
    this.outbox = new OutboxRepo(db);
    const r = o.config.risk;
    this.guard = new EntryGuard(this.audit, { maxOrdersPerMinute: r.maxOrdersPerMinute, maxPosition: r.maxPosition, priceCollarPoints: r.priceCollarPoints, staleDataSeconds: r.staleDataSeconds });
    this.book = new PositionBook(cmeTradingDay, o.config.risk.commissionPerSideUsd);
    const saved = this.snapshots.latest();
    this.core = saved ? restoreLiveCore(saved.stateJson, o.config) : createLiveCore(o.config);
    if (this.core.strategyReset) this.audit.append('config', 'engine', 'Strategy settings changed since the last run: the strategy starts fresh and warms up again; position, P&L and risk state carried over');
    this.refusalIndex = this.core.refusalsSince(0).length;
    this.manager = new OrderManager({
      broker: o.broker,
      orders: this.orders,
      executions: this.executions,
      audit: this.audit,
      transact: (fn) => db.transaction(fn)(),
      now: this.now,
      onFill: (f) => this.onFill(f),
      onOrder: (order) => {
        this.events.emit({ type: 'order', order });
        this.onOrderSettled(order.orderRef);
      },
      onAnomaly: (m) => this.alert('errors', 'critical', m),
    });
    this.replayBook();
  }

  // ---- lifecycle ----

  /** Connects, reconciles with the broker, warms the strategy up and subscribes to bars. */
  async start(): Promise<ReconcileReport> {
    this.setPhase('starting');
    const b = this.o.broker;
    this.unsubscribe.push(
      b.on('connection', (s) => this.onConnection(s)),
      b.on('bar', (e) => this.background('bar', () => this.onBar(e))),
      b.on('orderStatus', (e) => this.manager.onOrderStatus(e)),
      b.on('openOrder', (e) => this.manager.onOpenOrder(e)),
      b.on('execution', (e) => void this.manager.onExecution(e)),
      b.on('commission', (e) => this.manager.onCommission(e)),
      b.on('orderError', (e) => {
        this.manager.onOrderError(e);
        if (e.code !== 202) this.alert('errors', 'warning', `Broker refused order ${e.orderRef ?? e.orderId}: ${e.message}`);
      }),
      b.on('marketData', (e) => {
        if (e.stale) this.audit.append('connection', 'engine', `Market data stale: ${e.message}`);
      }),
    );
    await b.connect();
    this.contract = await b.resolveFrontMonth(this.o.config.instrument.rollDaysBeforeExpiry);
    this.setPhase('reconciling');
    const report = await this.reconcileNow();
    await this.warmUp(this.contract);
    this.subscription = b.subscribeBars(this.contract, this.o.config.strategy.barSeconds, { staleAfterSeconds: this.o.config.risk.staleDataSeconds });
    this.ackTimer = setInterval(() => this.background('acknowledgement check', () => this.resolveUnacknowledged()), 2_000);
    this.ackTimer.unref();
    this.started = true;
    this.refreshPhase();
    return report;
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.ackTimer) clearInterval(this.ackTimer);
    if (this.downTimer) clearTimeout(this.downTimer);
    this.subscription?.close();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.busy.catch(() => undefined);
    await this.o.broker.disconnect();
    this.setPhase('stopped');
  }

  // ---- trader commands ----

  /** Kill switch: cancel every working order, close the position at market, HALTED until the trader resumes. */
  flatten(actor: string): Promise<CommandOutcome> {
    return this.serial(async (): Promise<CommandOutcome> => {
      this.audit.append('kill_switch', actor, 'Flatten requested');
      if (!this.o.broker.connectionState().canTrade) {
        this.core.halt();
        this.persist();
        const message = `Flatten refused: not connected to the broker (${this.o.broker.connectionState().message}). Trading is HALTED; working orders and the position are unchanged at the broker. Flatten again once connected, or act in TWS.`;
        this.events.emit({ type: 'flatten', flatten: { status: 'refused', message } });
        this.alert('kill_switch', 'critical', message);
        this.refreshPhase();
        return { accepted: false, message };
      }
      const intent = this.core.flatten(this.now());
      this.persist();
      this.events.emit({ type: 'flatten', flatten: { status: 'cancelling', message: 'Cancelling every working order' } });
      await this.o.broker.cancelAll();
      await this.manager.cancelAndWait(this.manager.working().map((w) => w.intent.orderRef), 5_000, false);
      const position = await this.brokerPosition();
      if (position !== 0 && this.contract) {
        this.events.emit({ type: 'flatten', flatten: { status: 'closing', message: `Closing ${contracts(position)} at market` } });
        const sent = await this.manager.placeMarket(
          { intentId: this.intentId(intent ?? null, 'flatten'), role: 'flatten', contract: this.contract, side: exitSide(position), qty: Math.abs(position) },
          () => this.persist(),
        );
        if (!sent.ok) {
          const message = `Flatten failed: the closing order was not sent (${sent.message}). Trading is HALTED.`;
          this.events.emit({ type: 'flatten', flatten: { status: 'failed', message } });
          this.alert('kill_switch', 'critical', message);
          this.refreshPhase();
          return { accepted: false, message };
        }
      } else if (this.core.status().position) {
        // The broker is flat although the core holds a position (e.g. closed by hand in TWS): the core follows.
        this.closeCorePosition(this.lastBar?.close ?? this.core.status().position?.entryPrice ?? 0, 'flatten');
      }
      this.blocked = null;
      const message = position === 0 ? 'Flattened: no position was open; every working order cancelled. Trading is HALTED until you resume.' : `Flatten sent: closing ${contracts(position)} at market; every working order cancelled. Trading is HALTED until you resume.`;
      this.events.emit({ type: 'flatten', flatten: { status: 'done', message } });
      this.alert('kill_switch', 'critical', message);
      this.refreshPhase();
      return { accepted: true, message };
    });
  }

  pause(actor: string): Promise<CommandOutcome> {
    return this.serial((): Promise<CommandOutcome> => {
      this.core.pause(UNTIL_RESUMED);
      this.persist();
      this.audit.append('command', actor, 'Paused: no new entries; exits and brackets keep working');
      this.alert('kill_switch', 'warning', 'Trading PAUSED by the trader: no new entries until you resume; exits and brackets keep working.');
      this.refreshPhase();
      return Promise.resolve({ accepted: true, message: 'Paused: no new entries until you resume. Exits and brackets keep working.' });
    });
  }

  resume(actor: string): Promise<CommandOutcome> {
    return this.serial((): Promise<CommandOutcome> => {
      if (this.blocked) {
        const message = `Resume refused: ${this.blocked.message}. Choose adopt or flatten first.`;
        this.audit.append('command', actor, message);
        return Promise.resolve({ accepted: false, message });
      }
      this.core.resume();
      this.persist();
      this.audit.append('command', actor, 'Resumed: new entries allowed');
      this.alert('kill_switch', 'info', 'Trading RESUMED by the trader.');
      this.refreshPhase();
      return Promise.resolve({ accepted: true, message: 'Resumed: new entries allowed.' });
    });
  }

  /** After a reconciliation mismatch: take the broker's position over as the app's own (with a fresh bracket). */
  adopt(actor: string): Promise<CommandOutcome> {
    return this.serial(async (): Promise<CommandOutcome> => {
      if (!this.blocked || !this.lastReport || !this.contract) return { accepted: false, message: 'Nothing to adopt: the records match the broker.' };
      const r = this.lastReport;
      const qty = r.brokerPosition - r.appPosition;
      if (r.appPosition !== 0 || qty === 0 || r.brokerAvgPrice === null) {
        return { accepted: false, message: `Adopt is only possible when this app holds nothing and the broker holds a position (broker ${r.brokerPosition}, app ${r.appPosition}); flatten instead.` };
      }
      let pos;
      try {
        pos = this.core.adopt(qty > 0 ? 'long' : 'short', Math.abs(qty), r.brokerAvgPrice, this.now());
      } catch (err) {
        return { accepted: false, message: `Adopt refused: ${err instanceof Error ? err.message : String(err)}` };
      }
      this.book.restore({ position: qty, avgPrice: r.brokerAvgPrice, tradingDay: cmeTradingDay(this.now()), realizedUsd: this.book.view().realizedUsd, commissionsUsd: this.book.view().commissionsUsd });
      this.blocked = null;
      this.core.resume();
      this.persist();
      const message = `Adopted ${pos.side} ${pos.qty} ${this.contract.localSymbol} at ${pos.entryPrice.toFixed(2)} (stop ${pos.stop.toFixed(2)}, target ${pos.target.toFixed(2)} managed by the strategy). Trading resumed.`;
      this.audit.append('reconciliation', actor, message, r);
      this.alert('kill_switch', 'warning', message);
      this.refreshPhase();
      return { accepted: true, message };
    });
  }

  // ---- views ----

  state(): TradingStateView {
    const s = this.core.status();
    const p = this.phase;
    const message =
      p === 'blocked'
        ? `Trading blocked: ${this.blocked?.message ?? ''}. Choose adopt or flatten.`
        : p === 'halted'
          ? `HALTED ${why(s.reason)}${s.until ? ` until ${fmtUntil(s.until)}` : ' until you resume'}`
          : p === 'paused'
            ? `PAUSED ${why(s.reason)}${s.until && s.until < UNTIL_RESUMED ? ` until ${fmtUntil(s.until)}` : ' until you resume'}`
            : p === 'active'
              ? 'Trading: entries allowed'
              : p;
    return { phase: p, reason: this.blocked?.reason ?? s.reason ?? null, until: s.until !== null && s.until !== undefined && s.until < UNTIL_RESUMED ? s.until : null, message };
  }

  /** The traded contract's local symbol (e.g. MESZ6), once resolved. */
  symbol(): string | null {
    return this.contract?.localSymbol ?? null;
  }

  snapshot() {
    return {
      mode: this.o.mode,
      state: this.state(),
      connection: this.o.broker.connectionState(),
      contract: this.contract,
      core: this.core.status(),
      pnl: this.book.view(),
      latency: this.latency.stats(),
      orders: this.manager.views().slice(-50),
      reconciliation: this.lastReport,
    };
  }

  // ---- internals: bars and intents ----

  private async onBar(e: StrategyBarEvent): Promise<void> {
    const arrived = performance.now();
    const bar = e.bar;
    this.lastBar = bar;
    this.lastDataAt = this.now();
    this.book.mark(bar.close, bar.time);
    this.bars.upsertMany(this.contract?.localSymbol ?? 'MES', this.o.config.strategy.barSeconds, {
      time: Float64Array.of(bar.time),
      open: Float64Array.of(bar.open),
      high: Float64Array.of(bar.high),
      low: Float64Array.of(bar.low),
      close: Float64Array.of(bar.close),
      volume: Float64Array.of(bar.volume),
    });
    this.events.emit({ type: 'bar', bar });
    const intent = this.core.onBar(bar);
    this.reportRefusals();
    this.persist();
    this.events.emit({ type: 'pnl', pnl: this.book.view() });
    if (intent) await this.carryOut(intent, bar.close, bar.time + this.o.config.strategy.barSeconds, arrived, e.partial);
    this.refreshPhase();
  }

  private async carryOut(intent: CoreIntent, refPrice: number, closeTime: number, arrived: number, partialBar: boolean): Promise<void> {
    if (!this.contract) return;
    if (intent.kind === 'exit') {
      await this.closePosition(intent, 'exit');
      return;
    }
    const side = intent.side === 'long' ? 'BUY' : 'SELL';
    const qty = intent.qty ?? this.o.config.risk.quantity;
    const risk = this.o.config.risk;
    // The broker's bracket follows the core's own rule, from the bar close (the fill price is not known yet).
    const { stop, target } = this.core.bracketFor(intent.side ?? 'long', refPrice);
    const conn = this.o.broker.connectionState();
    const stale = this.subscription?.isStale() ?? true;
    const guard = this.guard.check(
      { side, qty, type: 'MKT', limitPrice: null, stopPrice: null, opening: true },
      {
        now: this.now(),
        lastPrice: refPrice,
        // A partial bar (a gap in the 5-second bars) or a stale subscription counts as stale data.
        lastDataAt: stale || partialBar ? (this.lastDataAt ?? 0) - 10 * risk.staleDataSeconds : this.lastDataAt,
        connected: conn.canTrade,
        exposure: this.book.view().position + this.workingEntryQty(),
        tradingState: this.core.status().state as 'active' | 'paused' | 'halted',
        tradingBlockedBy: this.blocked ? this.blocked.message : this.o.tradingBlockedBy(),
        sessionClosingIn: closingWindow(closeTime, this.o.config.tradingHours),
      },
    );
    if (!guard.ok) {
      this.core.onRejected();
      this.persist();
      this.events.emit({ type: 'refusal', refusal: { reason: guard.reason, message: guard.message, orderRef: null } });
      return;
    }
    const intentId = this.intentId(intent, 'enter');
    const sent = await this.manager.placeBracket({ intentId, contract: this.contract, side, qty, stopPrice: stop, targetPrice: target }, () => this.persist());
    this.latency.record(performance.now() - arrived);
    this.events.emit({ type: 'latency', latency: this.latency.stats() });
    if (!sent.ok) {
      this.core.onRejected();
      this.persist();
      this.refuse('not_sent', `Entry not sent: ${sent.message}`, `${intentId}:entry`);
      return;
    }
    this.audit.append('order', 'engine', `Bracket sent: ${side} ${qty} ${this.contract.localSymbol} at market, stop ${stop.toFixed(2)}, target ${target.toFixed(2)}`, { intentId });
  }

  /** Cancels the bracket's exits, then closes what the broker still holds at market. */
  private async closePosition(intent: CoreIntent, role: 'exit' | 'flatten'): Promise<void> {
    if (!this.contract) return;
    const exits = this.manager.working().filter((w) => w.intent.role === 'target' || w.intent.role === 'stop');
    const still = await this.manager.cancelAndWait(exits.map((w) => w.intent.orderRef));
    const position = this.book.view().position;
    if (still.length > 0 || position === 0 || !this.o.broker.connectionState().canTrade) {
      // A child filled in the race (position already closed), or the cancel is not confirmed yet: sending a
      // market order now could open a position the other way. The core retries the exit on the next bar.
      if (position !== 0) {
        this.core.onRejected();
        this.persist();
        this.refuse('exit_deferred', `Exit deferred: ${still.length > 0 ? 'the bracket cancel is not confirmed yet' : 'not connected to the broker'}; retried on the next bar`, null);
      }
      return;
    }
    const sent = await this.manager.placeMarket(
      { intentId: this.intentId(intent, role), role, contract: this.contract, side: exitSide(position), qty: Math.abs(position) },
      () => this.persist(),
    );
    if (!sent.ok) {
      this.core.onRejected();
      this.persist();
      this.alert('errors', 'critical', `Exit not sent: ${sent.message}. The position (${position} contracts) is still open; its stop and target were cancelled. Retrying on the next bar.`);
    }
  }

  private onFill(f: ManagedFill): void {
    this.book.apply({ side: f.side, qty: f.qty, price: f.price, time: f.time, commission: null });
    this.events.emit({ type: 'fill', fill: { execId: f.execId, orderRef: f.orderRef, side: f.side, qty: f.qty, price: f.price, time: f.time } });
    this.alert('fills', 'info', `Filled: ${f.side === 'BOT' ? 'bought' : 'sold'} ${f.qty} ${this.contract?.localSymbol ?? 'MES'} at ${f.price.toFixed(2)} (${f.role})`);
    const status = this.core.status();
    if (f.role === 'entry') {
      if (f.orderComplete && status.pending?.kind === 'enter') {
        this.core.onEntryFill(f.orderAvgPrice, f.time, this.lastBar?.time ?? f.time);
      } else if (f.orderComplete && !status.position) {
        // The entry filled although the core had given it up (e.g. its ack came late): the position is real.
        const p = this.book.view().position;
        if (p !== 0) this.core.adopt(p > 0 ? 'long' : 'short', Math.abs(p), f.orderAvgPrice, f.time);
      }
    } else if (this.book.view().position === 0 && status.position) {
      const reason = f.role === 'target' ? 'target' : f.role === 'stop' ? 'stop' : f.role === 'flatten' ? 'flatten' : (status.pending?.reason ?? 'signal');
      this.closeCorePosition(f.orderAvgPrice, reason, f.time);
      // The other exit of the bracket is cancelled by its OCA group at the broker.
    }
    this.persist();
    this.events.emit({ type: 'pnl', pnl: this.book.view() });
    this.refreshPhase();
  }

  private closeCorePosition(price: number, reason: string, time = this.now()): void {
    const trade = this.core.onExitFill(price, time, reason);
    if (!trade) return;
    const day = cmeTradingDay(time);
    this.trades.record({ side: trade.side as 'long' | 'short', qty: trade.qty, entryTime: trade.entryTime, entryPrice: trade.entryPrice, exitTime: trade.exitTime, exitPrice: trade.exitPrice, pnlUsd: trade.pnl, commissionUsd: 2 * this.o.config.risk.commissionPerSideUsd * trade.qty, exitReason: trade.exitReason, tradingDay: day });
    const points = ((trade.exitPrice - trade.entryPrice) * (trade.side === 'long' ? 1 : -1));
    this.events.emit({ type: 'trade', trade: { side: trade.side as 'long' | 'short', qty: trade.qty, entryTime: trade.entryTime, entryPrice: trade.entryPrice, exitTime: trade.exitTime, exitPrice: trade.exitPrice, pnlUsd: trade.pnl, pnlPoints: points, exitReason: trade.exitReason, tradingDay: day } });
    this.alert('trades', trade.pnl < 0 ? 'warning' : 'info', `Trade closed (${trade.exitReason}): ${trade.side} ${trade.qty} from ${trade.entryPrice.toFixed(2)} to ${trade.exitPrice.toFixed(2)}, ${points.toFixed(2)} points, ${trade.pnl >= 0 ? '+' : '-'}$${Math.abs(trade.pnl).toFixed(2)}`);
    const after = this.core.status();
    if (after.state !== 'active' && after.reason && after.reason !== 'kill_switch' && after.reason !== 'paused') {
      this.alert('risk', 'critical', `Circuit breaker: trading ${after.state.toUpperCase()} ${why(after.reason)}${after.until ? ` until ${fmtUntil(after.until)}` : ' until you resume it'}`);
    }
  }

  /** An entry or exit order ended without a fill: the core gives the decision up (and may decide again). */
  private onOrderSettled(orderRef: string): void {
    const m = this.manager.get(orderRef);
    if (!m || m.tracked.filled > 0) return;
    if (!['Rejected', 'Cancelled', 'Inactive'].includes(m.tracked.state)) return;
    const pending = this.core.status().pending;
    if (!pending) return;
    const role = m.intent.role;
    if ((role === 'entry' && pending.kind === 'enter') || ((role === 'exit' || role === 'flatten') && pending.kind === 'exit')) {
      this.core.onRejected();
      this.persist();
    }
  }

  private async resolveUnacknowledged(): Promise<void> {
    const stuck = this.manager.unacknowledged(this.o.ackTimeoutS ?? 10);
    if (stuck.length === 0 || !this.o.broker.connectionState().canTrade) return;
    const [open, execs] = await Promise.all([this.o.broker.openOrders(), this.o.broker.executions()]);
    for (const e of execs) {
      this.manager.onExecution(e);
      if (e.commission) this.manager.onCommission(e.commission);
    }
    for (const s of stuck) {
      const found = open.find((o) => o.orderRef === s.intent.orderRef);
      if (found) this.manager.onOpenOrder(found);
      else if (s.tracked.filled === 0) this.manager.markNotFound(s.intent.orderRef, `no acknowledgement after ${this.o.ackTimeoutS ?? 10} s and not found at the broker`);
      this.audit.append('order', 'engine', `Order ${s.intent.orderRef} had no acknowledgement; targeted query ${found ? 'found it working' : 'did not find it'}`);
    }
  }

  // ---- internals: reconciliation and warm-up ----

  private async reconcileNow(): Promise<ReconcileReport> {
    const contract = this.contract as ContractRef;
    const since = this.executions.lastTime();
    const report = await reconcile(this.o.broker, this.manager, contract, () => this.book.view().position, since === null ? undefined : since - 3600);
    this.lastReport = report;
    this.audit.append('reconciliation', 'engine', report.mismatches.length === 0 ? 'Startup reconciliation: records match the broker' : `Startup reconciliation: ${report.mismatches.join('; ')}`, report);
    if (report.mismatches.length > 0) {
      this.core.halt();
      this.blocked = { reason: 'reconciliation_mismatch', message: report.mismatches.join('; ') };
      this.persist();
      this.alert('kill_switch', 'critical', `Trading blocked at startup: ${this.blocked.message}. Choose adopt or flatten.`);
    }
    return report;
  }

  private async warmUp(contract: ContractRef): Promise<void> {
    const c = this.o.config.strategy;
    const lookback = c.name === 'zscore' ? c.zscore.lookback : c.name === 'bollinger' ? c.bollinger.period : c.rsi.period;
    const n = this.o.warmUpBars ?? Math.max(lookback * 3, 300);
    if (n <= 0) return;
    try {
      const history = await this.o.broker.historicalBars({ contract, barSeconds: c.barSeconds, durationSeconds: n * c.barSeconds });
      for (const b of history.slice(-n)) this.core.warmUp(b.close);
      this.events.emit({ type: 'history', bars: history });
      this.lastBar = history.at(-1) ?? null;
      if (this.lastBar) this.book.mark(this.lastBar.close, this.lastBar.time);
      this.persist();
      this.audit.append('command', 'engine', `Strategy warmed up on ${history.length} historical bars`);
    } catch (err) {
      this.alert('errors', 'warning', `Historical bars unavailable (${err instanceof Error ? err.message : String(err)}); the strategy warms up on live bars`);
    }
  }

  /** The book from every recorded fill of this app's orders (restart). */
  private replayBook(): void {
    for (const f of this.executions.ours()) this.book.apply(f);
  }

  // ---- internals: helpers ----

  private onConnection(s: ConnectionState): void {
    this.events.emit({ type: 'connection', connection: { connected: s.canTrade, detail: s.message } });
    if (s.phase !== this.lastConnPhase) this.audit.append('connection', 'engine', s.message, { phase: s.phase, code: s.code });
    this.lastConnPhase = s.phase;
    if (s.canTrade) {
      if (this.downTimer) clearTimeout(this.downTimer);
      this.downTimer = null;
      if (!this.wasUp && this.started) {
        this.alert('connection', 'info', `Broker connection back: ${s.message}. Checking orders, fills and the position against the broker.`);
        this.background('check after reconnect', () => this.reconcileAfterReconnect());
      }
      this.wasUp = true;
      return;
    }
    if (s.phase === 'connecting' || !this.wasUp) return;
    this.wasUp = false;
    this.alert('connection', 'critical', `Broker connection lost: ${s.message}. No new orders until it is back.`);
    const limit = this.o.reconnectAlertS ?? 120;
    this.downTimer = setTimeout(() => {
      this.downTimer = null;
      if (!this.o.broker.connectionState().canTrade) {
        this.alert('connection', 'critical', `The broker connection has not come back for ${Math.round(limit / 60) >= 1 ? `${Math.round(limit / 60)} min` : `${limit} s`} (${this.o.broker.connectionState().message}). Check IB Gateway; working orders stay at the broker.`);
      }
    }, limit * 1000);
    this.downTimer.unref();
  }

  /** After a reconnect: fills made during the gap are recorded once, orders re-matched, the position re-checked. */
  private async reconcileAfterReconnect(): Promise<void> {
    if (!this.contract || !this.o.broker.connectionState().canTrade) return;
    try {
      const before = this.lastReport?.mismatches.length ?? 0;
      const report = await this.reconcileNow();
      if (report.newFills > 0) this.events.emit({ type: 'pnl', pnl: this.book.view() });
      if (before > 0 && report.mismatches.length === 0 && this.blocked) this.blocked = null;
      this.refreshPhase();
    } catch (err) {
      this.alert('errors', 'warning', `Check after reconnect failed: ${err instanceof Error ? err.message : String(err)}; retried on the next reconnect`);
    }
  }

  private workingEntryQty(): number {
    return this.manager
      .working()
      .filter((w) => w.intent.role === 'entry')
      .reduce((s, w) => s + (w.intent.side === 'BUY' ? 1 : -1) * (w.intent.qty - w.tracked.filled), 0);
  }

  private async brokerPosition(): Promise<number> {
    if (!this.contract) return this.book.view().position;
    const c = this.contract;
    try {
      const held = await this.o.broker.positions();
      return held.filter((p) => p.conId === c.conId || p.localSymbol === c.localSymbol).reduce((s, p) => s + p.qty, 0);
    } catch {
      return this.book.view().position;
    }
  }

  private intentId(intent: CoreIntent | null, kind: string): string {
    const n = intent ? String(intent.id) : 'x';
    return `qs${n}-${kind}-${Math.floor(this.now() * 1000).toString(36)}`;
  }

  private reportRefusals(): void {
    const list = this.core.refusalsSince(this.refusalIndex);
    this.refusalIndex += list.length;
    for (const [, reason] of list) this.refuse(reason, `New entry refused by the risk rules: ${reason.replaceAll('_', ' ')}`, null);
  }

  private refuse(reason: string, message: string, orderRef: string | null): void {
    this.audit.append('order_refused', 'engine', message, { reason, orderRef });
    this.events.emit({ type: 'refusal', refusal: { reason, message, orderRef } });
  }

  private alert(category: AlertView['category'], level: AlertView['level'], text: string): void {
    this.outbox.enqueue(category, level, text);
    this.events.emit({ type: 'alert', alert: { category, level, text } });
  }

  /** The core's state, saved after every change (restored exactly after a restart). */
  private persist(): void {
    this.snapshots.save(this.core.snapshot());
  }

  private refreshPhase(): void {
    if (this.phase === 'stopped' || this.phase === 'starting' || this.phase === 'reconciling') {
      if (this.phase !== 'reconciling' || this.subscription === null) return;
    }
    const s = this.core.status().state;
    this.setPhase(this.blocked ? 'blocked' : s === 'halted' ? 'halted' : s === 'paused' ? 'paused' : 'active');
  }

  private setPhase(p: RuntimePhase): void {
    if (p === this.phase) return;
    this.phase = p;
    this.events.emit({ type: 'state', state: this.state() });
  }

  /** Queues work nobody awaits: a failure becomes an alert, never an unhandled rejection that ends the process. */
  private background(what: string, fn: () => Promise<void>): void {
    this.serial(fn).catch((err: unknown) => {
      this.alert('errors', 'critical', `Engine error in ${what}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Bars, commands and the ack check run one at a time, in arrival order. */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.busy.then(fn);
    this.busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
