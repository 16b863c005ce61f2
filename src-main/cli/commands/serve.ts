import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createCore } from '../../core/api';
import { resolveDataDir } from '../../core/data-dir';
import { appVersion, rendererDir } from '../../core/paths';
import { generateToken } from '../../headless/auth';
import { startHeadless } from '../../headless/server';
import { CliError, parseIntOption } from '../io';

interface ServeOptions {
  host: string;
  port: number;
  dataDir?: string;
  simBarMs: number;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the app headless: the same UI in a browser, the same API over WebSocket (token required)')
    .option('--host <addr>', 'address to bind (keep 127.0.0.1 unless behind an authenticated tunnel)', '127.0.0.1')
    .option('--port <n>', 'TCP port (0 picks a free one)', parseIntOption('--port', 0, 65_535), 8787)
    .option('--data-dir <dir>', 'data directory (default: QS_DATA_DIR or ~/.quant-scalper)')
    .option('--sim-bar-ms <ms>', 'simulation: wall-clock milliseconds per bar', parseIntOption('--sim-bar-ms', 10, 3_600_000), 1000)
    .action(async (o: ServeOptions) => {
      const dir = rendererDir();
      if (!existsSync(join(dir, 'index.html'))) {
        throw new CliError(`the web UI is not built (${dir}). Run the setup command first: npm install`);
      }
      const fromEnv = process.env.QS_TOKEN;
      if (fromEnv !== undefined && fromEnv.length < 16) {
        throw new CliError('QS_TOKEN must be at least 16 characters; unset it to have one generated');
      }
      const token = fromEnv ?? generateToken();
      const dataDir = resolveDataDir(o.dataDir);
      const core = createCore({ shell: 'headless', version: appVersion(), dataDir, feed: { intervalMs: o.simBarMs }, log: (l) => process.stderr.write(`${l}\n`) });
      const { config } = await core.handlers['app:info']({});
      for (const e of config.errors) process.stderr.write(`config error: ${e}\n`);
      for (const w of config.warnings) process.stderr.write(`config warning: ${w}\n`);
      if (config.errors.length > 0) process.stderr.write(`${config.file}: trading is refused until these errors are fixed\n`);
      const server = await startHeadless({
        core,
        rendererDir: dir,
        host: o.host,
        port: o.port,
        token,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      core.start();
      if (o.host !== '127.0.0.1' && o.host !== 'localhost' && o.host !== '::1') {
        process.stderr.write(`warning: listening on ${o.host}, reachable from other machines; the access token is the only guard\n`);
      }
      process.stdout.write(`Quant Scalper (${(await core.handlers['app:info']({})).mode}) is serving on ${server.url}\n`);
      process.stdout.write(`Open: ${server.url}?token=${fromEnv === undefined ? token : '<QS_TOKEN>'}\n`);
      const shutdown = (): void => {
        void core
          .stop()
          .then(() => server.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
