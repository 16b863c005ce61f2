// Writes config.yaml only after it validates; the write is atomic (temp file + rename), so a crash or a bad edit
// never leaves the trader without their previous, working file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { configPath } from './load';
import { validateConfigText, type ValidationResult } from './validate';

export function saveConfigText(dataDir: string, text: string): ValidationResult {
  const result = validateConfigText(text);
  if (result.config === null) return result;
  const file = configPath(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return result;
}
