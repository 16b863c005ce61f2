import type { Command } from 'commander';
import { regimes, type Regime } from '../../core/native/market-sim';
import { FAULT_NAMES, parseFault, startSimGateway } from '../../sim-gateway';
import { CliError, parseIntOption, parseNumberOption } from '../io';

interface SimGatewayCliOptions {
  host: string;
  port: number;
  speed: number;
  seed: number;
  regime: string;
  account: string;
  faults?: string;
  verbose?: boolean;
}

export function register(program: Command): void {
  program
    .command('sim-gateway')
    .description('Run a simulated IB Gateway (TWS API server version 193) trading a simulated MES market, for the app and tests')
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'TCP port (IB Gateway paper trading uses 4002; 0 picks a free one)', parseIntOption('--port', 0, 65_535), 4002)
    .option('--speed <x>', 'simulated seconds per real second (a 5-second bar every 5/x real seconds)', parseNumberOption('--speed', 0.01, 10_000), 1)
    .option('--seed <s>', 'market random seed (same seed, same prices)', parseIntOption('--seed', 0, 2 ** 52), 1)
    .option('--regime <name>', `market regime: ${regimes.join(' | ')}`, 'switching')
    .option('--account <id>', 'account id reported to clients', 'DU123456')
    .option('--faults <a,b>', `faults active from the start: ${FAULT_NAMES.join(', ')} (delay-acks=MS)`)
    .option('--verbose', 'log connections and ignored messages to stderr')
    .action(async (o: SimGatewayCliOptions) => {
      if (!(regimes as readonly string[]).includes(o.regime)) throw new CliError(`--regime must be one of ${regimes.join(', ')}, got "${o.regime}"`);
      if (!/^[A-Za-z0-9]+$/.test(o.account)) throw new CliError(`--account must be letters and digits, got "${o.account}"`);
      const faults = (o.faults ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
      for (const f of faults) {
        try {
          parseFault(f);
        } catch (err) {
          throw new CliError(`--faults: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      let gw;
      try {
        gw = await startSimGateway({
          host: o.host,
          port: o.port,
          speed: o.speed,
          seed: o.seed,
          regime: o.regime as Regime,
          account: o.account,
          faults,
          log: o.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
        });
      } catch (err) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
        if (code === 'EADDRINUSE') throw new CliError(`port ${o.port} on ${o.host} is already in use (is a real IB Gateway running?)`);
        throw err;
      }
      process.stdout.write(
        `Simulated IB Gateway listening on ${o.host}:${gw.port} (server version 193, account ${o.account}, MES, seed ${o.seed}, speed ${o.speed}x)\n`,
      );
      const running = gw;
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
