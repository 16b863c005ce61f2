// Ordered schema migrations; PRAGMA user_version holds the version a file is at. Each step runs in its own
// transaction, so a crash mid-upgrade leaves the file at the previous version, never half-migrated.
import { v1 } from './001-initial';
import { v2 } from './002-outbox-retry-audit-guard';

export const migrations: readonly string[] = [v1, v2];
export const LATEST_VERSION = migrations.length;
