// Reads the trader's config.yaml from the data directory. A missing file means the defaults (simulation); an
// invalid file is refused with every problem listed, and nothing is overwritten.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig, type Config } from './schema';
import { validateConfigText, type ConfigProblem } from './validate';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file} is not a valid configuration:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function configPath(dataDir: string): string {
  return join(dataDir, 'config.yaml');
}

export interface LoadedConfig {
  config: Config;
  warnings: ConfigProblem[];
  file: string | null;
}

/** `null` reads no file and returns the defaults. */
export function loadConfig(dataDir: string | null): LoadedConfig {
  if (dataDir === null) return { config: defaultConfig, warnings: [], file: null };
  const file = configPath(dataDir);
  if (!existsSync(file)) return { config: defaultConfig, warnings: [], file: null };
  const result = validateConfigText(readFileSync(file, 'utf8'));
  if (result.config === null) throw new ConfigError(file, result.errors);
  return { config: result.config, warnings: result.warnings, file };
}

/** Secrets come only from the environment (or the desktop keychain, injected by the Electron shell). */
export interface Secrets {
  telegramBotToken: string | null;
  telegramChatId: string | null;
}

export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return { telegramBotToken: env.TELEGRAM_BOT_TOKEN ?? null, telegramChatId: env.TELEGRAM_CHAT_ID ?? null };
}
