// The simulated exchange + broker book: order lifecycle (brackets, OCA), matching on each bar, executions and
// positions. It does no I/O; the server turns its events into wire messages for the right clients.
import { MES_MULTIPLIER, type VenueContract } from '../market/contracts';
import { COMMISSION_PER_CONTRACT, fillPrice, type Ohlc } from './matching';
import { isDone, isWorking, type OrderAction, type VenueExecution, type VenueOrder, type VenueOrderType, type VenuePosition } from './types';

export interface VenueEvents {
  /** An order appeared or changed; `ack` marks the first answer to a placeOrder (fault hooks may delay or drop it). */
  order(o: VenueOrder, ack: boolean): void;
  /** An order was cancelled (IB adds error 202 to its orderStatus Cancelled). */
  cancelled(o: VenueOrder): void;
  execution(e: VenueExecution): void;
  position(p: VenuePosition): void;
}

export interface NewOrder {
  orderId: number;
  clientId: number;
  contract: VenueContract;
  action: OrderAction;
  totalQuantity: number;
  orderType: VenueOrderType;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  ocaGroup: string;
  ocaType: number;
  account: string;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  outsideRth: boolean;
}

export type VenueResult = { ok: true } | { ok: false; code: number; message: string };

export interface VenueOptions {
  account: string;
  now: () => number;
  partialFills: () => boolean;
  matchingPaused: () => boolean;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const copyOrder = (o: VenueOrder): VenueOrder => ({ ...o, contract: { ...o.contract } });

export class Venue {
  private readonly byId = new Map<number, VenueOrder>();
  private readonly execs: VenueExecution[] = [];
  private readonly pos = new Map<number, VenuePosition>();
  private maxOrderId = 0;
  private permSeq = 0;
  private execSeq = 0;
  private listeners: VenueEvents[] = [];

  constructor(private readonly opts: VenueOptions) {}

  on(l: VenueEvents): void {
    this.listeners.push(l);
  }

  /** Greater than every order id any client has used. */
  nextOrderId(): number {
    return this.maxOrderId + 1;
  }

  noteOrderId(id: number): void {
    if (id > this.maxOrderId) this.maxOrderId = id;
  }

  orders(): VenueOrder[] {
    return [...this.byId.values()].map(copyOrder);
  }

  /** Live records (not copies), for encoding. */
  liveOrders(): readonly VenueOrder[] {
    return [...this.byId.values()];
  }

  executions(): VenueExecution[] {
    return this.execs.map((e) => ({ ...e, contract: { ...e.contract } }));
  }

  liveExecutions(): readonly VenueExecution[] {
    return this.execs;
  }

  positions(): VenuePosition[] {
    return [...this.pos.values()].map((p) => ({ ...p, contract: { ...p.contract } }));
  }

  place(n: NewOrder): VenueResult {
    if (!(n.totalQuantity > 0) || !Number.isInteger(n.totalQuantity)) return { ok: false, code: 201, message: `Order rejected - reason:Invalid quantity ${n.totalQuantity}` };
    if (n.orderType === 'LMT' && n.lmtPrice === null) return { ok: false, code: 201, message: 'Order rejected - reason:A limit order needs a limit price' };
    if (n.orderType === 'STP' && n.auxPrice === null) return { ok: false, code: 201, message: 'Order rejected - reason:A stop order needs a stop price' };
    for (const p of [n.lmtPrice, n.auxPrice]) {
      if (p !== null && Math.abs(p / n.contract.minTick - Math.round(p / n.contract.minTick)) > 1e-9) {
        return { ok: false, code: 110, message: 'The price does not conform to the minimum price variation for this contract.' };
      }
    }
    const existing = this.byId.get(n.orderId);
    if (existing) return this.modify(existing, n);
    if (n.parentId !== 0) {
      const parent = this.byId.get(n.parentId);
      if (!parent || parent.status === 'Cancelled') return { ok: false, code: 201, message: `Order rejected - reason:Parent order ${n.parentId} is not working` };
    }
    this.noteOrderId(n.orderId);
    const o: VenueOrder = {
      orderId: n.orderId,
      clientId: n.clientId,
      permId: 1_500_000_000 + ++this.permSeq,
      parentId: n.parentId,
      contract: n.contract,
      action: n.action,
      totalQuantity: n.totalQuantity,
      orderType: n.orderType,
      lmtPrice: n.orderType === 'LMT' ? n.lmtPrice : null,
      auxPrice: n.orderType === 'STP' ? n.auxPrice : null,
      tif: n.tif,
      ocaGroup: n.ocaGroup,
      ocaType: n.ocaGroup === '' ? 0 : n.ocaType || 1,
      account: n.account || this.opts.account,
      orderRef: n.orderRef,
      outsideRth: n.outsideRth,
      transmitted: false,
      status: 'PendingSubmit',
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
      placedAt: this.opts.now(),
      whyHeld: '',
    };
    this.byId.set(o.orderId, o);
    if (n.transmit) this.transmit(o);
    return { ok: true };
  }

  cancel(orderId: number): VenueResult {
    const o = this.byId.get(orderId);
    if (!o) return { ok: false, code: 10147, message: `OrderId ${orderId} that needs to be cancelled is not found.` };
    if (!isWorking(o)) return { ok: false, code: 10148, message: `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.` };
    this.cancelOrder(o);
    return { ok: true };
  }

  globalCancel(): void {
    for (const o of this.byId.values()) if (isWorking(o)) this.cancelOrder(o);
  }

  /** Matches every order that was active when the bar began (children activated by a fill wait for the next bar). */
  onBar(bar: Ohlc & { time: number }): void {
    if (this.opts.matchingPaused()) return;
    const active = [...this.byId.values()].filter((o) => isWorking(o) && o.transmitted && !this.waitsForParent(o));
    for (const o of active) {
      if (!isWorking(o)) continue; // cancelled by an OCA sibling earlier in this bar
      const px = fillPrice(o, bar);
      if (px === null) continue;
      const remaining = o.totalQuantity - o.filled;
      const qty = o.orderType === 'MKT' && this.opts.partialFills() && o.filled === 0 && remaining >= 2 ? 1 : remaining;
      this.fill(o, qty, px, bar.time);
    }
  }

  private modify(o: VenueOrder, n: NewOrder): VenueResult {
    if (o.clientId !== n.clientId) return { ok: false, code: 103, message: `Duplicate order id ${n.orderId}` };
    if (isDone(o)) return { ok: false, code: 104, message: `Cannot modify a filled or cancelled order (${o.status}).` };
    if (n.totalQuantity < o.filled) return { ok: false, code: 201, message: 'Order rejected - reason:Quantity below the filled quantity' };
    o.totalQuantity = n.totalQuantity;
    if (o.orderType === 'LMT') o.lmtPrice = n.lmtPrice;
    if (o.orderType === 'STP') o.auxPrice = n.auxPrice;
    o.orderRef = n.orderRef || o.orderRef;
    if (n.transmit && !o.transmitted) this.transmit(o);
    else if (o.transmitted) this.emitOrder(o, true);
    return { ok: true };
  }

  /** A transmit=true order releases its whole bracket / OCA group held in the gateway. */
  private transmit(o: VenueOrder): void {
    const group: VenueOrder[] = [];
    const rootId = o.parentId !== 0 ? o.parentId : o.orderId;
    const root = this.byId.get(rootId);
    if (root && !root.transmitted && isWorking(root)) group.push(root);
    for (const x of this.byId.values()) {
      if (x.transmitted || !isWorking(x) || x.clientId !== o.clientId || group.includes(x)) continue;
      if (x.parentId === rootId || (o.ocaGroup !== '' && x.ocaGroup === o.ocaGroup) || x === o) group.push(x);
    }
    for (const x of group) {
      x.transmitted = true;
      this.setActiveStatus(x);
      this.emitOrder(x, true);
    }
  }

  private setActiveStatus(o: VenueOrder): void {
    if (this.waitsForParent(o)) {
      o.status = 'PreSubmitted';
      o.whyHeld = 'child';
    } else {
      o.status = 'Submitted';
      o.whyHeld = '';
    }
  }

  private waitsForParent(o: VenueOrder): boolean {
    if (o.parentId === 0) return false;
    const p = this.byId.get(o.parentId);
    return p !== undefined && p.status !== 'Filled';
  }

  private cancelOrder(o: VenueOrder): void {
    o.status = 'Cancelled';
    o.whyHeld = '';
    for (const l of this.listeners) l.cancelled(o);
    for (const c of this.byId.values()) if (c.parentId === o.orderId && isWorking(c)) this.cancelOrder(c);
  }

  private fill(o: VenueOrder, qty: number, price: number, time: number): void {
    const before = o.filled;
    o.filled += qty;
    o.avgFillPrice = (o.avgFillPrice * before + price * qty) / o.filled;
    o.lastFillPrice = price;
    if (o.filled >= o.totalQuantity) o.status = 'Filled';
    const commission = round2(COMMISSION_PER_CONTRACT * qty);
    const realized = this.applyPosition(o, qty, price, commission);
    const day = Math.floor(time / 86_400) & 0xffff;
    const exec: VenueExecution = {
      execId: `${(0x0001f400 + ++this.execSeq).toString(16).padStart(8, '0')}.${day.toString(16).padStart(4, '0')}.01.01`,
      orderId: o.orderId,
      clientId: o.clientId,
      permId: o.permId,
      contract: o.contract,
      side: o.action === 'BUY' ? 'BOT' : 'SLD',
      shares: qty,
      price,
      time,
      cumQty: o.filled,
      avgPrice: o.avgFillPrice,
      orderRef: o.orderRef,
      account: o.account,
      commission,
      realizedPnl: realized,
    };
    this.execs.push(exec);
    this.emitOrder(o, false);
    for (const l of this.listeners) l.execution(exec);
    const p = this.pos.get(o.contract.conId);
    if (p) for (const l of this.listeners) l.position(p);
    this.afterFill(o, qty);
  }

  private afterFill(o: VenueOrder, qty: number): void {
    if (o.status === 'Filled') {
      for (const c of this.byId.values()) {
        if (c.parentId === o.orderId && c.status === 'PreSubmitted' && c.transmitted) {
          this.setActiveStatus(c);
          this.emitOrder(c, false);
        }
      }
    }
    // Bracket children are implicitly one-cancels-all.
    if (o.parentId !== 0) {
      for (const s of this.byId.values()) if (s !== o && s.parentId === o.parentId && isWorking(s)) this.cancelOrder(s);
    }
    if (o.ocaGroup !== '') {
      for (const s of this.byId.values()) {
        if (s === o || s.ocaGroup !== o.ocaGroup || !isWorking(s)) continue;
        if (o.ocaType === 1) this.cancelOrder(s);
        else {
          s.totalQuantity = Math.max(s.filled, s.totalQuantity - qty);
          if (s.totalQuantity <= s.filled) this.cancelOrder(s);
          else this.emitOrder(s, false);
        }
      }
    }
  }

  /** Updates the position; returns realized P&L (net of both commissions) when the fill closes contracts. */
  private applyPosition(o: VenueOrder, qty: number, price: number, commission: number): number | null {
    const mult = o.contract.multiplier || MES_MULTIPLIER;
    const perContractFee = commission / qty;
    let p = this.pos.get(o.contract.conId);
    if (!p) {
      p = { account: o.account, contract: o.contract, position: 0, avgPrice: 0, avgCost: 0, realizedPnl: 0 };
      this.pos.set(o.contract.conId, p);
    }
    const dir = o.action === 'BUY' ? 1 : -1;
    let realized: number | null = null;
    let rest = qty;
    if (p.position !== 0 && Math.sign(p.position) !== dir) {
      const close = Math.min(qty, Math.abs(p.position));
      const long = p.position > 0;
      realized = round2(close * (long ? price * mult - p.avgCost : p.avgCost - price * mult) - perContractFee * close);
      p.realizedPnl = round2(p.realizedPnl + realized);
      p.position += dir * close;
      rest -= close;
      if (p.position === 0) {
        p.avgPrice = 0;
        p.avgCost = 0;
      }
    }
    if (rest > 0) {
      const n = Math.abs(p.position);
      const cost = price * mult + dir * perContractFee;
      p.avgPrice = (p.avgPrice * n + price * rest) / (n + rest);
      p.avgCost = (p.avgCost * n + cost * rest) / (n + rest);
      p.position += dir * rest;
    }
    return realized;
  }

  private emitOrder(o: VenueOrder, ack: boolean): void {
    for (const l of this.listeners) l.order(o, ack);
  }
}
