// Bars CSV, the one format everywhere: header `time,open,high,low,close,volume`; `time` is the bar start,
// ISO-8601 UTC on output, ISO-8601 or epoch seconds on input.
import { allocColumns, type BarColumns } from './bar';

export const BARS_HEADER = 'time,open,high,low,close,volume';
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

/** The bar times the native core takes, in epoch seconds: 1900-01-01 00:00:00 to 9999-12-31 23:59:59 UTC (its
 * calendar's range, `SUPPORTED_TIMES` in native/src/calendar/mod.rs). */
export const FIRST_BAR_TIME = -2_208_988_800;
export const LAST_BAR_TIME = 253_402_300_799;

/** Parse a time: epoch seconds (integer or decimal) or an ISO-8601 timestamp with a zone (Z or offset), from 1900
 * to 9999. Throws an Error that names the text. */
export function parseTime(text: string): number {
  const s = text.trim();
  let secs: number;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    secs = Number(s);
  } else {
    if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
      throw new Error(`time "${s}" is neither epoch seconds nor ISO-8601 with a zone (e.g. 2026-01-05T14:30:00Z)`);
    }
    const ms = Date.parse(s.replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new Error(`time "${s}" is not a valid date`);
    secs = ms / 1000;
  }
  if (!(secs >= FIRST_BAR_TIME && secs <= LAST_BAR_TIME)) {
    throw new Error(`time "${s}" is outside 1900-01-01 to 9999-12-31 UTC (as epoch seconds: ${FIRST_BAR_TIME} to ${LAST_BAR_TIME})`);
  }
  return secs;
}

/** `parseTime` of a CSV cell; the error names the line. */
export function parseTimeCell(cell: string, line: number): number {
  try {
    return parseTime(cell);
  } catch (e) {
    throw new CsvFormatError((e as Error).message, line);
  }
}

export function formatTime(epochSecs: number): string {
  return new Date(epochSecs * 1000).toISOString().replace('.000Z', 'Z');
}

/** Parse a bars CSV into columns. Cells are parsed, not judged: NaN/order/duplicate checks live in the importer. */
export function parseBarsCsv(text: string): BarColumns {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (header !== BARS_HEADER) {
    throw new CsvFormatError(`expected header "${BARS_HEADER}", found "${lines[0] ?? ''}"`, 1);
  }
  const rows: string[][] = [];
  const lineNos: number[] = [];
  lines.slice(1).forEach((l, i) => {
    if (l.trim() === '') return;
    rows.push(l.split(','));
    lineNos.push(i + 2);
  });
  const c = allocColumns(rows.length);
  rows.forEach((cells, r) => {
    const line = lineNos[r] ?? 0;
    if (cells.length !== COLUMNS.length) {
      throw new CsvFormatError(`expected ${COLUMNS.length} cells, found ${cells.length}`, line);
    }
    c.time[r] = parseTimeCell(cells[0] ?? '', line);
    for (let k = 1; k < COLUMNS.length; k++) {
      const raw = (cells[k] ?? '').trim();
      const v = raw === '' ? NaN : Number(raw);
      if (Number.isNaN(v) && !/^nan$/i.test(raw)) {
        throw new CsvFormatError(`${COLUMNS[k]} "${raw}" is not a number`, line);
      }
      c[COLUMNS[k] as Exclude<(typeof COLUMNS)[number], 'time'>][r] = v;
    }
  });
  return c;
}

export function formatBarsCsv(c: BarColumns): string {
  const out: string[] = [BARS_HEADER];
  for (let i = 0; i < c.time.length; i++) {
    out.push(
      `${formatTime(c.time[i] ?? NaN)},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`,
    );
  }
  return out.join('\n') + '\n';
}
