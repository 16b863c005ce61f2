// Everything IB sends, routed: data rows to the query or subscription that asked, order callbacks to port events
// (tagged with the orderRef we placed them with), and every error/notice to the order or request whose id it names,
// else to a plain notice. Listeners live on one IBApi and die with it (session.ts makes a fresh client per login).
import { EventName, type IBApi } from '@stoqey/ib';
import { describeIbMessage } from '../ib-errors';
import type { OrderIdAllocator } from '../order-ids';
import type { BrokerEventMap, CommissionEvent } from '../port';
import type { TypedEmitter } from '../typed-emitter';
import type { BarSubscriptions } from './bar-subscriptions';
import { commissionEvent, executionEvent, isKnownStatus, openOrderEvent, orderStatusEvent, positionReport } from './mapping';
import { type QueryBook, REQ_ID_BASE } from './pending-query';
import type { IbQueries } from './queries';

export interface InboundContext {
  clientId: number;
  brokerTimeZone: string;
  ids: OrderIdAllocator;
  book: QueryBook;
  queries: IbQueries;
  subs: BarSubscriptions;
  events: TypedEmitter<BrokerEventMap>;
  onCurrentTime(epochSeconds: number): void;
}

/** Recent commission reports kept for executions() answers (IB may send them after the End message). */
const COMMISSION_CACHE = 5_000;

export class IbInbound {
  private readonly orderRefs = new Map<number, string>();
  private readonly commissions = new Map<string, CommissionEvent>();

  constructor(private readonly ctx: InboundContext) {}

  rememberOrderRef(orderId: number, orderRef: string): void {
    this.orderRefs.set(orderId, orderRef);
  }

  commissionFor(execId: string): CommissionEvent | null {
    return this.commissions.get(execId) ?? null;
  }

  attach(api: IBApi): void {
    const { ids, book, queries, subs, events } = this.ctx;
    api.on(EventName.nextValidId, (id: number) => ids.observeNextValidId(id));
    api.on(EventName.currentTime, (t: number) => this.ctx.onCurrentTime(t));
    api.on(EventName.realtimeBar, (reqId: number, time: number, open: number, high: number, low: number, close: number, volume: number) => {
      subs.onRealtimeBar(reqId, { time, open, high, low, close, volume });
    });
    api.on(EventName.historicalData, (reqId: number, time: string, open: number, high: number, low: number, close: number, volume: number) =>
      queries.onHistoricalRow(reqId, time, open, high, low, close, volume),
    );
    api.on(EventName.contractDetails, (reqId, details) => book.get(reqId)?.add(details));
    api.on(EventName.contractDetailsEnd, (reqId: number) => book.get(reqId)?.complete());
    api.on(EventName.openOrder, (orderId, contract, order, state) => {
      const ev = openOrderEvent(orderId, contract, order, state);
      if (ev.clientId === this.ctx.clientId) {
        ids.observeUsed(orderId);
        if (ev.orderRef !== null) this.orderRefs.set(orderId, ev.orderRef);
      }
      book.get('openOrders')?.add(ev);
      events.emit('openOrder', ev);
    });
    api.on(EventName.openOrderEnd, () => book.get('openOrders')?.complete());
    api.on(EventName.orderStatus, (orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld) => {
      if (!isKnownStatus(status)) {
        events.emit('notice', { code: 0, id: orderId, severity: 'warning', kind: 'unknown-order-status', message: `order ${orderId}: unknown status "${status}" from IB` });
        return;
      }
      const mine = clientId === undefined || clientId === this.ctx.clientId;
      const ref = mine ? (this.orderRefs.get(orderId) ?? null) : null;
      events.emit('orderStatus', orderStatusEvent(orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld, ref));
    });
    api.on(EventName.execDetails, (reqId, contract, execution) => {
      const ev = executionEvent(contract, execution, this.ctx.brokerTimeZone);
      const q = book.get(reqId);
      if (q !== undefined) q.add(ev);
      else events.emit('execution', ev);
    });
    api.on(EventName.execDetailsEnd, (reqId: number) => book.get(reqId)?.complete());
    api.on(EventName.commissionReport, (report) => {
      const ev = commissionEvent(report);
      if (this.commissions.size >= COMMISSION_CACHE) this.commissions.delete(this.commissions.keys().next().value ?? '');
      this.commissions.set(ev.execId, ev);
      events.emit('commission', ev);
    });
    api.on(EventName.position, (account, contract, pos, avgCost) => book.get('positions')?.add(positionReport(account, contract, pos, avgCost)));
    api.on(EventName.positionEnd, () => book.get('positions')?.complete());
  }

  /** Every IB error/notice: to the request or order it names, else a notice. */
  route(id: number, code: number, text: string): void {
    const { queries, subs, events } = this.ctx;
    const { info, message } = describeIbMessage(code, text);
    if (id >= REQ_ID_BASE && info.severity === 'error') {
      if (queries.failRequest(id, code, message)) return;
      if (subs.onRequestError(id, message)) {
        events.emit('notice', { code, id, severity: info.severity, kind: info.kind, message });
        return;
      }
    }
    // Below the request-id base an id names one of our orders (IB sends 200/321/201/... with the order id).
    if (id > 0 && id < REQ_ID_BASE) {
      events.emit('orderError', { orderId: id, orderRef: this.orderRefs.get(id) ?? null, code, kind: info.kind, message });
      return;
    }
    events.emit('notice', { code, id, severity: info.severity, kind: info.kind, message });
  }
}
