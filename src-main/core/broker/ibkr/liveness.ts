// The app's own liveness check. The socket can stay open while the gateway says nothing (a half-open connection
// after a network cut, a hung gateway): no 'close' event ever comes, so the library's watchdog never notices. Every
// `intervalMs` we ask for the server time; if nothing at all (that answer or any other message) arrives within
// `timeoutMs` of a ping, the connection is declared dead. Worst-case detection: intervalMs + timeoutMs.
import { type Clock, every } from '../clock';

export interface LivenessOptions {
  intervalMs: number;
  timeoutMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = { intervalMs: 10_000, timeoutMs: 10_000 };

export class LivenessMonitor {
  private lastInbound: number;
  private stopTicks: (() => void) | null = null;
  private cancelDeadline: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly opts: LivenessOptions,
    private readonly ping: () => void,
    private readonly dead: (silentMs: number) => void,
  ) {
    this.lastInbound = clock.now();
  }

  start(): void {
    this.stop();
    this.lastInbound = this.clock.now();
    this.stopTicks = every(this.clock, this.opts.intervalMs, () => this.tick());
  }

  stop(): void {
    this.stopTicks?.();
    this.stopTicks = null;
    this.cancelDeadline?.();
    this.cancelDeadline = null;
  }

  /** Any message from the gateway. */
  touch(): void {
    this.lastInbound = this.clock.now();
  }

  silentForMs(): number {
    return this.clock.now() - this.lastInbound;
  }

  private tick(): void {
    const sentAt = this.clock.now();
    this.ping();
    if (this.cancelDeadline !== null) return; // an earlier ping's deadline is still pending
    this.cancelDeadline = this.clock.setTimeout(() => {
      this.cancelDeadline = null;
      if (this.lastInbound < sentAt) {
        this.stop();
        this.dead(this.silentForMs());
      }
    }, this.opts.timeoutMs);
  }
}
