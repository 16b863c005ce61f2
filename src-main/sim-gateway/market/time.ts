// Wall-clock text in IB's formats. The venue lives in Chicago (CME), so timestamps are rendered in America/Chicago.

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function chicago(epochSecs: number): { ymd: string; hms: string } {
  const p: Record<string, string> = {};
  for (const x of parts.formatToParts(new Date(epochSecs * 1000))) p[x.type] = x.value;
  return { ymd: `${p.year}${p.month}${p.day}`, hms: `${p.hour}:${p.minute}:${p.second}` };
}

/** Handshake connection time, e.g. "20261116 08:30:00 America/Chicago". */
export function connectionTimeText(epochSecs: number): string {
  const c = chicago(epochSecs);
  return `${c.ymd} ${c.hms} America/Chicago`;
}

/** Execution time as TWS sends it in execDetails: "yyyymmdd  hh:mm:ss US/Central" (two spaces, IB's quirk). */
export function executionTimeText(epochSecs: number): string {
  const c = chicago(epochSecs);
  return `${c.ymd}  ${c.hms} US/Central`;
}

/** Historical bar time for formatDate=1: "yyyymmdd hh:mm:ss US/Central". */
export function barTimeText(epochSecs: number): string {
  const c = chicago(epochSecs);
  return `${c.ymd} ${c.hms} US/Central`;
}

/** Chicago calendar date yyyymmdd of an instant (used for "today's executions" and execId day tags). */
export function chicagoDate(epochSecs: number): string {
  return chicago(epochSecs).ymd;
}

/** 2026-11-16 08:30 America/Chicago (CST, UTC-6), a Monday inside the regular session. */
export const DEFAULT_START_TIME = Date.UTC(2026, 10, 16, 14, 30, 0) / 1000;
