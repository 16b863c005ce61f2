// Broker order ids: IB hands out the next valid id at every login (nextValidId) and requires each new order id to
// be above every id this client used. The allocator only moves forward: a reconnect that reports a lower id (a
// gateway that has not yet seen our last order) never makes us reuse one, and ids seen on the wire (openOrder,
// orderStatus of orders placed before a restart) push the floor up too.
export class OrderIdAllocator {
  private nextId: number | null = null;

  /** The broker's nextValidId, at login or after reqIds. */
  observeNextValidId(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0) return;
    this.nextId = Math.max(this.nextId ?? 0, id);
  }

  /** An id the broker reported for an existing order. */
  observeUsed(id: number): void {
    if (!Number.isSafeInteger(id) || id <= 0) return;
    if (this.nextId !== null) this.nextId = Math.max(this.nextId, id + 1);
  }

  get ready(): boolean {
    return this.nextId !== null;
  }

  peek(): number | null {
    return this.nextId;
  }

  /** n consecutive ids (a bracket needs 3). */
  take(n = 1): number[] {
    if (this.nextId === null) throw new Error('no order id from the broker yet (nextValidId has not arrived)');
    if (!Number.isInteger(n) || n < 1) throw new Error(`order id count must be a whole number above 0, got ${n}`);
    const first = this.nextId;
    this.nextId += n;
    return Array.from({ length: n }, (_, i) => first + i);
  }
}
