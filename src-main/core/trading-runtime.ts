// Trading as the app runs it: in simulation mode the app starts its own simulated IB Gateway on a loopback port and
// connects to it with the same IBKR adapter a real gateway gets; in paper/live mode it connects to the configured
// gateway. The live engine's events become contract events for every UI (status, alerts, trades, chart bars).
import type { AlertDTO, MarketSnapshotDTO, TradeDTO, TradingMode, TradingStatusDTO } from '../../src-preload/contract';
import { IbkrBroker } from './broker/ibkr/adapter';
import type { Config } from './config/schema';
import type { CoreEvents } from './events';
import { LiveEngine } from './engine/live-engine';
import { ZScoreStream } from './native';
import type { Db } from './store/db';
import { TradesRepo } from './store/trades-repo';
import { startSimGateway, type SimGateway } from '../sim-gateway';

export interface TradingRuntimeOptions {
  config: Config;
  db: Db;
  events: CoreEvents;
  /** Null when orders may be sent (checked before every entry); otherwise why not. */
  tradingBlockedBy: () => string | null;
  log?: (line: string) => void;
}

const KEEP_BARS = 2000;
const KEEP_ALERTS = 200;
/** Seconds between attempts to start trading when the gateway is not reachable. */
const RETRY_S = 15;

export class TradingRuntime {
  private gateway: SimGateway | null = null;
  private engine: LiveEngine | null = null;
  private error: string | null = null;
  private readonly bars: MarketSnapshotDTO['bars'] = [];
  private readonly zs: (number | null)[] = [];
  private readonly alerts: AlertDTO[] = [];
  private readonly zscore: InstanceType<typeof ZScoreStream>;
  private statusTimer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly o: TradingRuntimeOptions) {
    this.zscore = new ZScoreStream(o.config.strategy.zscore.lookback);
  }

  get mode(): TradingMode {
    return this.o.config.mode;
  }

  async start(): Promise<void> {
    const c = this.o.config;
    try {
      let host = c.ib.host;
      let port = c.ib.port;
      if (c.mode === 'simulation' && this.gateway === null) {
        this.gateway = await startSimGateway({ port: 0, speed: c.simulation.speed, seed: c.simulation.seed, regime: c.simulation.regime });
      }
      if (this.gateway) {
        host = '127.0.0.1';
        port = this.gateway.port;
        this.o.log?.(`simulation: simulated IB Gateway on 127.0.0.1:${port} (speed ${c.simulation.speed}x, seed ${c.simulation.seed})`);
      }
      const broker = new IbkrBroker({ host, port, clientId: c.ib.clientId });
      this.engine = new LiveEngine({ broker, db: this.o.db, config: c, mode: c.mode, tradingBlockedBy: this.o.tradingBlockedBy });
      this.engine.events.subscribe((e) => {
        if (e.type === 'bar') this.onBar(e.bar);
        else if (e.type === 'history') for (const bar of e.bars) this.onBar(bar, false);
        else if (e.type === 'alert') this.onAlert(e.alert);
        else if (e.type === 'trade') this.o.events.emit('trading:trade', { ...e.trade });
        this.statusSoon();
      });
      await this.engine.start();
      this.statusSoon();
    } catch (err) {
      this.error = `trading did not start: ${err instanceof Error ? err.message : String(err)}`;
      this.onAlert({ category: 'errors', level: 'critical', text: `${this.error}. Retrying in ${RETRY_S} s.` });
      this.statusSoon();
      await this.engine?.stop().catch(() => undefined);
      this.engine = null;
      if (!this.stopped) {
        this.retry = setTimeout(() => {
          this.error = null;
          void this.start();
        }, RETRY_S * 1000);
        this.retry.unref();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await this.engine?.stop().catch(() => undefined);
    await this.gateway?.close().catch(() => undefined);
  }

  status(): TradingStatusDTO {
    const e = this.engine?.snapshot();
    if (!e) return notRunningStatus(this.mode, this.error ?? 'trading is starting', this.error ? 'stopped' : 'starting');
    const p = e.core.position;
    return {
      running: this.error === null,
      mode: this.mode,
      notRunningReason: this.error,
      state: e.state,
      connection: { connected: e.connection.canTrade, detail: e.connection.message },
      contract: e.contract?.localSymbol ?? null,
      position: p ? { side: p.side as 'long' | 'short', qty: p.qty, entryPrice: p.entryPrice, stop: p.stop, target: p.target } : null,
      pnl: e.pnl,
      latency: e.latency,
      orders: e.orders,
      mismatches: e.reconciliation?.mismatches ?? [],
    };
  }

  flatten(actor: string) {
    return this.command((e) => e.flatten(actor));
  }
  pause(actor: string) {
    return this.command((e) => e.pause(actor));
  }
  resume(actor: string) {
    return this.command((e) => e.resume(actor));
  }
  adopt(actor: string) {
    return this.command((e) => e.adopt(actor));
  }

  trades(limit: number): TradeDTO[] {
    return new TradesRepo(this.o.db).list(limit).map(({ id: _id, commissionUsd: _c, ...t }) => t);
  }

  recentAlerts(limit: number): AlertDTO[] {
    return this.alerts.slice(-limit);
  }

  snapshot(limit: number): MarketSnapshotDTO {
    const s = this.o.config.strategy;
    return { symbol: this.engine?.symbol() ?? 'MES', barSeconds: s.barSeconds, lookback: s.zscore.lookback, entryZ: s.zscore.entryZ, exitZ: s.zscore.exitZ, bars: this.bars.slice(-limit), z: this.zs.slice(-limit) };
  }

  private async command(fn: (e: LiveEngine) => Promise<{ accepted: boolean; message: string }>) {
    if (!this.engine) return { accepted: false, message: `Trading is not running: ${this.error ?? 'it is still starting'}` };
    const r = await fn(this.engine);
    this.statusSoon();
    return r;
  }

  private onBar(bar: MarketSnapshotDTO['bars'][number], live = true): void {
    const z = this.zscore.push(bar.close);
    const zv = z === null || z === undefined || Number.isNaN(z) ? null : z;
    this.bars.push(bar);
    this.zs.push(zv);
    if (this.bars.length > KEEP_BARS) {
      this.bars.shift();
      this.zs.shift();
    }
    if (live) this.o.events.emit('market:bar', { symbol: this.engine?.symbol() ?? 'MES', bar, z: zv });
  }

  private onAlert(a: { category: string; level: AlertDTO['level']; text: string }): void {
    const alert = { time: Date.now() / 1000, ...a };
    this.alerts.push(alert);
    if (this.alerts.length > KEEP_ALERTS) this.alerts.shift();
    this.o.events.emit('trading:alert', alert);
  }

  /** Status events are coalesced: a burst of fills and order updates becomes one push. */
  private statusSoon(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.o.events.emit('trading:status', this.status());
    }, 100);
    this.statusTimer.unref();
  }
}

/** The status while trading does not run (or not yet): nothing held, nothing measured, and why. */
export function notRunningStatus(mode: TradingMode, reason: string, phase: 'stopped' | 'starting' = 'stopped'): TradingStatusDTO {
  return {
    running: false,
    mode,
    notRunningReason: reason,
    state: { phase, reason: null, until: null, message: phase === 'starting' ? 'Starting' : `Not trading: ${reason}` },
    connection: { connected: false, detail: 'not connected' },
    contract: null,
    position: null,
    pnl: { position: 0, avgPrice: null, lastPrice: null, tradingDay: 0, realizedUsd: 0, realizedPoints: 0, unrealizedUsd: 0, unrealizedPoints: 0, commissionsUsd: 0, netUsd: 0 },
    latency: { count: 0, p50Ms: null, p99Ms: null, lastMs: null, maxMs: null },
    orders: [],
    mismatches: [],
  };
}
