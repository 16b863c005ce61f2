#!/usr/bin/env node
// The Electron binary is a download from GitHub that some machines cannot make (servers, CI behind a registry
// mirror). npm is told not to run electron's own install script (package.json allowScripts), so a failed download
// can never fail the install; this step runs that same script and, when the download is impossible, says so and
// carries on: the CLI and the headless shell (`quant-scalper serve`) need no Electron binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let installScript;
try {
  installScript = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  console.log('electron-binary: the electron package is not installed; the desktop app is not available here.');
  process.exit(0);
}
if (!existsSync(installScript)) process.exit(0);

const run = spawnSync(process.execPath, [installScript], { cwd: dirname(installScript), stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 10 * 60_000 });
if (run.status === 0) {
  console.log('electron-binary: the Electron binary is installed; the desktop app can start (npm start).');
} else {
  const why = (run.stderr || run.error?.message || '').trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'unknown error';
  console.log(`electron-binary: the Electron binary could not be downloaded (${why}).`);
  console.log('electron-binary: the desktop app will not start on this machine; `quant-scalper serve` (the same UI in a browser) works.');
}
