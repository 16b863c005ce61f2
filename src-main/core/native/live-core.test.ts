import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema';
import { createLiveCore } from './live-core';

describe('live core bracket', () => {
  it('rounds bracket prices to the 0.25 grid away from the reference price, as on an entry fill', () => {
    const core = createLiveCore(configSchema.parse({}));
    // $200 stop and $300 target per MES contract are 40 and 60 points.
    expect(core.bracketFor('long', 5000.1)).toEqual({ stop: 4960, target: 5060.25 });
    expect(core.bracketFor('short', 5000.1)).toEqual({ stop: 5040.25, target: 4940 });
    expect(core.bracketFor('long', 5000)).toEqual({ stop: 4960, target: 5060 }); // on the grid: unchanged
    expect(() => core.bracketFor('sideways', 5000)).toThrow(/long or short/);
  });
});

describe('live core times', () => {
  it('refuses a bar or clock time that is not a time in 1900 to 9999, and goes on', () => {
    const core = createLiveCore(configSchema.parse({}));
    const bar = { time: 1_767_711_600, open: 5000, high: 5001, low: 4999, close: 5000.5, volume: 10 };
    expect(() => core.onBar({ ...bar, time: 1e15 })).toThrow('bar time must be epoch seconds from 1900 to 9999, got 1000000000000000');
    expect(() => core.pause(Number.NaN)).toThrow('pause end must be epoch seconds from 1900 to 9999, got NaN');
    expect(() => core.flatten(Number.POSITIVE_INFINITY)).toThrow(/flatten time must be epoch seconds from 1900 to 9999/);
    expect(core.onBar(bar)).toBeNull();
  });
});
