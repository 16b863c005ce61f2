// IB's pacing rules for historical bars (documented for bars of 30 s or less; applied to every historical request
// here, because the warm-up needs only a handful and a violation costs an error 162 and a blocked feed):
//   - no identical request within 15 s
//   - at most 6 requests for the same contract (and data type) within 2 s
//   - at most 60 requests within any 10 minutes
//   - at most 50 requests open at once
// The limiter is pure bookkeeping over an injected clock: check() says whether a request may go now or how long to
// wait; record() when it is sent; finished() when its answer (or error) arrives.

export interface PacingRules {
  identicalWindowMs: number;
  sameContractMax: number;
  sameContractWindowMs: number;
  totalMax: number;
  totalWindowMs: number;
  maxOpen: number;
  /** Added to every computed wait so the venue's clock, a little behind ours, never sees a violation. */
  marginMs: number;
}

export const IB_HISTORICAL_PACING: PacingRules = {
  identicalWindowMs: 15_000,
  sameContractMax: 6,
  sameContractWindowMs: 2_000,
  totalMax: 60,
  totalWindowMs: 600_000,
  maxOpen: 50,
  marginMs: 100,
};

export interface PacedRequest {
  /** Everything that makes two requests identical (contract, end, duration, bar size, data type, hours). */
  identity: string;
  /** Contract + data type, for the same-contract rule. */
  contractKey: string;
}

export type PacingRule = 'identical' | 'same-contract' | 'total' | 'open';

export type PacingDecision =
  | { allowed: true }
  /** waitMs null: wait until an open request finishes. */
  | { allowed: false; rule: PacingRule; waitMs: number | null; message: string };

interface Sent {
  at: number;
  identity: string;
  contractKey: string;
}

export class PacingLimiter {
  private sent: Sent[] = [];
  private open = 0;

  constructor(
    private readonly clock: { now(): number },
    private readonly rules: PacingRules = IB_HISTORICAL_PACING,
  ) {}

  check(req: PacedRequest): PacingDecision {
    const now = this.clock.now();
    this.prune(now);
    const r = this.rules;
    const waits: { rule: PacingRule; until: number; message: string }[] = [];
    const identical = this.sent.filter((s) => s.identity === req.identity && now - s.at < r.identicalWindowMs);
    const lastIdentical = identical[identical.length - 1];
    if (lastIdentical !== undefined) {
      waits.push({ rule: 'identical', until: lastIdentical.at + r.identicalWindowMs, message: `the same request was sent less than ${r.identicalWindowMs / 1000} s ago` });
    }
    const sameContract = this.sent.filter((s) => s.contractKey === req.contractKey && now - s.at < r.sameContractWindowMs);
    if (sameContract.length >= r.sameContractMax) {
      const oldest = sameContract[sameContract.length - r.sameContractMax];
      if (oldest !== undefined) {
        waits.push({ rule: 'same-contract', until: oldest.at + r.sameContractWindowMs, message: `${r.sameContractMax} requests for this contract within ${r.sameContractWindowMs / 1000} s` });
      }
    }
    if (this.sent.length >= r.totalMax) {
      const oldest = this.sent[this.sent.length - r.totalMax];
      if (oldest !== undefined) {
        waits.push({ rule: 'total', until: oldest.at + r.totalWindowMs, message: `${r.totalMax} historical requests within ${r.totalWindowMs / 60_000} minutes` });
      }
    }
    if (waits.length > 0) {
      const longest = waits.reduce((a, b) => (b.until > a.until ? b : a));
      return { allowed: false, rule: longest.rule, waitMs: longest.until - now + r.marginMs, message: longest.message };
    }
    if (this.open >= r.maxOpen) return { allowed: false, rule: 'open', waitMs: null, message: `${r.maxOpen} historical requests are still open` };
    return { allowed: true };
  }

  record(req: PacedRequest): void {
    this.sent.push({ at: this.clock.now(), identity: req.identity, contractKey: req.contractKey });
    this.open++;
  }

  finished(): void {
    this.open = Math.max(0, this.open - 1);
  }

  openCount(): number {
    return this.open;
  }

  private prune(now: number): void {
    const keep = Math.max(this.rules.totalWindowMs, this.rules.identicalWindowMs, this.rules.sameContractWindowMs);
    if (this.sent.length > 0 && now - (this.sent[0]?.at ?? now) >= keep) this.sent = this.sent.filter((s) => now - s.at < keep);
  }
}
