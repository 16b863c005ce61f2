//! The equity curve of a run and its statistics, from the run's trades: every bar's close marked as the core
//! marks it (capital + realized + unrealized, in that order of additions), pushed to `EquityStats` in bar order.
use super::super::metrics::EquityStats;
use super::super::run::{BarColumns, BarSeries};
use super::super::vector::Lanes;
use super::kernel::Sink;
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
        let (sign, qty, fill) = pos;
        let close = &bars.prices().3[from..to];
        let out = match self.out.as_deref_mut() {
            Some(out) => &mut out[from..to],
            None => {
                self.scratch.resize(to - from, 0.0);
                &mut self.scratch[..]
            }
        };
        let base = self.capital + self.realized;
        // PositionWatch::equity: base + (close - fill) x side x qty x multiplier, the same operations per lane.
        let (vb, vf, vs, vq, vm) = (
            V::splat(base),
            V::splat(fill),
            V::splat(sign),
            V::splat(qty),
            V::splat(MULTIPLIER),
        );
        let (mut high, mut low) = (V::splat(f64::NEG_INFINITY), V::splat(f64::INFINITY));
        let (len, mut j) = (to - from, 0);
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
        if bars.time(to - 1) < self.stats.day_end() {
            // Every bar starts before the current trading day ends (and after it began: earlier bars were).
            self.stats.push_block(out, hi, lo);
        } else {
            for (k, &e) in out.iter().enumerate() {
                self.stats.push(bars.time(from + k), e);
            }
        }
    }

    #[inline(always)]
    fn realize(&mut self, pnl: f64) {
        self.realized += pnl;
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
