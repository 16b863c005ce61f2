// Simulated Interactive Brokers Gateway: a TCP server speaking the TWS API wire protocol at server version 193,
// trading a simulated MES market, with hooks to inject the faults a real gateway shows.
import { regimes, type Regime } from '../core/native/market-sim';
import type { FaultHooks } from './faults';
import { DEFAULT_START_TIME } from './market/time';
import { Gateway } from './server/gateway';
import type { VenueExecution, VenueOrder } from './venue/types';

export type { FaultHooks } from './faults';
export { FAULT_NAMES, parseFault } from './faults';
export type { VenueExecution, VenueOrder, VenuePosition, OrderStatusText } from './venue/types';

export interface SimGatewayOptions {
  /** 0 = ephemeral (default 4002 for the CLI; tests use 0). */
  port?: number;
  host?: string;
  seed?: number;
  regime?: Regime;
  /** Simulated seconds per real second; a 5-second bar is emitted every 5/speed real seconds. */
  speed?: number;
  /** manual: nothing advances until step(n) is called. */
  clock?: 'realtime' | 'manual';
  /** Epoch seconds of the first simulated bar (default Monday 2026-11-16 08:30 America/Chicago). */
  startTime?: number;
  account?: string;
  faults?: string[];
  log?: (line: string) => void;
}

export interface SimGateway {
  readonly port: number;
  readonly faults: FaultHooks;
  step(fiveSecondBars?: number): void;
  now(): number;
  lastPrice(): number;
  positions(): { conId: number; localSymbol: string; qty: number; avgPrice: number }[];
  orders(): VenueOrder[];
  executions(): VenueExecution[];
  connectionCount(): number;
  placeManualOrder(o: { action: 'BUY' | 'SELL'; qty: number; type?: 'MKT' | 'LMT'; lmtPrice?: number }): number;
  close(): Promise<void>;
}

export async function startSimGateway(opts: SimGatewayOptions = {}): Promise<SimGateway> {
  const regime = opts.regime ?? 'switching';
  if (!(regimes as readonly string[]).includes(regime)) throw new Error(`unknown regime "${regime}"`);
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const gw = new Gateway({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    seed: opts.seed ?? 1,
    regime,
    speed,
    manual: opts.clock === 'manual',
    startTime: opts.startTime ?? DEFAULT_START_TIME,
    account: opts.account ?? 'DU123456',
    faults: opts.faults ?? [],
    log: opts.log ?? (() => undefined),
  });
  await gw.listen();
  return {
    port: gw.port,
    faults: gw.faults,
    step: (n = 1) => gw.step(n),
    now: () => gw.feed.now(),
    lastPrice: () => gw.feed.lastPrice(),
    positions: () =>
      gw.venue.positions().map((p) => ({ conId: p.contract.conId, localSymbol: p.contract.localSymbol, qty: p.position, avgPrice: p.avgPrice })),
    orders: () => gw.venue.orders(),
    executions: () => gw.venue.executions(),
    connectionCount: () => gw.connectionCount(),
    placeManualOrder: (o) => gw.placeManual(o),
    close: () => gw.close(),
  };
}
