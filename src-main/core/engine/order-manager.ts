// The order manager: the only code that sends orders. Every order is written to the database (state 'intent')
// before it is handed to the broker, so a crash at any point leaves a record that startup reconciliation resolves
// against the broker by orderRef. Broker messages update each order through the state machine in order-state.ts;
// executions count once per execId (the database's primary key decides), so a resend after a reconnect never
// doubles a position. Nothing is ever resubmitted automatically: an order whose fate is unknown stays in flight
// until a targeted query (open orders + executions) settles it.
import type { AuditRepo } from '../store/audit-repo';
import type { ExecutionsRepo } from '../store/executions-repo';
import type { OrderIntent, OrderRole, OrdersRepo } from '../store/orders-repo';
import type { BrokerPort, CommissionEvent, ContractRef, ExecutionEvent, OpenOrderEvent, OrderErrorEvent, OrderSide, OrderStatusEvent } from '../broker/port';
import { applyOrderEvent, isTerminal, newOrder, type OrderEvent, type OrderState, type TrackedOrder } from './order-state';
import type { OrderView } from './events';

export interface ManagedOrder {
  intent: OrderIntent;
  tracked: TrackedOrder;
  sentAt: number | null;
}

/** One distinct execution of one of our orders, as the engine needs it. */
export interface ManagedFill {
  execId: string;
  orderRef: string;
  intentId: string;
  role: OrderRole;
  side: 'BOT' | 'SLD';
  qty: number;
  price: number;
  time: number;
  /** The order is now completely filled. */
  orderComplete: boolean;
  /** Volume-weighted average price of the order's fills so far. */
  orderAvgPrice: number;
}

export interface OrderManagerDeps {
  broker: BrokerPort;
  orders: OrdersRepo;
  executions: ExecutionsRepo;
  audit: AuditRepo;
  /** Runs `fn` in one database transaction (the intent rows and the core snapshot are written together). */
  transact: (fn: () => void) => void;
  /** Epoch seconds (wall clock). */
  now: () => number;
  onFill: (f: ManagedFill) => void;
  onOrder: (o: OrderView) => void;
  onAnomaly: (message: string) => void;
}

export type SendResult = { ok: true; orderRefs: string[] } | { ok: false; message: string };

export class OrderManager {
  private readonly byRef = new Map<string, ManagedOrder>();
  private readonly refByBrokerId = new Map<number, string>();

  constructor(private readonly d: OrderManagerDeps) {}

  /** Loads every order the database still considers open (after a restart). */
  load(): ManagedOrder[] {
    for (const row of this.d.orders.open()) {
      const tracked: TrackedOrder = {
        ...newOrder(row.orderRef, row.qty),
        state: row.state as OrderState,
        filled: row.filledQty,
        avgPrice: row.avgFillPrice,
        brokerFilled: row.filledQty,
        brokerOrderId: row.brokerOrderId,
        permId: row.permId,
        execIds: this.d.executions.forOrder(row.orderRef).map((e) => e.execId),
      };
      this.byRef.set(row.orderRef, { intent: row, tracked, sentAt: row.updatedAt });
      if (row.brokerOrderId !== null) this.refByBrokerId.set(row.brokerOrderId, row.orderRef);
    }
    return [...this.byRef.values()];
  }

  get(orderRef: string): ManagedOrder | undefined {
    return this.byRef.get(orderRef);
  }

  /** Orders not in a terminal state. */
  working(): ManagedOrder[] {
    return [...this.byRef.values()].filter((o) => !isTerminal(o.tracked.state));
  }

  /**
   * Entry + take-profit + stop. `persistWith` runs in the same transaction as the intent rows (the engine writes
   * its core snapshot there), so a restart never sees one without the other.
   */
  async placeBracket(
    p: { intentId: string; contract: ContractRef; side: OrderSide; qty: number; stopPrice: number; targetPrice: number },
    persistWith: () => void,
  ): Promise<SendResult> {
    const exitSide: OrderSide = p.side === 'BUY' ? 'SELL' : 'BUY';
    const ref = (suffix: string) => `${p.intentId}:${suffix}`;
    const base = { intentId: p.intentId, symbol: p.contract.localSymbol, qty: p.qty };
    const intents: OrderIntent[] = [
      { ...base, orderRef: ref('entry'), role: 'entry', side: p.side, type: 'MKT', limitPrice: null, stopPrice: null, parentRef: null },
      { ...base, orderRef: ref('tp'), role: 'target', side: exitSide, type: 'LMT', limitPrice: p.targetPrice, stopPrice: null, parentRef: ref('entry') },
      { ...base, orderRef: ref('sl'), role: 'stop', side: exitSide, type: 'STP', limitPrice: null, stopPrice: p.stopPrice, parentRef: ref('entry') },
    ];
    this.record(intents, persistWith);
    try {
      const ids = await this.d.broker.placeBracket({
        contract: p.contract,
        orderRef: p.intentId,
        side: p.side,
        qty: p.qty,
        entry: { type: 'MKT' },
        stopPrice: p.stopPrice,
        targetPrice: p.targetPrice,
      });
      this.sent(ids.orderRefs.entry, ids.entry);
      this.sent(ids.orderRefs.takeProfit, ids.takeProfit);
      this.sent(ids.orderRefs.stopLoss, ids.stopLoss);
      return { ok: true, orderRefs: intents.map((i) => i.orderRef) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const i of intents) this.apply(i.orderRef, { kind: 'rejected', reason: `not sent: ${message}` });
      return { ok: false, message };
    }
  }

  /** One market order that closes (or reduces) the position: a strategy exit or the kill switch. */
  async placeMarket(p: { intentId: string; role: 'exit' | 'flatten'; contract: ContractRef; side: OrderSide; qty: number }, persistWith: () => void): Promise<SendResult> {
    const orderRef = `${p.intentId}:${p.role}`;
    this.record([{ orderRef, intentId: p.intentId, role: p.role, symbol: p.contract.localSymbol, side: p.side, qty: p.qty, type: 'MKT', limitPrice: null, stopPrice: null, parentRef: null }], persistWith);
    try {
      const id = await this.d.broker.placeOrder({ contract: p.contract, orderRef, side: p.side, qty: p.qty, order: { type: 'MKT' } });
      this.sent(orderRef, id);
      return { ok: true, orderRefs: [orderRef] };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.apply(orderRef, { kind: 'rejected', reason: `not sent: ${message}` });
      return { ok: false, message };
    }
  }

  /**
   * Cancels the given working orders and waits until each is terminal (cancelled, or filled in the race), or
   * until `timeoutMs`. Returns the orders still working after the wait.
   */
  async cancelAndWait(orderRefs: readonly string[], timeoutMs = 5_000, sendCancels = true): Promise<ManagedOrder[]> {
    const targets = orderRefs.map((r) => this.byRef.get(r)).filter((o): o is ManagedOrder => o !== undefined && !isTerminal(o.tracked.state));
    for (const o of sendCancels ? targets : []) {
      if (o.tracked.brokerOrderId === null) continue;
      try {
        await this.d.broker.cancelOrder(o.tracked.brokerOrderId);
      } catch (err) {
        this.d.audit.append('order', 'engine', `Cancel of ${o.intent.orderRef} not sent: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && targets.some((o) => !isTerminal(o.tracked.state))) await sleep(25);
    return targets.filter((o) => !isTerminal(o.tracked.state));
  }

  // ---- broker events ----

  onOrderStatus(ev: OrderStatusEvent): void {
    const ref = this.refOf(ev.orderId, ev.orderRef);
    if (ref === null) return;
    this.apply(ref, { kind: 'status', status: ev.status, filled: ev.filled, permId: ev.permId, brokerOrderId: ev.orderId });
  }

  onOpenOrder(ev: OpenOrderEvent): void {
    const ref = this.refOf(ev.orderId, ev.orderRef);
    if (ref === null) return;
    const o = this.byRef.get(ref);
    if (o && o.tracked.brokerOrderId === null) this.sent(ref, ev.orderId);
  }

  onOrderError(ev: OrderErrorEvent): void {
    const ref = this.refOf(ev.orderId, ev.orderRef);
    if (ref === null) return;
    // 202 is IB's confirmation of a cancel, not a failure; the Cancelled status arrives with it.
    if (ev.code === 202) {
      this.apply(ref, { kind: 'status', status: 'Cancelled', filled: this.byRef.get(ref)?.tracked.brokerFilled ?? 0 });
      return;
    }
    this.apply(ref, { kind: 'rejected', reason: `${ev.code} ${ev.message}` });
  }

  /** An execution of one of our orders. Returns true when it was new (not a resend). */
  onExecution(ev: ExecutionEvent): boolean {
    const ref = this.refOf(ev.orderId, ev.orderRef);
    // A fill of an order this app did not place (a manual TWS order) is not ours to book; reconciliation compares
    // the broker's position with ours and stops trading when they differ.
    if (ref === null) return false;
    const fresh = this.d.executions.insert({
      execId: ev.execId,
      orderRef: ref,
      brokerOrderId: ev.orderId,
      side: ev.side === 'BUY' ? 'BOT' : 'SLD',
      qty: ev.qty,
      price: ev.price,
      time: ev.time ?? this.d.now(),
      commission: null,
    });
    if (!fresh) return false;
    const o = this.byRef.get(ref);
    if (!o) return false;
    const t = this.apply(ref, { kind: 'fill', fill: { execId: ev.execId, qty: ev.qty, price: ev.price } });
    if (t?.newFill) {
      this.d.onFill({
        execId: ev.execId,
        orderRef: ref,
        intentId: o.intent.intentId,
        role: o.intent.role,
        side: ev.side === 'BUY' ? 'BOT' : 'SLD',
        qty: ev.qty,
        price: ev.price,
        time: ev.time ?? this.d.now(),
        orderComplete: t.order.filled >= t.order.qty,
        orderAvgPrice: t.order.avgPrice ?? ev.price,
      });
    }
    return true;
  }

  onCommission(ev: CommissionEvent): void {
    this.d.executions.setCommission(ev.execId, ev.commission);
  }

  /** Marks an order the broker does not know (startup reconciliation, or an ack that never came). */
  markNotFound(orderRef: string, reason: string): void {
    this.apply(orderRef, { kind: 'notFound', reason });
  }

  /** Marks an intent that was written but never handed to the broker (the app stopped in between). */
  markNeverSent(orderRef: string): void {
    this.apply(orderRef, { kind: 'rejected', reason: 'never sent: the app stopped before sending it' });
  }

  /** Orders sent more than `olderThanS` ago and never acknowledged (no broker status at all). */
  unacknowledged(olderThanS: number): ManagedOrder[] {
    const now = this.d.now();
    return this.working().filter((o) => o.tracked.state === 'PendingSubmit' && o.sentAt !== null && now - o.sentAt > olderThanS);
  }

  views(): OrderView[] {
    return [...this.byRef.values()].map((o) => this.view(o));
  }

  // ---- internals ----

  private record(intents: OrderIntent[], persistWith: () => void): void {
    this.d.transact(() => {
      this.d.orders.insertIntents(intents);
      persistWith();
    });
    for (const i of intents) {
      this.byRef.set(i.orderRef, { intent: i, tracked: newOrder(i.orderRef, i.qty), sentAt: null });
      this.d.onOrder(this.view(this.byRef.get(i.orderRef) as ManagedOrder));
    }
  }

  private sent(orderRef: string, brokerOrderId: number): void {
    const o = this.byRef.get(orderRef);
    if (!o) return;
    o.sentAt = this.d.now();
    this.refByBrokerId.set(brokerOrderId, orderRef);
    this.apply(orderRef, { kind: 'sent', brokerOrderId });
  }

  private refOf(brokerOrderId: number, orderRef: string | null): string | null {
    if (orderRef !== null && this.byRef.has(orderRef)) {
      if (!this.refByBrokerId.has(brokerOrderId)) this.refByBrokerId.set(brokerOrderId, orderRef);
      return orderRef;
    }
    return this.refByBrokerId.get(brokerOrderId) ?? (orderRef !== null && this.d.orders.byRef(orderRef) ? orderRef : null);
  }

  private apply(orderRef: string, ev: OrderEvent) {
    const o = this.byRef.get(orderRef);
    if (!o) return null;
    const t = applyOrderEvent(o.tracked, ev);
    if (t.anomaly) this.d.onAnomaly(`Order ${orderRef}: ${t.anomaly}`);
    if (!t.changed) return t;
    o.tracked = t.order;
    const state = t.order.state === 'PartiallyFilled' ? 'PartiallyFilled' : t.order.state;
    this.d.orders.updateStatus(orderRef, {
      state,
      brokerOrderId: t.order.brokerOrderId,
      permId: t.order.permId,
      filledQty: t.order.filled,
      avgFillPrice: t.order.avgPrice,
      ...(t.order.detail !== null ? { detail: t.order.detail } : {}),
    });
    this.d.onOrder(this.view(o));
    return t;
  }

  private view(o: ManagedOrder): OrderView {
    return {
      orderRef: o.intent.orderRef,
      role: o.intent.role,
      side: o.intent.side,
      qty: o.intent.qty,
      type: o.intent.type,
      limitPrice: o.intent.limitPrice,
      stopPrice: o.intent.stopPrice,
      state: o.tracked.state,
      filledQty: o.tracked.filled,
      avgFillPrice: o.tracked.avgPrice,
      brokerOrderId: o.tracked.brokerOrderId,
      detail: o.tracked.detail,
    };
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
