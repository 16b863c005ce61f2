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
