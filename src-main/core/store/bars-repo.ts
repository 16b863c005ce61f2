// Bars by (symbol, bar size, start time). Bulk inserts run in one transaction: thousands of bars cost one fsync.
import type { Bar, BarColumns } from '../domain/bar';
import type { Db } from './db';

export class BarsRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces bars; returns how many rows were written. */
  upsertMany(symbol: string, barSeconds: number, bars: BarColumns): number {
    const stmt = this.db.prepare(
      `INSERT INTO bars (symbol, bar_seconds, time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(symbol, bar_seconds, time) DO UPDATE SET open=excluded.open, high=excluded.high, low=excluded.low, close=excluded.close, volume=excluded.volume`,
    );
    return this.db.transaction(() => {
      for (let i = 0; i < bars.time.length; i++) {
        stmt.run(symbol, barSeconds, bars.time[i], bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]);
      }
      return bars.time.length;
    })();
  }

  range(symbol: string, barSeconds: number, from: number, to: number): Bar[] {
    return this.db
      .prepare(`SELECT time, open, high, low, close, volume FROM bars WHERE symbol = ? AND bar_seconds = ? AND time >= ? AND time < ? ORDER BY time`)
      .all(symbol, barSeconds, from, to) as Bar[];
  }

  count(symbol: string, barSeconds: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM bars WHERE symbol = ? AND bar_seconds = ?`).get(symbol, barSeconds) as { n: number }).n;
  }
}
