//! Backtest metrics. Rates are fractions (0.55, not 55). Sharpe and Sortino use daily P&L over CME trading days
//! (the change in marked-to-market equity from one trading day's last bar close to the next), annualized with
//! sqrt(252). The combined score is documented in docs/BACKTEST.md.
use crate::calendar::next_trading_day_start;
use crate::engine::Trade;
use crate::sim::Bar;

use super::run::{first_at_or_after, BarSeries};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    pub net_pnl: f64,
    pub trades: u32,
    pub wins: u32,
    pub losses: u32,
    pub win_rate: f64,
    /// Gross profit / gross loss; None when there is no losing trade.
    pub profit_factor: Option<f64>,
    pub avg_win: f64,
    pub avg_loss: f64,
    pub expectancy: f64,
    pub max_drawdown: f64,
    pub max_drawdown_pct: f64,
    pub sharpe: f64,
    pub sortino: f64,
    pub trading_days: u32,
    pub trades_per_day: f64,
    /// Fraction of bars closing with an open position.
    pub exposure: f64,
    pub longest_losing_streak: u32,
    pub score: f64,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

pub fn daily_pnl(equity: &[f64], bars: &[Bar], capital: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut prev_close_equity = capital;
    let mut i = 0;
    while i < bars.len() {
        // Every bar before the next 17:00 CT boundary belongs to the same trading day.
        let day_end = next_trading_day_start(bars[i].time);
        let mut j = i;
        while j + 1 < bars.len() && bars[j + 1].time < day_end {
            j += 1;
        }
        out.push(equity[j] - prev_close_equity);
        prev_close_equity = equity[j];
        i = j + 1;
    }
    out
}

/// The equity-curve part of the metrics, accumulated one bar close at a time so a batch run needs no equity
/// array: peak-to-trough drawdown and daily P&L over CME trading days. Pushing the equity curve in order gives
/// exactly (bit for bit) what the array-based definitions give.
#[derive(Debug, Clone)]
pub struct EquityStats {
    peak: f64,
    max_dd: f64,
    max_dd_pct: f64,
    /// Start of the next trading day after the current day's first bar.
    day_end: i64,
    prev_close_equity: f64,
    last: f64,
    any: bool,
    /// The peak starts (and so stays) above zero.
    positive_start: bool,
    daily: Vec<f64>,
}

impl EquityStats {
    pub fn new(capital: f64) -> Self {
        Self {
            peak: capital,
            max_dd: 0.0,
            max_dd_pct: 0.0,
            day_end: i64::MIN,
            prev_close_equity: capital,
            last: capital,
            any: false,
            positive_start: capital > 0.0,
            daily: Vec::new(),
        }
    }

    /// The equity marked at the close of the bar starting at `time` (bars in increasing time).
    #[inline(always)]
    pub fn push(&mut self, time: i64, e: f64) {
        if time >= self.day_end {
            // Every bar before the next 17:00 CT boundary belongs to the same trading day.
            self.new_day(time);
        }
        self.mark(e);
    }

    /// The start of the next trading day: bars starting before it continue the current day.
    #[inline(always)]
    pub fn day_end(&self) -> i64 {
        self.day_end
    }

    #[inline(always)]
    fn mark(&mut self, e: f64) {
        self.last = e;
        // `if a > b { b = a }` is `b = b.max(a)` for these values (b never NaN; a NaN leaves b), without a
        // store every bar.
        if e > self.peak {
            self.peak = e;
        }
        let dd = self.peak - e;
        // With a positive starting peak the fraction can only set a new maximum with a new dollar maximum: the
        // peak never falls and rounded division is monotone, so dd <= max_dd gives
        // dd / peak <= max_dd / (its peak) <= max_dd_pct. That skips the division on most bars.
        let new_max = dd > self.max_dd;
        if new_max {
            self.max_dd = dd;
        }
        if (new_max || !self.positive_start) && self.peak > 0.0 {
            let pct = dd / self.peak;
            if pct > self.max_dd_pct {
                self.max_dd_pct = pct;
            }
        }
    }

    /// `push` for a block of closes inside the current trading day (all bars start before `day_end`), whose
    /// highest and lowest equity are `high` and `low`. When no close in it can be further below the running peak
    /// than the deepest drawdown so far (`max(peak, high) - low` bounds them all; subtraction is monotone), only
    /// the peak and the last value move. When the peak does not rise in it, every close's drawdown is measured
    /// from the same peak, so the deepest is the low's, and so is the largest fraction (division is monotone too):
    /// marking the low alone gives what marking every close gives. Otherwise bar by bar.
    #[inline(always)]
    pub fn push_block(&mut self, e: &[f64], high: f64, low: f64) {
        let Some(&last) = e.last() else { return };
        let top = self.peak.max(high);
        if self.positive_start && top - low <= self.max_dd {
            self.peak = top;
        } else if self.positive_start && high <= self.peak {
            self.mark(low);
        } else {
            for &x in e {
                self.mark(x);
            }
        }
        self.last = last;
    }

    /// `push(bars.time(k), e)` for every `k` in `from..to` with one equity value: the peak and drawdown move at
    /// most once; the trading days still roll where they do, found by search (bar times increase).
    #[inline]
    pub fn push_flat<B: BarSeries>(&mut self, bars: B, from: usize, to: usize, e: f64) {
        if from >= to {
            return;
        }
        self.push(bars.time(from), e);
        let mut k = from + 1;
        while k < to && bars.time(to - 1) >= self.day_end {
            let next_day = first_at_or_after(bars, k, to, self.day_end);
            if next_day == to {
                break;
            }
            self.new_day(bars.time(next_day));
            k = next_day + 1;
        }
    }

    #[cold]
    #[inline(never)]
    fn new_day(&mut self, time: i64) {
        if self.any {
            self.daily.push(self.last - self.prev_close_equity);
            self.prev_close_equity = self.last;
        }
        self.any = true;
        self.day_end = next_trading_day_start(time);
    }

    /// Daily P&L (the last day closed), max drawdown in dollars and as a fraction of the peak.
    pub fn finish(mut self) -> (Vec<f64>, f64, f64) {
        if self.any {
            self.daily.push(self.last - self.prev_close_equity);
        }
        (self.daily, self.max_dd, self.max_dd_pct)
    }
}

pub fn compute_metrics(
    trades: &[Trade],
    equity: &[f64],
    bars: &[Bar],
    capital: f64,
    bar_seconds: i64,
) -> Metrics {
    let _ = bar_seconds;
    let mut stats = EquityStats::new(capital);
    for (b, e) in bars.iter().zip(equity) {
        stats.push(b.time, *e);
    }
    metrics_from(trades, stats, exposure(trades, bars))
}

/// The trade side of the metrics, added up one closed trade at a time in trade order (the same sums, bit for bit,
/// as summing the P&L list; sums start at -0.0 like `Iterator::sum`). Losses include break-even trades.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TradeTotals {
    pub count: u32,
    pub wins: u32,
    pub net: f64,
    pub win_sum: f64,
    pub loss_sum: f64,
    pub streak: u32,
    pub longest: u32,
}

impl Default for TradeTotals {
    fn default() -> Self {
        Self {
            count: 0,
            wins: 0,
            net: -0.0,
            win_sum: -0.0,
            loss_sum: -0.0,
            streak: 0,
            longest: 0,
        }
    }
}

impl TradeTotals {
    #[inline]
    pub fn add(&mut self, pnl: f64) {
        self.count += 1;
        self.net += pnl;
        if pnl > 0.0 {
            self.wins += 1;
            self.win_sum += pnl;
            self.streak = 0;
        } else {
            self.loss_sum += pnl;
            self.streak += 1;
            self.longest = self.longest.max(self.streak);
        }
    }

    pub fn of(trades: &[Trade]) -> Self {
        let mut t = Self::default();
        for trade in trades {
            t.add(trade.pnl);
        }
        t
    }
}

/// The metrics from the trades, the accumulated equity curve and the exposure (fraction of bars held).
pub fn metrics_from(trades: &[Trade], stats: EquityStats, exposure: f64) -> Metrics {
    metrics_from_parts(TradeTotals::of(trades), stats.finish(), exposure)
}

/// The metrics from the trade totals, the equity curve's daily P&L and drawdown (`EquityStats::finish`) and the
/// exposure.
pub fn metrics_from_parts(
    totals: TradeTotals,
    (daily, max_dd, max_dd_pct): (Vec<f64>, f64, f64),
    exposure: f64,
) -> Metrics {
    let t = totals;
    let losses = t.count - t.wins;
    let gross_win = t.win_sum;
    let gross_loss = -t.loss_sum;
    let n = t.count as f64;
    let longest = t.longest;
    let dm = mean(&daily);
    let sd = if daily.len() > 1 {
        (daily.iter().map(|d| (d - dm) * (d - dm)).sum::<f64>() / (daily.len() - 1) as f64).sqrt()
    } else {
        0.0
    };
    let downside =
        (daily.iter().map(|d| d.min(0.0).powi(2)).sum::<f64>() / daily.len().max(1) as f64).sqrt();
    let ann = 252f64.sqrt();
    let sharpe = if sd > 0.0 { dm / sd * ann } else { 0.0 };
    let sortino = if downside > 0.0 {
        dm / downside * ann
    } else {
        0.0
    };
    let win_rate = if n > 0.0 { t.wins as f64 / n } else { 0.0 };
    let profit_factor = if gross_loss > 0.0 {
        Some(gross_win / gross_loss)
    } else {
        None
    };

    // Combined score in [0, 1]: 40% profit factor (PF/3, capped at 1; no losses counts as 1 when there are wins),
    // 25% win rate, 20% Sharpe (Sharpe/3 clamped to [0, 1]), 15% drawdown (1 - maxDD%/20%, floored at 0).
    let pf_part = match profit_factor {
        Some(pf) => (pf / 3.0).min(1.0),
        None if gross_win > 0.0 => 1.0,
        None => 0.0,
    };
    let score = 0.40 * pf_part
        + 0.25 * win_rate
        + 0.20 * (sharpe / 3.0).clamp(0.0, 1.0)
        + 0.15 * (1.0 - max_dd_pct / 0.20).max(0.0);

    Metrics {
        net_pnl: t.net,
        trades: t.count,
        wins: t.wins,
        losses,
        win_rate,
        profit_factor,
        avg_win: if t.wins > 0 {
            t.win_sum / t.wins as f64
        } else {
            0.0
        },
        avg_loss: if losses > 0 {
            t.loss_sum / losses as f64
        } else {
            0.0
        },
        expectancy: if n > 0.0 { t.net / n } else { 0.0 },
        max_drawdown: max_dd,
        max_drawdown_pct: max_dd_pct,
        sharpe,
        sortino,
        trading_days: daily.len() as u32,
        trades_per_day: if daily.is_empty() {
            0.0
        } else {
            n / daily.len() as f64
        },
        exposure,
        longest_losing_streak: longest,
        score,
    }
}

/// Fraction of bars whose close falls inside a trade (entry bar start <= bar start < exit time).
pub fn exposure(trades: &[Trade], bars: &[Bar]) -> f64 {
    if bars.is_empty() {
        return 0.0;
    }
    let mut k = 0usize;
    let mut held = 0usize;
    for b in bars {
        while k < trades.len() && trades[k].exit_time <= b.time {
            k += 1;
        }
        if k < trades.len() && trades[k].entry_time <= b.time {
            held += 1;
        }
    }
    held as f64 / bars.len() as f64
}
