// The roll rule over the contracts the broker lists: trade the nearest expiry until `rollDays` calendar days before
// it expires, then the next one. Expiries come from the broker (real expiration date, else last trade date), so a
// holiday-shifted expiry is honoured; the native CME calendar (mesFrontMonth) applies the same rule to the
// third-Friday schedule and the tests check the two agree.
import { DateTime } from 'luxon';

export interface ListedContract {
  conId: number;
  symbol: string;
  localSymbol: string;
  exchange: string;
  currency: string;
  tradingClass: string;
  /** yyyymm */
  contractMonth: string;
  /** yyyymmdd */
  expiry: string;
  multiplier: number;
  minTick: number;
}

export interface FrontMonthChoice {
  contract: ListedContract;
  /** yyyymmdd: first day the next contract is traded instead. */
  rollDate: string;
}

export const EXCHANGE_ZONE = 'America/Chicago';

/** The exchange's calendar date (yyyymmdd, Chicago) at an instant. */
export function exchangeDate(epochSeconds: number, zone = EXCHANGE_ZONE): string {
  return DateTime.fromSeconds(epochSeconds, { zone }).toFormat('yyyyLLdd');
}

export function addDays(yyyymmdd: string, days: number): string {
  const d = DateTime.fromFormat(yyyymmdd, 'yyyyLLdd', { zone: 'UTC' });
  if (!d.isValid) throw new Error(`not a yyyymmdd date: "${yyyymmdd}"`);
  return d.plus({ days }).toFormat('yyyyLLdd');
}

const pretty = (yyyymmdd: string): string => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

export function chooseFrontMonth(listed: readonly ListedContract[], today: string, rollDays: number): FrontMonthChoice {
  if (!Number.isInteger(rollDays) || rollDays < 0 || rollDays > 30) throw new Error(`roll days must be a whole number from 0 to 30, got ${rollDays}`);
  if (!/^\d{8}$/.test(today)) throw new Error(`today must be yyyymmdd, got "${today}"`);
  const usable = listed.filter((c) => /^\d{8}$/.test(c.expiry)).sort((a, b) => a.expiry.localeCompare(b.expiry) || a.conId - b.conId);
  for (const c of usable) {
    const rollDate = addDays(c.expiry, -rollDays);
    if (today < rollDate) return { contract: c, rollDate };
  }
  const seen = usable.map((c) => `${c.localSymbol} (expires ${pretty(c.expiry)})`).join(', ') || 'none';
  throw new Error(`no listed contract can be traded on ${pretty(today)} when rolling ${rollDays} days before expiry; the broker listed: ${seen}`);
}

/** yyyymmdd from IB's date fields ("20261218", "20261218 08:30 US/Central", "202612"). */
export function normaliseExpiry(realExpirationDate: string | undefined, lastTradeDate: string | undefined, lastTradeDateOrMonth: string | undefined): string {
  for (const v of [realExpirationDate, lastTradeDate, lastTradeDateOrMonth]) {
    const m = /^(\d{8})/.exec((v ?? '').trim());
    if (m?.[1] !== undefined) return m[1];
  }
  return '';
}
