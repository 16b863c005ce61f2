// The no-new-entries window before the market closes: the configured minutes before the daily 16:00 CT break, or
// the (longer) configured minutes before a weekend or holiday close. Times come from the native CME calendar.
import type { Config } from '../config/schema';
import { cmeNextOpen, minutesUntilClose } from '../native/calendar';

/** A close followed by more than this many seconds of closed market is a weekend or holiday close. */
const LONG_CLOSE_S = 2 * 3600;

/** Minutes until the close when `t` (epoch seconds) lies inside the no-entries window before it; else null. */
export function closingWindow(t: number, hours: Config['tradingHours']): number | null {
  const left = minutesUntilClose(t);
  if (left === null) return null;
  const close = t + left * 60;
  const reopen = cmeNextOpen(close);
  const long = reopen === null || reopen - close > LONG_CLOSE_S;
  const window = long ? hours.noNewEntriesMinutesBeforeWeekend : hours.noNewEntriesMinutesBeforeBreak;
  return left <= window ? left : null;
}
