// IB writes times several ways: epoch seconds (historical bars with formatDate=2), "yyyymmdd-hh:mm:ss" (UTC),
// "yyyymmdd hh:mm:ss Zone/Name" (executions on recent gateways) and "yyyymmdd  hh:mm:ss" with no zone, which is in
// the time zone chosen at the gateway's login (the adapter's `brokerTimeZone` option).
import { DateTime } from 'luxon';

/** IB's legacy zone names, all IANA links luxon knows; listed for the ones that are not. */
const ALIASES: Record<string, string> = { EST: 'America/New_York', EDT: 'America/New_York', CST: 'America/Chicago', CDT: 'America/Chicago', MET: 'Europe/Berlin' };

export function parseIbTime(text: string, defaultZone: string): number | null {
  const s = text.trim();
  if (/^\d{9,11}$/.test(s)) return Number(s);
  const utc = /^(\d{8})-(\d{2}:\d{2}:\d{2})$/.exec(s);
  if (utc !== null) return toEpoch(`${utc[1]} ${utc[2]}`, 'UTC');
  const m = /^(\d{8})\s+(\d{2}:\d{2}:\d{2})(?:\s+(\S+))?$/.exec(s);
  if (m === null) return null;
  const zone = m[3] === undefined ? defaultZone : (ALIASES[m[3]] ?? m[3]);
  return toEpoch(`${m[1]} ${m[2]}`, zone);
}

function toEpoch(local: string, zone: string): number | null {
  const d = DateTime.fromFormat(local, 'yyyyLLdd HH:mm:ss', { zone });
  return d.isValid ? Math.round(d.toSeconds()) : null;
}

/** "yyyymmdd-hh:mm:ss" in UTC: the zone-free form IB accepts for request times (historical end, execution filter). */
export function formatIbUtc(epochSeconds: number): string {
  return DateTime.fromSeconds(epochSeconds, { zone: 'UTC' }).toFormat('yyyyLLdd-HH:mm:ss');
}
