// Executions are keyed by the broker's execId: a fill the broker resends after a reconnect is recognised and
// ignored, so a position is never counted twice.
import type { Db } from './db';

export interface Execution {
  execId: string;
  orderRef: string | null;
  brokerOrderId: number | null;
  side: 'BOT' | 'SLD';
  qty: number;
  price: number;
  time: number;
  commission: number | null;
}

export class ExecutionsRepo {
  constructor(private readonly db: Db) {}

  /** True when the execution is new; false when this execId was already recorded. */
  insert(e: Execution): boolean {
    const res = this.db
      .prepare(
        `INSERT INTO executions (exec_id, order_ref, broker_order_id, side, qty, price, time, commission)
         VALUES (@execId, @orderRef, @brokerOrderId, @side, @qty, @price, @time, @commission)
         ON CONFLICT(exec_id) DO NOTHING`,
      )
      .run(e);
    return res.changes === 1;
  }

  setCommission(execId: string, commission: number): void {
    this.db.prepare(`UPDATE executions SET commission = ? WHERE exec_id = ?`).run(commission, execId);
  }

  lastTime(): number | null {
    const r = this.db.prepare(`SELECT MAX(time) AS t FROM executions`).get() as { t: number | null };
    return r.t;
  }

  /** Signed position implied by every recorded fill: BOT adds, SLD subtracts. */
  netPosition(): number {
    const r = this.db.prepare(`SELECT COALESCE(SUM(CASE side WHEN 'BOT' THEN qty ELSE -qty END), 0) AS q FROM executions`).get() as { q: number };
    return r.q;
  }

  /** Fills of this app's own orders (those with an orderRef), oldest first: what its position is made of. */
  ours(): Pick<Execution, 'side' | 'qty' | 'price' | 'time' | 'commission'>[] {
    return this.db
      .prepare(`SELECT side, qty, price, time, commission FROM executions WHERE order_ref IS NOT NULL ORDER BY time, exec_id`)
      .all() as Pick<Execution, 'side' | 'qty' | 'price' | 'time' | 'commission'>[];
  }

  forOrder(orderRef: string): Execution[] {
    return this.db
      .prepare(`SELECT exec_id AS execId, order_ref AS orderRef, broker_order_id AS brokerOrderId, side, qty, price, time, commission FROM executions WHERE order_ref = ? ORDER BY time`)
      .all(orderRef) as Execution[];
  }
}
