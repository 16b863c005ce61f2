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
mod kernel;
mod stats;

#[cfg(test)]
pub(super) mod tests;

use std::sync::atomic::AtomicBool;

use super::metrics::Metrics;
use super::run::{BacktestParams, BarSeries};
#[cfg(target_arch = "x86_64")]
use super::vector::{V4, V8};
use crate::cpu::{vector_unit, VectorUnit};
use crate::engine::{StrategyConfig, Trade};
use kernel::kernel;

/// Times and holding limits are compared as f64 in the lanes: exact below 2^52 seconds.
const EXACT: f64 = (1u64 << 52) as f64;

/// Whether the lanes reproduce the core for these settings and bars: the z-score strategy, every entry allowed by
/// size, an order-rate limit that cannot bind (at most one order per bar close; closes at least `min_gap` seconds
/// apart, the smallest spacing of bar starts) and, with the breakers on, bars that do not overlap (so the
/// trading day the breakers count in moves forward only). `first` and `last` are the first and last bar's start.
pub fn applies(params: &BacktestParams, min_gap: i64, first: i64, last: i64) -> bool {
    let lim = &params.core.limits;
    // Orders issued at earlier closes less than a minute before a close (one bar: i64::MAX apart).
    let gap = min_gap.clamp(1, 60);
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
    match vector_unit() {
        VectorUnit::Avx512 => 8,
        VectorUnit::Avx2 => 4,
        VectorUnit::Baseline => 0,
    }
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
#[target_feature(enable = "avx512f,avx512dq,avx2")]
unsafe fn kernel_v8<B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
    bars: B,
    lanes: &Lanes8,
    inputs: &Inputs,
) -> Option<Vec<LaneResult>> {
    kernel::<V8, B, RECORD, BREAKERS>(bars, lanes, inputs)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn kernel_v4<B: BarSeries, const RECORD: bool, const BREAKERS: bool>(
    bars: B,
    lanes: &Lanes8,
    inputs: &Inputs,
) -> Option<Vec<LaneResult>> {
    kernel::<V4, B, RECORD, BREAKERS>(bars, lanes, inputs)
}
