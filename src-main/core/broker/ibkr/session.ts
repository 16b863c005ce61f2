// Keeps one TWS API session up: connect with a FIXED client id (IB binds orders to the client id that placed them,
// so a new id after a reconnect would leave earlier orders uncancellable), wait for nextValidId (the gateway's "you
// may send now"), watch liveness, and on any loss tear the client down and reconnect with backoff.
//
// Every attempt gets a fresh IBApi: the library queues commands while disconnected and would send them after the
// next login, so an order refused while offline could otherwise leave minutes later. A fresh client has no queue.
import { EventName, IBApi } from '@stoqey/ib';
import type { Clock } from '../clock';
import { CLIENT_ID_IN_USE, CONNECTIVITY_LOST, RESTORED_DATA_KEPT, RESTORED_DATA_LOST } from '../ib-errors';
import type { ConnectionPhase, ConnectionReason, ConnectionState } from '../port';
import { type BackoffOptions, backoffDelay } from './backoff';
import { type LivenessOptions, LivenessMonitor } from './liveness';

export interface IbEndpoint {
  host: string;
  port: number;
  clientId: number;
}

export interface SessionOptions {
  endpoint: IbEndpoint;
  clock: Clock;
  backoff: BackoffOptions;
  liveness: LivenessOptions;
  /** An attempt that has not received nextValidId by then is abandoned and retried. */
  connectTimeoutMs: number;
}

/** What the adapter does at each point of a session's life. */
export interface SessionHooks {
  /** A fresh client: register data listeners (they are removed with the client). */
  attach(api: IBApi): void;
  /** Login complete: the client may send. */
  up(api: IBApi, nextValidId: number): void;
  /** The session is gone (socket closed, dead, stopped). */
  down(): void;
  linkLost(): void;
  linkRestored(dataLost: boolean): void;
  /** Every broker error/notice (id -1 when not tied to a request or order). */
  brokerMessage(id: number, code: number, text: string): void;
  state(s: ConnectionState): void;
}

interface Pending {
  reason: ConnectionReason;
  code: number | null;
  message: string;
}

const CONNECTED_PHASES: ReadonlySet<ConnectionPhase> = new Set(['connected', 'restored-data-lost', 'restored-data-kept']);

export class IbSession {
  private api: IBApi | null = null;
  private ready = false;
  private running = false;
  private attempt = 0;
  private upSince: number | null = null;
  private account: string | null = null;
  private downReason: Pending | null = null;
  private cancelRetry: (() => void) | null = null;
  private cancelConnectTimeout: (() => void) | null = null;
  private readonly liveness: LivenessMonitor;
  private st: ConnectionState;

  constructor(
    private readonly opts: SessionOptions,
    private readonly hooks: SessionHooks,
  ) {
    this.liveness = new LivenessMonitor(
      opts.clock,
      opts.liveness,
      () => this.api?.reqCurrentTime(),
      (silentMs) => this.drop({ reason: 'liveness-timeout', code: null, message: `IB Gateway at ${this.where()} stopped answering (silent for ${Math.round(silentMs / 1000)} s); connection dropped` }),
    );
    this.st = this.makeState('disconnected', 'not-started', null, `Not connected to IB Gateway at ${this.where()}`, null);
  }

  state(): ConnectionState {
    return this.st;
  }

  /** The client, only while logged in. */
  client(): IBApi | null {
    return this.ready ? this.api : null;
  }

  isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.running = false;
    this.cancelRetry?.();
    this.cancelRetry = null;
    if (this.teardown()) this.hooks.down();
    this.setState('disconnected', 'user', null, `Disconnected from IB Gateway at ${this.where()}`, null);
  }

  private where(): string {
    const e = this.opts.endpoint;
    return `${e.host}:${e.port} (client ${e.clientId})`;
  }

  private open(): void {
    this.cancelRetry = null;
    const e = this.opts.endpoint;
    const api = new IBApi({ host: e.host, port: e.port });
    this.api = api;
    this.ready = false;
    this.downReason = null;
    this.hooks.attach(api);
    api.on(EventName.received, () => this.liveness.touch());
    api.on(EventName.managedAccounts, (list: string) => {
      this.account = list.split(',').map((s) => s.trim()).find((s) => s.length > 0) ?? null;
    });
    api.on(EventName.nextValidId, (id: number) => this.onNextValidId(api, id));
    api.on(EventName.disconnected, () => this.onSocketClosed(api));
    api.on(EventName.info, (text: string, code: number) => this.onMessage(-1, code, text));
    api.on(EventName.error, (err: Error, code: number, id: number) => this.onMessage(id, code, err.message));
    this.setState('connecting', 'connecting', null, `Connecting to IB Gateway at ${this.where()}${this.attempt > 0 ? ` (attempt ${this.attempt + 1})` : ''}`, null);
    this.cancelConnectTimeout = this.opts.clock.setTimeout(() => {
      if (this.api === api && !this.ready) {
        this.drop({ reason: 'connect-timeout', code: null, message: `IB Gateway at ${this.where()} did not complete the login within ${Math.round(this.opts.connectTimeoutMs / 1000)} s` });
      }
    }, this.opts.connectTimeoutMs);
    api.connect(e.clientId);
  }

  private onNextValidId(api: IBApi, id: number): void {
    if (api !== this.api || this.ready) return; // later ones answer reqIds; the adapter's allocator sees them
    this.ready = true;
    this.upSince = this.opts.clock.now();
    this.cancelConnectTimeout?.();
    this.cancelConnectTimeout = null;
    this.liveness.start();
    this.setState('connected', 'handshake-complete', null, `Connected to IB Gateway at ${this.where()}`, null);
    this.hooks.up(api, id);
  }

  private onSocketClosed(api: IBApi): void {
    if (api !== this.api) return;
    this.drop(this.downReason ?? { reason: 'socket-closed', code: null, message: `Connection to IB Gateway at ${this.where()} closed` });
  }

  private onMessage(id: number, code: number, text: string): void {
    if (code === CLIENT_ID_IN_USE) {
      // The gateway refuses the login and closes; close ourselves too in case it does not.
      this.drop({
        reason: 'client-id-in-use',
        code,
        message: `Client id ${this.opts.endpoint.clientId} is already in use at IB Gateway ${this.opts.endpoint.host}:${this.opts.endpoint.port} (IB 326): another program or TWS session is connected with it. Close it or change the client id in the settings`,
      });
    } else if (code === 502 && !this.ready) {
      this.downReason = { reason: 'connect-failed', code, message: `Could not connect to IB Gateway at ${this.where()}: ${text} (is it running with the API enabled on this port?)` };
    } else if (this.ready && code === CONNECTIVITY_LOST) {
      this.setState('lost', 'broker-link-lost', code, `IB Gateway lost its connection to IB (IB 1100); no orders until it is back`, null);
      this.hooks.linkLost();
    } else if (this.ready && (code === RESTORED_DATA_LOST || code === RESTORED_DATA_KEPT)) {
      const lost = code === RESTORED_DATA_LOST;
      this.setState(lost ? 'restored-data-lost' : 'restored-data-kept', 'broker-link-restored', code, lost ? 'IB connection restored (IB 1101); market data was lost and has been requested again' : 'IB connection restored (IB 1102); no data lost', null);
      this.hooks.linkRestored(lost);
    }
    this.hooks.brokerMessage(id, code, text);
  }

  /** Ends the current client (if any) and schedules the next attempt while running. */
  private drop(why: Pending): void {
    if (this.api === null) return;
    const lasted = this.upSince === null ? 0 : this.opts.clock.now() - this.upSince;
    const wasReady = this.teardown();
    if (wasReady) this.hooks.down();
    if (!this.running) return;
    this.attempt = wasReady && lasted >= this.opts.backoff.stableMs ? 1 : this.attempt + 1;
    const delay = backoffDelay(this.attempt, this.opts.backoff);
    const retryAt = this.opts.clock.now() + delay;
    this.setState('disconnected', why.reason, why.code, `${why.message}; reconnecting in ${formatDelay(delay)}`, retryAt);
    this.cancelRetry = this.opts.clock.setTimeout(() => {
      if (this.running && this.api === null) this.open();
    }, delay);
  }

  /** Closes the client; true when it was logged in. */
  private teardown(): boolean {
    this.liveness.stop();
    this.cancelConnectTimeout?.();
    this.cancelConnectTimeout = null;
    const api = this.api;
    const wasReady = this.ready;
    this.api = null;
    this.ready = false;
    this.upSince = null;
    if (api !== null) {
      api.removeAllListeners();
      // An error event with no listener must not throw out of the library's socket handlers.
      api.on(EventName.error, () => undefined);
      api.disconnect();
    }
    return wasReady;
  }

  private setState(phase: ConnectionPhase, reason: ConnectionReason, code: number | null, message: string, nextRetryAtMs: number | null): void {
    this.st = this.makeState(phase, reason, code, message, nextRetryAtMs);
    this.hooks.state(this.st);
  }

  private makeState(phase: ConnectionPhase, reason: ConnectionReason, code: number | null, message: string, nextRetryAtMs: number | null): ConnectionState {
    const e = this.opts.endpoint;
    return {
      phase,
      canTrade: CONNECTED_PHASES.has(phase),
      reason,
      code,
      message,
      sinceMs: this.opts.clock.now(),
      attempt: this.attempt,
      nextRetryAtMs,
      endpoint: `${e.host}:${e.port} client ${e.clientId}`,
      account: this.account,
    };
  }
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
