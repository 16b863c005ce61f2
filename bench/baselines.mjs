// Plain-JS baselines, written the way a careful JS programmer would: typed arrays, shifted sums, no allocation
// in the loop.

/** Rolling z-score, population std, shifted sums re-anchored every window (same numerics as the Rust kernel). */
export function zscoreJs(close, n, out) {
  const len = close.length;
  const buf = new Float64Array(n);
  let anchor = close[0];
  let s1 = 0;
  let s2 = 0;
  let pos = 0;
  let count = 0;
  let since = 0;
  for (let i = 0; i < len; i++) {
    const x = close[i];
    let d = x - anchor;
    if (count === n) {
      const old = buf[pos] - anchor;
      s1 += d - old;
      s2 += d * d - old * old;
    } else {
      s1 += d;
      s2 += d * d;
      count++;
    }
    buf[pos] = x;
    pos = pos + 1 === n ? 0 : pos + 1;
    if (++since >= n) {
      since = 0;
      anchor = x;
      let a = 0;
      for (let k = 0; k < count; k++) a += buf[k] - anchor;
      const m = a / count;
      let m2 = 0;
      for (let k = 0; k < count; k++) {
        const e = buf[k] - anchor - m;
        m2 += e * e;
      }
      s1 = a;
      s2 = m2 + a * m;
    }
    if (count < n) {
      out[i] = NaN;
      continue;
    }
    d = x - anchor;
    const mean = s1 / n;
    const v = s2 / n - mean * mean;
    out[i] = v > 0 ? (d - mean) / Math.sqrt(v) : 0;
  }
  return out;
}

/**
 * The backtest loop of docs/BACKTEST.md with breakers off, reading a precomputed z column and writing the equity
 * marked at every bar close into `equity` (the same outputs as the native loop minus the metrics); returns the
 * number of trades and the net P&L. Typed arrays, no allocation in the loop.
 */
export function backtestLoopJs(b, p, z, equity) {
  const n = b.time.length;
  const { time, open, high, low, close } = b;
  const slip = p.slippageTicks * 0.25;
  const stopPts = p.stopUsd / 5;
  const targetPts = p.targetUsd / 5;
  const maxHold = p.maxHoldMinutes * 60;
  const barSeconds = p.barSeconds;
  const entryZ = p.entryZ;
  const exitZ = p.exitZ;
  const commission = 2 * p.commissionPerSide * p.quantity;
  const mult = 5 * p.quantity;
  let side = 0; // +1 long, -1 short, 0 flat
  let entry = 0;
  let entryT = 0;
  let stop = 0;
  let target = 0;
  let pending = 0; // +1/-1 enter, 2 exit
  let trades = 0;
  let realized = 0;
  for (let i = 0; i < n; i++) {
    const o = open[i];
    if (pending === 1 || pending === -1) {
      side = pending;
      entry = o + side * slip;
      entryT = time[i];
      const s = entry - side * stopPts;
      const t = entry + side * targetPts;
      stop = (s >= entry ? Math.ceil(s / 0.25 - 1e-9) : Math.floor(s / 0.25 + 1e-9)) * 0.25;
      target = (t >= entry ? Math.ceil(t / 0.25 - 1e-9) : Math.floor(t / 0.25 + 1e-9)) * 0.25;
    } else if (pending === 2) {
      realized += (o - side * slip - entry) * side * mult - commission;
      trades++;
      side = 0;
    }
    pending = 0;
    if (side !== 0) {
      const h = high[i];
      const l = low[i];
      let px = NaN;
      if (side > 0) px = o <= stop ? o : o >= target ? o : l <= stop ? stop : h >= target ? target : NaN;
      else px = o >= stop ? o : o <= target ? o : h >= stop ? stop : l <= target ? target : NaN;
      if (px === px) {
        realized += (px - entry) * side * mult - commission;
        trades++;
        side = 0;
      }
    }
    const c = close[i];
    const zi = z[i];
    if (zi === zi) {
      if (side !== 0) {
        if (time[i] + barSeconds - entryT >= maxHold || Math.abs(zi) <= exitZ) pending = 2;
      } else if (zi <= -entryZ) pending = 1;
      else if (zi >= entryZ) pending = -1;
    }
    equity[i] = p.capital + realized + (side === 0 ? 0 : (c - entry) * side * mult);
  }
  if (side !== 0) {
    realized += (close[n - 1] - entry) * side * mult - commission;
    trades++;
    equity[n - 1] = p.capital + realized;
  }
  return { trades, pnl: realized };
}

/** End to end in plain JS: the z-score, then the loop above (equity array allocated here, like the native path). */
export function backtestJs(b, p) {
  const n = b.time.length;
  const z = zscoreJs(b.close, p.lookback, new Float64Array(n));
  const equity = new Float64Array(n);
  return { ...backtestLoopJs(b, p, z, equity), equity };
}
