import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './db';
import { LATEST_VERSION } from './migrations';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'qs-db-')), 'qs.db');

describe('migrations', () => {
  it('bring an empty file to the latest version with WAL, FULL sync and foreign keys', () => {
    const db = openDatabase(fresh());
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('upgrade every earlier version with its data intact', () => {
    for (let from = 1; from < LATEST_VERSION; from++) {
      const file = fresh();
      const old = openDatabase(file, { targetVersion: from });
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      old.prepare(`INSERT INTO alerts_outbox (created_at, category, level, text) VALUES (1, 'risk', 'critical', 'daily loss limit hit')`).run();
      old.prepare(`INSERT INTO audit_log (time, kind, actor, message) VALUES (1, 'command', 'ui', 'pause')`).run();
      old.prepare(`INSERT INTO executions (exec_id, side, qty, price, time) VALUES ('e1', 'BOT', 1, 5000.25, 1)`).run();
      old.close();

      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.prepare(`SELECT text, attempts, next_attempt_at AS n FROM alerts_outbox`).get()).toEqual({ text: 'daily loss limit hit', attempts: 0, n: 0 });
      expect(db.prepare(`SELECT message FROM audit_log`).get()).toEqual({ message: 'pause' });
      expect(db.prepare(`SELECT price FROM executions WHERE exec_id = 'e1'`).get()).toEqual({ price: 5000.25 });
      db.close();
    }
  });

  it('refuses a database from a newer app', () => {
    const file = fresh();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(() => migrate(raw)).toThrow(/newer than this app/);
    raw.close();
  });
});
