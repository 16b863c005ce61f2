//! The equity curve of a run and its statistics, from the run's trades: every bar's close marked as the core
//! marks it (capital + realized + unrealized, in that order of additions), pushed to `EquityStats` in bar order.
//! `Deferred` marks a later stretch of the run on another thread: the values only, with the extremes of each
//! trading day's closes, which `Marks::apply` then pushes in order: the same statistics marking them here gives.
use super::super::metrics::EquityStats;
use super::super::run::{BarColumns, BarSeries};
use super::super::vector::Lanes;
use super::kernel::Sink;
use crate::calendar::next_trading_day_start;
use crate::engine::types::MULTIPLIER;

/// The equity curve's statistics, as the run tells its closes, and the curve itself written into `out` (one
/// value per bar) when there is one.
pub(super) struct Marks<'o> {
    stats: EquityStats,
    capital: f64,
    realized: f64,
    out: Option<&'o mut [f64]>,
    /// A stretch of closes in a position when there is no `out` to hold them.
    scratch: Vec<f64>,
}

impl<'o> Marks<'o> {
    pub fn new(capital: f64, out: Option<&'o mut [f64]>) -> Self {
        Self {
            stats: EquityStats::new(capital),
            capital,
            realized: 0.0,
            out,
            scratch: Vec::new(),
        }
    }

    /// Daily P&L, max drawdown in dollars and as a fraction of the peak (as `EquityStats::finish`).
    pub fn finish(self) -> (Vec<f64>, f64, f64) {
        self.stats.finish()
    }

    /// The closes from bar `at` on, marked elsewhere (`Deferred`), with the P&L realized up to here and the trades'
    /// (in order) added; `None` without a curve to write them into.
    pub fn defer_from(
        &mut self,
        at: usize,
        trades_before: impl Iterator<Item = f64>,
    ) -> Option<Deferred<'o>> {
        let (head, tail) = self.out.take()?.split_at_mut(at);
        self.out = Some(head);
        Some(Deferred {
            capital: self.capital,
            realized: trades_before.fold(self.realized, |r, pnl| r + pnl),
            out: tail,
            offset: at,
            stretches: Vec::new(),
            day: None,
        })
    }

    /// The statistics of the closes `d` marked, pushed in bar order (after every close before them).
    pub fn apply(&mut self, bars: BarColumns, mut d: Deferred) {
        d.end_day();
        for s in &d.stretches {
            match *s {
                Stretch::Flat { from, to, e } => self.stats.push_flat(bars, from, to, e),
                Stretch::Held { from, to, hi, lo } => {
                    let values = &d.out[from - d.offset..to - d.offset];
                    push_held(&mut self.stats, bars, from, values, hi, lo);
                }
            }
        }
    }
}

impl Sink for Marks<'_> {
    #[inline(always)]
    fn flat<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize) {
        if from < to {
            // DecisionCore::equity with no position: capital + realized + 0.
            let e = self.capital + self.realized + 0.0;
            if let Some(out) = self.out.as_deref_mut() {
                fill::<V>(&mut out[from..to], e);
            }
            self.stats.push_flat(bars, from, to, e);
        }
    }

    #[inline(always)]
    fn held<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize, pos: (f64, f64, f64)) {
        if from >= to {
            return;
        }
        let out = match self.out.as_deref_mut() {
            Some(out) => &mut out[from..to],
            None => {
                self.scratch.resize(to - from, 0.0);
                &mut self.scratch[..]
            }
        };
        let (hi, lo) = mark_held::<V>(
            &bars.prices().3[from..to],
            out,
            self.capital + self.realized,
            pos,
        );
        push_held(&mut self.stats, bars, from, out, hi, lo);
    }

    #[inline(always)]
    fn realize(&mut self, pnl: f64) {
        self.realized += pnl;
    }
}

/// A stretch of closes `Deferred` marked: flat at `e`, or of any values with these extremes (a position's, or
/// those of consecutive stretches inside one trading day).
enum Stretch {
    Flat {
        from: usize,
        to: usize,
        e: f64,
    },
    Held {
        from: usize,
        to: usize,
        hi: f64,
        lo: f64,
    },
}

/// The closes from bar `offset` on, marked into `out` (which starts at that bar) without the statistics.
/// Consecutive stretches inside one trading day are kept as one block of values with its extremes: pushing that
/// block gives what pushing each of them gives (`EquityStats::push_block`), at the cost of one.
pub(super) struct Deferred<'o> {
    capital: f64,
    realized: f64,
    out: &'o mut [f64],
    offset: usize,
    stretches: Vec<Stretch>,
    /// The current trading day's closes so far.
    day: Option<DayBlock>,
}

/// Consecutive closes inside one trading day, which ends at `day_end`, with their extremes.
struct DayBlock {
    from: usize,
    to: usize,
    hi: f64,
    lo: f64,
    day_end: i64,
}

impl Deferred<'_> {
    /// Closes `from..to` (`from < to`) marked, with these extremes: added to the current day's block when they all
    /// start before the day ends; else the block is closed and they are kept as `own` (which pushes them across
    /// the day's end), and the next block starts after them.
    #[inline(always)]
    fn add(
        &mut self,
        bars: BarColumns,
        (from, to): (usize, usize),
        (hi, lo): (f64, f64),
        own: Stretch,
    ) {
        let last = bars.time(to - 1);
        let day_end = match &self.day {
            Some(b) => b.day_end,
            None => next_trading_day_start(bars.time(from)),
        };
        if last < day_end {
            let b = self.day.get_or_insert(DayBlock {
                from,
                to: from,
                hi,
                lo,
                day_end,
            });
            debug_assert_eq!(b.to, from, "stretches come in bar order, one after another");
            b.to = to;
            b.hi = if hi > b.hi { hi } else { b.hi };
            b.lo = if lo < b.lo { lo } else { b.lo };
        } else {
            self.end_day();
            self.stretches.push(own);
            self.day = Some(DayBlock {
                from: to,
                to,
                hi: f64::NEG_INFINITY,
                lo: f64::INFINITY,
                day_end: next_trading_day_start(last),
            });
        }
    }

    /// The current day's block, if it holds any closes, kept as a stretch of values.
    fn end_day(&mut self) {
        if let Some(b) = self.day.take().filter(|b| b.from < b.to) {
            self.stretches.push(Stretch::Held {
                from: b.from,
                to: b.to,
                hi: b.hi,
                lo: b.lo,
            });
        }
    }
}

impl Sink for Deferred<'_> {
    #[inline(always)]
    fn flat<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize) {
        if from < to {
            let e = self.capital + self.realized + 0.0;
            fill::<V>(&mut self.out[from - self.offset..to - self.offset], e);
            self.add(bars, (from, to), (e, e), Stretch::Flat { from, to, e });
        }
    }

    #[inline(always)]
    fn held<V: Lanes>(&mut self, bars: BarColumns, from: usize, to: usize, pos: (f64, f64, f64)) {
        if from < to {
            let out = &mut self.out[from - self.offset..to - self.offset];
            let (hi, lo) = mark_held::<V>(
                &bars.prices().3[from..to],
                out,
                self.capital + self.realized,
                pos,
            );
            self.add(
                bars,
                (from, to),
                (hi, lo),
                Stretch::Held { from, to, hi, lo },
            );
        }
    }

    #[inline(always)]
    fn realize(&mut self, pnl: f64) {
        self.realized += pnl;
    }
}

/// The closes `close` marked with the position `(side sign, qty, fill price)` open on top of `base` (capital +
/// realized) into `out`, a vector at a time; their highest and lowest value.
#[inline(always)]
fn mark_held<V: Lanes>(
    close: &[f64],
    out: &mut [f64],
    base: f64,
    (sign, qty, fill): (f64, f64, f64),
) -> (f64, f64) {
    // PositionWatch::equity: base + (close - fill) x side x qty x multiplier, the same operations per lane.
    let (vb, vf, vs, vq, vm) = (
        V::splat(base),
        V::splat(fill),
        V::splat(sign),
        V::splat(qty),
        V::splat(MULTIPLIER),
    );
    let (mut high, mut low) = (V::splat(f64::NEG_INFINITY), V::splat(f64::INFINITY));
    let (len, mut j) = (close.len(), 0);
    while j + V::WIDTH <= len {
        let e = vb.add(V::load(&close[j..]).sub(vf).mul(vs).mul(vq).mul(vm));
        e.store(&mut out[j..]);
        high = e.max(high);
        low = e.min(low);
        j += V::WIDTH;
    }
    if j < len {
        // The last few closes in one masked vector; the lanes past them stay out of the extremes.
        let rest = len - j;
        let e = vb.add(
            V::load_first(&close[j..], rest)
                .sub(vf)
                .mul(vs)
                .mul(vq)
                .mul(vm),
        );
        e.store_first(&mut out[j..], rest);
        let inside = V::first(rest);
        high = V::select(inside, e, V::splat(f64::NEG_INFINITY)).max(high);
        low = V::select(inside, e, V::splat(f64::INFINITY)).min(low);
    }
    let (mut hi, mut lo) = (f64::NEG_INFINITY, f64::INFINITY);
    for (&h, &l) in high.to_array()[..V::WIDTH]
        .iter()
        .zip(&low.to_array()[..V::WIDTH])
    {
        hi = if h > hi { h } else { hi };
        lo = if l < lo { l } else { lo };
    }
    (hi, lo)
}

/// The closes of bars `from..` with the values `values` (highest `hi`, lowest `lo`) pushed to `stats`.
#[inline(always)]
fn push_held(
    stats: &mut EquityStats,
    bars: BarColumns,
    from: usize,
    values: &[f64],
    hi: f64,
    lo: f64,
) {
    if bars.time(from + values.len() - 1) < stats.day_end() {
        // Every bar starts before the current trading day ends (and after it began: earlier bars were).
        stats.push_block(values, hi, lo);
    } else {
        for (k, &e) in values.iter().enumerate() {
            stats.push(bars.time(from + k), e);
        }
    }
}

/// `out.fill(e)` a vector at a time, the last few values in one masked store (runs are short: a call to a
/// general fill costs more than the stores).
#[inline(always)]
fn fill<V: Lanes>(out: &mut [f64], e: f64) {
    let (v, len) = (V::splat(e), out.len());
    let mut j = 0;
    while j + V::WIDTH <= len {
        v.store(&mut out[j..]);
        j += V::WIDTH;
    }
    if j < len {
        v.store_first(&mut out[j..], len - j);
    }
}
