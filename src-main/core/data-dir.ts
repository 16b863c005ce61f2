// The data directory: --data-dir flag, else QS_DATA_DIR, else ~/.quant-scalper (the desktop app passes its own
// app-data folder). Created on first use.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(flag ?? env.QS_DATA_DIR ?? join(homedir(), '.quant-scalper'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'quant-scalper.db');
}
