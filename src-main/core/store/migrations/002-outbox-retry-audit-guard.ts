// v2: (a) the alerts outbox retries with backoff and can give up (Telegram down for an hour must neither lose
// an alert nor retry forever in a tight loop), and (b) the audit log becomes append-only in the database itself,
// so no code path can rewrite history.
export const v2 = `
ALTER TABLE alerts_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts_outbox ADD COLUMN next_attempt_at REAL NOT NULL DEFAULT 0;
ALTER TABLE alerts_outbox ADD COLUMN failed_at REAL;
ALTER TABLE alerts_outbox ADD COLUMN last_error TEXT;
CREATE INDEX alerts_outbox_due ON alerts_outbox(delivered_at, failed_at, next_attempt_at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;
