// Display helpers: an instant in ET (the trader's reference), CT (the exchange's clock) or the user's local zone,
// always with the zone abbreviation so nobody has to guess.
import { DateTime } from 'luxon';

export type DisplayZone = 'ET' | 'CT' | 'local';

const ZONES: Record<DisplayZone, string> = { ET: 'America/New_York', CT: 'America/Chicago', local: 'local' };

export function formatInZone(epochSecs: number, zone: DisplayZone, withDate = true): string {
  const t = DateTime.fromSeconds(epochSecs, { zone: ZONES[zone] });
  return t.toFormat(withDate ? 'yyyy-LL-dd HH:mm ZZZZ' : 'HH:mm ZZZZ');
}
