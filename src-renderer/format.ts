// Display formatting for traders: times in US Eastern (the exchange's reference for US equity index hours),
// with the zone written out so nobody has to guess.
const etTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const etDateTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZoneName: 'short',
});
const etDay = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: '2-digit' });

export function fmtEtTime(epochSecs: number): string {
  return etTime.format(epochSecs * 1000);
}

export function fmtEtDateTime(epochSecs: number): string {
  return etDateTime.format(epochSecs * 1000);
}

export function fmtEtDay(epochSecs: number): string {
  return etDay.format(epochSecs * 1000);
}
