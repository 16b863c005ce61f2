// Test kit for the live engine: a real simulated gateway over TCP (manual clock), the real IBKR adapter, a real
// SQLite file. `restart()` builds a new adapter and engine on the same database, as a relaunched app would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IbkrBroker } from '../broker/ibkr/adapter';
import { configSchema, type Config } from '../config/schema';
import { openDatabase, type Db } from '../store/db';
import { startSimGateway, type SimGateway, type SimGatewayOptions } from '../../sim-gateway';
import type { EngineEvent } from './events';
import { LiveEngine } from './live-engine';

export interface Kit {
  gw: SimGateway;
  db: Db;
  file: string;
  config: Config;
  engine: LiveEngine;
  broker: IbkrBroker;
  events: EngineEvent[];
  /** Steps the simulated market one 5-second bar at a time until `pred` holds (TCP delivery awaited each step). */
  stepUntil(pred: () => boolean, maxBars?: number): Promise<void>;
  waitUntil(pred: () => boolean, timeoutMs?: number): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A jumpy strategy (short lookback, low thresholds) so the simulated market trades within a few minutes. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    strategy: { barSeconds: 60, zscore: { lookback: 5, entryZ: 1, exitZ: 0.2 } },
    risk: { stopUsd: 20, targetUsd: 30, dailyLossLimitUsd: 500, maxOrdersPerMinute: 30 },
    ...overrides,
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export async function startKit(o: { gateway?: SimGatewayOptions; config?: Config; gw?: SimGateway; file?: string; start?: boolean } = {}): Promise<Kit> {
  const gw = o.gw ?? (await startSimGateway({ port: 0, clock: 'manual', seed: 7, regime: 'volatile', ...o.gateway }));
  const file = o.file ?? join(mkdtempSync(join(tmpdir(), 'qs-live-')), 'qs.db');
  const config = o.config ?? testConfig();
  const kit = { gw, file, config, events: [] as EngineEvent[] } as Kit;
  const build = () => {
    kit.db = openDatabase(file);
    kit.broker = new IbkrBroker({ host: '127.0.0.1', port: gw.port, clientId: kit.config.ib.clientId, backoff: { initialMs: 100, maxMs: 500 }, liveness: { intervalMs: 300, timeoutMs: 700 }, staleAfterSeconds: 30 });
    kit.engine = new LiveEngine({ broker: kit.broker, db: kit.db, config: kit.config, mode: 'simulation', tradingBlockedBy: () => null, ackTimeoutS: 1, warmUpBars: 0 });
    kit.engine.events.subscribe((e) => kit.events.push(e));
  };
  build();
  kit.waitUntil = waitUntil;
  kit.stepUntil = async (pred, maxBars = 3000) => {
    for (let i = 0; i < maxBars; i++) {
      if (pred()) return;
      gw.step(1);
      await sleep(i % 12 === 11 ? 15 : 2);
    }
    await sleep(50);
    if (!pred()) throw new Error(`condition not met within ${maxBars} five-second bars`);
  };
  kit.restart = async () => {
    await kit.engine.stop().catch(() => undefined);
    kit.db.close();
    kit.events.length = 0;
    build();
    await kit.engine.start();
  };
  kit.close = async () => {
    await kit.engine.stop().catch(() => undefined);
    if (kit.db.open) kit.db.close();
    if (!o.gw) await gw.close();
  };
  if (o.start !== false) await kit.engine.start();
  return kit;
}
