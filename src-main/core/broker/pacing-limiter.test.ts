import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock';
import { PacedQueue } from './paced-queue';
import { IB_HISTORICAL_PACING, type PacedRequest, PacingLimiter } from './pacing-limiter';

const req = (identity: string, contractKey = 'MES'): PacedRequest => ({ identity, contractKey });
const M = IB_HISTORICAL_PACING.marginMs;

describe('PacingLimiter (IB historical pacing)', () => {
  it('holds an identical request for 15 s', () => {
    const clock = new ManualClock();
    const lim = new PacingLimiter(clock);
    lim.record(req('a'));
    lim.finished();
    clock.advance(5_000);
    expect(lim.check(req('a'))).toMatchObject({ allowed: false, rule: 'identical', waitMs: 10_000 + M });
    expect(lim.check(req('b'))).toEqual({ allowed: true });
    clock.advance(9_999);
    expect(lim.check(req('a')).allowed).toBe(false);
    clock.advance(1);
    expect(lim.check(req('a'))).toEqual({ allowed: true });
  });

  it('allows 6 requests for one contract in 2 s, and the 7th when the oldest leaves the window', () => {
    const clock = new ManualClock();
    const lim = new PacingLimiter(clock);
    for (let i = 0; i < 6; i++) {
      expect(lim.check(req(`r${i}`))).toEqual({ allowed: true });
      lim.record(req(`r${i}`));
      lim.finished();
      clock.advance(100);
    }
    expect(lim.check(req('r6'))).toMatchObject({ allowed: false, rule: 'same-contract', waitMs: 2_000 - 600 + M });
    expect(lim.check(req('x', 'MNQ'))).toEqual({ allowed: true });
    clock.advance(1_400);
    expect(lim.check(req('r6'))).toEqual({ allowed: true });
  });

  it('allows 60 requests per 10 minutes', () => {
    const clock = new ManualClock();
    const lim = new PacingLimiter(clock);
    for (let i = 0; i < 60; i++) {
      lim.record(req(`r${i}`, `c${i}`));
      lim.finished();
      clock.advance(1_000);
    }
    const d = lim.check(req('r60', 'c60'));
    expect(d).toMatchObject({ allowed: false, rule: 'total', waitMs: 600_000 - 60_000 + M });
    clock.advance(540_000);
    expect(lim.check(req('r60', 'c60'))).toEqual({ allowed: true });
  });

  it('allows at most 50 open requests; a finish frees a slot', () => {
    const clock = new ManualClock();
    const lim = new PacingLimiter(clock, { ...IB_HISTORICAL_PACING, totalMax: 1_000, sameContractMax: 1_000 });
    for (let i = 0; i < 50; i++) lim.record(req(`r${i}`));
    expect(lim.check(req('r50'))).toMatchObject({ allowed: false, rule: 'open', waitMs: null });
    lim.finished();
    expect(lim.check(req('r50'))).toEqual({ allowed: true });
  });
});

describe('PacedQueue', () => {
  it('sends in order and never lets two sends break a rule, using only clock time', async () => {
    const clock = new ManualClock();
    const lim = new PacingLimiter(clock);
    const q = new PacedQueue(lim, clock);
    const sentAt: [string, number][] = [];
    const send = (id: string) => () => {
      sentAt.push([id, clock.now()]);
      return Promise.resolve(id);
    };
    const t0 = clock.now();
    const results = [q.submit(req('a'), send('a')), q.submit(req('a'), send('a2')), q.submit(req('b'), send('b'))];
    await Promise.resolve();
    expect(sentAt).toEqual([['a', t0]]);
    expect(q.waiting()).toBe(2);
    clock.advance(15_000 + M);
    await Promise.all(results);
    expect(sentAt).toEqual([
      ['a', t0],
      ['a2', t0 + 15_000 + M],
      ['b', t0 + 15_000 + M],
    ]);
  });

  it('rejectWaiting fails the waiting requests with the given error', async () => {
    const clock = new ManualClock();
    const q = new PacedQueue(new PacingLimiter(clock), clock);
    const first = q.submit(req('a'), () => Promise.resolve(1));
    const second = q.submit(req('a'), () => Promise.resolve(2));
    q.rejectWaiting(new Error('disconnected'));
    await expect(first).resolves.toBe(1);
    await expect(second).rejects.toThrow('disconnected');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('PacedQueue property', () => {
  it('no schedule of submissions ever produces a sequence of sends that breaks an IB rule', async () => {
    const fc = (await import('fast-check')).default;
    const flush = () => new Promise<void>((r) => setImmediate(r));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 3_000 })), { minLength: 1, maxLength: 80 }),
        async (plan) => {
          const clock = new ManualClock();
          const q = new PacedQueue(new PacingLimiter(clock), clock);
          const sends: { at: number; identity: string; contractKey: string }[] = [];
          const all: Promise<unknown>[] = [];
          for (const [id, c, gap] of plan) {
            clock.advance(gap);
            const r = req(`id${id}:c${c}`, `c${c}`);
            all.push(q.submit(r, () => (sends.push({ at: clock.now(), ...r }), Promise.resolve())));
            await flush();
          }
          for (let i = 0; i < 200 && q.waiting() > 0; i++) {
            clock.advance(5_000);
            await flush();
          }
          await Promise.all(all);
          expect(sends).toHaveLength(plan.length);
          for (let i = 0; i < sends.length; i++) {
            const s = sends[i]!;
            const before = sends.slice(0, i);
            expect(before.filter((p) => p.identity === s.identity && s.at - p.at < 15_000)).toHaveLength(0);
            expect(before.filter((p) => p.contractKey === s.contractKey && s.at - p.at < 2_000).length).toBeLessThan(6);
            expect(before.filter((p) => s.at - p.at < 600_000).length).toBeLessThan(60);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
