import type { Command } from 'commander';
import { allocColumns } from '../../core/domain/bar';
import { formatBarsCsv, parseTimeCell } from '../../core/domain/bars-csv';
import { PriceWalk } from '../../core/native';
import { CliError, parseIntOption, writeFileAtomic } from '../io';

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Generate seeded MES bars (tick grid 0.25 points) and write them as a bars CSV')
    .requiredOption('--bars <n>', 'number of bars', parseIntOption('--bars', 1, 50_000_000))
    .option('--bar-seconds <s>', 'bar length in seconds', parseIntOption('--bar-seconds', 1, 86_400), 60)
    .option('--seed <s>', 'random seed (same seed, same bars)', parseIntOption('--seed', 0, 2 ** 52), 1)
    .option('--start <time>', 'first bar start, ISO-8601 UTC or epoch seconds', '2026-01-05T14:30:00Z')
    .option('--start-price <points>', 'first open, in index points', '5000')
    .requiredOption('--out <file>', 'output CSV path')
    .action((o: { bars: number; barSeconds: number; seed: number; start: string; startPrice: string; out: string }) => {
      const startTime = parseTimeCell(o.start, 0);
      const startPrice = Number(o.startPrice);
      if (!Number.isFinite(startPrice) || startPrice <= 0) {
        throw new CliError(`--start-price must be a positive number of points, got "${o.startPrice}"`);
      }
      const walk = new PriceWalk({ seed: o.seed, startPrice, startTime, barSeconds: o.barSeconds });
      const cols = allocColumns(o.bars);
      walk.fill(cols.time, cols.open, cols.high, cols.low, cols.close, cols.volume);
      writeFileAtomic(o.out, formatBarsCsv(cols));
      process.stderr.write(`wrote ${o.bars} bars of ${o.barSeconds} s to ${o.out}\n`);
    });
}
