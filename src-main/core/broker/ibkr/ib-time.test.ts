import { describe, expect, it } from 'vitest';
import { formatIbUtc, parseIbTime } from './ib-time';

const T = Date.UTC(2026, 10, 23, 15, 30, 5) / 1000; // 10:30:05 EST, 09:30:05 CST

describe('IB time text', () => {
  it('reads every form IB uses', () => {
    expect(parseIbTime(String(T), 'UTC')).toBe(T);
    expect(parseIbTime('20261123-15:30:05', 'America/Chicago')).toBe(T);
    expect(parseIbTime('20261123 10:30:05 US/Eastern', 'UTC')).toBe(T);
    expect(parseIbTime('20261123 09:30:05 America/Chicago', 'UTC')).toBe(T);
    expect(parseIbTime('20261123 10:30:05 EST', 'UTC')).toBe(T);
    expect(parseIbTime('20261123  10:30:05', 'America/New_York')).toBe(T);
  });

  it('returns null for text it cannot read rather than guessing', () => {
    expect(parseIbTime('', 'UTC')).toBeNull();
    expect(parseIbTime('yesterday', 'UTC')).toBeNull();
    expect(parseIbTime('20261123 10:30:05 Mars/Olympus', 'UTC')).toBeNull();
  });

  it('writes the UTC request form', () => {
    expect(formatIbUtc(T)).toBe('20261123-15:30:05');
  });
});
