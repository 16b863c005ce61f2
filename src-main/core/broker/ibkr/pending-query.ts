// One-shot broker queries that stream items and then an End message (contract details, executions, open orders,
// positions, historical bars). Each pending query collects its items, settles on End, and rejects with a clear
// BrokerError on a timeout, a broker error naming its request id, or the session going down.
import type { Clock } from '../clock';
import { BrokerError } from '../errors';

/** Request ids start far above any order id, so an error's id tells a request from an order. */
export const REQ_ID_BASE = 1 << 30;

export class PendingQuery<I, T> {
  readonly items: I[] = [];
  readonly promise: Promise<T>;
  private settled = false;
  private resolveFn!: (v: T) => void;
  private rejectFn!: (e: BrokerError) => void;
  private readonly cancelTimer: () => void;

  constructor(
    clock: Clock,
    readonly label: string,
    timeoutMs: number,
    private readonly finish: (items: I[]) => T,
    private readonly onSettle: () => void,
  ) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.cancelTimer = clock.setTimeout(() => {
      this.fail(new BrokerError('timeout', `IB did not finish the ${label} within ${Math.round(timeoutMs / 100) / 10} s`));
    }, timeoutMs);
  }

  add(item: I): void {
    if (!this.settled) this.items.push(item);
  }

  complete(): void {
    if (this.settled) return;
    let value: T;
    try {
      value = this.finish(this.items);
    } catch (err) {
      this.fail(err instanceof BrokerError ? err : new BrokerError('invalid-request', `${this.label}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    this.settle();
    this.resolveFn(value);
  }

  fail(err: BrokerError): void {
    if (this.settled) return;
    this.settle();
    this.rejectFn(err);
  }

  private settle(): void {
    this.settled = true;
    this.cancelTimer();
    this.onSettle();
  }
}

/** Open queries by key (a request id, or a name for the id-less IB queries). */
export class QueryBook {
  private readonly open = new Map<number | string, PendingQuery<unknown, unknown>>();
  private nextReqId = REQ_ID_BASE;

  constructor(private readonly clock: Clock) {}

  reqId(): number {
    return this.nextReqId++;
  }

  start<I, T>(key: number | string, label: string, timeoutMs: number, finish: (items: I[]) => T): PendingQuery<I, T> {
    const q = new PendingQuery<I, T>(this.clock, label, timeoutMs, finish, () => {
      if (this.open.get(key) === (q as PendingQuery<unknown, unknown>)) this.open.delete(key);
    });
    this.open.set(key, q as PendingQuery<unknown, unknown>);
    return q;
  }

  get<I, T>(key: number | string): PendingQuery<I, T> | undefined {
    return this.open.get(key) as PendingQuery<I, T> | undefined;
  }

  has(key: number | string): boolean {
    return this.open.has(key);
  }

  failAll(err: BrokerError): void {
    for (const q of [...this.open.values()]) q.fail(err);
  }

  size(): number {
    return this.open.size;
  }
}
