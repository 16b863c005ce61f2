// The life of one broker order as a pure state machine. Broker messages arrive duplicated, late and out of order
// (orderStatus before openOrder, Filled before its execDetails, a resent execution after a reconnect), so every
// transition is defensive: states only move forward, terminal states never change, and the filled quantity is the
// sum of DISTINCT executions (by execId), never more than the order's quantity. Fills that arrive after a terminal
// status (a fill racing a cancel) still count, because the position at the broker includes them.
import type { BrokerOrderStatus } from '../broker/port';

export type OrderState =
  | 'intent' // written to the database, not yet handed to the broker
  | 'PendingSubmit' // placeOrder sent, no acknowledgement yet
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'PartiallyFilled'
  | 'Filled'
  | 'Cancelled'
  | 'Rejected'
  | 'Inactive';

export const TERMINAL: ReadonlySet<OrderState> = new Set<OrderState>(['Filled', 'Cancelled', 'Rejected', 'Inactive']);

export const isTerminal = (s: OrderState): boolean => TERMINAL.has(s);

/** Forward order of the working states; a status that would move back (a late PreSubmitted) is ignored. */
const RANK: Record<OrderState, number> = {
  intent: 0,
  PendingSubmit: 1,
  PreSubmitted: 2,
  Submitted: 3,
  PendingCancel: 4,
  PartiallyFilled: 3,
  Filled: 9,
  Cancelled: 9,
  Rejected: 9,
  Inactive: 9,
};

export interface OrderFill {
  execId: string;
  qty: number;
  price: number;
}

export interface TrackedOrder {
  orderRef: string;
  qty: number;
  state: OrderState;
  /** Sum of distinct executions. */
  filled: number;
  /** Volume-weighted average of the distinct executions (null before the first fill). */
  avgPrice: number | null;
  /** Cumulative filled quantity the broker last reported in an orderStatus (may run ahead of executions). */
  brokerFilled: number;
  execIds: readonly string[];
  brokerOrderId: number | null;
  permId: number | null;
  /** Why the order ended (reject text, "not found at the broker", ...). */
  detail: string | null;
}

/** IB's orderStatus strings (plus ApiCancelled / ApiPending, which map onto ours). */
export type BrokerStatus = BrokerOrderStatus;

export type OrderEvent =
  | { kind: 'sent'; brokerOrderId: number }
  | { kind: 'status'; status: BrokerStatus; filled: number; permId?: number | null; brokerOrderId?: number | null }
  | { kind: 'fill'; fill: OrderFill }
  | { kind: 'rejected'; reason: string }
  /** A targeted query (open orders + executions by orderRef) did not find the order at the broker. */
  | { kind: 'notFound'; reason: string };

export interface Transition {
  order: TrackedOrder;
  /** Something visible changed (state, filled quantity, ids); the caller persists it. */
  changed: boolean;
  /** A distinct execution that counted towards the order; fed to the decision core exactly once. */
  newFill: OrderFill | null;
  /** A broker message that contradicts what we know (overfill, reuse of an execId); alert, do not guess. */
  anomaly: string | null;
}

export function newOrder(orderRef: string, qty: number): TrackedOrder {
  if (!Number.isInteger(qty) || qty <= 0) throw new Error(`order ${orderRef}: quantity must be a whole number of contracts above 0, got ${qty}`);
  return { orderRef, qty, state: 'intent', filled: 0, avgPrice: null, brokerFilled: 0, execIds: [], brokerOrderId: null, permId: null, detail: null };
}

function mapStatus(s: BrokerStatus): OrderState {
  switch (s) {
    case 'ApiPending':
    case 'PendingSubmit':
      return 'PendingSubmit';
    case 'ApiCancelled':
      return 'Cancelled';
    default:
      return s;
  }
}

/** The working state implied by a fill count (Submitted with fills is PartiallyFilled). */
function withFills(o: TrackedOrder, s: OrderState): OrderState {
  if (isTerminal(s)) return s;
  if (o.filled >= o.qty) return 'Filled';
  if (Math.max(o.filled, o.brokerFilled) > 0 && s !== 'PendingCancel') return 'PartiallyFilled';
  return s;
}

function moveTo(o: TrackedOrder, next: OrderState): OrderState {
  if (isTerminal(o.state)) return o.state;
  if (isTerminal(next)) return next;
  return RANK[next] >= RANK[o.state] ? next : o.state;
}

const same = (a: TrackedOrder, b: TrackedOrder): boolean =>
  a.state === b.state &&
  a.filled === b.filled &&
  a.brokerFilled === b.brokerFilled &&
  a.brokerOrderId === b.brokerOrderId &&
  a.permId === b.permId &&
  a.detail === b.detail;

export function applyOrderEvent(o: TrackedOrder, ev: OrderEvent): Transition {
  let next: TrackedOrder = o;
  let newFill: OrderFill | null = null;
  let anomaly: string | null = null;
  switch (ev.kind) {
    case 'sent':
      next = { ...o, brokerOrderId: o.brokerOrderId ?? ev.brokerOrderId, state: moveTo(o, 'PendingSubmit') };
      break;
    case 'status': {
      const brokerFilled = Math.max(o.brokerFilled, Math.min(ev.filled, o.qty));
      if (ev.filled > o.qty) anomaly = `the broker reports ${ev.filled} filled on an order for ${o.qty}`;
      let target = mapStatus(ev.status);
      // "Filled" is only believed when the broker's own count says the whole quantity traded.
      if (target === 'Filled' && brokerFilled < o.qty) target = 'PartiallyFilled';
      const base = { ...o, brokerFilled, permId: o.permId ?? ev.permId ?? null, brokerOrderId: o.brokerOrderId ?? ev.brokerOrderId ?? null };
      next = { ...base, state: withFills(base, moveTo(o, target)) };
      break;
    }
    case 'fill': {
      const f = ev.fill;
      if (o.execIds.includes(f.execId)) break; // a resend: already counted
      if (!(f.qty > 0) || !Number.isInteger(f.qty)) {
        anomaly = `execution ${f.execId} has an invalid quantity ${f.qty}`;
        break;
      }
      if (o.filled + f.qty > o.qty) {
        anomaly = `execution ${f.execId} for ${f.qty} would fill ${o.filled + f.qty} of an order for ${o.qty}`;
        break;
      }
      const filled = o.filled + f.qty;
      const avgPrice = ((o.avgPrice ?? 0) * o.filled + f.price * f.qty) / filled;
      const base = { ...o, filled, avgPrice, brokerFilled: Math.max(o.brokerFilled, filled), execIds: [...o.execIds, f.execId] };
      next = { ...base, state: withFills(base, o.state) };
      newFill = f;
      break;
    }
    case 'rejected':
      next = isTerminal(o.state) ? o : { ...o, state: 'Rejected', detail: ev.reason };
      break;
    case 'notFound':
      next = isTerminal(o.state) || o.filled > 0 ? o : { ...o, state: 'Inactive', detail: ev.reason };
      break;
  }
  return { order: next, changed: newFill !== null || !same(o, next), newFill, anomaly };
}

/** Signed contracts a list of fills adds to the position (BUY positive). */
export function signedFilled(side: 'BUY' | 'SELL', o: TrackedOrder): number {
  return side === 'BUY' ? o.filled : -o.filled;
}
