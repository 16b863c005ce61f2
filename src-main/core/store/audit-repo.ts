// The append-only audit log: every command, kill switch, breaker trip, refused order (with its reason),
// connection change and config change. The database refuses UPDATE and DELETE on it (migration v2).
import { redact } from '../log';
import type { Db } from './db';

export type AuditKind = 'command' | 'kill_switch' | 'breaker' | 'order_refused' | 'connection' | 'config' | 'reconciliation' | 'order';

export interface AuditEntry {
  id: number;
  time: number;
  kind: AuditKind;
  actor: string;
  message: string;
  detail: unknown;
}

export class AuditRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  append(kind: AuditKind, actor: string, message: string, detail?: unknown): number {
    const res = this.db
      .prepare(`INSERT INTO audit_log (time, kind, actor, message, detail_json) VALUES (?, ?, ?, ?, ?)`)
      .run(this.now(), kind, actor, redact(message), detail === undefined ? null : redact(JSON.stringify(detail)));
    return Number(res.lastInsertRowid);
  }

  recent(limit = 100, kind?: AuditKind): AuditEntry[] {
    const rows = (kind
      ? this.db.prepare(`SELECT * FROM audit_log WHERE kind = ? ORDER BY id DESC LIMIT ?`).all(kind, limit)
      : this.db.prepare(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit)) as {
      id: number;
      time: number;
      kind: AuditKind;
      actor: string;
      message: string;
      detail_json: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, time: r.time, kind: r.kind, actor: r.actor, message: r.message, detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as unknown) }));
  }
}
