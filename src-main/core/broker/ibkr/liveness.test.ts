import { describe, expect, it } from 'vitest';
import { ManualClock } from '../manual-clock';
import { LivenessMonitor } from './liveness';

function setup() {
  const clock = new ManualClock();
  const log: string[] = [];
  const m = new LivenessMonitor(
    clock,
    { intervalMs: 10_000, timeoutMs: 5_000 },
    () => log.push(`ping@${clock.now() - t0}`),
    (silent) => log.push(`dead@${clock.now() - t0} silent ${silent}`),
  );
  const t0 = clock.now();
  return { clock, log, m };
}

describe('LivenessMonitor', () => {
  it('pings every interval and stays quiet while the gateway answers', () => {
    const { clock, log, m } = setup();
    m.start();
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      clock.advance(100);
      m.touch(); // the currentTime answer
    }
    clock.advance(9_000);
    expect(log.filter((l) => l.startsWith('dead'))).toEqual([]);
    expect(log.filter((l) => l.startsWith('ping'))).toHaveLength(6);
  });

  it('declares a silent connection dead within interval + timeout, once, and stops pinging', () => {
    const { clock, log, m } = setup();
    m.start();
    clock.advance(60_000);
    expect(log).toEqual(['ping@10000', 'dead@15000 silent 15000']);
  });

  it('any inbound message after the ping counts as alive', () => {
    const { clock, log, m } = setup();
    m.start();
    clock.advance(10_000);
    clock.advance(4_999);
    m.touch();
    clock.advance(1);
    expect(log).toEqual(['ping@10000']);
    clock.advance(20_000); // no more messages: next ping at 20 s, dead at 25 s
    expect(log).toEqual(['ping@10000', 'ping@20000', 'dead@25000 silent 10001']);
  });

  it('stop() cancels every timer', () => {
    const { clock, m } = setup();
    m.start();
    clock.advance(10_000);
    m.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
