import { describe, expect, it } from 'vitest';
import { columnsFromBars, type Bar } from '../domain/bar';
import { BarsImportError, importBars } from './csv-import';

// Tuesday 2026-01-06 15:00 UTC (09:00 CT), one-minute bars.
const T0 = 1_767_711_600;
const b = (i: number, c = 5000, extra: Partial<Bar> = {}): Bar => ({ time: T0 + 60 * i, open: c, high: c + 1, low: c - 1, close: c, volume: 10, ...extra });

describe('bars import', () => {
  it('passes clean bars through untouched', () => {
    const r = importBars(columnsFromBars([b(0), b(1), b(2)]), 'strict');
    expect(r.report).toEqual({ errors: [], warnings: [], repaired: [] });
    expect(r.barSeconds).toBe(60);
    expect(Array.from(r.bars.time)).toEqual([T0, T0 + 60, T0 + 120]);
  });

  it('strict mode rejects every defect with its line and time', () => {
    const bad = [b(0), b(1, NaN), b(3, 5000, { high: 4990 }), b(2), b(2), b(4, 5000, { volume: -1 }), b(1)];
    try {
      importBars(columnsFromBars(bad), 'strict');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BarsImportError);
      const msgs = (err as BarsImportError).report.errors.map((e) => `${e.row + 2}: ${e.message}`);
      expect(msgs).toEqual([
        '3: a cell is empty or not a finite number',
        '4: high 4990 is below low 4999',
        '7: volume -1 is negative',
        '6: duplicate of line 5',
        '8: out of order: earlier than line 6',
      ]);
      expect((err as Error).message).toMatch(/use --repair/);
    }
  });

  it('repair mode drops, sorts and de-duplicates, reporting every change', () => {
    const r = importBars(columnsFromBars([b(0), b(2, 5002), b(1, NaN), b(1, 5001), b(1, 5009)]), 'repair');
    expect(Array.from(r.bars.time)).toEqual([T0, T0 + 60, T0 + 120]);
    expect(Array.from(r.bars.close)).toEqual([5000, 5009, 5002]); // the last row for a duplicated time wins
    expect(r.report.repaired.map((x) => x.message)).toEqual([
      'dropped: a cell is empty or not a finite number',
      'out of order: moved into place',
      'duplicate time: kept this row, dropped line 5',
    ]);
  });

  it('warns about gaps while the market was open and zero volume, not about the daily break', () => {
    const r = importBars(columnsFromBars([b(0), b(1), b(5, 5000, { volume: 0 }), b(6)]), 'strict');
    expect(r.report.warnings.map((w) => w.message)).toEqual(['zero volume', 'gap: 3 bar(s) missing while the market was open']);
    // 15:59 CT and then 17:00 CT: the daily break is not a gap.
    const beforeBreak = 1_767_736_740; // 2026-01-06 15:59 CT
    const afterBreak = beforeBreak + 61 * 60;
    const r2 = importBars(columnsFromBars([{ ...b(0), time: beforeBreak - 60 }, { ...b(0), time: beforeBreak }, { ...b(0), time: afterBreak }]), 'strict');
    expect(r2.report.warnings).toEqual([]);
  });
});
