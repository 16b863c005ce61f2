// Alerts wait here until delivered. A failed delivery is retried with exponential backoff (30 s doubling, capped
// at 10 min) and marked failed after a deadline, so an hour of Telegram downtime loses nothing and blocks nothing.
import type { Db } from './db';

export interface OutboxAlert {
  id: number;
  createdAt: number;
  category: string;
  level: 'info' | 'warning' | 'critical';
  text: string;
  attempts: number;
}

const BASE_DELAY_S = 30;
const MAX_DELAY_S = 600;
/** Alerts older than this when a delivery fails are given up (marked failed) rather than retried. */
export const GIVE_UP_AFTER_S = 6 * 3600;

export class OutboxRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  enqueue(category: string, level: OutboxAlert['level'], text: string): number {
    const t = this.now();
    return Number(this.db.prepare(`INSERT INTO alerts_outbox (created_at, category, level, text, next_attempt_at) VALUES (?, ?, ?, ?, ?)`).run(t, category, level, text, t).lastInsertRowid);
  }

  due(limit = 20): OutboxAlert[] {
    return this.db
      .prepare(
        `SELECT id, created_at AS createdAt, category, level, text, attempts FROM alerts_outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
      )
      .all(this.now(), limit) as OutboxAlert[];
  }

  delivered(id: number): void {
    this.db.prepare(`UPDATE alerts_outbox SET delivered_at = ? WHERE id = ?`).run(this.now(), id);
  }

  attemptFailed(id: number, error: string): 'retry' | 'failed' {
    const t = this.now();
    const row = this.db.prepare(`SELECT created_at AS createdAt, attempts FROM alerts_outbox WHERE id = ?`).get(id) as { createdAt: number; attempts: number } | undefined;
    if (row === undefined) return 'failed';
    if (t - row.createdAt >= GIVE_UP_AFTER_S) {
      this.db.prepare(`UPDATE alerts_outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?`).run(t, error, id);
      return 'failed';
    }
    const delay = Math.min(MAX_DELAY_S, BASE_DELAY_S * 2 ** row.attempts);
    this.db.prepare(`UPDATE alerts_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`).run(t + delay, error, id);
    return 'retry';
  }
}
