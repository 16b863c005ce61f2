// The calendar through the TypeScript wrapper, checked against luxon for the Chicago clock.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatInZone } from '../calendar/display';
import { cmeIsOpen, cmeNextClose, cmeNextOpen, mesFrontMonth, minutesUntilClose } from './calendar';
import { cmeTradingDay, native } from './index';

const ct = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Chicago' }).toSeconds();

describe('CME calendar (native, via the wrapper)', () => {
  it('trading day rolls at 17:00 CT on both sides of DST', () => {
    expect(cmeTradingDay(ct('2026-03-06T16:59'))).toBe(20260306);
    expect(cmeTradingDay(ct('2026-03-08T17:00'))).toBe(20260309); // Sunday open, DST day
    expect(cmeTradingDay(ct('2026-11-02T17:00'))).toBe(20261103);
  });

  it('session open/close around the weekend, break and holidays', () => {
    expect(cmeIsOpen(ct('2026-01-11T17:00'))).toBe(true);
    expect(cmeIsOpen(ct('2026-01-16T16:00'))).toBe(false);
    expect(cmeNextOpen(ct('2026-01-16T16:00'))).toBe(ct('2026-01-18T17:00'));
    expect(cmeNextClose(ct('2026-07-02T10:00'))).toBe(ct('2026-07-02T16:00'));
    expect(cmeNextClose(ct('2026-07-03T10:00'))).toBe(ct('2026-07-03T12:00')); // Independence Day observed
    expect(minutesUntilClose(ct('2026-01-13T15:45'))).toBe(15);
    expect(minutesUntilClose(ct('2026-01-13T16:30'))).toBeNull();
  });

  it('front month with the roll rule', () => {
    expect(mesFrontMonth(ct('2026-11-22T12:00'), 8)).toEqual({ contractMonth: 202612, expiry: 20261218, localSymbol: 'MESZ6', rollDate: 20261210 });
    expect(mesFrontMonth(ct('2026-12-10T12:00'), 8).localSymbol).toBe('MESH7');
    expect(() => mesFrontMonth(0, -1)).toThrow(/roll days/);
    // The native core refuses a roll past 30 days on its own too (a huge one used to panic counting back dates).
    expect(native.mesFrontMonth(ct('2026-11-22T12:00'), 30).localSymbol).toBe('MESH7'); // 30 days before the 18 Dec expiry is 18 Nov
    expect(() => native.mesFrontMonth(ct('2026-11-22T12:00'), 4_294_967_295)).toThrow('roll days must be a whole number from 0 to 30, got 4294967295');
  });

  it('refuses an instant that is not a time in 1900 to 9999 instead of answering for 1970', () => {
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, 1e15, -3e9]) {
      expect(() => cmeTradingDay(t)).toThrow(`the time must be epoch seconds from 1900 to 9999, got`);
      expect(() => cmeIsOpen(t)).toThrow(/from 1900 to 9999/);
      expect(() => cmeNextOpen(t)).toThrow(/from 1900 to 9999/);
      expect(() => cmeNextClose(t)).toThrow(/from 1900 to 9999/);
      expect(() => mesFrontMonth(t, 8)).toThrow(/from 1900 to 9999/);
    }
  });

  it('formats instants with the zone written out', () => {
    const t = ct('2026-07-07T09:30');
    expect(formatInZone(t, 'CT')).toBe('2026-07-07 09:30 CDT');
    expect(formatInZone(t, 'ET', false)).toBe('10:30 EDT');
  });
});
