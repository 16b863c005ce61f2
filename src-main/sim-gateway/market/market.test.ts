import { describe, expect, it } from 'vitest';
import { listedContracts, matchContracts } from './contracts';
import { historicalBars, parseDuration } from './history';
import { HistoricalPacing } from './pacing';
import { DEFAULT_START_TIME, connectionTimeText, executionTimeText } from './time';

describe('contracts', () => {
  it('lists the next quarterly expiries with third-Friday dates', () => {
    const list = listedContracts(DEFAULT_START_TIME * 1000);
    expect(list.map((c) => c.localSymbol).slice(0, 4)).toEqual(['MESZ6', 'MESH7', 'MESM7', 'MESU7']);
    expect(list[0]).toMatchObject({ lastTradeDateOrContractMonth: '20261218', contractMonth: '202612', multiplier: 5, minTick: 0.25 });
    const q = { conId: 0, symbol: 'MES', secType: 'FUT', exchange: 'CME', currency: 'USD', localSymbol: '' };
    expect(matchContracts({ ...q, lastTradeDateOrContractMonth: '202703' }, DEFAULT_START_TIME * 1000).map((c) => c.localSymbol)).toEqual(['MESH7']);
    expect(matchContracts({ ...q, symbol: 'ES', lastTradeDateOrContractMonth: '' }, DEFAULT_START_TIME * 1000)).toEqual([]);
  });
});

describe('time text', () => {
  it('renders Chicago time in IB formats', () => {
    expect(connectionTimeText(DEFAULT_START_TIME)).toBe('20261116 08:30:00 America/Chicago');
    expect(executionTimeText(DEFAULT_START_TIME + 5)).toBe('20261116  08:30:05 US/Central');
  });
});

describe('historical bars', () => {
  it('end at or before now, sit on the tick grid and meet the live price', () => {
    const end = DEFAULT_START_TIME + 3600;
    for (const barSecs of [5, 60, 300]) {
      const bars = historicalBars({ seed: 1, regime: 'switching', end, durationSecs: 86_400, barSecs, lastPrice: 5012.25 });
      expect(bars.length).toBeGreaterThan(10);
      expect((bars.at(-1)?.time ?? Infinity) + barSecs).toBeLessThanOrEqual(end);
      expect(bars.at(-1)?.close).toBe(5012.25);
      expect(bars.every((b) => [b.open, b.high, b.low, b.close].every((p) => Number.isInteger(p / 0.25)))).toBe(true);
    }
    const again = historicalBars({ seed: 1, regime: 'switching', end, durationSecs: 600, barSecs: 5, lastPrice: 5000 });
    expect(again).toEqual(historicalBars({ seed: 1, regime: 'switching', end, durationSecs: 600, barSecs: 5, lastPrice: 5000 }));
  });
  it('parses durations', () => {
    expect(parseDuration('1800 S')).toBe(1800);
    expect(parseDuration('2 D')).toBe(172_800);
    expect(parseDuration('1 W')).toBeNull();
  });
});

describe('historical pacing', () => {
  it('applies the identical-15s, 6-per-2s and 60-per-10min rules', () => {
    let now = 0;
    const p = new HistoricalPacing(() => now);
    expect(p.check('a', 'c')).toBe(true);
    expect(p.check('a', 'c')).toBe(false);
    now = 15_000;
    expect(p.check('a', 'c')).toBe(true);
    for (let i = 0; i < 5; i++) expect(p.check(`k${i}`, 'c')).toBe(true);
    expect(p.check('k9', 'c')).toBe(false);
    expect(p.check('k9', 'other')).toBe(true);
    for (let i = 0; i < 60; i++) {
      now += 2_001;
      p.check(`m${i}`, `c${i}`);
    }
    expect(p.check('last', 'fresh')).toBe(false);
    now += 600_000;
    expect(p.check('last', 'fresh')).toBe(true);
  });
});
