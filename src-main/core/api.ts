// The application core: everything the UIs can ask for, with no knowledge of Electron, HTTP or IPC.
import type { ConfigStatusDTO, ShellKind, TradingMode } from '../../src-preload/contract';
import { ConfigError, loadConfig } from './config/load';
import type { Config } from './config/schema';
import { databaseFile } from './data-dir';
import { AuditRepo } from './store/audit-repo';
import { openDatabase, type Db } from './store/db';
import { TradingGate } from './trading-gate';
import { CoreEvents } from './events';
import { SimFeed, type SimFeedOptions, type Timers } from './market/sim-feed';
import type { Handlers } from './rpc';
import { notRunningStatus, TradingRuntime } from './trading-runtime';

export interface CoreOptions {
  shell: ShellKind;
  version: string;
  /** Where config.yaml and the database live; null runs on defaults without reading any file. */
  dataDir?: string | null;
  /** better_sqlite3.node built for this runtime (the Electron shell passes its own build). */
  sqliteBinding?: string;
  feed?: Partial<SimFeedOptions>;
  timers?: Timers;
  /** Start the trading runtime (default true when a data directory is given). */
  trading?: boolean;
  log?: (line: string) => void;
}

export const defaultFeedOptions: SimFeedOptions = {
  symbol: 'MES',
  barSeconds: 60,
  lookback: 20,
  entryZ: 2,
  exitZ: 0.5,
  seed: 42,
  startTime: Date.UTC(2026, 0, 5, 14, 30) / 1000,
  startPrice: 5000,
  intervalMs: 1000,
  historyBars: 300,
  keep: 2000,
};

export interface Core {
  readonly handlers: Handlers;
  readonly events: CoreEvents;
  start(): void;
  stop(): Promise<void>;
  readonly trading: TradingRuntime | null;
}

/** Reads config.yaml; an invalid file is reported (and trading refused), never silently replaced by defaults. */
export function readConfig(dataDir: string | null): { config: Config | null; status: ConfigStatusDTO } {
  if (dataDir === null) return { config: loadConfig(null).config, status: { file: null, errors: [], warnings: [] } };
  try {
    const loaded = loadConfig(dataDir);
    return { config: loaded.config, status: { file: loaded.file, errors: [], warnings: loaded.warnings.map((w) => `${w.path}: ${w.message}`) } };
  } catch (err) {
    if (err instanceof ConfigError) return { config: null, status: { file: err.file, errors: err.problems.map((p) => `${p.path}: ${p.message}`), warnings: [] } };
    throw err;
  }
}

function openStore(dataDir: string | null, binding: string | undefined): { db: Db | null; error: string | null } {
  if (dataDir === null) return { db: null, error: null };
  try {
    return { db: openDatabase(databaseFile(dataDir), binding !== undefined ? { nativeBinding: binding } : {}), error: null };
  } catch (err) {
    return { db: null, error: `the database cannot be opened (${err instanceof Error ? err.message : String(err)})` };
  }
}

export function createCore(opts: CoreOptions): Core {
  const events = new CoreEvents();
  const dataDir = opts.dataDir ?? null;
  const { config: cfg, status: config } = readConfig(dataDir);
  const store = openStore(dataDir, opts.sqliteBinding);
  const blockers = [...config.errors.map((e) => `config ${e}`), ...(store.error ? [store.error] : [])];
  const gate = new TradingGate(cfg, blockers, store.db ? new AuditRepo(store.db) : null, opts.shell === 'electron' ? 'desktop' : 'web');
  const feed = new SimFeed({ ...defaultFeedOptions, ...opts.feed }, events, opts.timers);
  const mode: TradingMode = cfg?.mode ?? 'simulation';
  const actor = opts.shell === 'electron' ? 'desktop' : 'web';
  // Trading needs a valid config and a database; without them the chart runs on the demo feed and every trading
  // command answers why trading is not running.
  const trading =
    cfg !== null && store.db !== null && blockers.length === 0 && (opts.trading ?? true)
      ? new TradingRuntime({ config: cfg, db: store.db, events, tradingBlockedBy: () => (gate.status().canTrade ? null : (gate.status().reason ?? 'trading is not allowed')), ...(opts.log ? { log: opts.log } : {}) })
      : null;
  const notRunning = blockers.length > 0 ? blockers.join('; ') : store.db === null ? 'no data directory (nothing could be recorded)' : 'trading is switched off';
  const refuse = () => ({ accepted: false, message: `Trading is not running: ${notRunning}` });

  const handlers = {
    'app:info': () => ({ name: 'Quant Scalper', version: opts.version, shell: opts.shell, mode, dataDir, config }),
    'market:snapshot': (p) => (trading ? trading.snapshot(p.limit ?? 500) : feed.snapshot(p.limit)),
    'feed:status': () => feed.status(),
    'trading:gate': () => gate.status(),
    'trading:armLive': (p) => gate.armLive(p.phrase),
    'trading:status': () => trading?.status() ?? notRunningStatus(mode, notRunning),
    'trading:flatten': () => trading?.flatten(actor) ?? refuse(),
    'trading:pause': () => trading?.pause(actor) ?? refuse(),
    'trading:resume': () => trading?.resume(actor) ?? refuse(),
    'trading:adopt': () => trading?.adopt(actor) ?? refuse(),
    'trading:trades': (p) => trading?.trades(p.limit ?? 200) ?? [],
    'trading:alerts': (p) => trading?.recentAlerts(p.limit ?? 100) ?? [],
  } satisfies Handlers;

  return {
    handlers,
    events,
    trading,
    start: () => {
      if (trading) void trading.start();
      else feed.start();
    },
    stop: async () => {
      feed.stop();
      await trading?.stop();
      store.db?.close();
    },
  };
}
