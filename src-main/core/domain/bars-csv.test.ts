import { describe, expect, it } from 'vitest';
import { native } from '../native/index';
import { FIRST_BAR_TIME, LAST_BAR_TIME, parseBarsCsv, parseTime, parseTimeCell } from './bars-csv';

describe('bars CSV time cells', () => {
  it('reads epoch seconds and ISO-8601 with a zone', () => {
    expect(parseTimeCell('1767623400', 2)).toBe(1767623400);
    expect(parseTimeCell('2026-01-05T14:30:00Z', 2)).toBe(1767623400);
    expect(parseTimeCell('2026-01-05 08:30:00-06:00', 2)).toBe(1767623400);
  });

  // A far time used to reach a date formatter and fail with a bare "Invalid time value", naming no line.
  it('refuses a time outside 1900 to 9999 by line, at the edges of the native calendar', () => {
    expect(parseTimeCell(String(FIRST_BAR_TIME), 2)).toBe(FIRST_BAR_TIME);
    expect(parseTimeCell('9999-12-31T23:59:59Z', 2)).toBe(LAST_BAR_TIME);
    const outside = /is outside 1900-01-01 to 9999-12-31 UTC \(as epoch seconds: -2208988800 to 253402300799\)/;
    expect(() => parseTimeCell('99999999999999', 7)).toThrow(/^line 7: time "99999999999999" is outside/);
    expect(() => parseTimeCell(String(LAST_BAR_TIME + 1), 3)).toThrow(outside);
    expect(() => parseTimeCell('1899-12-31T23:59:59Z', 3)).toThrow(outside);
    expect(() => parseTime('1e15')).toThrow(/^time "1e15" is neither epoch seconds nor ISO-8601/);
    expect(() => parseBarsCsv('time,open,high,low,close,volume\n1767623400,1,1,1,1,1\n1e19,1,1,1,1,1\n')).toThrow(/line 3: time "1e19" is neither/);
    // The same range as the native bar check: its edges pass there, one second past them does not.
    for (const [first, last, ok] of [[FIRST_BAR_TIME, LAST_BAR_TIME, true], [FIRST_BAR_TIME - 1, LAST_BAR_TIME, false], [FIRST_BAR_TIME, LAST_BAR_TIME + 1, false]] as const) {
      const col = (v: number) => new Float64Array([v, v]);
      const make = () => new native.CheckedBars(new Float64Array([first, last]), col(5000), col(5000), col(5000), col(5000), col(1));
      if (ok) expect(make().length).toBe(2);
      else expect(make).toThrow(/start time out of range \(epoch seconds from 1900 to 9999\)/);
    }
  });
});
