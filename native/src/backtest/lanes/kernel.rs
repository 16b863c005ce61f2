//! The lanes' bar loop: every setting's state is a lane of vectors and a bit of integers, every rule a select
//! or a bit operation.
use std::sync::atomic::Ordering;

use super::breakers::Breakers;
use super::stats::{Drawdown, Totals};
use super::{Inputs, LaneResult, Lanes8};
use crate::backtest::metrics::metrics_from_parts;
use crate::backtest::run::{first_at_or_after, BarSeries, TICK};
use crate::backtest::vector::Lanes;
use crate::calendar::next_trading_day_start;
use crate::engine::types::MULTIPLIER;
use crate::engine::{ExitReason, Side, Trade};

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

/// Positions closed at one time, for recording: the lanes that closed, which of them were long, and per lane
/// the position's fill price and entry bar start, the exit price, P&L and reason code.
struct Closing<V: Lanes> {
    lanes: V::Mask,
    long: V::Mask,
    entry: V,
    entry_bar: V,
    price: V,
    pnl: V,
    reason: V,
    time: i64,
}

/// Each closed lane's trade, appended to its list.
#[cold]
#[inline(never)]
fn record<V: Lanes>(trades: &mut [Vec<Trade>], qty: u32, c: Closing<V>) {
    let which = V::bits(c.lanes);
    let long = V::bits(c.long);
    let (entry, entry_bar) = (c.entry.to_array(), c.entry_bar.to_array());
    let (price, pnl, reason) = (c.price.to_array(), c.pnl.to_array(), c.reason.to_array());
    for (l, lane_trades) in trades.iter_mut().enumerate() {
        if which & (1 << l) == 0 {
            continue;
        }
        lane_trades.push(Trade {
            side: if long & (1 << l) != 0 {
                Side::Long
            } else {
                Side::Short
            },
            qty,
            entry_time: entry_bar[l] as i64,
            entry_price: entry[l],
            exit_time: c.time,
            exit_price: price[l],
            pnl: pnl[l],
            exit_reason: reason_of(reason[l]),
        });
    }
}

/// The bar loop for every lane, in the core's order at each bar: the pending order fills at the open, the bracket
/// is checked over the bar, then the close decides (circuit breakers, max holding time, exit signal, entry signal)
/// and the equity is marked. Each lane's state is one lane of vectors and one bit of integers; nothing branches
/// per lane.
#[inline(always)]
pub(super) fn kernel<V: Lanes, B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
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

    // Per lane, as one bit per lane (lane 0 lowest) in an integer: the position (and whether it is long), the
    // entry to fill at the next open, the exit to fill there (by breaker, max holding time or signal). The bar-to-bar
    // chain of decisions is integer logic, off the vector registers, which the values below fill; a vector mask
    // is made from the bits only where a select needs one (`V::from_bits`), at fills. As values: the position's
    // fill price, signed quantity (0 when flat) and bracket (its lower and its upper level: stop and target for a
    // long, target and stop for a short), its entry bar (start time and index) and the bar close time from which
    // it has been held too long.
    let mask = V::from_bits;
    let all: u32 = (1 << V::WIDTH) - 1;
    let (mut long, mut in_pos) = (0u32, 0u32);
    let (mut want_long, mut want_short) = (0u32, 0u32);
    let (mut exit_on_time, mut exit_on_signal, mut exit_on_breaker) = (0u32, 0u32, 0u32);
    let mut breakers = Breakers::<V>::new(lim);
    let (mut entry_px, mut signed_qty, mut lower, mut upper) = (zero, zero, zero, zero);
    let (mut entry_bar, mut entry_index, mut deadline) = (zero, zero, zero);
    // Bars held: a position entered at bar a and closed at bar b (exit fill at its open or bracket inside it)
    // was open at the closes of bars a..b-1, so each close adds b - a (the end of data counts as bar n).
    let (mut realized, mut held) = (zero, zero);
    // Capital + realized P&L, as each close's equity starts from it.
    let mut base = capital.add(realized);
    let mut totals = Totals::new();
    let mut dd = Drawdown::new(capital);
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
                let d = dd.last.sub(prev_day_close).to_array();
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
        let idle = in_pos | want_long | want_short;
        let done = BREAKERS && (V::bits(breakers.halted_for_good()) & !idle) == all;
        for j in if done { k..k } else { i..k } {
            let bar = bars.bar(j);
            let t = bar.time as f64;
            // SAFETY: j < n, the length of every lane's column, borrowed for the whole loop.
            let zj = unsafe { z_load.at(j) };
            // The pending order fills at the open, moved against the trade by the slippage (side x slip is
            // +-slip exactly); an entry sets the bracket from its fill price.
            if BREAKERS {
                breakers.open_at(bar.time);
            }
            let enters = want_long | want_short;
            let exits = exit_on_time | exit_on_signal | exit_on_breaker;
            if enters != 0 {
                let (enters, to_long) = (mask(enters), mask(want_long));
                let sign = V::select(to_long, one, minus_one);
                let fill = splat(bar.open).add(sign.mul(slip));
                entry_px = V::select(enters, fill, entry_px);
                signed_qty = V::select(enters, V::select(to_long, qty, zero.sub(qty)), signed_qty);
                // The stop is below the fill for a long and above it for a short; the target the other way.
                let stop = round_away(fill.sub(sign.mul(stop_pts)), fill);
                let target = round_away(fill.add(sign.mul(target_pts)), fill);
                lower = V::select(enters, V::select(to_long, stop, target), lower);
                upper = V::select(enters, V::select(to_long, target, stop), upper);
                entry_bar = V::select(enters, splat(t), entry_bar);
                entry_index = V::select(enters, splat(j as f64), entry_index);
                // close - entry start >= max hold, with exact integers, is close >= entry start + max hold.
                deadline = V::select(enters, splat(t).add(max_hold), deadline);
            }
            // In a position over the bar: entered at its open, or held from before and not exited there.
            let held_long = want_long | (long & !exits);
            let holding = enters | (in_pos & !exits);
            // The bracket over the bar: a level is touched when the bar's reach (its range with the open in it)
            // gets to it: for a long, the open or the low at or below the stop, or the open or the high at or
            // above the target; a short mirrored.
            let (reach_low, reach_high) = (bar.open.min(bar.low), bar.open.max(bar.high));
            let touched = V::bits(V::or(
                splat(reach_low).le(lower),
                splat(reach_high).ge(upper),
            ));
            let hit = holding & touched;
            // At most one close per lane and bar: the exit order's fill (then flat) or the bracket.
            let closes = exits | hit;
            if closes != 0 {
                let (o, h, lo) = (splat(bar.open), splat(bar.high), splat(bar.low));
                // Which level, and how: a gap beyond a level exits at the open, else a touched stop wins over a
                // touched target (as `bracket_exit`).
                let (exiting, closing) = (mask(exits), mask(closes));
                let exit_fill = V::select(mask(long), o.sub(slip), o.add(slip));
                let (long_side, short_side) = (mask(held_long), mask(holding & !held_long));
                let stop = V::select(long_side, lower, upper);
                let target = V::select(long_side, upper, lower);
                let (open_below_stop, open_above_stop) = (o.le(stop), o.ge(stop));
                let (open_above_target, open_below_target) = (o.ge(target), o.le(target));
                let (low_stop, high_stop) = (lo.le(stop), h.ge(stop));
                let gap_stop = V::or(
                    V::and(long_side, open_below_stop),
                    V::and(short_side, open_above_stop),
                );
                let gap_target = V::or(
                    V::and(long_side, open_above_target),
                    V::and(short_side, open_below_target),
                );
                let range_stop = V::or(V::and(long_side, low_stop), V::and(short_side, high_stop));
                let bracket_price = V::select(
                    V::or(gap_stop, gap_target),
                    o,
                    V::select(range_stop, stop, target),
                );
                let price = V::select(exiting, exit_fill, bracket_price);
                // A closing lane's signed quantity is its position's (set at its fill, this bar's included).
                let pnl = price.sub(entry_px).mul(signed_qty).mul(mult).sub(cost);
                realized = realized.add(V::select(closing, pnl, none));
                base = capital.add(realized);
                signed_qty = V::select(closing, zero, signed_qty);
                held = held.add(V::select(closing, splat(j as f64).sub(entry_index), zero));
                totals.add(closing, pnl);
                if BREAKERS {
                    breakers.on_exit(closing, pnl, base, dd.peak, bar.time);
                }
                if RECORD {
                    let stop_first = V::or(gap_stop, V::and_not(range_stop, gap_target));
                    let bracket_reason = V::select(stop_first, splat(STOP), splat(TARGET));
                    let reason = V::select(
                        mask(exit_on_time),
                        splat(TIME),
                        V::select(
                            mask(exit_on_signal),
                            splat(SIGNAL),
                            V::select(mask(exit_on_breaker), splat(BREAKER), bracket_reason),
                        ),
                    );
                    let closing = Closing {
                        lanes: closing,
                        long: mask((exits & long) | (hit & held_long)),
                        entry: entry_px,
                        entry_bar,
                        price,
                        pnl,
                        reason,
                        time: bar.time,
                    };
                    record(&mut trades, qty_u, closing);
                }
            }
            long = held_long & !hit;
            in_pos = holding & !hit;
            // The close: a position exits on a breaker, then on max holding time, then on the exit signal; a flat
            // lane enters on the entry signal while trading is active. NaN z (warm-up) compares false: no signal.
            // The last bar's close decides nothing that fills, and is marked once the end-of-data exit is known.
            let mut stopped = 0;
            let mut tripped = 0;
            if j + 1 < n {
                let close_time = bar.time + params.core.bar_seconds;
                if BREAKERS {
                    breakers.reach(close_time - 1);
                    stopped = !V::bits(breakers.active()) & all;
                }
                let c = splat(bar.close);
                // (c - e) x side x qty: with side +-1 this is (c - e) x (+-qty), the same product. A flat lane's
                // unrealized P&L is (stale difference) x 0 = 0, and x + 0 is x.
                let unrealized = c.sub(entry_px).mul(signed_qty).mul(mult);
                let equity = base.add(unrealized);
                dd.mark(equity);
                if BREAKERS {
                    tripped = V::bits(breakers.at_close(
                        mask(in_pos),
                        equity,
                        unrealized,
                        dd.peak,
                        close_time,
                    ));
                }
            }
            let too_long = V::bits(splat(t + bar_seconds).ge(deadline));
            exit_on_breaker = tripped;
            exit_on_time = in_pos & too_long & !tripped;
            exit_on_signal = in_pos & V::bits(zj.abs().le(exit)) & !too_long & !tripped;
            let flat = in_pos | stopped;
            want_long = V::bits(zj.le(neg_entry)) & !flat;
            want_short = V::bits(zj.ge(entry)) & !flat;
        }
        i = k;
    }
    if n > 0 {
        // End of data: an open position closes at the last close.
        let last = bars.bar(n - 1);
        let c = splat(last.close);
        let pnl = c.sub(entry_px).mul(signed_qty).mul(mult).sub(cost);
        let (open, in_pos) = (in_pos != 0, mask(in_pos));
        realized = realized.add(V::select(in_pos, pnl, none));
        held = held.add(V::select(in_pos, splat(n as f64).sub(entry_index), zero));
        totals.add(in_pos, pnl);
        if RECORD && open {
            let closing = Closing {
                lanes: in_pos,
                long: mask(long),
                entry: entry_px,
                entry_bar,
                price: c,
                pnl,
                reason: splat(END),
                time: last.time + params.core.bar_seconds,
            };
            record(&mut trades, qty_u, closing);
        }
        dd.mark(capital.add(realized).add(zero));
        let d = dd.last.sub(prev_day_close).to_array();
        for (l, days) in daily.iter_mut().enumerate() {
            days.push(d[l]);
        }
    }
    let held = held.to_array();
    dd.settle(zero.le(zero));
    let (max_dd, max_dd_pct) = (dd.max_dd.to_array(), dd.max_dd_pct.to_array());
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
