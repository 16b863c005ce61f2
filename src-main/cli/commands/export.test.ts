import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFile } from '../../core/data-dir';
import { BacktestRunsRepo } from '../../core/store/backtest-runs-repo';
import { openDatabase } from '../../core/store/db';
import { TradesRepo } from '../../core/store/trades-repo';
import { runCli } from '../program';

describe('quant-scalper export', () => {
  it('exports live trades and a backtest run from the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qs-export-'));
    const db = openDatabase(databaseFile(dataDir));
    new TradesRepo(db).record({ side: 'short', qty: 1, entryTime: 1767623400, entryPrice: 5010, exitTime: 1767627000, exitPrice: 5000, pnlUsd: 48.76, commissionUsd: 1.24, exitReason: 'signal', tradingDay: 20260105 });
    const run = new BacktestRunsRepo(db).save({ kind: 'backtest', params: {}, metrics: { netPnl: 48.76, winRate: 1 }, trades: [], equity: [] });
    db.close();

    const trades = join(dataDir, 'trades.csv');
    expect(await runCli(['export', '--what', 'trades', '--out', trades, '--data-dir', dataDir])).toBe(0);
    expect(readFileSync(trades, 'utf8').split('\n')[1]).toBe('2026-01-05T14:30:00Z,2026-01-05T15:30:00Z,short,1,5010,5000,48.76,1.24,signal,20260105');
    const metrics = join(dataDir, 'm.csv');
    expect(await runCli(['export', '--what', 'backtest-metrics', '--run', String(run), '--out', metrics, '--data-dir', dataDir])).toBe(0);
    expect(readFileSync(metrics, 'utf8')).toBe('metric,value\nnetPnl,48.76\nwinRate,1\n');

    const errors: string[] = [];
    const missing = join(dataDir, 'none.csv');
    expect(await runCli(['export', '--what', 'backtest', '--run', '99', '--out', missing, '--data-dir', dataDir], (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/no backtest run with id 99/);
    expect(existsSync(missing)).toBe(false);
  });
});
