// reqHistoricalData: validation, IB's pacing for small bars, and the bars themselves.
import type { Regime } from '../../core/native/market-sim';
import type { VenueContract } from '../market/contracts';
import { BAR_SIZES, historicalBars, parseDuration } from '../market/history';
import type { HistoricalPacing } from '../market/pacing';
import { barTimeText } from '../market/time';
import type { HistoricalRequest } from '../protocol/decode-requests';
import { encodeHistoricalData } from '../protocol/encode-market';
import { encodeError } from '../protocol/encode-session';
import type { Connection } from './connection';

/** IB paces requests for bars of 30 seconds or less. */
const PACED_MAX_BAR_SECS = 30;

export interface HistoricalContext {
  pacing: HistoricalPacing;
  seed: number;
  regime: Regime;
  now: number;
  lastPrice: number;
}

export function answerHistorical(c: Connection, r: HistoricalRequest, k: VenueContract, x: HistoricalContext): void {
  const barSecs = BAR_SIZES[r.barSize];
  if (barSecs === undefined) {
    return c.send(encodeError(r.reqId, 321, `Error validating request.-'bP' : cause - Historical data bar size setting is invalid (supported: ${Object.keys(BAR_SIZES).join(', ')}).`));
  }
  const durationSecs = parseDuration(r.duration);
  if (durationSecs === null) {
    return c.send(encodeError(r.reqId, 321, `Error validating request.-'bP' : cause - Historical data duration "${r.duration}" is invalid (use "N S" or "N D").`));
  }
  if (r.keepUpToDate) return c.send(encodeError(r.reqId, 321, 'Error validating request.-keepUpToDate is not supported by the simulated gateway.'));
  if (barSecs <= PACED_MAX_BAR_SECS) {
    const key = [k.conId, r.endDateTime, r.barSize, r.duration, r.whatToShow, r.useRth].join('|');
    if (!x.pacing.check(key, String(k.conId))) {
      return c.send(encodeError(r.reqId, 162, 'Historical Market Data Service error message:Historical data request pacing violation'));
    }
  }
  const end = Math.min(x.now, parseEndTime(r.endDateTime) ?? Infinity);
  const bars = historicalBars({ seed: x.seed, regime: x.regime, end, durationSecs, barSecs, lastPrice: x.lastPrice });
  const dateText = r.formatDate === 2 ? (t: number) => String(t) : barTimeText;
  c.send(encodeHistoricalData(r.reqId, barTimeText(end - durationSecs), barTimeText(end), bars, dateText));
}

/** "yyyymmdd hh:mm:ss[ tz]" or "yyyymmdd-hh:mm:ss", both read as UTC (the zone suffix is ignored). Null when empty. */
export function parseEndTime(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})[ -](\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
}
