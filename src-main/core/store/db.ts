// Opens the app's SQLite file. WAL for concurrent readers; synchronous=FULL so a commit that returned is on disk
// even if the process is killed or the machine loses power right after (orders and fills must never vanish);
// foreign keys on. Migrations bring any earlier file up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, migrations } from './migrations';

export type Db = Database.Database;

export const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'] as const;

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (the Electron shell passes its own build). */
  nativeBinding?: string;
  /** Stop at this schema version (tests of the upgrade path). */
  targetVersion?: number;
}

export function migrate(db: Db, target = LATEST_VERSION): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_VERSION) {
    throw new Error(`the database is at schema version ${version}, newer than this app (${LATEST_VERSION}); update the app`);
  }
  while (version < target) {
    const sql = migrations[version];
    if (sql === undefined) break;
    const next = version + 1;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${next}`);
    })();
    version = next;
  }
  return version;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  for (const p of PRAGMAS) db.pragma(p);
  migrate(db, opts.targetVersion);
  return db;
}
