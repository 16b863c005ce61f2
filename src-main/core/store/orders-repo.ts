// Orders: the intent is written (state 'intent') BEFORE anything is sent to the broker, then every status the
// broker reports is recorded, with its history in order_events.
import type { Db } from './db';

export type OrderRole = 'entry' | 'target' | 'stop' | 'exit' | 'flatten';

export interface OrderIntent {
  orderRef: string;
  intentId: string;
  role: OrderRole;
  symbol: string;
  side: 'BUY' | 'SELL';
  qty: number;
  type: 'MKT' | 'LMT' | 'STP';
  limitPrice: number | null;
  stopPrice: number | null;
  parentRef: string | null;
}

export interface OrderRow extends OrderIntent {
  state: string;
  brokerOrderId: number | null;
  permId: number | null;
  filledQty: number;
  avgFillPrice: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface OrderStatusUpdate {
  state: string;
  brokerOrderId?: number | null;
  permId?: number | null;
  filledQty?: number;
  avgFillPrice?: number | null;
  detail?: string;
}

interface RawOrder {
  order_ref: string;
  intent_id: string;
  role: OrderRole;
  symbol: string;
  side: 'BUY' | 'SELL';
  qty: number;
  type: 'MKT' | 'LMT' | 'STP';
  limit_price: number | null;
  stop_price: number | null;
  parent_ref: string | null;
  state: string;
  broker_order_id: number | null;
  perm_id: number | null;
  filled_qty: number;
  avg_fill_price: number | null;
  created_at: number;
  updated_at: number;
}

const fromRaw = (r: RawOrder): OrderRow => ({
  orderRef: r.order_ref,
  intentId: r.intent_id,
  role: r.role,
  symbol: r.symbol,
  side: r.side,
  qty: r.qty,
  type: r.type,
  limitPrice: r.limit_price,
  stopPrice: r.stop_price,
  parentRef: r.parent_ref,
  state: r.state,
  brokerOrderId: r.broker_order_id,
  permId: r.perm_id,
  filledQty: r.filled_qty,
  avgFillPrice: r.avg_fill_price,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const TERMINAL_STATES = ['Filled', 'Cancelled', 'ApiCancelled', 'Inactive', 'Rejected'] as const;

export class OrdersRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** Records the intents of one decision (e.g. a bracket's three orders) atomically. */
  insertIntents(intents: readonly OrderIntent[]): void {
    const insert = this.db.prepare(
      `INSERT INTO orders (order_ref, intent_id, role, symbol, side, qty, type, limit_price, stop_price, parent_ref, state, created_at, updated_at)
       VALUES (@orderRef, @intentId, @role, @symbol, @side, @qty, @type, @limitPrice, @stopPrice, @parentRef, 'intent', @t, @t)`,
    );
    const event = this.db.prepare(`INSERT INTO order_events (order_ref, time, state) VALUES (?, ?, 'intent')`);
    const t = this.now();
    this.db.transaction(() => {
      for (const i of intents) {
        insert.run({ ...i, t });
        event.run(i.orderRef, t);
      }
    })();
  }

  updateStatus(orderRef: string, u: OrderStatusUpdate): boolean {
    const t = this.now();
    return this.db.transaction(() => {
      const res = this.db
        .prepare(
          `UPDATE orders SET state = @state,
             broker_order_id = COALESCE(@brokerOrderId, broker_order_id), perm_id = COALESCE(@permId, perm_id),
             filled_qty = COALESCE(@filledQty, filled_qty), avg_fill_price = COALESCE(@avgFillPrice, avg_fill_price),
             updated_at = @t
           WHERE order_ref = @orderRef`,
        )
        .run({ orderRef, state: u.state, brokerOrderId: u.brokerOrderId ?? null, permId: u.permId ?? null, filledQty: u.filledQty ?? null, avgFillPrice: u.avgFillPrice ?? null, t });
      if (res.changes === 0) return false;
      this.db
        .prepare(`INSERT INTO order_events (order_ref, time, state, filled_qty, detail) VALUES (?, ?, ?, ?, ?)`)
        .run(orderRef, t, u.state, u.filledQty ?? null, u.detail ?? null);
      return true;
    })();
  }

  byRef(orderRef: string): OrderRow | null {
    const r = this.db.prepare(`SELECT * FROM orders WHERE order_ref = ?`).get(orderRef) as RawOrder | undefined;
    return r ? fromRaw(r) : null;
  }

  /** Orders not yet in a terminal state, oldest first (intents never acknowledged included). */
  open(): OrderRow[] {
    const placeholders = TERMINAL_STATES.map(() => '?').join(',');
    return (this.db.prepare(`SELECT * FROM orders WHERE state NOT IN (${placeholders}) ORDER BY id`).all(...TERMINAL_STATES) as RawOrder[]).map(fromRaw);
  }

  history(orderRef: string): { time: number; state: string; filledQty: number | null }[] {
    return this.db
      .prepare(`SELECT time, state, filled_qty AS filledQty FROM order_events WHERE order_ref = ? ORDER BY id`)
      .all(orderRef) as { time: number; state: string; filledQty: number | null }[];
  }
}
