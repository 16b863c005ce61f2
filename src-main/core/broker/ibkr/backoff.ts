// Reconnect delays: 1, 2, 4, 8, 16, 30, 30, ... seconds by default. The attempt count restarts only after a session
// stayed up for `stableMs`, so a gateway that accepts and then drops us at once (e.g. 326, client id in use) is not
// hammered every second.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A session that lasted this long resets the attempt count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, stableMs: 30_000 };

/** Delay before attempt number `attempt` (1 = first retry). */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(o.maxMs, o.initialMs * 2 ** Math.min(n - 1, 30));
}
