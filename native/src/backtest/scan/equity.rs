//! The equity curve of a run and its statistics, from the run's trades: every bar's close marked as the core
//! marks it (capital + realized + unrealized, in that order of additions), pushed to `EquityStats` in bar order.
//! The closes of one trading day are pushed as one block of values with its extremes (`Days`): the same
//! statistics as pushing them one stretch at a time, at the cost of one push. `Deferred` marks a later stretch of
//! the run on another thread: the values and those blocks only, which `Marks::apply` then pushes in order.
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
    /// The closes of the current trading day not yet pushed (only with `out`, which holds their values).
    days: Days,
}

impl<'o> Marks<'o> {
    pub fn new(capital: f64, out: Option<&'o mut [f64]>) -> Self {
        Self {
            stats: EquityStats::new(capital),
            capital,
            realized: 0.0,
            out,
            scratch: Vec::new(),
            days: Days::default(),
        }
    }

    /// Daily P&L, max drawdown in dollars and as a fraction of the peak (as `EquityStats::finish`).
    pub fn finish(mut self, bars: BarColumns) -> (Vec<f64>, f64, f64) {
        self.end_day(bars);
        self.stats.finish()
    }

    /// The current day's closes not yet pushed, pushed.
    fn end_day(&mut self, bars: BarColumns) {
        let day = self.days.end();
        self.push_day(bars, day);
    }

    /// A day's closes (marked into `out`) pushed to the statistics.
    fn push_day(&mut self, bars: BarColumns, day: Option<DayBlock>) {
        if let (Some(b), Some(out)) = (day, self.out.as_deref()) {
            push_held(
                &mut self.stats,
                bars,
                b.from,
                &out[b.from..b.to],
                b.hi,
                b.lo,
            );
        }
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
            days: Days::default(),
        })
    }

    /// The statistics of the closes `d` marked, pushed in bar order (after every close before them).
    pub fn apply(&mut self, bars: BarColumns, mut d: Deferred) {
        self.end_day(bars);
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
                let Joined::No { before } = self.days.join(bars, (from, to), (e, e)) else {
                    return;
                };
                self.push_day(bars, before);
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
        if self.out.is_some() {
            let Joined::No { before } = self.days.join(bars, (from, to), (hi, lo)) else {
                return;
            };
            self.push_day(bars, before);
        }
        let out = match self.out.as_deref() {
            Some(out) => &out[from..to],
            None => &self.scratch[..],
        };
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
    /// The current trading day's closes not yet kept as a stretch.
    days: Days,
}

impl Deferred<'_> {
    /// Closes `from..to` (`from < to`) marked, with these extremes: joined to their day's block, or, when they
    /// reach into a later day, kept as `own` after that block.
    #[inline(always)]
    fn add(
        &mut self,
        bars: BarColumns,
        (from, to): (usize, usize),
        (hi, lo): (f64, f64),
        own: Stretch,
    ) {
        if let Joined::No { before } = self.days.join(bars, (from, to), (hi, lo)) {
            self.stretches.extend(before.map(DayBlock::stretch));
            self.stretches.push(own);
        }
    }

    /// The current day's block kept as a stretch.
    fn end_day(&mut self) {
        let day = self.days.end();
        self.stretches.extend(day.map(DayBlock::stretch));
    }
}

/// Consecutive closes inside one trading day, which ends at `day_end`, with their extremes.
struct DayBlock {
    from: usize,
    to: usize,
    hi: f64,
    lo: f64,
    day_end: i64,
}

impl DayBlock {
    fn stretch(self) -> Stretch {
        Stretch::Held {
            from: self.from,
            to: self.to,
            hi: self.hi,
            lo: self.lo,
        }
    }
}

/// Whether closes joined the current day's block; when not, they are to be pushed on their own after the block
/// that was open (`before`, if it holds any closes).
enum Joined {
    Yes,
    No { before: Option<DayBlock> },
}

/// The closes of the current trading day, gathered as one block of values with its extremes: pushing the block
/// gives what pushing each of them gives (`EquityStats::push_block`).
#[derive(Default)]
struct Days(Option<DayBlock>);

impl Days {
    /// Closes `from..to` (`from < to`) with these extremes join the current day's block when they all start before
    /// the day ends. When they reach into a later day they do not, and the next block starts after them.
    #[inline(always)]
    fn join(
        &mut self,
        bars: BarColumns,
        (from, to): (usize, usize),
        (hi, lo): (f64, f64),
    ) -> Joined {
        let last = bars.time(to - 1);
        let day_end = match &self.0 {
            Some(b) => b.day_end,
            None => next_trading_day_start(bars.time(from)),
        };
        if last < day_end {
            let b = self.0.get_or_insert(DayBlock {
                from,
                to: from,
                hi,
                lo,
                day_end,
            });
            debug_assert_eq!(
                b.to, from,
                "closes come in bar order, one stretch after another"
            );
            b.to = to;
            b.hi = if hi > b.hi { hi } else { b.hi };
            b.lo = if lo < b.lo { lo } else { b.lo };
            return Joined::Yes;
        }
        let before = self.end();
        self.0 = Some(DayBlock {
            from: to,
            to,
            hi: f64::NEG_INFINITY,
            lo: f64::INFINITY,
            day_end: next_trading_day_start(last),
        });
        Joined::No { before }
    }

    /// The current block, if it holds any closes; none is open after it.
    fn end(&mut self) -> Option<DayBlock> {
        self.0.take().filter(|b| b.from < b.to)
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
    // No lane is NaN (MAXPD and MINPD keep the running lane over a NaN value, and the lanes start at -inf and
    // +inf), so halving finds the extremes a lane-by-lane pass finds, in a short chain of dependent steps.
    (high.max_lane(), low.min_lane())
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
