// simulate -> CSV -> indicators, through the CLI as a trader runs it (in-process), on real files.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../core/domain/bars-csv';
import { runCli } from '../program';

const dir = mkdtempSync(join(tmpdir(), 'qs-cli-'));

describe('quant-scalper simulate', () => {
  it('writes seeded bars on the tick grid, same seed same file', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const args = ['--bars', '500', '--bar-seconds', '60', '--seed', '7', '--start', '2026-01-05T14:30:00Z'];
    expect(await runCli(['simulate', ...args, '--out', a])).toBe(0);
    expect(await runCli(['simulate', ...args, '--out', b])).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const text = readFileSync(a, 'utf8');
    expect(text.split('\n')[0]).toBe('time,open,high,low,close,volume');
    expect(text.split('\n')[1]).toMatch(/^2026-01-05T14:30:00Z,/);
    const bars = parseBarsCsv(text);
    expect(bars.time.length).toBe(500);
    for (const col of [bars.open, bars.high, bars.low, bars.close]) {
      expect(Array.from(col).every((p) => Number.isInteger(p / 0.25))).toBe(true);
    }
    expect(bars.time[1]! - bars.time[0]!).toBe(60);
  });

  it('refuses bad arguments and writes nothing', async () => {
    const out = join(dir, 'never.csv');
    const errors: string[] = [];
    expect(await runCli(['simulate', '--bars', '-3', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(await runCli(['simulate', '--bars', '10', '--start', 'yesterday', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/neither epoch seconds nor ISO-8601/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('quant-scalper indicators --zscore', () => {
  it('writes time,close,zscore with empty cells during warm-up', async () => {
    const data = join(dir, 'bars.csv');
    const out = join(dir, 'ind.csv');
    expect(await runCli(['simulate', '--bars', '100', '--seed', '3', '--out', data])).toBe(0);
    expect(await runCli(['indicators', '--data', data, '--zscore', '20', '--out', out])).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,close,zscore');
    expect(lines).toHaveLength(101);
    expect(lines[19]).toMatch(/,$/); // bar 19 (1-based line 20 minus header) is still warming up
    expect(lines[20]).toMatch(/,-?\d+(\.\d+)?(e-?\d+)?$/);
  });

  it('accepts epoch-second times on input and refuses a bad header', async () => {
    const { writeFileSync } = await import('node:fs');
    const data = join(dir, 'epoch.csv');
    writeFileSync(data, 'time,open,high,low,close,volume\n1767623400,5000,5001,4999,5000.25,10\n1767623460,5000.25,5001,4999,5000.5,10\n1767623520,5000.5,5001,4999,4999.75,10\n');
    const out = join(dir, 'epoch-ind.csv');
    expect(await runCli(['indicators', '--data', data, '--zscore', '2', '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('2026-01-05T14:30:00Z,5000.25,');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,o,h,l,c,v\n');
    const errors: string[] = [];
    expect(await runCli(['indicators', '--data', bad, '--zscore', '2', '--out', join(dir, 'x.csv')], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/expected header/);
  });
});

describe('quant-scalper indicators --bollinger --rsi', () => {
  it('writes the columns in the documented order with empty warm-up cells', async () => {
    const data = join(dir, 'bars-bb.csv');
    const out = join(dir, 'ind-bb.csv');
    expect(await runCli(['simulate', '--bars', '60', '--seed', '4', '--out', data])).toBe(0);
    expect(await runCli(['indicators', '--data', data, '--rsi', '14', '--bollinger', '20,2', '--zscore', '20', '--out', out])).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,close,zscore,bb_mid,bb_upper,bb_lower,rsi');
    expect(lines[14]!.split(',').slice(2)).toEqual(['', '', '', '', '']); // bar 13: nothing warm yet
    expect(lines[15]!.split(',')[6]).not.toBe(''); // bar 14: first RSI
    const row = lines[30]!.split(',').map(Number);
    expect(row[4]! - row[3]!).toBeCloseTo(row[3]! - row[5]!, 9); // bands symmetric around the middle
    const errors: string[] = [];
    expect(await runCli(['indicators', '--data', data, '--bollinger', '20', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/--bollinger takes N,K/);
  });
});

describe('quant-scalper simulate --regime --days', () => {
  it('writes every session bar of N trading days, none in the daily break, and refuses bad flags', async () => {
    const { cmeIsOpen } = await import('../../core/native/calendar');
    const { cmeTradingDay } = await import('../../core/native');
    const out = join(dir, 'days.csv');
    expect(await runCli(['simulate', '--regime', 'volatile', '--days', '3', '--bar-seconds', '300', '--seed', '2', '--out', out])).toBe(0);
    const bars = parseBarsCsv(readFileSync(out, 'utf8'));
    const days = new Set(Array.from(bars.time, (t) => cmeTradingDay(t)));
    expect(days.size).toBe(3);
    // From Monday 08:30 CT: 7.5 hours left of Monday (90 five-minute bars), then two full 23-hour days (276 each).
    expect(bars.time.length).toBe(90 + 2 * 276);
    expect(Array.from(bars.time).every((t) => cmeIsOpen(t))).toBe(true);
    const errors: string[] = [];
    expect(await runCli(['simulate', '--regime', 'calm', '--bars', '10', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(await runCli(['simulate', '--days', '2', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/--regime must be one of bull, bear, sideways, volatile, switching/);
    expect(errors.join('')).toMatch(/--days needs --regime/);
    // A day-long bar fits in no session: refused by name instead of searching for one forever.
    expect(await runCli(['simulate', '--regime', 'bull', '--bars', '10', '--bar-seconds', '86400', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/--bar-seconds must be at most 14400 \(4 hours\) with --regime, got 86400/);
    // A start the calendar cannot answer for is named as the flag's, not as a CSV line.
    expect(await runCli(['simulate', '--bars', '5', '--start', '99999999999999', '--out', out], (s) => errors.push(s))).not.toBe(0);
    expect(errors.join('')).toMatch(/--start: time "99999999999999" is outside 1900-01-01 to 9999-12-31 UTC/);
  });
});
