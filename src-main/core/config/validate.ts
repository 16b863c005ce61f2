// Validates a configuration text: YAML syntax, the schema (errors with field paths), secrets that must not be in
// the file, and judgement calls a trader should see before trading (warnings with suggestions).
import { parseDocument } from 'yaml';
import { configSchema, type Config } from './schema';

export interface ConfigProblem {
  path: string;
  message: string;
  suggestion?: string;
}

export interface ValidationResult {
  config: Config | null;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

const LIVE_PORTS = new Set([4001, 7496]);
const SECRET_KEY = /(token|secret|password|passwd|api[_-]?key|chat[_-]?id)/i;

function findSecretKeys(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const here = [...path, k];
    return SECRET_KEY.test(k) ? [here.join('.')] : findSecretKeys(v, here);
  });
}

export function warningsFor(c: Config): ConfigProblem[] {
  const w: ConfigProblem[] = [];
  if (c.mode === 'live') {
    w.push({ path: 'mode', message: 'LIVE mode: orders go to the market with real money', suggestion: 'run in paper mode first (mode: paper, port 4002 or 7497)' });
  }
  if (c.mode === 'paper' && LIVE_PORTS.has(c.ib.port)) {
    w.push({
      path: 'ib.port',
      message: `port ${c.ib.port} is a LIVE port (IB Gateway 4001 / TWS 7496) but mode is paper`,
      suggestion: 'use 4002 (IB Gateway paper) or 7497 (TWS paper)',
    });
  }
  if (c.mode === 'paper' && c.ib.account?.startsWith('U')) {
    w.push({ path: 'ib.account', message: `account ${c.ib.account} looks like a LIVE account (U...) but mode is paper`, suggestion: 'paper accounts start with DU' });
  }
  if (c.risk.targetUsd / c.risk.stopUsd < 1) {
    w.push({
      path: 'risk.targetUsd',
      message: `target $${c.risk.targetUsd} is smaller than the stop $${c.risk.stopUsd} (ratio ${(c.risk.targetUsd / c.risk.stopUsd).toFixed(2)})`,
      suggestion: 'a target at least as large as the stop needs a lower win rate to break even',
    });
  }
  if (c.risk.maxPosition > 2) {
    w.push({ path: 'risk.maxPosition', message: `max position ${c.risk.maxPosition} contracts is above the product default of 2`, suggestion: 'keep 2 until the strategy has months of paper results' });
  }
  if (c.risk.dailyLossLimitUsd > 0.02 * c.risk.accountSizeUsd) {
    w.push({
      path: 'risk.dailyLossLimitUsd',
      message: `daily loss limit $${c.risk.dailyLossLimitUsd} is ${((c.risk.dailyLossLimitUsd / c.risk.accountSizeUsd) * 100).toFixed(1)}% of the $${c.risk.accountSizeUsd} account (above 2%)`,
      suggestion: `at most $${Math.floor(0.02 * c.risk.accountSizeUsd)} for this account`,
    });
  }
  if (c.mode !== 'simulation' && !c.telegram.enabled) {
    w.push({ path: 'telegram.enabled', message: `Telegram alerts are off while trading ${c.mode}: nobody hears about a halt or a fill when away from the screen`, suggestion: 'set telegram.enabled: true and TELEGRAM_BOT_TOKEN / TELEGRAM_CHAT_ID in the environment' });
  }
  return w;
}

export function validateConfigText(text: string): ValidationResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      config: null,
      errors: doc.errors.map((e) => ({ path: '(yaml)', message: e.message.split('\n')[0] ?? e.message })),
      warnings: [],
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: null, errors: [{ path: '(root)', message: 'the file must be a YAML mapping of sections (mode:, ib:, risk:, ...)' }], warnings: [] };
  }
  const secrets = findSecretKeys(raw).map((path) => ({
    path,
    message: 'secrets never go in the config file',
    suggestion: 'set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID in the environment (or the app keychain) and delete this key',
  }));
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), message: 'unknown key (check the spelling against config/config.example.yaml)' }))
        : [{ path: i.path.length ? i.path.join('.') : '(root)', message: i.message }],
    );
    return { config: null, errors: [...secrets, ...errors.filter((e) => !secrets.some((s) => s.path === e.path))], warnings: [] };
  }
  if (secrets.length > 0) return { config: null, errors: secrets, warnings: [] };
  return { config: parsed.data, errors: [], warnings: warningsFor(parsed.data) };
}

/** 0 clean, 1 warnings only, 2 errors. */
export function exitCodeFor(r: ValidationResult): 0 | 1 | 2 {
  return r.errors.length > 0 ? 2 : r.warnings.length > 0 ? 1 : 0;
}
