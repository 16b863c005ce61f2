import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema';
import { closingWindow } from './session-window';

const hours = configSchema.parse({}).tradingHours; // 15 min before the daily break, 30 before the weekend
const ct = (iso: string) => Date.parse(`${iso}-06:00`) / 1000; // November: CST, UTC-6

describe('no-new-entries window before the close', () => {
  it('uses the daily-break window on a weekday and the weekend window on Friday, to the minute', () => {
    expect(closingWindow(ct('2026-11-16T15:44:00'), hours)).toBeNull(); // Monday, 16 min before the break
    expect(closingWindow(ct('2026-11-16T15:45:00'), hours)).toBe(15);
    expect(closingWindow(ct('2026-11-20T15:29:00'), hours)).toBeNull(); // Friday, 31 min before the weekend
    expect(closingWindow(ct('2026-11-20T15:30:00'), hours)).toBe(30);
    expect(closingWindow(ct('2026-11-16T10:00:00'), hours)).toBeNull();
  });
});
