// Checks bars before a backtest: never a silent wrong result. In `strict` mode any defect is an error listing
// every problem with its row and time; in `repair` mode defective rows are dropped, the order fixed and duplicates
// resolved (the LAST row for a timestamp wins), and every change is reported. Gaps are reported as warnings unless
// the market was closed (daily break, weekend, holiday) for the whole gap.
import { barAt, columnsFromBars, type Bar, type BarColumns } from '../domain/bar';
import { formatTime } from '../domain/bars-csv';
import { cmeIsOpen } from '../native/calendar';
import { mostCommonSpacing } from '../native/backtest';

export interface ImportIssue {
  /** 0-based data row (the CSV line is row + 2). */
  row: number;
  time: string;
  message: string;
}

export interface ImportReport {
  errors: ImportIssue[];
  warnings: ImportIssue[];
  repaired: ImportIssue[];
}

export interface ImportResult {
  bars: BarColumns;
  barSeconds: number | null;
  report: ImportReport;
}

export class BarsImportError extends Error {
  constructor(readonly report: ImportReport) {
    const shown = report.errors.slice(0, 20).map((e) => `  line ${e.row + 2} (${e.time}): ${e.message}`);
    const more = report.errors.length > 20 ? [`  ... and ${report.errors.length - 20} more`] : [];
    super(`the bars have ${report.errors.length} problem(s); fix the file or use --repair:\n${[...shown, ...more].join('\n')}`);
    this.name = 'BarsImportError';
  }
}

const time = (t: number) => (Number.isFinite(t) ? formatTime(t) : String(t));

function rowProblem(b: Bar): string | null {
  if (![b.time, b.open, b.high, b.low, b.close, b.volume].every(Number.isFinite)) return 'a cell is empty or not a finite number';
  if (b.high < b.low) return `high ${b.high} is below low ${b.low}`;
  if (b.open > b.high || b.open < b.low) return `open ${b.open} is outside the bar's range ${b.low}-${b.high}`;
  if (b.close > b.high || b.close < b.low) return `close ${b.close} is outside the bar's range ${b.low}-${b.high}`;
  if (b.volume < 0) return `volume ${b.volume} is negative`;
  return null;
}

export function importBars(input: BarColumns, mode: 'strict' | 'repair'): ImportResult {
  const report: ImportReport = { errors: [], warnings: [], repaired: [] };
  const defect = mode === 'strict' ? report.errors : report.repaired;
  const rows: { row: number; bar: Bar }[] = [];
  for (let i = 0; i < input.time.length; i++) {
    const bar = barAt(input, i);
    const p = rowProblem(bar);
    if (p !== null) {
      defect.push({ row: i, time: time(bar.time), message: mode === 'strict' ? p : `dropped: ${p}` });
      continue;
    }
    if (bar.volume === 0) report.warnings.push({ row: i, time: time(bar.time), message: 'zero volume' });
    rows.push({ row: i, bar });
  }
  for (let k = 1; k < rows.length; k++) {
    const prev = rows[k - 1]!;
    const cur = rows[k]!;
    if (cur.bar.time < prev.bar.time) {
      defect.push({ row: cur.row, time: time(cur.bar.time), message: mode === 'strict' ? `out of order: earlier than line ${prev.row + 2}` : 'out of order: moved into place' });
    } else if (cur.bar.time === prev.bar.time) {
      defect.push({ row: cur.row, time: time(cur.bar.time), message: mode === 'strict' ? `duplicate of line ${prev.row + 2}` : `duplicate time: kept this row, dropped line ${prev.row + 2}` });
    }
  }
  if (mode === 'repair') {
    rows.sort((a, b) => a.bar.time - b.bar.time || a.row - b.row);
    for (let k = rows.length - 1; k > 0; k--) if (rows[k]!.bar.time === rows[k - 1]!.bar.time) rows.splice(k - 1, 1);
  }
  const bars = columnsFromBars(rows.map((r) => r.bar));
  const barSeconds = mostCommonSpacing(bars.time);
  if (barSeconds !== null) {
    for (let i = 1; i < rows.length; i++) {
      const gap = (bars.time[i] ?? 0) - (bars.time[i - 1] ?? 0);
      if (gap <= barSeconds) continue;
      // Only missing bars that would have started while the market was open count as a gap in the data.
      let missing = 0;
      for (let t = (bars.time[i - 1] ?? 0) + barSeconds; t < (bars.time[i] ?? 0) && missing < 10_000; t += barSeconds) if (cmeIsOpen(t)) missing++;
      if (missing > 0) report.warnings.push({ row: rows[i]!.row, time: time(bars.time[i] ?? NaN), message: `gap: ${missing} bar(s) missing while the market was open` });
    }
  }
  if (report.errors.length > 0) throw new BarsImportError(report);
  return { bars, barSeconds, report };
}
