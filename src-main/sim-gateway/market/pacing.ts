// IB's historical-data pacing for small bars (30 s or less), counted gateway-wide on real wall time:
// no identical request within 15 s, at most 6 requests for one contract in 2 s, at most 60 in 10 minutes.

interface Entry {
  at: number;
  key: string;
  contract: string;
}

export class HistoricalPacing {
  private log: Entry[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** True when the request is allowed (and then counted); false is a pacing violation (not counted). */
  check(key: string, contract: string): boolean {
    const now = this.clock();
    this.log = this.log.filter((e) => now - e.at < 600_000);
    const identical = this.log.some((e) => e.key === key && now - e.at < 15_000);
    const sameContract = this.log.filter((e) => e.contract === contract && now - e.at < 2_000).length >= 6;
    const total = this.log.length >= 60;
    if (identical || sameContract || total) return false;
    this.log.push({ at: now, key, contract });
    return true;
  }
}
