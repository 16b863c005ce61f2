import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatTime, parseBarsCsv } from '../../core/domain/bars-csv';
import { zscoreBatch } from '../../core/native';
import { bollingerBatch, rsiBatch } from '../../core/native/indicators';
import { CliError, parseIntOption, writeFileAtomic } from '../io';

/** Full precision, empty during warm-up. */
function cell(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '' : String(v);
}

function parseBollinger(raw: string): [number, number] {
  const [n, k, ...rest] = raw.split(',').map((x) => Number(x.trim()));
  if (rest.length > 0 || n === undefined || k === undefined || !Number.isInteger(n) || n < 2 || !Number.isFinite(k) || k <= 0) {
    throw new CliError(`--bollinger takes N,K: a whole number of bars (2 or more) and a positive width, e.g. 20,2; got "${raw}"`);
  }
  return [n, k];
}

export function register(program: Command): void {
  program
    .command('indicators')
    .description('Compute indicators over a bars CSV and write time,close then zscore, bb_mid,bb_upper,bb_lower, rsi (in that order, as requested)')
    .requiredOption('--data <file>', 'bars CSV (time,open,high,low,close,volume)')
    .option('--zscore <n>', 'rolling z-score over N bars (population std)', parseIntOption('--zscore', 2, 100_000))
    .option('--bollinger <n,k>', 'Bollinger Bands over N bars, K standard deviations (columns bb_mid,bb_upper,bb_lower)', parseBollinger)
    .option('--rsi <n>', 'Wilder RSI over N bars, TA-Lib definition (column rsi)', parseIntOption('--rsi', 2, 100_000))
    .requiredOption('--out <file>', 'output CSV path')
    .action((o: { data: string; zscore?: number; bollinger?: [number, number]; rsi?: number; out: string }) => {
      if (o.zscore === undefined && o.bollinger === undefined && o.rsi === undefined) {
        throw new CliError('choose at least one indicator, e.g. --zscore 20, --bollinger 20,2 or --rsi 14');
      }
      let text: string;
      try {
        text = readFileSync(o.data, 'utf8');
      } catch {
        throw new CliError(`cannot read bars file ${o.data}`);
      }
      const bars = parseBarsCsv(text);
      const columns: { name: string; values: Float64Array }[] = [];
      if (o.zscore !== undefined) columns.push({ name: 'zscore', values: zscoreBatch(bars.close, o.zscore) });
      if (o.bollinger !== undefined) {
        const b = bollingerBatch(bars.close, o.bollinger[0], o.bollinger[1]);
        columns.push({ name: 'bb_mid', values: b.mid }, { name: 'bb_upper', values: b.upper }, { name: 'bb_lower', values: b.lower });
      }
      if (o.rsi !== undefined) columns.push({ name: 'rsi', values: rsiBatch(bars.close, o.rsi) });
      const lines = [['time', 'close', ...columns.map((c) => c.name)].join(',')];
      for (let i = 0; i < bars.time.length; i++) {
        lines.push([formatTime(bars.time[i] ?? NaN), cell(bars.close[i]), ...columns.map((c) => cell(c.values[i]))].join(','));
      }
      writeFileAtomic(o.out, lines.join('\n') + '\n');
      process.stderr.write(`wrote ${bars.time.length} rows to ${o.out}\n`);
    });
}
