//! One run's decisions: flat, the z column is searched for the next entry signal in blocks of bars (the search the
//! core's batch loop uses, `ZColumn::first_entry`); in a position, a vector of bars at a time is judged for the
//! bracket, max holding time and the exit signal. Only the bar where something happens is handled one at a time.
use super::super::run::{bracket_exit, BarColumns, BarSeries};
use super::super::vector::Lanes;
use crate::engine::types::{round_away, MULTIPLIER};
use crate::engine::{ExitReason, Side, Trade};
use crate::sim::Bar;

/// The z-score rules of one setting (breakers off), in the units the scans use.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub entry: f64,
    pub exit: f64,
    pub slip: f64,
    /// Stop and target distances in points (dollars per contract / multiplier).
    pub stop_pts: f64,
    pub target_pts: f64,
    pub qty: u32,
    pub commission_per_side: f64,
    pub max_hold_secs: i64,
    pub bar_seconds: i64,
}

/// The bars a trade spans: entered at the open of bar `from`; closed at the open of bar `to` (exit order), inside
/// it (stop or target), or `to == n` at the end of data. It is open at the closes of bars `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub from: usize,
    pub to: usize,
}

/// A run's closed trades in order, each with its span.
#[derive(Debug, Default)]
pub(super) struct Fills {
    pub trades: Vec<Trade>,
    pub spans: Vec<Span>,
}

impl Fills {
    /// Room for `more` trades.
    pub fn reserve(&mut self, more: usize) {
        self.trades.reserve(more);
        self.spans.reserve(more);
    }

    fn push(&mut self, trade: Trade, span: Span) {
        self.trades.push(trade);
        self.spans.push(span);
    }

    /// Flat at the close of bar `j`: no trade open across it.
    pub fn flat_at(&self, j: usize) -> bool {
        let after = self.spans.partition_point(|s| s.from <= j);
        after == 0 || self.spans[after - 1].to <= j
    }
}

/// The bars and the z column (one value per bar, NaN where there is no signal).
#[derive(Clone, Copy)]
pub(super) struct Series<'a> {
    pub bars: BarColumns<'a>,
    pub z: &'a [f64],
}

/// What a run's bar closes are marked at, told in bar order as the run decides: closes with no position, closes
/// with one, and each trade's P&L where it closes.
pub(super) trait Sink {
    /// Closes of bars `from..to`, flat.
    fn flat<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize);
    /// Closes of bars `from..to` with the position `(side sign, qty, fill price)` open.
    fn held<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize, pos: (f64, f64, f64));
    /// A trade closed: its P&L is realized from here on.
    fn realize(&mut self, pnl: f64);
}

/// Marks nothing (a part of a split run that does not yet know what came before it).
pub(super) struct Unmarked;

impl Sink for Unmarked {
    #[inline(always)]
    fn flat<V: Lanes>(&mut self, _: BarColumns, _: usize, _: usize) {}
    #[inline(always)]
    fn held<V: Lanes>(&mut self, _: BarColumns, _: usize, _: usize, _: (f64, f64, f64)) {}
    #[inline(always)]
    fn realize(&mut self, _: f64) {}
}

/// The bar closes that trades (in order, entered after bar `from`, where the run is flat with nothing pending)
/// imply from `from` up to bar `to` (after the last trade's close), told to `sink`.
#[inline(always)]
pub(super) fn replay<V: Lanes>(
    bars: BarColumns,
    trades: &[Trade],
    spans: &[Span],
    mut from: usize,
    to: usize,
    sink: &mut impl Sink,
) {
    let n = bars.len();
    for (t, s) in trades.iter().zip(spans) {
        sink.flat::<V>(bars, from, s.from);
        // The end-of-data exit is marked at the last bar's close.
        let closed_at = s.to.min(n - 1);
        sink.held::<V>(
            bars,
            s.from,
            closed_at,
            (t.side.sign(), t.qty as f64, t.entry_price),
        );
        sink.realize(t.pnl);
        from = closed_at;
    }
    sink.flat::<V>(bars, from, to);
}

/// The run from bar `j`, flat after that bar's open with its close not yet decided, up to the first such bar
/// where `stop` says to stop (returned) or the end of data (`n` returned). Closed trades go to `fills`, and every
/// bar close before where it stopped to `sink`.
#[inline(always)]
pub(super) fn decide<V: Lanes>(
    s: Series,
    r: &Rules,
    mut j: usize,
    fills: &mut Fills,
    sink: &mut impl Sink,
    mut stop: impl FnMut(usize) -> bool,
) -> usize {
    let n = s.bars.len();
    let (open, _, _, close) = s.bars.prices();
    // The last bar's close decides nothing that could fill.
    let last = n.saturating_sub(1);
    while j < last {
        if stop(j) {
            return j;
        }
        let k = first_entry::<V>(s.z, r.entry, j, last);
        if k == last {
            break;
        }
        sink.flat::<V>(s.bars, j, k + 1);
        // ZScoreStrategy::decide: long at or below -entry, else short at or above +entry.
        let side = if s.z[k] <= -r.entry {
            Side::Long
        } else {
            Side::Short
        };
        let e = k + 1;
        let sign = side.sign();
        let fill = open[e] + sign * r.slip;
        let time_e = s.bars.time(e);
        // DecisionCore::bracket.
        // `sign * usd / MULTIPLIER` for a sign of +-1 is exactly `sign * (usd / MULTIPLIER)`.
        let stop_px = round_away(fill - sign * r.stop_pts, fill);
        let target = round_away(fill + sign * r.target_pts, fill);
        // PositionWatch::held_too_long at a bar's close: start + bar seconds - entry bar start >= max hold.
        let due = time_e
            .saturating_add(r.max_hold_secs)
            .saturating_sub(r.bar_seconds);
        let pos = Held {
            side,
            stop: stop_px,
            target,
            due,
        };
        let x = match side {
            Side::Long => held_until::<V, true>(s, &pos, r.exit, e, last),
            Side::Short => held_until::<V, false>(s, &pos, r.exit, e, last),
        };
        let (price, time, to, reason) =
            if let Some((price, reason)) = bracket_exit(side, stop_px, target, &range_of(s, x)) {
                (price, s.bars.time(x), x, reason)
            } else if x == last {
                (
                    close[last],
                    s.bars.time(last) + r.bar_seconds,
                    n,
                    ExitReason::End,
                )
            } else {
                let reason = if s.bars.time(x) >= due {
                    ExitReason::Time
                } else {
                    ExitReason::Signal
                };
                (
                    open[x + 1] - sign * r.slip,
                    s.bars.time(x + 1),
                    x + 1,
                    reason,
                )
            };
        // DecisionCore::on_exit_fill.
        let qty = r.qty as f64;
        let gross = (price - fill) * sign * qty * MULTIPLIER;
        let trade = Trade {
            side,
            qty: r.qty,
            entry_time: time_e,
            entry_price: fill,
            exit_time: time,
            exit_price: price,
            pnl: gross - 2.0 * r.commission_per_side * qty,
            exit_reason: reason,
        };
        sink.held::<V>(s.bars, e, to.min(last), (sign, qty, fill));
        sink.realize(trade.pnl);
        fills.push(trade, Span { from: e, to });
        // A bracket exit leaves the bar's close to decide; an exit order filled at the next bar's open; the end of
        // data is marked at the last close.
        j = to.min(last);
        if to == n {
            break;
        }
    }
    sink.flat::<V>(s.bars, j, n);
    n
}

/// The first bar in `from..to` at whose close z enters, or `to`; a vector at a time, as `held_until` searches.
/// `ZScoreStrategy::decide` enters at z <= -entry or z >= entry, which for entry > 0 (checked by
/// `ZScoreStrategy::new`) is |z| >= entry; NaN never enters.
#[inline(always)]
fn first_entry<V: Lanes>(z: &[f64], entry: f64, from: usize, to: usize) -> usize {
    let e = V::splat(entry);
    let mut j = from;
    while j + V::WIDTH <= to {
        let enters = V::bits(V::load(&z[j..]).abs().ge(e));
        if enters != 0 {
            return j + enters.trailing_zeros() as usize;
        }
        j += V::WIDTH;
    }
    if j < to {
        // The lanes past the column's end load as zero, which never enters (entry > 0).
        let enters = V::bits(V::load_first(&z[j..], to - j).abs().ge(e));
        if enters != 0 {
            return j + enters.trailing_zeros() as usize;
        }
    }
    to
}

/// Bar `i` as far as the bracket reads it (open, high, low; the rest zero), without touching the other columns.
#[inline(always)]
fn range_of(s: Series, i: usize) -> Bar {
    let (open, high, low, _) = s.bars.prices();
    Bar {
        time: 0,
        open: open[i],
        high: high[i],
        low: low[i],
        close: 0.0,
        volume: 0.0,
    }
}

/// An open position as the scan judges it; from the bar starting at `due` on, it is held too long at the close.
struct Held {
    side: Side,
    stop: f64,
    target: f64,
    due: i64,
}

/// In a position entered at bar `e`: the first bar in `e..last` whose range reaches the stop or target (or opens
/// beyond one), or at whose close the position is held too long or the exit signal holds (|z| <= exit); `last`
/// if none. For a short position the comparisons mirror (`bracket_touched` in run.rs).
#[inline(always)]
fn held_until<V: Lanes, const LONG: bool>(
    s: Series,
    p: &Held,
    exit: f64,
    e: usize,
    last: usize,
) -> usize {
    let (open, high, low, _) = s.bars.prices();
    let time = s.bars.times();
    let (stop, target, x) = (V::splat(p.stop), V::splat(p.target), V::splat(exit));
    // A bar starts at `due` or later when its time, truncated to whole seconds as `BarColumns::time` does, is at
    // least `due`: for a time t >= 0 that is t >= due, for t < 0 it is t > due - 1 (`due` is exact as f64: times
    // and the holding limit are below 2^52, see `applies`).
    let (zero, due, due_less_one) = (
        V::splat(0.0),
        V::splat(p.due as f64),
        V::splat(p.due as f64 - 1.0),
    );
    let mut j = e;
    while j + V::WIDTH <= last {
        let (o, h, l) = (V::load(&open[j..]), V::load(&high[j..]), V::load(&low[j..]));
        let touched = if LONG {
            V::or(
                V::or(o.le(stop), o.ge(target)),
                V::or(l.le(stop), h.ge(target)),
            )
        } else {
            V::or(
                V::or(o.ge(stop), o.le(target)),
                V::or(h.ge(stop), l.le(target)),
            )
        };
        let signal = V::load(&s.z[j..]).abs().le(x);
        let t = V::load(&time[j..]);
        let held_long = V::or(
            V::and(t.ge(zero), t.ge(due)),
            V::and(t.lt(zero), t.gt(due_less_one)),
        );
        let any = V::bits(V::or(V::or(touched, signal), held_long));
        if any != 0 {
            return j + any.trailing_zeros() as usize;
        }
        j += V::WIDTH;
    }
    while j < last {
        let touched = bracket_exit(p.side, p.stop, p.target, &range_of(s, j)).is_some();
        if touched || s.z[j].abs() <= exit || s.bars.time(j) >= p.due {
            return j;
        }
        j += 1;
    }
    last
}
