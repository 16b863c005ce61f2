// Subscription bookkeeping against a recording channel (the real IB path is covered over TCP in
// adapter.integration.test.ts): exactly one broker request per subscription after reconnects, renewals and 1102.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../domain/bar';
import { ManualClock } from '../manual-clock';
import type { BrokerEventMap, MarketDataEvent, StrategyBarEvent } from '../port';
import { MESZ6 } from '../test-contract';
import { TypedEmitter } from '../typed-emitter';
import { BarSubscriptions, type RealtimeBarsChannel } from './bar-subscriptions';

class RecordingChannel implements RealtimeBarsChannel {
  readonly open = new Set<number>();
  readonly log: string[] = [];
  request(reqId: number): void {
    this.open.add(reqId);
    this.log.push(`req ${reqId}`);
  }
  cancel(reqId: number): void {
    this.open.delete(reqId);
    this.log.push(`cancel ${reqId}`);
  }
}

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 15, 0, 0));
  const events = new TypedEmitter<BrokerEventMap>();
  const bars: StrategyBarEvent[] = [];
  const md: MarketDataEvent[] = [];
  events.on('bar', (b) => bars.push(b));
  events.on('marketData', (m) => md.push(m));
  let id = 100;
  const subs = new BarSubscriptions(clock, events, () => id++);
  return { clock, subs, bars, md };
}

const part = (time: number, close = 6000): Bar => ({ time, open: close, high: close, low: close, close, volume: 1 });
const T0 = Date.UTC(2026, 10, 23, 15, 0, 0) / 1000;

describe('BarSubscriptions', () => {
  it('requests once per subscription on login, again after a reconnect, never twice', () => {
    const { subs } = setup();
    subs.add(MESZ6, 60, 15);
    subs.add(MESZ6, 300, 15);
    const ch1 = new RecordingChannel();
    subs.setChannel(ch1);
    expect(ch1.open.size).toBe(2);
    subs.setChannel(null); // socket gone: IB forgot them
    const ch2 = new RecordingChannel();
    subs.setChannel(ch2);
    expect(ch2.open.size).toBe(2);
    expect(subs.openRequests()).toBe(2);
  });

  it('1101 cancels and renews each request; 1102 (no call) leaves them alone', () => {
    const { subs } = setup();
    subs.add(MESZ6, 60, 15);
    const ch = new RecordingChannel();
    subs.setChannel(ch);
    subs.renewAll();
    expect(ch.log).toEqual(['req 100', 'cancel 100', 'req 101']);
    expect(ch.open).toEqual(new Set([101]));
    expect(subs.openRequests()).toBe(1);
  });

  it('aggregates bars of the current request and ignores a cancelled one', () => {
    const { subs, bars } = setup();
    const s = subs.add(MESZ6, 15, 15);
    const ch = new RecordingChannel();
    subs.setChannel(ch);
    for (let i = 0; i < 3; i++) subs.onRealtimeBar(100, part(T0 + 5 * i));
    expect(bars.map((b) => [b.subscriptionId, b.bar.time, b.partial])).toEqual([[s.id, T0, false]]);
    subs.renewAll();
    expect(subs.onRealtimeBar(100, part(T0 + 15))).toBe(false);
    expect(subs.onRealtimeBar(101, part(T0 + 15))).toBe(true);
  });

  it('marks data stale after the limit without bars, fresh again on the next bar, stale at once on 1100', () => {
    const { clock, subs, md } = setup();
    const s = subs.add(MESZ6, 60, 15);
    subs.setChannel(new RecordingChannel());
    expect(s.isStale()).toBe(true); // nothing arrived yet
    subs.onRealtimeBar(100, part(T0));
    expect(s.isStale()).toBe(false);
    clock.advance(15_000);
    expect(s.isStale()).toBe(false);
    clock.advance(1_000);
    expect(s.isStale()).toBe(true);
    subs.onRealtimeBar(100, part(T0 + 5));
    subs.linkLost();
    expect(md.map((m) => m.stale)).toEqual([false, true, false, true]);
    expect(md[3]?.message).toMatch(/MESZ6 market data is stale: IB Gateway lost its connection to IB \(1100\)/);
  });

  it('closes a bar whose last part never came, judged by venue time even when the venue clock differs', () => {
    const { clock, subs, bars } = setup();
    subs.add(MESZ6, 60, 120);
    subs.setChannel(new RecordingChannel());
    const venueT0 = T0 - 86_400 * 30; // a simulator running a month behind our clock
    for (let i = 0; i < 11; i++) {
      subs.onRealtimeBar(100, part(venueT0 + 5 * i));
      clock.advance(5_000);
    }
    // The 12th part would arrive about now (venue :60); it gets 5 s of grace before the bar closes without it.
    expect(bars).toHaveLength(0);
    clock.advance(4_000);
    expect(bars).toHaveLength(0);
    clock.advance(1_000);
    expect(bars.map((b) => [b.bar.time, b.parts, b.partial])).toEqual([[venueT0, 11, true]]);
  });

  it('close() cancels at the broker and stops the checks', () => {
    const { clock, subs } = setup();
    const s = subs.add(MESZ6, 60, 15);
    const ch = new RecordingChannel();
    subs.setChannel(ch);
    s.close();
    expect(ch.open.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(subs.count()).toBe(0);
  });
});
