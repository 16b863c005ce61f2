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

/** The backtest loop of docs/BACKTEST.md with breakers off; returns the number of trades and the net P&L. */
export function backtestJs(b, p) {
  const n = b.time.length;
  const z = zscoreJs(b.close, p.lookback, new Float64Array(n));
  const slip = p.slippageTicks * 0.25;
  const stopPts = p.stopUsd / 5;
  const targetPts = p.targetUsd / 5;
  const maxHold = p.maxHoldMinutes * 60;
  let side = 0; // +1 long, -1 short, 0 flat
  let entry = 0;
  let entryT = 0;
  let stop = 0;
  let target = 0;
  let pending = 0; // +1/-1 enter, 2 exit
  let trades = 0;
  let pnl = 0;
  const away = (price, from) => (price >= from ? Math.ceil(price / 0.25 - 1e-9) : Math.floor(price / 0.25 + 1e-9)) * 0.25;
  for (let i = 0; i < n; i++) {
    const o = b.open[i];
    if (pending === 1 || pending === -1) {
      side = pending;
      entry = o + side * slip;
      entryT = b.time[i];
      stop = away(entry - side * stopPts, entry);
      target = away(entry + side * targetPts, entry);
    } else if (pending === 2) {
      pnl += (o - side * slip - entry) * side * 5 - 1.24;
      trades++;
      side = 0;
    }
    pending = 0;
    if (side !== 0) {
      const h = b.high[i];
      const l = b.low[i];
      let px = NaN;
      if (side > 0) px = o <= stop ? o : o >= target ? o : l <= stop ? stop : h >= target ? target : NaN;
      else px = o >= stop ? o : o <= target ? o : h >= stop ? stop : l <= target ? target : NaN;
      if (px === px) {
        pnl += (px - entry) * side * 5 - 1.24;
        trades++;
        side = 0;
      }
    }
    const zi = z[i];
    if (zi !== zi) continue;
    if (side !== 0) {
      if (b.time[i] + p.barSeconds - entryT >= maxHold || Math.abs(zi) <= p.exitZ) pending = 2;
    } else if (zi <= -p.entryZ) pending = 1;
    else if (zi >= p.entryZ) pending = -1;
  }
  if (side !== 0) {
    pnl += (b.close[n - 1] - entry) * side * 5 - 1.24;
    trades++;
  }
  return { trades, pnl };
}
