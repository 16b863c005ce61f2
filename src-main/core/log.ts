// Logging that never leaks secrets: the Telegram bot token, chat id, the headless access token and IB account
// ids are masked before anything is written to a log or the database.
const SECRET_ENV = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID', 'QS_TOKEN'] as const;

const PATTERNS: RegExp[] = [
  /\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, // Telegram bot token
  /\b(DU|DF|U)\d{5,9}\b/g, // IB account ids
];

export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const name of SECRET_ENV) {
    const v = env[name];
    if (v !== undefined && v.length >= 4) out = out.split(v).join(`<${name}>`);
  }
  for (const p of PATTERNS) out = out.replace(p, (m) => `${m.slice(0, 2)}***`);
  return out;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export function createLogger(sink: (line: string) => void = (l) => process.stderr.write(l + '\n')) {
  const write = (level: LogLevel, msg: string): void => sink(`${new Date().toISOString()} ${level.padEnd(5)} ${redact(msg)}`);
  return {
    debug: (m: string) => write('debug', m),
    info: (m: string) => write('info', m),
    warn: (m: string) => write('warn', m),
    error: (m: string) => write('error', m),
  };
}
