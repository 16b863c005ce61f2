// Plain-JS baselines, written the way a careful JS programmer would: typed arrays, shifted sums, no allocation
// in the loop.

/** The first `n` bars of the columns `b` (views, not copies). */
export const firstBars = (b, n) => Object.fromEntries(Object.entries(b).map(([k, column]) => [k, column.subarray(0, n)]));

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

/** The settings as the loops use them: points, seconds, dollars per round trip and per point. */
function loopRules(p) {
  return {
    slip: p.slippageTicks * 0.25,
    stopPts: p.stopUsd / 5,
    targetPts: p.targetUsd / 5,
    maxHold: p.maxHoldMinutes * 60,
    barSeconds: p.barSeconds,
    entryZ: p.entryZ,
    exitZ: p.exitZ,
    commission: 2 * p.commissionPerSide * p.quantity,
    mult: 5 * p.quantity,
  };
}

/**
 * The backtest loop of docs/BACKTEST.md with breakers off, reading a precomputed z column and writing the equity
 * marked at every bar close into `equity` (the same outputs as the native loop minus the metrics); returns the
 * number of trades and the net P&L. Typed arrays, no allocation in the loop.
 */
export function backtestLoopJs(b, p, z, equity) {
  const n = b.time.length;
  const { time, open, high, low, close } = b;
  const { slip, stopPts, targetPts, maxHold, barSeconds, entryZ, exitZ, commission, mult } = loopRules(p);
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

// ---- The same loop with the same outputs as the native backtest: checked bars, the trade list, the equity curve
// and the metrics (drawdown, daily P&L over CME trading days, Sharpe, Sortino, ...). ----

const HOUR = 3600;
const DAY = 86_400;

/** Epoch seconds of the n-th (1-based) Sunday of a month at `utcHour`, or of the first Sunday for n = 1. */
function nthSunday(year, month, n, utcHour) {
  const first = Date.UTC(year, month, 1) / 1000;
  const weekday = new Date(first * 1000).getUTCDay();
  return first + (((7 - weekday) % 7) + 7 * (n - 1)) * DAY + utcHour * HOUR;
}

/** America/Chicago's offset from UTC at `t` (US rules since 2007: CDT from the second Sunday of March 02:00 CST to the
 * first Sunday of November 02:00 CDT), cached per year. */
const dstByYear = new Map();
function chicagoOffset(t) {
  const year = new Date(t * 1000).getUTCFullYear();
  let d = dstByYear.get(year);
  if (d === undefined) {
    d = [nthSunday(year, 2, 2, 8), nthSunday(year, 10, 1, 7)];
    dstByYear.set(year, d);
  }
  return t >= d[0] && t < d[1] ? -5 * HOUR : -6 * HOUR;
}

/** The CME trading day of `t` as a day number: the Chicago date, the next one from 17:00, weekends rolled to Monday. */
function tradingDay(t) {
  const local = t + chicagoOffset(t);
  let day = Math.floor(local / DAY);
  if (local - day * DAY >= 17 * HOUR) day++;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
}

/** The first 17:00 Chicago after `t` that starts a later trading day. */
function nextTradingDayStart(t) {
  const today = tradingDay(t);
  for (let day = Math.floor((t + chicagoOffset(t)) / DAY); ; day++) {
    const guess = day * DAY + 17 * HOUR;
    const start = guess - chicagoOffset(guess - 6 * HOUR);
    if (start > t && tradingDay(start) > today) return start;
  }
}

const REASONS = ['signal', 'stop', 'target', 'time', 'breaker', 'end'];

/** A run's trades as eight typed-array columns of `cap` values each (entryTime, entryPrice, exitTime, exitPrice,
 * pnl, qty, side, exit reason code), grown by doubling. Small methods on one class: V8 inlines them into the loop. */
class TradeColumns {
  constructor() {
    this.cap = 1024;
    this.count = 0;
    this.cols = new Float64Array(8 * this.cap);
  }

  push(entryT, entry, exitT, px, pnl, qty, side, reason) {
    if (this.count === this.cap) this.grow();
    const c = this.cols;
    const s = this.cap;
    const k = this.count++;
    c[k] = entryT;
    c[s + k] = entry;
    c[2 * s + k] = exitT;
    c[3 * s + k] = px;
    c[4 * s + k] = pnl;
    c[5 * s + k] = qty;
    c[6 * s + k] = side;
    c[7 * s + k] = reason;
  }

  grow() {
    const next = new Float64Array(16 * this.cap);
    for (let c = 0; c < 8; c++) next.set(this.cols.subarray(c * this.cap, c * this.cap + this.count), c * 2 * this.cap);
    this.cols = next;
    this.cap *= 2;
  }
}

/** The bar starts the native core takes: epoch seconds from 1900 to 9999 (its calendar's range). */
const FIRST_TIME = -2_208_988_800;
const LAST_TIME = 253_402_300_799;

/** Throws on the first bar with a price that is not a finite number or a start out of range or not after the
 * previous bar's. One test per bar: the sum of the four prices less itself is 0 when they are finite, NaN when one
 * is not (four huge finite prices can overflow the sum too: `checkBar` then looks at each). */
function checkBars({ time, open, high, low, close }) {
  const n = time.length;
  let prev = FIRST_TIME - 1;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const sum = open[i] + high[i] + low[i] + close[i];
    if (!(sum - sum === 0 && t > prev && t <= LAST_TIME)) checkBar(i, time, open, high, low, close);
    prev = t;
  }
}

/** Throws if bar `i` is bad. Worded apart from the loop: a template string inside it made V8 compile it 3-4x slower. */
function checkBar(i, time, open, high, low, close) {
  if (!(Number.isFinite(open[i]) && Number.isFinite(high[i]) && Number.isFinite(low[i]) && Number.isFinite(close[i]))) {
    throw new Error(`bar ${i} has a price that is not a finite number`);
  }
  if (!(time[i] >= FIRST_TIME && time[i] <= LAST_TIME)) throw new Error(`bar ${i} has a start time out of range (epoch seconds from 1900 to 9999)`);
  if (!(i === 0 || time[i] > time[i - 1])) throw new Error(`bar ${i} does not start after bar ${i - 1}`);
}

/**
 * `backtestLoopJs` with everything the native call also does: the bars are checked first (every price finite, bar
 * starts increasing) unless `barsChecked` says they were when loaded (as `CheckedBars` are), the trades are kept
 * (typed-array columns), and the equity curve's statistics and the metrics are computed the way docs/BACKTEST.md
 * defines them. Returns the metrics, the trade columns (`columnStride` values per column) and the trade count. No
 * closures: the loop's state stays in registers.
 */
export function backtestSameOutputsJs(b, p, z, equity, barsChecked = false) {
  const n = b.time.length;
  const { time, open, high, low, close } = b;
  if (!barsChecked) checkBars(b);
  const { slip, stopPts, targetPts, maxHold, barSeconds, entryZ, exitZ, commission, mult } = loopRules(p);
  const qty = p.quantity;
  const capital = p.capital;
  const trades = new TradeColumns();
  let side = 0; // +1 long, -1 short, 0 flat
  let entry = 0;
  let entryT = 0;
  let stop = 0;
  let target = 0;
  let pending = 0; // +1/-1 enter, 2 exit
  let realized = 0;
  let held = 0;
  let peak = capital;
  let maxDd = 0;
  let maxDdPct = 0;
  let dayEnd = -Infinity;
  let prevDayEquity = capital;
  let last = capital;
  const daily = [];
  for (let i = 0; i < n; i++) {
    const o = open[i];
    const t = time[i];
    if (pending === 2) {
      const px = o - side * slip;
      const pnl = (px - entry) * side * mult - commission;
      trades.push(entryT, entry, t, px, pnl, qty, side, time[i - 1] + barSeconds - entryT >= maxHold ? 3 : 0);
      realized += pnl;
      side = 0;
    } else if (pending !== 0) {
      side = pending;
      entry = o + side * slip;
      entryT = t;
      const s = entry - side * stopPts;
      const g = entry + side * targetPts;
      stop = (s >= entry ? Math.ceil(s / 0.25 - 1e-9) : Math.floor(s / 0.25 + 1e-9)) * 0.25;
      target = (g >= entry ? Math.ceil(g / 0.25 - 1e-9) : Math.floor(g / 0.25 + 1e-9)) * 0.25;
    }
    pending = 0;
    const c = close[i];
    if (side !== 0) {
      const h = high[i];
      const l = low[i];
      // The exit price when the bar opens beyond or reaches the stop or target (NaN when neither).
      let px = NaN;
      if (side > 0) px = o <= stop || o >= target ? o : l <= stop ? stop : h >= target ? target : NaN;
      else px = o >= stop || o <= target ? o : h >= stop ? stop : l <= target ? target : NaN;
      if (px === px) {
        const pnl = (px - entry) * side * mult - commission;
        // At or beyond the stop: a stop exit (a gap through it too); otherwise the target.
        trades.push(entryT, entry, t, px, pnl, qty, side, (side > 0 ? px <= stop : px >= stop) ? 1 : 2);
        realized += pnl;
        side = 0;
      } else {
        held++;
        if (i === n - 1) {
          const pnl = (c - entry) * side * mult - commission;
          trades.push(entryT, entry, t + barSeconds, c, pnl, qty, side, 5);
          realized += pnl;
          side = 0;
        }
      }
    }
    const zi = z[i];
    if (zi === zi && i < n - 1) {
      if (side !== 0) {
        if (t + barSeconds - entryT >= maxHold || Math.abs(zi) <= exitZ) pending = 2;
      } else if (zi <= -entryZ) pending = 1;
      else if (zi >= entryZ) pending = -1;
    }
    const e = capital + realized + (side === 0 ? 0 : (c - entry) * side * mult);
    equity[i] = e;
    if (t >= dayEnd) {
      if (i > 0) {
        daily.push(last - prevDayEquity);
        prevDayEquity = last;
      }
      dayEnd = nextTradingDayStart(t);
    }
    last = e;
    if (e > peak) peak = e;
    const dd = peak - e;
    // With a positive capital (the peak never falls below it) the fraction can only reach a new maximum with the
    // dollars (the native EquityStats skips the division the same way).
    if (dd > maxDd) {
      maxDd = dd;
      if (peak > 0 && dd / peak > maxDdPct) maxDdPct = dd / peak;
    }
  }
  if (n > 0) daily.push(last - prevDayEquity);
  const count = trades.count;
  const cap = trades.cap;
  return { metrics: metricsJs(trades.cols.subarray(4 * cap, 4 * cap + count), daily, maxDd, maxDdPct, n > 0 ? held / n : 0), tradeCount: count, tradeColumns: trades.cols, columnStride: cap, reasons: REASONS };
}

/** The metrics from the trades' P&L (in trade order), the daily P&L, the drawdown and the exposure. */
function metricsJs(pnls, daily, maxDd, maxDdPct, exposure) {
  const trades = pnls.length;
  let net = -0;
  let wins = 0;
  let winSum = -0;
  let lossSum = -0;
  let streak = 0;
  let longest = 0;
  for (let k = 0; k < trades; k++) {
    const pnl = pnls[k];
    net += pnl;
    if (pnl > 0) {
      wins++;
      winSum += pnl;
      streak = 0;
    } else {
      lossSum += pnl;
      if (++streak > longest) longest = streak;
    }
  }
  const losses = trades - wins;
  let dm = 0;
  for (const d of daily) dm += d;
  dm = daily.length > 0 ? dm / daily.length : 0;
  let v = 0;
  let down = 0;
  for (const d of daily) {
    v += (d - dm) * (d - dm);
    down += Math.min(d, 0) ** 2;
  }
  const sd = daily.length > 1 ? Math.sqrt(v / (daily.length - 1)) : 0;
  const downside = Math.sqrt(down / Math.max(daily.length, 1));
  const ann = Math.sqrt(252);
  const sharpe = sd > 0 ? (dm / sd) * ann : 0;
  const sortino = downside > 0 ? (dm / downside) * ann : 0;
  const winRate = trades > 0 ? wins / trades : 0;
  const profitFactor = -lossSum > 0 ? winSum / -lossSum : null;
  const pfPart = profitFactor !== null ? Math.min(profitFactor / 3, 1) : winSum > 0 ? 1 : 0;
  const score = 0.4 * pfPart + 0.25 * winRate + 0.2 * Math.min(Math.max(sharpe / 3, 0), 1) + 0.15 * Math.max(1 - maxDdPct / 0.2, 0);
  return {
    netPnl: net, trades, wins, losses, winRate, profitFactor,
    avgWin: wins > 0 ? winSum / wins : 0, avgLoss: losses > 0 ? lossSum / losses : 0,
    expectancy: trades > 0 ? net / trades : 0, maxDrawdown: maxDd, maxDrawdownPct: maxDdPct, sharpe, sortino,
    tradingDays: daily.length, tradesPerDay: daily.length > 0 ? trades / daily.length : 0, exposure,
    longestLosingStreak: longest, score,
  };
}

/** End to end in plain JS, as the app gets it from the native call: the z-score, the backtest with the same outputs
 * (equity array allocated here, like the native path), and the trades as objects (as `tradesFrom` in
 * src-main/core/native/backtest.ts makes them). */
export function backtestJs(b, p) {
  const n = b.time.length;
  const z = zscoreJs(b.close, p.lookback, new Float64Array(n));
  const equity = new Float64Array(n);
  const r = backtestSameOutputsJs(b, p, z, equity);
  return { metrics: r.metrics, trades: tradeObjects(r.tradeColumns, r.tradeCount, r.columnStride, r.reasons), equity };
}

/**
 * Trade objects from trade columns (`count` trades, `stride` values per column: entryTime, entryPrice, exitTime,
 * exitPrice, pnl, qty, side, exit reason code), as `tradesFrom` in src-main/core/native/backtest.ts makes them.
 */
export function tradeObjects(c, count, stride, reasons) {
  const s = stride;
  const trades = new Array(count);
  for (let i = 0; i < count; i++) {
    trades[i] = { side: c[6 * s + i] > 0 ? 'long' : 'short', qty: c[5 * s + i], entryTime: c[i], entryPrice: c[s + i], exitTime: c[2 * s + i], exitPrice: c[3 * s + i], pnl: c[4 * s + i], exitReason: reasons[c[7 * s + i]] };
  }
  return trades;
}
