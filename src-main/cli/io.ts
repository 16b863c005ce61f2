// Small helpers shared by CLI commands: typed failures with exit codes, option parsing, file output.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** A user-facing failure: the message names the problem; the exit code is the command's contract. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function parseIntOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new CliError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return v;
  };
}

export function parseNumberOption(name: string, min = -Infinity, max = Infinity) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
      throw new CliError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    }
    return v;
  };
}

/** Write a file atomically (temp file + rename) so a crash never leaves half a file behind. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
