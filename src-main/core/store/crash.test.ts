// Scenario 3: kill -9 a process in a tight SQLite write loop, 100 times, on the same file. After every kill the
// file passes PRAGMA integrity_check and every write the process reported committed is there. The child opens
// the database with the app's own pragmas and migrations and writes through a transaction exactly as the
// repositories do; it reports an id only after commit returned (synchronous write to stdout).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { openDatabase, PRAGMAS } from './db';
import { migrations } from './migrations';

const childSource = (root: string) => `
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';
const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
const Database = require('better-sqlite3');
const [file, run] = process.argv.slice(2);
const db = new Database(file);
for (const p of ${JSON.stringify(PRAGMAS)}) db.pragma(p);
const migrations = ${JSON.stringify(migrations)};
let v = db.pragma('user_version', { simple: true });
while (v < migrations.length) { db.transaction(() => { db.exec(migrations[v]); db.pragma('user_version = ' + (v + 1)); })(); v++; }
const insert = db.prepare("INSERT INTO executions (exec_id, order_ref, side, qty, price, time) VALUES (?, ?, 'BOT', 1, 5000.25, ?)");
const audit = db.prepare("INSERT INTO audit_log (time, kind, actor, message) VALUES (?, 'order', 'crash-test', ?)");
const write = db.transaction((id, i) => { insert.run(id, 'ref-' + i, i); audit.run(i, 'fill ' + id); });
writeSync(1, 'ready\\n');
for (let i = 0; ; i++) {
  const id = run + '-' + i;
  write(id, i);
  writeSync(1, id + '\\n');
}
`;

function crashOnce(script: string, file: string, run: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (timer === undefined && out.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended without being killed: ${err}`));
      // Only complete lines were reported; a torn last line was not a finished report.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready'));
    });
  });
}

describe('crash safety (kill -9 x100)', () => {
  it('keeps the file intact and every reported commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-crash-'));
    const script = join(dir, 'writer.mjs');
    writeFileSync(script, childSource(packageRoot()));
    const file = join(dir, 'qs.db');
    const reported: string[] = [];
    let seed = 12345;
    for (let run = 0; run < 100; run++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      reported.push(...(await crashOnce(script, file, run, 5 + (seed % 60))));
    }
    expect(reported.length).toBeGreaterThan(100);

    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set((db.prepare('SELECT exec_id AS id FROM executions').all() as { id: string }[]).map((r) => r.id));
    const missing = reported.filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    // Both rows of each transaction made it, or neither did.
    const audits = (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE actor = 'crash-test'").get() as { n: number }).n;
    expect(audits).toBe(present.size);
    db.close();
  }, 180_000);
});
