// Round-trip trades and the per-CME-trading-day P&L they roll up into (updated in the same transaction).
import type { Db } from './db';

export interface TradeRecord {
  side: 'long' | 'short';
  qty: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  pnlUsd: number;
  commissionUsd: number;
  exitReason: string;
  /** CME trading day yyyymmdd of the exit. */
  tradingDay: number;
}

export interface DailyPnl {
  tradingDay: number;
  realizedUsd: number;
  commissionsUsd: number;
  trades: number;
  wins: number;
  losses: number;
}

export class TradesRepo {
  constructor(private readonly db: Db) {}

  record(t: TradeRecord): number {
    return this.db.transaction(() => {
      const res = this.db
        .prepare(
          `INSERT INTO trades (side, qty, entry_time, entry_price, exit_time, exit_price, pnl_usd, commission_usd, exit_reason, trading_day)
           VALUES (@side, @qty, @entryTime, @entryPrice, @exitTime, @exitPrice, @pnlUsd, @commissionUsd, @exitReason, @tradingDay)`,
        )
        .run(t);
      this.db
        .prepare(
          `INSERT INTO daily_pnl (trading_day, realized_usd, commissions_usd, trades, wins, losses) VALUES (?, ?, ?, 1, ?, ?)
           ON CONFLICT(trading_day) DO UPDATE SET realized_usd = realized_usd + excluded.realized_usd,
             commissions_usd = commissions_usd + excluded.commissions_usd, trades = trades + 1,
             wins = wins + excluded.wins, losses = losses + excluded.losses`,
        )
        .run(t.tradingDay, t.pnlUsd, t.commissionUsd, t.pnlUsd > 0 ? 1 : 0, t.pnlUsd > 0 ? 0 : 1);
      return Number(res.lastInsertRowid);
    })();
  }

  list(limit = 1000): (TradeRecord & { id: number })[] {
    return this.db
      .prepare(
        `SELECT id, side, qty, entry_time AS entryTime, entry_price AS entryPrice, exit_time AS exitTime, exit_price AS exitPrice,
           pnl_usd AS pnlUsd, commission_usd AS commissionUsd, exit_reason AS exitReason, trading_day AS tradingDay
         FROM trades ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as (TradeRecord & { id: number })[];
  }

  day(tradingDay: number): DailyPnl | null {
    const r = this.db
      .prepare(`SELECT trading_day AS tradingDay, realized_usd AS realizedUsd, commissions_usd AS commissionsUsd, trades, wins, losses FROM daily_pnl WHERE trading_day = ?`)
      .get(tradingDay) as DailyPnl | undefined;
    return r ?? null;
  }
}
