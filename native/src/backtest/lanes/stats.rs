//! Trade totals and the equity curve's drawdown, per lane.
use crate::backtest::metrics::TradeTotals;
use crate::backtest::vector::Lanes;

/// Trade totals (as `TradeTotals`, counts as f64 so they stay in registers).
#[derive(Clone, Copy)]
pub(super) struct Totals<V> {
    pub(super) count: V,
    pub(super) wins: V,
    pub(super) net: V,
    pub(super) win_sum: V,
    pub(super) loss_sum: V,
    pub(super) streak: V,
    pub(super) longest: V,
}

impl<V: Lanes> Totals<V> {
    pub(super) fn new() -> Self {
        let (zero, none) = (V::splat(0.0), V::splat(-0.0));
        Self {
            count: zero,
            wins: zero,
            net: none,
            win_sum: none,
            loss_sum: none,
            streak: zero,
            longest: zero,
        }
    }

    /// Adds `pnl` in the lanes of `closes`. `x + -0.0` is `x` for every `x`, so the other lanes add -0.0.
    #[inline(always)]
    pub(super) fn add(&mut self, closes: V::Mask, pnl: V) {
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

    pub(super) fn lane(&self, l: usize) -> TradeTotals {
        TradeTotals {
            count: self.count.to_array()[l] as u32,
            wins: self.wins.to_array()[l] as u32,
            net: self.net.to_array()[l],
            win_sum: self.win_sum.to_array()[l],
            loss_sum: self.loss_sum.to_array()[l],
            streak: self.streak.to_array()[l] as u32,
            longest: self.longest.to_array()[l] as u32,
        }
    }
}

/// The equity curve's drawdown (as `EquityStats::mark`, whose capital is positive).
#[derive(Clone, Copy)]
pub(super) struct Drawdown<V> {
    pub(super) peak: V,
    pub(super) max_dd: V,
    pub(super) max_dd_pct: V,
    pub(super) last: V,
    /// The deepest new maximum drawdown since the peak last rose (0 when none). `EquityStats::mark` takes the
    /// fraction of the peak at every new maximum; under one peak the deepest has the largest fraction (division
    /// rounds monotonically), so the fraction is taken once, when the peak rises or at the end.
    pub(super) deepest: V,
}

impl<V: Lanes> Drawdown<V> {
    pub(super) fn new(capital: V) -> Self {
        let zero = V::splat(0.0);
        Self {
            peak: capital,
            max_dd: zero,
            max_dd_pct: zero,
            last: capital,
            deepest: zero,
        }
    }

    #[inline(always)]
    pub(super) fn mark(&mut self, e: V) {
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
    pub(super) fn settle(&mut self, m: V::Mask) {
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
