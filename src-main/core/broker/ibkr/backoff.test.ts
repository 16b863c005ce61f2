import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((a) => backoffDelay(a) / 1000)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });
  it('follows custom settings and treats attempt 0 as the first retry', () => {
    const o = { ...DEFAULT_BACKOFF, initialMs: 50, maxMs: 300 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, o))).toEqual([50, 50, 100, 200, 300, 300]);
  });
});
