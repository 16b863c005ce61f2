// The decision core's serialized state, saved on every change so a restart resumes exactly where it stopped
// (including a HALT or a timed pause). Only the latest few are kept.
import type { Db } from './db';

const KEEP = 50;

export class SnapshotsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  save(stateJson: string): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO engine_snapshots (time, state_json) VALUES (?, ?)`).run(this.now(), stateJson);
      this.db.prepare(`DELETE FROM engine_snapshots WHERE id <= (SELECT MAX(id) FROM engine_snapshots) - ?`).run(KEEP);
    })();
  }

  latest(): { time: number; stateJson: string } | null {
    const r = this.db.prepare(`SELECT time, state_json AS stateJson FROM engine_snapshots ORDER BY id DESC LIMIT 1`).get() as
      | { time: number; stateJson: string }
      | undefined;
    return r ?? null;
  }
}
