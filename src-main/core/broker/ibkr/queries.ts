// The one-shot IB queries behind the port: contract details (front month), historical bars (paced), executions,
// open orders and positions. Each resolves on IB's End message and rejects on a timeout, a broker error naming its
// request id, or the session going down. Open orders and positions have no request id at IB, so concurrent callers
// share one query instead of confusing two.
import { type Contract, type ContractDetails, type IBApi, SecType, WhatToShow } from '@stoqey/ib';
import type { Bar } from '../../domain/bar';
import type { Clock } from '../clock';
import { BrokerError } from '../errors';
import { chooseFrontMonth, exchangeDate } from '../front-month';
import type { PacedQueue } from '../paced-queue';
import type { CommissionEvent, ContractRef, ExecutionEvent, ExecutionReport, HistoricalBarsRequest, OpenOrderEvent, PositionReport } from '../port';
import { formatIbUtc, parseIbTime } from './ib-time';
import { planHistorical, shapeHistorical } from './historical-request';
import { listedContract } from './mapping';
import { ibContract } from './orders';
import type { QueryBook } from './pending-query';

export interface Instrument {
  symbol: string;
  exchange: string;
  currency: string;
}

export interface QueryContext {
  clock: Clock;
  book: QueryBook;
  pacing: PacedQueue;
  /** The logged-in client, or a BrokerError('not-connected'). */
  client(): IBApi;
  /** The venue's clock in epoch seconds (our clock corrected by the gateway's currentTime). */
  venueNowSeconds(): number;
  instrument: Instrument;
  brokerTimeZone: string;
  queryTimeoutMs: number;
  historicalTimeoutMs: number;
  commissionFor(execId: string): CommissionEvent | null;
}

const TERMINAL = new Set(['Filled', 'Cancelled', 'ApiCancelled', 'Inactive']);

export class IbQueries {
  constructor(private readonly ctx: QueryContext) {}

  resolveFrontMonth(rollDays: number): Promise<ContractRef> {
    const { book, instrument } = this.ctx;
    const api = this.ctx.client();
    const reqId = book.reqId();
    const today = exchangeDate(this.ctx.venueNowSeconds());
    const q = book.start<ContractDetails, ContractRef>(reqId, `${instrument.symbol} contract lookup`, this.ctx.queryTimeoutMs, (items) => {
      const listed = items
        .filter((d) => d.contract.symbol === instrument.symbol && d.contract.secType === SecType.FUT)
        .map(listedContract)
        .filter((c) => c.conId > 0);
      const { contract: c, rollDate } = chooseFrontMonth(listed, today, rollDays);
      if (!(c.multiplier > 0) || !(c.minTick > 0)) throw new Error(`${c.localSymbol} has no multiplier or tick size in the broker's contract details`);
      return {
        conId: c.conId,
        symbol: c.symbol,
        localSymbol: c.localSymbol,
        secType: 'FUT',
        exchange: c.exchange,
        currency: c.currency,
        tradingClass: c.tradingClass,
        contractMonth: c.contractMonth,
        lastTradeDate: c.expiry,
        rollDate,
        multiplier: c.multiplier,
        minTick: c.minTick,
      };
    });
    const query: Contract = { symbol: instrument.symbol, secType: SecType.FUT, exchange: instrument.exchange, currency: instrument.currency };
    api.reqContractDetails(reqId, query);
    return q.promise;
  }

  historicalBars(r: HistoricalBarsRequest): Promise<Bar[]> {
    const plan = planHistorical(r.barSeconds, r.durationSeconds);
    const endText = r.endTime === undefined ? '' : formatIbUtc(r.endTime);
    const identity = [r.contract.conId, endText || 'now', plan.durationStr, plan.barSize, WhatToShow.TRADES, 'all-hours'].join('|');
    return this.ctx.pacing.submit({ identity, contractKey: `${r.contract.conId}|${WhatToShow.TRADES}` }, () => {
      const api = this.ctx.client();
      const reqId = this.ctx.book.reqId();
      const label = `historical ${r.contract.localSymbol} ${r.barSeconds}-second bars request`;
      const q = this.ctx.book.start<Bar, Bar[]>(reqId, label, this.ctx.historicalTimeoutMs, (items) =>
        shapeHistorical(items, plan, r.barSeconds, r.durationSeconds, r.endTime ?? this.ctx.venueNowSeconds()),
      );
      api.reqHistoricalData(reqId, ibContract(r.contract), endText, plan.durationStr, plan.barSize, WhatToShow.TRADES, 0, 2, false);
      return q.promise;
    });
  }

  /** One historical bar row from IB (the 'finished' marker row completes the query). */
  onHistoricalRow(reqId: number, time: string, open: number, high: number, low: number, close: number, volume: number): void {
    const q = this.ctx.book.get<Bar, Bar[]>(reqId);
    if (q === undefined) return;
    if (time.startsWith('finished')) {
      q.complete();
      return;
    }
    const t = parseIbTime(time, this.ctx.brokerTimeZone);
    if (t !== null) q.add({ time: t, open, high, low, close, volume: Math.max(0, volume) });
  }

  executions(sinceTime?: number): Promise<ExecutionReport[]> {
    const api = this.ctx.client();
    const reqId = this.ctx.book.reqId();
    const q = this.ctx.book.start<ExecutionEvent, ExecutionReport[]>(reqId, 'executions query', this.ctx.queryTimeoutMs, (items) => {
      const seen = new Set<string>();
      return items
        .filter((e) => (sinceTime === undefined || e.time === null || e.time >= sinceTime) && !seen.has(e.execId) && (seen.add(e.execId), true))
        .map((e) => ({ ...e, commission: this.ctx.commissionFor(e.execId) }));
    });
    api.reqExecutions(reqId, sinceTime === undefined ? {} : { time: formatIbUtc(sinceTime) });
    return q.promise;
  }

  openOrders(): Promise<OpenOrderEvent[]> {
    const existing = this.ctx.book.get<OpenOrderEvent, OpenOrderEvent[]>('openOrders');
    if (existing !== undefined) return existing.promise;
    const api = this.ctx.client();
    const q = this.ctx.book.start<OpenOrderEvent, OpenOrderEvent[]>('openOrders', 'open orders query', this.ctx.queryTimeoutMs, (items) => {
      const latest = new Map<string, OpenOrderEvent>();
      for (const o of items) latest.set(o.permId !== null ? `p${o.permId}` : `c${o.clientId}:${o.orderId}`, o);
      return [...latest.values()].filter((o) => !TERMINAL.has(o.status));
    });
    api.reqAllOpenOrders();
    return q.promise;
  }

  positions(): Promise<PositionReport[]> {
    const existing = this.ctx.book.get<PositionReport, PositionReport[]>('positions');
    if (existing !== undefined) return existing.promise;
    const api = this.ctx.client();
    const q = this.ctx.book.start<PositionReport, PositionReport[]>('positions', 'positions query', this.ctx.queryTimeoutMs, (items) => {
      const latest = new Map<string, PositionReport>();
      for (const p of items) latest.set(`${p.account}|${p.conId}`, p);
      return [...latest.values()].filter((p) => p.qty !== 0);
    });
    api.reqPositions();
    // IB keeps streaming position changes after the first snapshot until cancelled.
    const stop = (): void => void api.cancelPositions();
    q.promise.then(stop, stop);
    return q.promise;
  }

  /** A broker error naming a request id; true when it ended one of our queries. */
  failRequest(reqId: number, code: number, message: string): boolean {
    const q = this.ctx.book.get(reqId);
    if (q === undefined) return false;
    const kind = code === 200 ? 'no-contract' : code === 162 && /pacing/i.test(message) ? 'pacing' : 'rejected';
    q.fail(new BrokerError(kind, `${q.label} failed: ${message}`, code));
    return true;
  }
}
