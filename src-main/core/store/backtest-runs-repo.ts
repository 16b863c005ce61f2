// Saved backtest, optimization and walk-forward runs, for the backtest lab and CSV export.
import type { Db } from './db';

export interface BacktestTradeRow {
  side: string;
  qty: number;
  entryTime: string | number;
  entryPrice: number;
  exitTime: string | number;
  exitPrice: number;
  pnl: number;
  exitReason: string;
}

export interface BacktestRun {
  id: number;
  createdAt: number;
  kind: 'backtest' | 'optimize' | 'walkforward';
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  trades: BacktestTradeRow[];
  equity: number[];
}

export class BacktestRunsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  save(run: Omit<BacktestRun, 'id' | 'createdAt'>): number {
    return Number(
      this.db
        .prepare(`INSERT INTO backtest_runs (created_at, kind, params_json, metrics_json, trades_json, equity_json) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(this.now(), run.kind, JSON.stringify(run.params), JSON.stringify(run.metrics), JSON.stringify(run.trades), JSON.stringify(run.equity)).lastInsertRowid,
    );
  }

  get(id: number): BacktestRun | null {
    const r = this.db.prepare(`SELECT * FROM backtest_runs WHERE id = ?`).get(id) as
      | { id: number; created_at: number; kind: BacktestRun['kind']; params_json: string; metrics_json: string; trades_json: string; equity_json: string }
      | undefined;
    if (r === undefined) return null;
    return {
      id: r.id,
      createdAt: r.created_at,
      kind: r.kind,
      params: JSON.parse(r.params_json) as Record<string, unknown>,
      metrics: JSON.parse(r.metrics_json) as Record<string, unknown>,
      trades: JSON.parse(r.trades_json) as BacktestTradeRow[],
      equity: JSON.parse(r.equity_json) as number[],
    };
  }
}
