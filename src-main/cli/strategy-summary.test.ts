import { describe, expect, it } from 'vitest';
import { strategySummary } from './strategy-summary';

describe('strategySummary', () => {
  it('states each strategy by its own rule, not the z-score thresholds', () => {
    const z = strategySummary({ strategy: 'zscore', lookback: 30, entryZ: 2.5, exitZ: 0.25, barSeconds: 60 }, 1000);
    expect(z).toContain('zscore over 30 bars: enter at |z| >= 2.5, exit at |z| <= 0.25');
    const bb = strategySummary({ strategy: 'bollinger', lookback: 20, bollingerK: 1.5, entryZ: 2, exitZ: 0.5, barSeconds: 300 }, 500);
    expect(bb).toContain('bollinger over 20 bars, 1.5 std: long below the lower band, short above the upper, exit at the middle');
    expect(bb).not.toContain('|z|');
    const rsi = strategySummary({ strategy: 'rsi', lookback: 14, rsiOversold: 25, rsiOverbought: 75, barSeconds: 60 }, 500);
    expect(rsi).toContain('rsi over 14 bars: long below 25, short above 75, exit back across 50');
    expect(rsi).not.toContain('|z|');
  });

  it('states the risk settings in dollars, contracts and minutes', () => {
    const s = strategySummary({ strategy: 'zscore', quantity: 2, stopUsd: 150, targetUsd: 250.5, maxHoldMinutes: 45, breakers: false, barSeconds: 60 }, 26_430);
    expect(s).toContain('2 contracts, stop $150.00 and target $250.50 per contract, max hold 45 min, breakers off; 26430 bars of 60 s');
    expect(strategySummary({ barSeconds: 60 }, 10)).toContain('1 contract, stop $200.00 and target $300.00 per contract, max hold 120 min, breakers on');
  });
});
