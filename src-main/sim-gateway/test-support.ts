// Test-only helper: a real @stoqey/ib IBApi client that records every event it emits, with awaitable predicates.
import { EventName, IBApi } from '@stoqey/ib';

export interface Recorded {
  name: string;
  args: unknown[];
}

export class RecordingClient {
  readonly api: IBApi;
  readonly events: Recorded[] = [];

  constructor(port: number, readonly clientId: number) {
    this.api = new IBApi({ host: '127.0.0.1', port, clientId });
    this.api.on(EventName.all, (name: unknown, args: unknown) => {
      this.events.push({ name: String(name), args: Array.isArray(args) ? (args as unknown[]) : [] });
    });
    // 'all' does not carry 'error' with its arguments reliably; record errors explicitly.
    this.api.on(EventName.error, (err: Error, code: number, reqId: number) => {
      this.events.push({ name: 'error!', args: [err.message, code, reqId] });
    });
    this.api.on(EventName.disconnected, () => this.events.push({ name: 'disconnected!', args: [] }));
  }

  connect(): this {
    this.api.connect(this.clientId);
    return this;
  }

  named(name: string): Recorded[] {
    return this.events.filter((e) => e.name === name);
  }

  /** Resolves with the first recorded event (from `from` on) matching, polling until the timeout. */
  async waitFor(pred: (e: Recorded) => boolean, timeoutMs = 4000, from = 0): Promise<Recorded> {
    const t0 = Date.now();
    for (;;) {
      const hit = this.events.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out; last events: ${JSON.stringify(this.events.slice(-8).map((e) => [e.name, e.args.slice(0, 3)]))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitName(name: string, timeoutMs?: number, from?: number): Promise<Recorded> {
    return this.waitFor((e) => e.name === name, timeoutMs, from);
  }

  /** Error events (code, message) whose text points at a protocol mismatch. */
  protocolErrors(): Recorded[] {
    return this.events.filter((e) => {
      if (e.name !== 'error!' && e.name !== 'info') return false;
      const text = e.args.map(String).join(' ');
      return e.args[1] === 505 || /underrun|unprocessed data|unknown message|no parser/i.test(text);
    });
  }

  close(): void {
    this.api.disconnect();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
