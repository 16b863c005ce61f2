import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program';

function capture(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (lines.push(s), true)) as typeof process.stdout.write;
  return { lines, restore: () => (process.stdout.write = write) };
}

describe('quant-scalper backtest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qs-bt-'));
  const data = join(dir, 'bars.csv');

  it('prints { metrics, trades, equity } with --json', async () => {
    expect(await runCli(['simulate', '--bars', '3000', '--seed', '11', '--out', data])).toBe(0);
    const out = capture();
    try {
      expect(await runCli(['backtest', '--data', data, '--lookback', '20', '--entry-z', '2', '--exit-z', '0.5', '--json'])).toBe(0);
    } finally {
      out.restore();
    }
    const r = JSON.parse(out.lines.join('')) as { metrics: Record<string, number>; trades: Record<string, unknown>[]; equity: number[] };
    for (const k of ['netPnl', 'trades', 'winRate', 'profitFactor', 'maxDrawdown', 'sharpe', 'sortino', 'expectancy', 'exposure', 'score']) expect(r.metrics).toHaveProperty(k);
    expect(r.metrics.trades).toBe(r.trades.length);
    expect(r.trades[0]).toEqual(expect.objectContaining({ side: expect.stringMatching(/^(long|short)$/), qty: 1, entryTime: expect.stringMatching(/Z$/), exitReason: expect.any(String) }));
    expect(r.equity).toHaveLength(3000);
    expect(r.metrics.winRate).toBeLessThanOrEqual(1);
  });

  it('prints a trader summary and refuses bad flags by name', async () => {
    const out = capture();
    try {
      expect(await runCli(['backtest', '--data', data])).toBe(0);
    } finally {
      out.restore();
    }
    expect(out.lines.join('')).toMatch(/Net P&L -?\$\d+\.\d{2} over \d+ trades/);
    const errors: string[] = [];
    expect(await runCli(['backtest', '--data', data, '--entry-z', '1', '--exit-z', '1.5'], (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/exitZ: exit z must be below entry z/);
  });
});

describe('quant-scalper optimize and walkforward', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qs-opt-'));
  const data = join(dir, 'bars.csv');

  it('optimize runs the default grid of 48, best first by the chosen metric', async () => {
    expect(await runCli(['simulate', '--bars', '5000', '--seed', '5', '--out', data])).toBe(0);
    const out = capture();
    try {
      expect(await runCli(['optimize', '--data', data, '--rank-by', 'netPnl', '--json'])).toBe(0);
    } finally {
      out.restore();
    }
    const r = JSON.parse(out.lines.join('')) as { results: { lookback: number; metrics: { netPnl: number } }[] };
    expect(r.results).toHaveLength(48);
    const pnl = r.results.map((x) => x.metrics.netPnl);
    expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
  });

  it('walkforward reports every fold and the in-sample vs out-of-sample gap', async () => {
    const out = capture();
    try {
      expect(await runCli(['walkforward', '--data', data, '--folds', '4', '--train', '0.7', '--json'])).toBe(0);
    } finally {
      out.restore();
    }
    const wf = JSON.parse(out.lines.join('')) as { folds: { trainStart: number; trainEnd: number; validationEnd: number }[]; inSample: number; outOfSample: number; gap: number };
    expect(wf.folds).toHaveLength(4);
    expect(wf.folds[0]).toMatchObject({ trainStart: 0, trainEnd: 875, validationEnd: 1250 });
    expect(wf.gap).toBeCloseTo(wf.inSample - wf.outOfSample, 9);
    const errors: string[] = [];
    expect(await runCli(['optimize', '--data', data, '--rank-by', 'luck'], (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/rankBy/);
  });
});

describe('quant-scalper backtest on bad data', () => {
  it('refuses broken bars with each problem named, and repairs them with --repair', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'qs-bad-'));
    const file = join(dir, 'bad.csv');
    const rows = ['time,open,high,low,close,volume'];
    for (let i = 0; i < 60; i++) rows.push(`${1767711600 + 60 * i},5000,5003,4999,${5000 + (i % 3)},10`);
    rows.splice(10, 0, `${1767711600 + 60 * 5},5000,5001,4999,5000,10`); // duplicate time
    rows.push(`${1767711600 + 60 * 70},5000,4990,5010,5000,10`); // high below low
    writeFileSync(file, rows.join('\n'));
    const errors: string[] = [];
    expect(await runCli(['backtest', '--data', file], (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/2 problem\(s\)/);
    expect(errors.join('')).toMatch(/line 11 .*out of order: earlier than line 10/);
    expect(errors.join('')).toMatch(/line 63 .*high 4990 is below low 5010/);
    const out = capture();
    try {
      expect(await runCli(['backtest', '--data', file, '--repair', '--json', '--lookback', '5'])).toBe(0);
    } finally {
      out.restore();
    }
    expect((JSON.parse(out.lines.join('')) as { equity: number[] }).equity).toHaveLength(60);
  });
});

describe('quant-scalper backtest --strategy bollinger|rsi', () => {
  it('runs each strategy through the same decision core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-strat-'));
    const data = join(dir, 'bars.csv');
    expect(await runCli(['simulate', '--bars', '4000', '--seed', '8', '--out', data])).toBe(0);
    const counts: Record<string, number> = {};
    for (const strategy of ['zscore', 'bollinger', 'rsi']) {
      const out = capture();
      try {
        expect(await runCli(['backtest', '--data', data, '--strategy', strategy, '--lookback', '14', '--json'])).toBe(0);
      } finally {
        out.restore();
      }
      counts[strategy] = (JSON.parse(out.lines.join('')) as { trades: unknown[] }).trades.length;
    }
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
    expect(new Set(Object.values(counts)).size).toBeGreaterThan(1);
    const errors: string[] = [];
    expect(await runCli(['backtest', '--data', data, '--strategy', 'macd'], (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/--strategy must be zscore, bollinger or rsi/);
  });
});
