import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestChannels } from '../../src-preload/contract';
import { createCore } from './api';
import { dispatch } from './rpc';

const noTimers = { setInterval: () => 0, clearInterval: () => undefined };

describe('request dispatch', () => {
  const core = createCore({ shell: 'headless', version: '0.0.0-test', timers: noTimers, feed: { historyBars: 50 } });

  it('answers a valid request with its typed value', async () => {
    const env = await dispatch(core.handlers, 'market:snapshot', { limit: 10 });
    expect(env.ok).toBe(true);
    if (env.ok) {
      const snap = env.value as { bars: unknown[]; z: unknown[]; lookback: number };
      expect(snap.bars).toHaveLength(10);
      expect(snap.z).toHaveLength(10);
      expect(snap.lookback).toBe(20);
    }
  });

  it('names the field of a bad payload', async () => {
    const env = await dispatch(core.handlers, 'market:snapshot', { limit: 'ten' });
    expect(env).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!env.ok) expect(env.error.message).toContain('limit');
    const extra = await dispatch(core.handlers, 'app:info', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses an unknown channel', async () => {
    expect(await dispatch(core.handlers, 'orders:placeAnything', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatch(core.handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('never throws on fuzzed channels and payloads (scenario 21)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...requestChannels), fc.string()), fc.anything(), async (channel, payload) => {
        const env = await dispatch(core.handlers, channel, payload);
        expect(typeof env.ok).toBe('boolean');
        if (!env.ok) expect(env.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
