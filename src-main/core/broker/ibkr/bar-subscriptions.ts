// The set of real-time bar subscriptions the app wants, kept independent of the connection: after a reconnect
// (IB forgets everything) each is requested again once; after IB 1101 (market data lost) each old request is
// cancelled and renewed; after 1102 nothing is touched, so there are never duplicates. Data is stale when no
// 5-second bar arrived for `staleAfterSeconds` (measured on our clock), and immediately when the link is down.
import type { Bar } from '../../domain/bar';
import { BarAggregator } from '../bar-aggregator';
import { type Clock, every } from '../clock';
import type { BarSubscription, BrokerEventMap, ContractRef } from '../port';
import type { TypedEmitter } from '../typed-emitter';

export interface RealtimeBarsChannel {
  request(reqId: number, contract: ContractRef): void;
  cancel(reqId: number): void;
}

interface Sub {
  id: string;
  contract: ContractRef;
  barSeconds: number;
  staleAfterMs: number;
  aggregator: BarAggregator;
  reqId: number | null;
  stale: boolean;
  /** Our clock (ms) at the last 5-second bar, or at subscribe/renew before the first. */
  lastArrivalMs: number;
  lastPartTime: number | null;
}

const PART_SECONDS = 5;
/** Slack after a bar's period for its last part to arrive before the bar is closed without it. */
const FLUSH_GRACE_SECONDS = 5;
const CHECK_EVERY_MS = 1_000;

export class BarSubscriptions {
  private readonly subs = new Map<string, Sub>();
  private readonly byReqId = new Map<number, Sub>();
  private channel: RealtimeBarsChannel | null = null;
  private seq = 0;
  private stopChecks: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly events: TypedEmitter<BrokerEventMap>,
    private readonly newReqId: () => number,
  ) {}

  add(contract: ContractRef, barSeconds: number, staleAfterSeconds: number): BarSubscription {
    if (!(staleAfterSeconds > 0)) throw new Error(`stale limit must be above 0 seconds, got ${staleAfterSeconds}`);
    const aggregator = new BarAggregator(barSeconds, PART_SECONDS);
    const id = `bars-${++this.seq}`;
    const sub: Sub = { id, contract, barSeconds, staleAfterMs: staleAfterSeconds * 1000, aggregator, reqId: null, stale: true, lastArrivalMs: this.clock.now(), lastPartTime: null };
    this.subs.set(id, sub);
    if (this.channel !== null) this.request(sub, this.channel);
    this.stopChecks ??= every(this.clock, CHECK_EVERY_MS, () => this.check());
    return {
      id,
      contract,
      barSeconds,
      isStale: () => this.subs.get(id)?.stale ?? true,
      close: () => this.remove(id),
    };
  }

  /** Login complete (channel) or session gone (null). */
  setChannel(channel: RealtimeBarsChannel | null): void {
    this.channel = channel;
    this.byReqId.clear();
    for (const s of this.subs.values()) {
      s.reqId = null;
      if (channel === null) this.markStale(s, 'no connection to IB Gateway');
      else this.request(s, channel);
    }
  }

  /** IB 1100: the gateway lost IB; bars stop until it is back. */
  linkLost(): void {
    for (const s of this.subs.values()) this.markStale(s, 'IB Gateway lost its connection to IB (1100)');
  }

  /** IB 1101: every subscription is dead at IB; cancel and request again. */
  renewAll(): void {
    const ch = this.channel;
    if (ch === null) return;
    for (const s of this.subs.values()) {
      if (s.reqId !== null) {
        ch.cancel(s.reqId);
        this.byReqId.delete(s.reqId);
        s.reqId = null;
      }
      this.request(s, ch);
    }
  }

  /** A 5-second bar from the broker; false when the request id is not ours. */
  onRealtimeBar(reqId: number, part: Bar): boolean {
    const s = this.byReqId.get(reqId);
    if (s === undefined) return false;
    s.lastArrivalMs = this.clock.now();
    s.lastPartTime = part.time;
    if (s.stale) {
      s.stale = false;
      this.events.emit('marketData', { subscriptionId: s.id, stale: false, lastBarTime: part.time, message: `${s.contract.localSymbol} bars are arriving` });
    }
    for (const b of s.aggregator.push(part)) this.emitBar(s, b);
    return true;
  }

  /** A broker error naming one of our request ids: the subscription is stale until renewed. */
  onRequestError(reqId: number, message: string): boolean {
    const s = this.byReqId.get(reqId);
    if (s === undefined) return false;
    this.byReqId.delete(reqId);
    s.reqId = null;
    this.markStale(s, message, true);
    return true;
  }

  /** Broker-side requests currently open (one per subscription when healthy). */
  openRequests(): number {
    return this.byReqId.size;
  }

  count(): number {
    return this.subs.size;
  }

  dispose(): void {
    for (const id of [...this.subs.keys()]) this.remove(id);
  }

  private request(s: Sub, ch: RealtimeBarsChannel): void {
    const reqId = this.newReqId();
    s.reqId = reqId;
    s.lastArrivalMs = this.clock.now();
    this.byReqId.set(reqId, s);
    ch.request(reqId, s.contract);
  }

  private remove(id: string): void {
    const s = this.subs.get(id);
    if (s === undefined) return;
    this.subs.delete(id);
    if (s.reqId !== null) {
      this.byReqId.delete(s.reqId);
      this.channel?.cancel(s.reqId);
    }
    if (this.subs.size === 0) {
      this.stopChecks?.();
      this.stopChecks = null;
    }
  }

  private check(): void {
    const now = this.clock.now();
    for (const s of this.subs.values()) {
      const silentMs = now - s.lastArrivalMs;
      if (s.lastPartTime !== null) {
        // The venue's time estimated from the last part, so a venue clock that differs from ours (a simulator
        // running in its own time) does not close bars early.
        const venueNow = s.lastPartTime + PART_SECONDS + silentMs / 1000;
        const b = s.aggregator.flushDue(venueNow, FLUSH_GRACE_SECONDS);
        if (b !== null) this.emitBar(s, b);
      }
      if (!s.stale && silentMs > s.staleAfterMs) this.markStale(s, `no ${s.contract.localSymbol} bar for ${Math.round(silentMs / 1000)} s`);
    }
  }

  private emitBar(s: Sub, b: { bar: Bar; parts: number; expectedParts: number; partial: boolean }): void {
    this.events.emit('bar', { subscriptionId: s.id, bar: b.bar, parts: b.parts, expectedParts: b.expectedParts, partial: b.partial });
  }

  private markStale(s: Sub, why: string, force = false): void {
    if (s.stale && !force) return;
    s.stale = true;
    this.events.emit('marketData', { subscriptionId: s.id, stale: true, lastBarTime: s.lastPartTime, message: `${s.contract.localSymbol} market data is stale: ${why}` });
  }
}
