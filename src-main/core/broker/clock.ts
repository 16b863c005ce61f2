// Time as a port: the adapter never calls Date.now or setTimeout directly, so tests drive hours of reconnects,
// liveness checks and pacing windows in milliseconds (see manual-clock.ts).
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs fn once after ms; returns a function that cancels it (safe to call twice). */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

/** Repeats fn every ms until the returned function is called. */
export function every(clock: Clock, ms: number, fn: () => void): () => void {
  let stopped = false;
  let cancel: () => void = () => undefined;
  const arm = (): void => {
    cancel = clock.setTimeout(() => {
      if (stopped) return;
      arm();
      fn();
    }, ms);
  };
  arm();
  return () => {
    stopped = true;
    cancel();
  };
}
