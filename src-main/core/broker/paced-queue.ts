// Runs requests through the PacingLimiter in arrival order: a request waits (on the injected clock) until every
// pacing rule allows it, so the app never provokes a pacing violation instead of handling one.
import type { Clock } from './clock';
import type { PacedRequest, PacingLimiter } from './pacing-limiter';

interface Job {
  req: PacedRequest;
  run: () => void;
  reject: (err: Error) => void;
}

export class PacedQueue {
  private readonly queue: Job[] = [];
  private cancelWake: (() => void) | null = null;

  constructor(
    private readonly limiter: PacingLimiter,
    private readonly clock: Clock,
  ) {}

  /** Resolves/rejects with `send`'s result once the limiter lets the request go. */
  submit<T>(req: PacedRequest, send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = (): void => {
        this.limiter.record(req);
        send()
          .then(resolve, reject)
          .finally(() => {
            this.limiter.finished();
            this.pump();
          });
      };
      this.queue.push({ req, run, reject });
      this.pump();
    });
  }

  /** Requests waiting for their turn. */
  waiting(): number {
    return this.queue.length;
  }

  /** Rejects every waiting request (e.g. on disconnect); requests already sent settle on their own. */
  rejectWaiting(err: Error): void {
    this.cancelWake?.();
    this.cancelWake = null;
    for (const j of this.queue.splice(0)) j.reject(err);
  }

  private pump(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const d = this.limiter.check(head.req);
      if (!d.allowed) {
        // 'open' (waitMs null) waits for a request to finish, which pumps again.
        if (d.waitMs !== null) this.cancelWake = this.clock.setTimeout(() => this.pump(), d.waitMs);
        return;
      }
      this.queue.shift();
      head.run();
    }
  }
}
