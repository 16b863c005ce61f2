#!/usr/bin/env node
// Entry point of the `quant-scalper` command. Runs the CLI bundle built by the setup command (plain Node, no
// Electron).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('quant-scalper is not built yet. Run the setup command first: npm install');
  process.exit(2);
}
await import(cli);
