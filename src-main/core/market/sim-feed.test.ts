import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../../src-preload/contract';
import { defaultFeedOptions } from '../api';
import { CoreEvents } from '../events';
import { SimFeed } from './sim-feed';

function manualTimers() {
  let fn: (() => void) | null = null;
  return {
    timers: { setInterval: (f: () => void) => ((fn = f), 1), clearInterval: () => (fn = null) },
    fire: () => fn?.(),
    active: () => fn !== null,
  };
}

describe('simulation feed', () => {
  it('publishes each new bar with its z-score, continuing the snapshot', () => {
    const events = new CoreEvents();
    const seen: EventMap['market:bar'][] = [];
    events.subscribe((name, payload) => {
      if (name === 'market:bar') seen.push(payload as EventMap['market:bar']);
    });
    const t = manualTimers();
    const feed = new SimFeed({ ...defaultFeedOptions, historyBars: 30, keep: 100 }, events, t.timers);
    const snap = feed.snapshot();
    expect(snap.bars).toHaveLength(30);
    expect(snap.z.slice(0, 19).every((z) => z === null)).toBe(true);
    expect(snap.z.slice(19).every((z) => typeof z === 'number')).toBe(true);

    feed.start();
    t.fire();
    t.fire();
    expect(seen).toHaveLength(2);
    expect(seen[0]?.bar.time).toBe((snap.bars.at(-1)?.time ?? 0) + 60);
    expect(seen[0]?.bar.open).toBe(snap.bars.at(-1)?.close);
    expect(feed.status()).toEqual({ running: true, barsEmitted: 2 });
    feed.stop();
    expect(t.active()).toBe(false);
  });

  it('keeps a bounded history', () => {
    const t = manualTimers();
    const feed = new SimFeed({ ...defaultFeedOptions, historyBars: 10, keep: 25 }, new CoreEvents(), t.timers);
    feed.start();
    for (let i = 0; i < 40; i++) t.fire();
    expect(feed.snapshot().bars).toHaveLength(25);
    expect(feed.snapshot(5).bars).toHaveLength(5);
  });
});
