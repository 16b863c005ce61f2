//! The z-score backtest written a second time, for the grid: several settings (lanes) advance together through
//! the bars in one vector register, every rule a select instead of a branch, so a group of 8 (AVX-512) or 4 (AVX2)
//! combinations costs about what one run through the core costs.
//!
//! This restates the decision core's rules for the z-score strategy (fill model in docs/BACKTEST.md; decisions as
//! `ZScoreStrategy::decide`; the position's rules as `PositionWatch`; circuit breakers in `breakers.rs`; metrics as
//! `EquityStats` and `TradeTotals`). The equivalence tests hold every lane to the core trade for trade and metric
//! for metric, bit for bit, on random data and settings. `applies` keeps everything else on the core's path (other
//! strategies, refused entries, an order-rate limit that could bind, breakers over overlapping bars), and so does a
//! CPU without AVX2.
// Elsewhere than x86-64 the grid runs each setting through the core, and the kernel is not built into anything.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

mod breakers;
mod vector;

#[cfg(test)]
mod tests;

use super::metrics::{metrics_from_parts, Metrics, TradeTotals};
use super::run::{first_at_or_after, BacktestParams, BarSeries, TICK};
use crate::calendar::next_trading_day_start;
use crate::engine::types::MULTIPLIER;
use crate::engine::{ExitReason, Side, StrategyConfig, Trade};
use std::sync::atomic::{AtomicBool, Ordering};

use breakers::Breakers;
use vector::Lanes;

/// Exit reasons as lane values (0 = none).
const SIGNAL: f64 = 1.0;
const TIME: f64 = 2.0;
const STOP: f64 = 3.0;
const TARGET: f64 = 4.0;
const END: f64 = 5.0;
const BREAKER: f64 = 6.0;

fn reason_of(code: f64) -> ExitReason {
    if code == SIGNAL {
        ExitReason::Signal
    } else if code == TIME {
        ExitReason::Time
    } else if code == STOP {
        ExitReason::Stop
    } else if code == TARGET {
        ExitReason::Target
    } else if code == BREAKER {
        ExitReason::Breaker
    } else {
        debug_assert_eq!(code, END);
        ExitReason::End
    }
}

/// Times and holding limits are compared as f64 in the lanes: exact below 2^52 seconds.
const EXACT: f64 = (1u64 << 52) as f64;

/// Whether the lanes reproduce the core for these settings and bars: the z-score strategy, every entry allowed by
/// size, an order-rate limit that cannot bind (at most one order per bar close; closes at least `min_gap` seconds
/// apart, the smallest spacing of bar starts) and, with the breakers on, bars that do not overlap (so the
/// trading day the breakers count in moves forward only). `first` and `last` are the first and last bar's start.
pub fn applies(params: &BacktestParams, min_gap: i64, first: i64, last: i64) -> bool {
    let lim = &params.core.limits;
    let gap = min_gap.max(1);
    // Orders issued at earlier closes less than a minute before a close.
    let earlier_in_minute = (60 + gap - 1) / gap - 1;
    matches!(params.core.strategy, StrategyConfig::Zscore { .. })
        && (!lim.breakers || min_gap >= params.core.bar_seconds)
        && lim.quantity <= lim.max_position
        && i64::from(lim.max_orders_per_minute) > earlier_in_minute
        && (lim.max_hold_secs as f64) < EXACT
        && (first as f64).abs() < EXACT
        && (last.saturating_add(params.core.bar_seconds) as f64).abs() < EXACT
}

/// Lanes per kernel call on this CPU: 8 with AVX-512, 4 with AVX2, 0 without (then the core runs each setting).
pub fn width() -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
        {
            return 8;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return 4;
        }
    }
    0
}

/// One lane's result: its metrics, and its trades when they were recorded.
#[derive(Debug, Clone)]
pub struct LaneResult {
    pub metrics: Metrics,
    pub trades: Vec<Trade>,
}

/// One lane's setting: the z-score column of the closes for its lookback (NaN while warming up), entry z, exit z.
pub type Setting<'z> = (&'z [f64], f64, f64);

/// What a lane run needs besides the bars and settings.
pub struct Inputs<'a> {
    pub params: &'a BacktestParams,
    /// Keep every lane's trades (a grid needs only the metrics).
    pub record: bool,
    /// Checked at every trading-day boundary: set, the run stops with "cancelled".
    pub cancel: &'a AtomicBool,
}

/// The lanes' per-setting arrays (unused lanes repeat the last setting).
struct Lanes8<'z> {
    z: [&'z [f64]; 8],
    entry: [f64; 8],
    exit: [f64; 8],
}

/// The backtest for each setting (at most `width()` of them), over bars already validated and checked with
/// `applies`. Errors: cancelled, or no vector unit the kernel uses on this CPU.
pub fn run<B: BarSeries>(
    bars: B,
    settings: &[Setting],
    inputs: &Inputs,
) -> Result<Vec<LaneResult>, String> {
    run_with(width(), bars, settings, inputs)
}

/// `run` with `w` lanes (8 or 4; at most `width()`).
pub(super) fn run_with<B: BarSeries>(
    w: usize,
    bars: B,
    settings: &[Setting],
    inputs: &Inputs,
) -> Result<Vec<LaneResult>, String> {
    if w == 0 || w > width() {
        return Err(format!(
            "this CPU has no {w}-lane vector unit for the lanes"
        ));
    }
    if settings.is_empty() || settings.len() > w {
        return Err(format!("{} settings for {w} lanes", settings.len()));
    }
    let mut lanes = Lanes8 {
        z: [&[]; 8],
        entry: [0.0; 8],
        exit: [0.0; 8],
    };
    for l in 0..w {
        (lanes.z[l], lanes.entry[l], lanes.exit[l]) = settings[l.min(settings.len() - 1)];
        // The kernel reads every lane's column at every bar.
        assert_eq!(lanes.z[l].len(), bars.len(), "one z value per bar");
    }
    #[cfg(target_arch = "x86_64")]
    {
        let breakers = inputs.params.core.limits.breakers;
        let (l, i) = (&lanes, inputs);
        // SAFETY: `width()` saw the CPU features each entry point enables.
        let out = unsafe {
            match (w, inputs.record, breakers) {
                (8, true, true) => kernel_v8::<B, true, true>(bars, l, i),
                (8, true, false) => kernel_v8::<B, true, false>(bars, l, i),
                (8, false, true) => kernel_v8::<B, false, true>(bars, l, i),
                (8, false, false) => kernel_v8::<B, false, false>(bars, l, i),
                (_, true, true) => kernel_v4::<B, true, true>(bars, l, i),
                (_, true, false) => kernel_v4::<B, true, false>(bars, l, i),
                (_, false, true) => kernel_v4::<B, false, true>(bars, l, i),
                (_, false, false) => kernel_v4::<B, false, false>(bars, l, i),
            }
        };
        let mut out = out.ok_or("cancelled")?;
        out.truncate(settings.len());
        Ok(out)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (lanes, inputs);
        Err("this CPU has no vector unit for the lanes".into())
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
unsafe fn kernel_v8<B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
    bars: B,
    lanes: &Lanes8,
    inputs: &Inputs,
) -> Option<Vec<LaneResult>> {
    kernel::<vector::V8, B, RECORD, BREAKERS>(bars, lanes, inputs)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel_v4<B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
    bars: B,
    lanes: &Lanes8,
    inputs: &Inputs,
) -> Option<Vec<LaneResult>> {
    kernel::<vector::V4, B, RECORD, BREAKERS>(bars, lanes, inputs)
}

/// `round_away` (engine/types.rs) per lane: the price on the tick grid, away from `from`. Rounding ties to even
/// instead of away from zero changes nothing: the rounded value is only used within 1e-9 of an integer, where both
/// roundings agree. Multiplying by 4 is dividing by the 0.25 tick exactly.
#[inline(always)]
fn round_away<V: Lanes>(price: V, from: V) -> V {
    let ticks = price.mul(V::splat(1.0 / TICK));
    let r = V::select(price.ge(from), ticks.ceil(), ticks.floor());
    let snapped = ticks.round_even();
    let near = ticks.sub(snapped).abs().lt(V::splat(1e-9));
    V::select(near, snapped, r).mul(V::splat(TICK))
}

/// Lane values as an array (lane 0 first).
#[inline(always)]
fn lanes<V: Lanes>(v: V) -> [f64; 8] {
    let mut a = [0.0; 8];
    v.store(&mut a);
    a
}

/// How each bar's z values reach the lanes: from one column shared by all (a broadcast), from two (two broadcasts
/// and a blend) or from more (a gather, which costs the kernel about a fifth of its time).
enum ZLoad<'z, V: Lanes> {
    One(&'z [f64]),
    Two(&'z [f64], &'z [f64], V::Mask),
    Many(V::Columns),
}

impl<'z, V: Lanes> ZLoad<'z, V> {
    #[inline(always)]
    fn new(z: &[&'z [f64]; 8]) -> Self {
        let lanes = &z[..V::WIDTH];
        let same = |a: &[f64], b: &[f64]| std::ptr::eq(a, b);
        let first = lanes[0];
        let Some(&second) = lanes.iter().find(|c| !same(c, first)) else {
            return ZLoad::One(first);
        };
        if lanes.iter().all(|c| same(c, first) || same(c, second)) {
            let mut pick = [0.0; 8];
            for (l, c) in lanes.iter().enumerate() {
                pick[l] = if same(c, second) { 1.0 } else { 0.0 };
            }
            ZLoad::Two(first, second, V::load(&pick).gt(V::splat(0.0)))
        } else {
            ZLoad::Many(V::columns(z))
        }
    }

    /// Row `j` of each lane's column.
    ///
    /// # Safety
    /// `j` is below the length of every column.
    #[inline(always)]
    unsafe fn at(&self, j: usize) -> V {
        match self {
            ZLoad::One(a) => V::splat(*a.get_unchecked(j)),
            ZLoad::Two(a, b, m) => V::select(
                *m,
                V::splat(*b.get_unchecked(j)),
                V::splat(*a.get_unchecked(j)),
            ),
            ZLoad::Many(cols) => V::gather(*cols, j),
        }
    }
}

/// Trade totals (as `TradeTotals`, counts as f64 so they stay in registers).
#[derive(Clone, Copy)]
struct Totals<V> {
    count: V,
    wins: V,
    net: V,
    win_sum: V,
    loss_sum: V,
    streak: V,
    longest: V,
}

impl<V: Lanes> Totals<V> {
    /// Adds `pnl` in the lanes of `closes`. `x + -0.0` is `x` for every `x`, so the other lanes add -0.0.
    #[inline(always)]
    fn add(&mut self, closes: V::Mask, pnl: V) {
        let (zero, one, none) = (V::splat(0.0), V::splat(1.0), V::splat(-0.0));
        let win = V::and(closes, pnl.gt(zero));
        let loss = V::and(closes, pnl.le(zero));
        self.count = self.count.add(V::select(closes, one, zero));
        self.wins = self.wins.add(V::select(win, one, zero));
        self.net = self.net.add(V::select(closes, pnl, none));
        self.win_sum = self.win_sum.add(V::select(win, pnl, none));
        self.loss_sum = self.loss_sum.add(V::select(loss, pnl, none));
        self.streak = V::select(
            loss,
            self.streak.add(one),
            V::select(win, zero, self.streak),
        );
        self.longest = self.streak.max(self.longest);
    }

    fn lane(&self, l: usize) -> TradeTotals {
        TradeTotals {
            count: lanes(self.count)[l] as u32,
            wins: lanes(self.wins)[l] as u32,
            net: lanes(self.net)[l],
            win_sum: lanes(self.win_sum)[l],
            loss_sum: lanes(self.loss_sum)[l],
            streak: lanes(self.streak)[l] as u32,
            longest: lanes(self.longest)[l] as u32,
        }
    }
}

/// The equity curve's drawdown (as `EquityStats::mark`, whose capital is positive).
#[derive(Clone, Copy)]
struct Drawdown<V> {
    peak: V,
    max_dd: V,
    max_dd_pct: V,
    last: V,
    /// The deepest new maximum drawdown since the peak last rose (0 when none). `EquityStats::mark` takes the
    /// fraction of the peak at every new maximum; under one peak the deepest has the largest fraction (division
    /// rounds monotonically), so the fraction is taken once, when the peak rises or at the end.
    deepest: V,
}

impl<V: Lanes> Drawdown<V> {
    #[inline(always)]
    fn mark(&mut self, e: V) {
        let zero = V::splat(0.0);
        let rises = e.gt(self.peak);
        if V::bits(V::and(rises, self.deepest.gt(zero))) != 0 {
            self.settle(rises);
        }
        self.peak = e.max(self.peak);
        let dd = self.peak.sub(e);
        let new_max = dd.gt(self.max_dd);
        self.max_dd = dd.max(self.max_dd);
        self.deepest = V::select(new_max, dd, self.deepest);
        self.last = e;
    }

    /// The deepest drawdown's fraction of the peak in the lanes of `m` (the peak is positive: capital is).
    #[cold]
    #[inline(never)]
    fn settle(&mut self, m: V::Mask) {
        let zero = V::splat(0.0);
        let pct = self.deepest.div(self.peak);
        let raise = V::and(
            V::and(m, self.deepest.gt(zero)),
            V::and(self.peak.gt(zero), pct.gt(self.max_dd_pct)),
        );
        self.max_dd_pct = V::select(raise, pct, self.max_dd_pct);
        self.deepest = V::select(m, zero, self.deepest);
    }
}

/// Trades closed in one bar, lane by lane (for recording).
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
fn record_closed(
    trades: &mut [Vec<Trade>],
    which: u32,
    qty: u32,
    side: [f64; 8],
    entry: [f64; 8],
    entry_bar: [f64; 8],
    price: [f64; 8],
    pnl: [f64; 8],
    reason: [f64; 8],
    exit_time: i64,
) {
    for (l, lane_trades) in trades.iter_mut().enumerate() {
        if which & (1 << l) == 0 {
            continue;
        }
        lane_trades.push(Trade {
            side: if side[l] > 0.0 {
                Side::Long
            } else {
                Side::Short
            },
            qty,
            entry_time: entry_bar[l] as i64,
            entry_price: entry[l],
            exit_time,
            exit_price: price[l],
            pnl: pnl[l],
            exit_reason: reason_of(reason[l]),
        });
    }
}

/// The bar loop for every lane, in the core's order at each bar: the pending order fills at the open, the bracket
/// is checked over the bar, then the close decides (max holding time, exit signal, entry signal) and the equity is
/// marked. Each lane's state is one vector; nothing branches per lane.
#[inline(always)]
fn kernel<V: Lanes, B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
    bars: B,
    lanes8: &Lanes8,
    inputs: &Inputs,
) -> Option<Vec<LaneResult>> {
    let (z, entry_z, exit_z) = (&lanes8.z, &lanes8.entry, &lanes8.exit);
    let params = inputs.params;
    let w = V::WIDTH;
    let n = bars.len();
    let lim = &params.core.limits;
    let qty_u = lim.quantity;
    let splat = V::splat;
    let (zero, one, minus_one, none) = (splat(0.0), splat(1.0), splat(-1.0), splat(-0.0));
    let slip = splat(params.slippage_ticks as f64 * TICK);
    // `side * usd / MULTIPLIER` for a side of +-1 is exactly `side * (usd / MULTIPLIER)`.
    let stop_pts = splat(lim.stop_usd / MULTIPLIER);
    let target_pts = splat(lim.target_usd / MULTIPLIER);
    let qty = splat(lim.quantity as f64);
    let mult = splat(MULTIPLIER);
    let cost = splat(2.0 * lim.commission_per_side * lim.quantity as f64);
    let capital = splat(params.core.capital);
    let max_hold = splat(lim.max_hold_secs as f64);
    let bar_seconds = params.core.bar_seconds as f64;
    let neg_entry: Vec<f64> = entry_z.iter().map(|e| -e).collect();
    let (entry, neg_entry, exit) = (V::load(entry_z), V::load(&neg_entry), V::load(exit_z));
    // Lanes may have different lookbacks: each reads its own z column (every one `n` long, checked by `run`).
    let z_load = ZLoad::<V>::new(z);

    // Per lane, as masks (the bar-to-bar chain of decisions stays in cheap mask operations): the position's
    // side, the entry to fill at the next open, the exit to fill there (by max holding time or by signal). As
    // values: the position's fill price and bracket, its entry bar (start time and index) and the bar close time
    // from which it has been held too long.
    let no = zero.ne(zero);
    let (mut long, mut short) = (no, no);
    let (mut want_long, mut want_short) = (no, no);
    let (mut exit_on_time, mut exit_on_signal, mut exit_on_breaker) = (no, no, no);
    let mut breakers = Breakers::<V>::new(lim);
    let (mut entry_px, mut stop, mut target) = (zero, zero, zero);
    let (mut entry_bar, mut entry_index, mut deadline) = (zero, zero, zero);
    // Bars held: a position entered at bar a and closed at bar b (exit fill at its open or bracket inside it)
    // was open at the closes of bars a..b-1, so each close adds b - a (the end of data counts as bar n).
    let (mut realized, mut held) = (zero, zero);
    let mut totals = Totals {
        count: zero,
        wins: zero,
        net: none,
        win_sum: none,
        loss_sum: none,
        streak: zero,
        longest: zero,
    };
    let mut dd = Drawdown {
        peak: capital,
        max_dd: zero,
        max_dd_pct: zero,
        last: capital,
        deepest: zero,
    };
    let mut prev_day_close = capital;
    let mut trades: Vec<Vec<Trade>> = vec![Vec::new(); w];
    let mut daily: Vec<Vec<f64>> = vec![Vec::new(); w];
    let mut day_end = i64::MIN;
    let mut i = 0;
    while i < n {
        let t0 = bars.time(i);
        if t0 >= day_end {
            // A new CME trading day: the previous one's P&L (as `EquityStats::new_day`).
            if i > 0 {
                let d = lanes(dd.last.sub(prev_day_close));
                for (l, days) in daily.iter_mut().enumerate() {
                    days.push(d[l]);
                }
                prev_day_close = dd.last;
            }
            day_end = next_trading_day_start(t0);
        }
        if inputs.cancel.load(Ordering::Relaxed) {
            return None;
        }
        // Bars i..k belong to this trading day.
        let k = first_at_or_after(bars, i + 1, n, day_end);
        // Once every lane is flat, with nothing pending, and halted for good, its equity stays where it is: the
        // rest of the bars only roll the trading days.
        let idle = V::or(V::or(long, short), V::or(want_long, want_short));
        let done = BREAKERS
            && V::bits(V::and_not(breakers.halted_for_good(), idle)) == V::bits(zero.le(zero));
        for j in if done { k..k } else { i..k } {
            let bar = bars.bar(j);
            let (o, h, lo) = (splat(bar.open), splat(bar.high), splat(bar.low));
            let t = bar.time as f64;
            // SAFETY: j < n, the length of every lane's column, borrowed for the whole loop.
            let zj = unsafe { z_load.at(j) };
            // The pending order fills at the open, moved against the trade by the slippage (side x slip is
            // +-slip exactly); an entry sets the bracket from its fill price.
            if BREAKERS {
                breakers.reach(bar.time);
            }
            let enters = V::or(want_long, want_short);
            let exits = V::or(V::or(exit_on_time, exit_on_signal), exit_on_breaker);
            if V::bits(enters) != 0 {
                let sign = V::select(want_long, one, minus_one);
                let fill = o.add(sign.mul(slip));
                entry_px = V::select(enters, fill, entry_px);
                stop = V::select(enters, round_away(fill.sub(sign.mul(stop_pts)), fill), stop);
                target = V::select(
                    enters,
                    round_away(fill.add(sign.mul(target_pts)), fill),
                    target,
                );
                entry_bar = V::select(enters, splat(t), entry_bar);
                entry_index = V::select(enters, splat(j as f64), entry_index);
                // close - entry start >= max hold, with exact integers, is close >= entry start + max hold.
                deadline = V::select(enters, splat(t).add(max_hold), deadline);
            }
            let held_long = V::or(want_long, V::and_not(long, exits));
            let held_short = V::or(want_short, V::and_not(short, exits));
            // The bracket over the bar: a gap beyond a level exits at the open, else a touched stop wins over a
            // touched target (as `bracket_exit`).
            let (open_below_stop, open_above_stop) = (o.le(stop), o.ge(stop));
            let (open_above_target, open_below_target) = (o.ge(target), o.le(target));
            let (low_stop, high_stop) = (lo.le(stop), h.ge(stop));
            let (high_target, low_target) = (h.ge(target), lo.le(target));
            let long_touch = V::or(
                V::or(open_below_stop, open_above_target),
                V::or(low_stop, high_target),
            );
            let short_touch = V::or(
                V::or(open_above_stop, open_below_target),
                V::or(high_stop, low_target),
            );
            let hit = V::or(
                V::and(held_long, long_touch),
                V::and(held_short, short_touch),
            );
            // At most one close per lane and bar: the exit order's fill (then flat) or the bracket.
            let closes = V::or(exits, hit);
            if V::bits(closes) != 0 {
                let closed_long = V::or(V::and(exits, long), V::and(hit, held_long));
                let gap_stop = V::or(
                    V::and(held_long, open_below_stop),
                    V::and(held_short, open_above_stop),
                );
                let gap_target = V::or(
                    V::and(held_long, open_above_target),
                    V::and(held_short, open_below_target),
                );
                let range_stop = V::or(V::and(held_long, low_stop), V::and(held_short, high_stop));
                let bracket_price = V::select(
                    V::or(gap_stop, gap_target),
                    o,
                    V::select(range_stop, stop, target),
                );
                let exit_fill = V::select(long, o.sub(slip), o.add(slip));
                let price = V::select(exits, exit_fill, bracket_price);
                let signed_qty = V::select(closed_long, qty, zero.sub(qty));
                let pnl = price.sub(entry_px).mul(signed_qty).mul(mult).sub(cost);
                realized = realized.add(V::select(closes, pnl, none));
                held = held.add(V::select(closes, splat(j as f64).sub(entry_index), zero));
                totals.add(closes, pnl);
                if BREAKERS {
                    breakers.on_exit(closes, pnl, capital.add(realized), dd.peak, bar.time);
                }
                if RECORD {
                    let stop_first = V::or(gap_stop, V::and_not(range_stop, gap_target));
                    let bracket_reason = V::select(stop_first, splat(STOP), splat(TARGET));
                    let reason = V::select(
                        exit_on_time,
                        splat(TIME),
                        V::select(
                            exit_on_signal,
                            splat(SIGNAL),
                            V::select(exit_on_breaker, splat(BREAKER), bracket_reason),
                        ),
                    );
                    record_closed(
                        &mut trades,
                        V::bits(closes),
                        qty_u,
                        lanes(V::select(closed_long, one, minus_one)),
                        lanes(entry_px),
                        lanes(entry_bar),
                        lanes(price),
                        lanes(pnl),
                        lanes(reason),
                        bar.time,
                    );
                }
            }
            long = V::and_not(held_long, hit);
            short = V::and_not(held_short, hit);
            // The close: a position exits on a breaker, then on max holding time, then on the exit signal; a flat
            // lane enters on the entry signal while trading is active. NaN z (warm-up) compares false: no signal.
            // The last bar's close decides nothing that fills, and is marked once the end-of-data exit is known.
            let in_pos = V::or(long, short);
            let mut stopped = no;
            let mut tripped = no;
            if j + 1 < n {
                let close_time = bar.time + params.core.bar_seconds;
                if BREAKERS {
                    breakers.reach(close_time - 1);
                    stopped = V::and_not(zero.le(zero), breakers.active());
                }
                let c = splat(bar.close);
                // (c - e) x side x qty: with side +-1 this is (c - e) x (+-qty), the same product. A flat lane's
                // unrealized P&L is (stale difference) x 0 = 0, and x + 0 is x.
                let signed_qty = V::select(long, qty, V::select(short, zero.sub(qty), zero));
                let unrealized = c.sub(entry_px).mul(signed_qty).mul(mult);
                let equity = capital.add(realized).add(unrealized);
                dd.mark(equity);
                if BREAKERS {
                    tripped = breakers.at_close(in_pos, equity, unrealized, dd.peak, close_time);
                }
            }
            let too_long = splat(t + bar_seconds).ge(deadline);
            exit_on_breaker = tripped;
            exit_on_time = V::and_not(V::and(in_pos, too_long), tripped);
            exit_on_signal = V::and_not(
                V::and_not(V::and(in_pos, zj.abs().le(exit)), too_long),
                tripped,
            );
            let flat = V::or(in_pos, stopped);
            want_long = V::and_not(zj.le(neg_entry), flat);
            want_short = V::and_not(zj.ge(entry), flat);
        }
        i = k;
    }
    if n > 0 {
        // End of data: an open position closes at the last close.
        let last = bars.bar(n - 1);
        let in_pos = V::or(long, short);
        let c = splat(last.close);
        let signed_qty = V::select(long, qty, zero.sub(qty));
        let pnl = c.sub(entry_px).mul(signed_qty).mul(mult).sub(cost);
        realized = realized.add(V::select(in_pos, pnl, none));
        held = held.add(V::select(in_pos, splat(n as f64).sub(entry_index), zero));
        totals.add(in_pos, pnl);
        if RECORD && V::bits(in_pos) != 0 {
            record_closed(
                &mut trades,
                V::bits(in_pos),
                qty_u,
                lanes(V::select(long, one, minus_one)),
                lanes(entry_px),
                lanes(entry_bar),
                lanes(c),
                lanes(pnl),
                [END; 8],
                last.time + params.core.bar_seconds,
            );
        }
        dd.mark(capital.add(realized).add(zero));
        let d = lanes(dd.last.sub(prev_day_close));
        for (l, days) in daily.iter_mut().enumerate() {
            days.push(d[l]);
        }
    }
    let held = lanes(held);
    dd.settle(zero.le(zero));
    let (max_dd, max_dd_pct) = (lanes(dd.max_dd), lanes(dd.max_dd_pct));
    Some(
        daily
            .into_iter()
            .zip(trades)
            .enumerate()
            .map(|(l, (days, trades))| LaneResult {
                metrics: metrics_from_parts(
                    totals.lane(l),
                    (days, max_dd[l], max_dd_pct[l]),
                    if n == 0 { 0.0 } else { held[l] / n as f64 },
                ),
                trades,
            })
            .collect(),
    )
}
