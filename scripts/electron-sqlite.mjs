#!/usr/bin/env node
// better-sqlite3 is a Node add-on: the copy npm builds targets Node's ABI (the CLI, the headless shell, tests),
// while the desktop app runs inside Electron, whose ABI differs. Where the Electron binary is installed, this
// step puts a second copy built for Electron at out/electron-native/better_sqlite3.node; the Electron shell
// passes it to better-sqlite3 as `nativeBinding`. Where Electron is not installed (servers, CI), it does nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const target = join(root, 'out', 'electron-native', 'better_sqlite3.node');

let electronVersion;
try {
  const binary = require('electron');
  if (typeof binary !== 'string' || !existsSync(binary)) throw new Error('no binary');
  electronVersion = require('electron/package.json').version;
} catch {
  console.log('electron-sqlite: the Electron binary is not installed here; the desktop build of SQLite is skipped.');
  process.exit(0);
}

const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'qs-electron-sqlite-'));
try {
  cpSync(sqliteDir, work, { recursive: true, filter: (p) => !p.includes(`${join('build', '')}`) });
  const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
  try {
    run(bin('prebuild-install'), ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]);
  } catch {
    console.log('electron-sqlite: no prebuilt binary for this Electron; building from source');
    // npm hands its bundled node-gyp to scripts in npm_config_node_gyp; otherwise fetch it.
    const gyp = process.env.npm_config_node_gyp;
    const args = ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'];
    if (gyp) run(process.execPath, [gyp, ...args]);
    else run('npx', ['--yes', 'node-gyp', ...args]);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  console.log(`electron-sqlite: SQLite for Electron ${electronVersion} is at ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
