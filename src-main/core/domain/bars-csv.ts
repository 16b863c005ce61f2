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

/** Parse a time cell: epoch seconds (integer or decimal) or an ISO-8601 timestamp with a zone (Z or offset). */
export function parseTimeCell(cell: string, line: number): number {
  const s = cell.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    throw new CsvFormatError(`time "${s}" is neither epoch seconds nor ISO-8601 with a zone (e.g. 2026-01-05T14:30:00Z)`, line);
  }
  const ms = Date.parse(s.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw new CsvFormatError(`time "${s}" is not a valid date`, line);
  return ms / 1000;
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
