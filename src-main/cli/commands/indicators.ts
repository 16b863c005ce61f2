import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatTime, parseBarsCsv } from '../../core/domain/bars-csv';
import { zscoreBatch } from '../../core/native';
import { CliError, parseIntOption, writeFileAtomic } from '../io';

/** Full precision, empty during warm-up. */
function cell(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '' : String(v);
}

export function register(program: Command): void {
  program
    .command('indicators')
    .description('Compute indicators over a bars CSV and write time,close,<indicator columns>')
    .requiredOption('--data <file>', 'bars CSV (time,open,high,low,close,volume)')
    .option('--zscore <n>', 'rolling z-score over N bars (population std)', parseIntOption('--zscore', 2, 100_000))
    .requiredOption('--out <file>', 'output CSV path')
    .action((o: { data: string; zscore?: number; out: string }) => {
      if (o.zscore === undefined) throw new CliError('choose at least one indicator, e.g. --zscore 20');
      let text: string;
      try {
        text = readFileSync(o.data, 'utf8');
      } catch {
        throw new CliError(`cannot read bars file ${o.data}`);
      }
      const bars = parseBarsCsv(text);
      const columns: { name: string; values: Float64Array }[] = [];
      if (o.zscore !== undefined) columns.push({ name: 'zscore', values: zscoreBatch(bars.close, o.zscore) });
      const lines = [['time', 'close', ...columns.map((c) => c.name)].join(',')];
      for (let i = 0; i < bars.time.length; i++) {
        lines.push([formatTime(bars.time[i] ?? NaN), cell(bars.close[i]), ...columns.map((c) => cell(c.values[i]))].join(','));
      }
      writeFileAtomic(o.out, lines.join('\n') + '\n');
      process.stderr.write(`wrote ${bars.time.length} rows to ${o.out}\n`);
    });
}
