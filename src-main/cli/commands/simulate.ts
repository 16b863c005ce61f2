import type { Command } from 'commander';
import { allocColumns } from '../../core/domain/bar';
import { formatBarsCsv, parseTime } from '../../core/domain/bars-csv';
import { PriceWalk } from '../../core/native';
import { regimes, simulateBars, simulateDays, type Regime } from '../../core/native/market-sim';
import { CliError, parseIntOption, writeFileAtomic } from '../io';

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Generate seeded MES bars (tick grid 0.25 points) and write them as a bars CSV')
    .option('--bars <n>', 'number of bars (or use --days)', parseIntOption('--bars', 1, 50_000_000))
    .option('--days <n>', 'all session bars of N CME trading days (needs --regime)', parseIntOption('--days', 1, 2000))
    .option('--regime <name>', 'market simulator regime: bull | bear | sideways | volatile | switching (session hours, gaps, GARCH volatility); without it, a plain tick-grid random walk')
    .option('--bar-seconds <s>', 'bar length in seconds', parseIntOption('--bar-seconds', 1, 86_400), 60)
    .option('--seed <s>', 'random seed (same seed, same bars)', parseIntOption('--seed', 0, 2 ** 52), 1)
    .option('--start <time>', 'first bar start, ISO-8601 UTC or epoch seconds', '2026-01-05T14:30:00Z')
    .option('--start-price <points>', 'first open, in index points', '5000')
    .requiredOption('--out <file>', 'output CSV path')
    .action((o: { bars?: number; days?: number; regime?: string; barSeconds: number; seed: number; start: string; startPrice: string; out: string }) => {
      if ((o.bars === undefined) === (o.days === undefined)) throw new CliError('give exactly one of --bars N or --days N');
      if (o.regime !== undefined && !(regimes as readonly string[]).includes(o.regime)) {
        throw new CliError(`--regime must be one of ${regimes.join(', ')}, got "${o.regime}"`);
      }
      if (o.days !== undefined && o.regime === undefined) throw new CliError('--days needs --regime (the session-aware market simulator)');
      // Every simulated bar lies inside one session; past 4 hours a bar might fit in none.
      if (o.regime !== undefined && o.barSeconds > 14_400) throw new CliError(`--bar-seconds must be at most 14400 (4 hours) with --regime, got ${o.barSeconds}`);
      let startTime: number;
      try {
        startTime = parseTime(o.start);
      } catch (e) {
        throw new CliError(`--start: ${(e as Error).message}`);
      }
      const startPrice = Number(o.startPrice);
      if (!Number.isFinite(startPrice) || startPrice <= 0) {
        throw new CliError(`--start-price must be a positive number of points, got "${o.startPrice}"`);
      }
      let cols;
      if (o.regime !== undefined) {
        const opts = { seed: o.seed, regime: o.regime as Regime, barSeconds: o.barSeconds, startTime, startPrice };
        cols = o.days !== undefined ? simulateDays(opts, o.days) : simulateBars(opts, o.bars ?? 0);
      } else {
        cols = allocColumns(o.bars ?? 0);
        new PriceWalk({ seed: o.seed, startPrice, startTime, barSeconds: o.barSeconds }).fill(cols.time, cols.open, cols.high, cols.low, cols.close, cols.volume);
      }
      writeFileAtomic(o.out, formatBarsCsv(cols));
      process.stderr.write(`wrote ${cols.time.length} bars of ${o.barSeconds} s to ${o.out}${o.regime ? ` (regime ${o.regime})` : ''}\n`);
    });
}
