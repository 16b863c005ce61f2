// Scenario 2 with a real crash: the app (`quant-scalper serve`, a real process) is killed with SIGKILL after it sent
// a bracket and before any acknowledgement reached it. On restart it reconciles with the gateway and finds exactly
// one order for that orderRef: recovered, not resubmitted. The gateway runs in this test process, so it outlives
// the app as a real IB Gateway would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimGateway, type SimGateway } from '../../sim-gateway';
import { sleep } from './live-test-kit';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'out', 'main', 'cli.js');
const built = existsSync(cli);

let gw: SimGateway | null = null;
const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  await gw?.close();
  gw = null;
});

function serve(dataDir: string): ChildProcess {
  const p = spawn(process.execPath, [join(root, 'bin', 'quant-scalper.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, QS_TOKEN: 'kill9-test-token-0123456789' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  procs.push(p);
  return p;
}

function query<T>(file: string, sql: string, ...args: unknown[]): T[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } catch {
    return []; // the app has not created its tables yet
  } finally {
    db.close();
  }
}

async function until(pred: () => boolean, what: string, stepGateway = false, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    if (stepGateway) gw?.step(1);
    await sleep(stepGateway ? 20 : 50);
  }
}

describe.skipIf(!built)('kill -9 mid-order (the built app; run the setup command first)', () => {
  it('2: SIGKILL after placeOrder and before the ack: the restarted app finds exactly one order by orderRef', async () => {
    gw = await startSimGateway({ port: 0, clock: 'manual', seed: 7, regime: 'volatile' });
    const g = gw;
    const dataDir = mkdtempSync(join(tmpdir(), 'qs-kill9-'));
    const dbFile = join(dataDir, 'quant-scalper.db');
    writeFileSync(
      join(dataDir, 'config.yaml'),
      [`mode: paper`, `ib:`, `  port: ${g.port}`, `  clientId: 23`, `  account: DU123456`, `strategy:`, `  barSeconds: 60`, `  zscore: { lookback: 5, entryZ: 1, exitZ: 0.2 }`, `risk: { stopUsd: 20, targetUsd: 30 }`, ''].join('\n'),
    );
    g.faults.pauseMatching(true);
    g.faults.loseNextAck();

    const first = serve(dataDir);
    await until(() => g.connectionCount() === 1, 'the app to connect');
    await until(() => g.orders().some((o) => o.orderRef.endsWith(':sl')), 'the app to send a bracket', true);
    first.kill('SIGKILL');
    await until(() => first.exitCode !== null || first.signalCode !== null, 'the app to die');
    const entry = g.orders().find((o) => o.orderRef.endsWith(':entry'));
    const ref = entry?.orderRef as string;
    expect(query<{ state: string }>(dbFile, 'SELECT state FROM orders WHERE order_ref = ?', ref)[0]?.state).toBe('PendingSubmit');

    serve(dataDir);
    await until(() => query(dbFile, `SELECT id FROM audit_log WHERE kind = 'reconciliation'`).length >= 2, 'the restarted app to reconcile');
    await until(() => /Submitted/.test(query<{ state: string }>(dbFile, 'SELECT state FROM orders WHERE order_ref = ?', ref)[0]?.state ?? ''), 'the order to be matched');
    expect(g.orders().filter((o) => o.orderRef === ref)).toHaveLength(1);
    expect(g.orders().filter((o) => o.orderRef.endsWith(':entry'))).toHaveLength(1);
    const [report] = query<{ detail_json: string }>(dbFile, `SELECT detail_json FROM audit_log WHERE kind = 'reconciliation' ORDER BY id DESC LIMIT 1`);
    expect((JSON.parse(report?.detail_json ?? '{}') as { matched: string[] }).matched).toContain(ref);
  }, 90_000);
});
