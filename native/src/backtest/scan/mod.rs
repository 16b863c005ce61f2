//! One z-score backtest with the breakers off, the fast way: the bars are searched a vector at a time for the bar
//! where something happens (`kernel.rs`), and the closes are marked (`equity.rs`) as the run decides. The bars are
//! checked a chunk at a time, each chunk decided on right after, while it is in cache; on two or more cores the
//! data is split in two and both parts run at once.
//!
//! The split: the second part starts flat, as if nothing happened before it. When the first part reaches it, the
//! first part goes on until it is flat at a bar close where the second part was flat too; from there both are in
//! the same state, so the second part's later trades are the run's. Only the equity marks depend on what came
//! before: the second part's are made afterwards from its trades, on both threads: the first thread marks the
//! closes up to some trade with their statistics; the other marks the rest (values and each trading day's
//! extremes, which the first thread then pushes to the statistics in order: the same statistics as marking them
//! itself) and totals the trades. Each part checks its own bars.
//!
//! This restates the decision core's rules for the z-score strategy (fill model in docs/BACKTEST.md); the
//! equivalence tests hold it to the core trade for trade and metric for metric, bit for bit, split and whole.
//! `applies` keeps everything else on the core's path, and so does a CPU without AVX2.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

mod equity;
mod kernel;

#[cfg(test)]
mod tests;

use super::lanes;
use super::metrics::{metrics_from_parts, Metrics, TradeTotals};
use super::run::{validate_bars, BacktestParams, BarColumns, BarSeries, TICK};
use super::vector::Lanes;
#[cfg(target_arch = "x86_64")]
use super::vector::{V4, V8};
use crate::cpu::{vector_unit, VectorUnit};
use crate::engine::types::MULTIPLIER;
use crate::engine::{StrategyConfig, Trade};
use equity::{Deferred, Marks};
use kernel::{Fills, Rules, Series, Sink, Span, Unmarked};

/// Runs shorter than this stay on one thread: the split's fixed costs would outweigh the gain.
const SPLIT_FROM: usize = 100_000;

/// Where the data is split: the first part's thread also marks most of the second part's closes afterwards, so it
/// takes less (0.40 to 0.46 measured within noise of each other; 0.43 was ahead most often).
const FIRST_PART: f64 = 0.43;

/// The share of the second part's later trades whose closes the first part's thread marks (with the statistics);
/// the other thread marks the rest (values only) and puts the trade list together.
const MARKED_HERE: (usize, usize) = (2, 3);

/// Whether this path reproduces the core for these settings and bars: the grid's lanes' conditions
/// (`lanes::applies`) with the circuit breakers off.
pub fn applies(params: &BacktestParams, min_gap: i64, first: i64, last: i64) -> bool {
    !params.core.limits.breakers && lanes::applies(params, min_gap, first, last)
}

/// Whether the settings alone allow this path (the bars decide the rest, once checked).
pub fn may_apply(params: &BacktestParams) -> bool {
    vector_unit() != VectorUnit::Baseline
        && !params.core.limits.breakers
        && matches!(params.core.strategy, StrategyConfig::Zscore { .. })
}

/// The backtest of `z` (one value per bar) over `bars`, equity into `out` when given; the bars are checked (the same errors
/// as `validate_bars`) unless `known_gap` says they were, and what their smallest spacing is. `Ok(None)` when the
/// bars turn out to need the core (see `applies`); they are valid.
pub fn run(
    bars: BarColumns,
    params: &BacktestParams,
    z: &[f64],
    out: Option<&mut [f64]>,
    known_gap: Option<i64>,
) -> Result<Option<(Vec<Trade>, Metrics)>, String> {
    let n = bars.len();
    let split = (n >= SPLIT_FROM && rayon::current_num_threads() >= 2)
        .then_some((n as f64 * FIRST_PART) as usize);
    run_on(vector_unit(), bars, params, z, out, split, known_gap)
}

/// `run` split at bar `split` (0 < split < n) when given, in the build for `unit`, which this CPU must have (tests
/// run the AVX2 build on AVX-512 CPUs too).
fn run_on(
    unit: VectorUnit,
    bars: BarColumns,
    params: &BacktestParams,
    z: &[f64],
    out: Option<&mut [f64]>,
    split: Option<usize>,
    known_gap: Option<i64>,
) -> Result<Option<(Vec<Trade>, Metrics)>, String> {
    assert!(
        unit == VectorUnit::Baseline
            || unit == vector_unit()
            || (unit == VectorUnit::Avx2 && vector_unit() == VectorUnit::Avx512),
        "this CPU has no {unit:?}"
    );
    let n = bars.len();
    assert!(
        z.len() == n && out.as_ref().is_none_or(|o| o.len() == n),
        "one z value and one output per bar"
    );
    let StrategyConfig::Zscore {
        entry_z, exit_z, ..
    } = params.core.strategy
    else {
        return Ok(None);
    };
    let lim = &params.core.limits;
    let rules = Rules {
        entry: entry_z,
        exit: exit_z,
        slip: params.slippage_ticks as f64 * TICK,
        stop_pts: lim.stop_usd / MULTIPLIER,
        target_pts: lim.target_usd / MULTIPLIER,
        qty: lim.quantity,
        commission_per_side: lim.commission_per_side,
        max_hold_secs: lim.max_hold_secs,
        bar_seconds: params.core.bar_seconds,
    };
    let job = Job {
        s: Series { bars, z },
        rules,
        params,
        known_gap,
    };
    match unit {
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx512 => run_width::<W8>(&job, out, split),
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx2 => run_width::<W4>(&job, out, split),
        _ => {
            if known_gap.is_none() {
                validate_bars(bars)?;
            }
            Ok(None)
        }
    }
}

struct Job<'a> {
    s: Series<'a>,
    rules: Rules,
    params: &'a BacktestParams,
    /// The smallest spacing of the bar starts, when the bars were checked before the run (`CheckedBars`).
    known_gap: Option<i64>,
}

impl Job<'_> {
    /// Whether the scan applies, given the smallest spacing of the bar starts.
    fn applies(&self, gap: i64) -> bool {
        let bars = self.s.bars;
        let n = bars.len();
        n == 0 || applies(self.params, gap, bars.time(0), bars.time(n - 1))
    }
}

/// One part of a run: its bars checked (the smallest spacing of their starts; `None` for bad bars, which the
/// caller names by checking the whole series), its trades, and the bar where it stopped (flat after that bar's
/// open, its close not decided; `n` at the end of data).
struct Part {
    checked: Option<i64>,
    fills: Fills,
    stopped: usize,
}

/// A run's steps, compiled for one vector width. They are separate functions, each built with its width's CPU
/// features, because the split runs them in closures on rayon's threads, and closures do not inherit features.
///
/// # Safety
/// Each is called only on a CPU with the width's features (`vector_unit`).
trait Width {
    /// Bars `0..to` checked and decided, from the first bar up to the first flat bar at or after `to`, and the
    /// closes up to there marked.
    unsafe fn first(job: &Job, to: usize, marks: &mut Marks) -> Part;
    /// Bars `from..` checked and decided from bar `from` as if flat with nothing pending before it.
    unsafe fn second(job: &Job, from: usize) -> Part;
    /// The first part decided on from the bar where it stopped, until it is flat where the second part (`late`)
    /// was flat too, then the second part's later trades; the rest of the closes marked; the metrics.
    unsafe fn finish(
        job: &Job,
        first: Fills,
        from: usize,
        late: Option<&Fills>,
        marks: Marks,
    ) -> (Vec<Trade>, Metrics);
    /// `kernel::replay` of `r` into `marks`.
    unsafe fn replay(bars: BarColumns, r: Replay, marks: &mut Marks);
    /// `kernel::replay` of `r` into a `Deferred` (closes marked on another thread).
    unsafe fn replay_deferred(bars: BarColumns, r: Replay, marks: &mut Deferred);
}

/// Trades (in order, with their spans) whose closes are to be marked from bar `from` (flat there) to bar `to`.
#[derive(Clone, Copy)]
struct Replay<'a> {
    trades: &'a [Trade],
    spans: &'a [Span],
    from: usize,
    to: usize,
}

macro_rules! width {
    ($name:ident, $lanes:ty, $features:literal) => {
        #[cfg(target_arch = "x86_64")]
        struct $name;

        #[cfg(target_arch = "x86_64")]
        impl Width for $name {
            #[target_feature(enable = $features)]
            unsafe fn first(job: &Job, to: usize, marks: &mut Marks) -> Part {
                checked_run::<$lanes>(job, 0, to, marks)
            }
            #[target_feature(enable = $features)]
            unsafe fn second(job: &Job, from: usize) -> Part {
                checked_run::<$lanes>(job, from, job.s.bars.len(), &mut Unmarked)
            }
            #[target_feature(enable = $features)]
            unsafe fn finish(
                job: &Job,
                first: Fills,
                from: usize,
                late: Option<&Fills>,
                marks: Marks,
            ) -> (Vec<Trade>, Metrics) {
                finish::<$lanes, $name>(job, first, from, late, marks)
            }
            #[target_feature(enable = $features)]
            unsafe fn replay(bars: BarColumns, r: Replay, marks: &mut Marks) {
                kernel::replay::<$lanes>(bars, r.trades, r.spans, r.from, r.to, marks)
            }
            #[target_feature(enable = $features)]
            unsafe fn replay_deferred(bars: BarColumns, r: Replay, marks: &mut Deferred) {
                kernel::replay::<$lanes>(bars, r.trades, r.spans, r.from, r.to, marks)
            }
        }
    };
}

width!(W8, V8, "avx512f,avx512dq,avx2");
width!(W4, V4, "avx2");

/// The run on a CPU with `W`'s features (chosen by `vector_unit`).
fn run_width<W: Width>(
    job: &Job,
    out: Option<&mut [f64]>,
    split: Option<usize>,
) -> Result<Option<(Vec<Trade>, Metrics)>, String> {
    let bars = job.s.bars;
    let n = bars.len();
    let mut marks = Marks::new(job.params.core.capital, out);
    let Some(m) = split.filter(|&m| 0 < m && m < n) else {
        // SAFETY (here and below): `W` was chosen by `vector_unit`.
        let part = unsafe { W::first(job, n, &mut marks) };
        let Some(gap) = part.checked else {
            return validate_bars(bars).map(|_| None);
        };
        if !job.applies(gap) {
            return Ok(None);
        }
        return Ok(Some(unsafe {
            W::finish(job, part.fills, part.stopped, None, marks)
        }));
    };
    let (first, second) = rayon::join(
        || unsafe { W::first(job, m, &mut marks) },
        || unsafe { W::second(job, m) },
    );
    let (Some(g1), Some(g2)) = (first.checked, second.checked) else {
        // The messages name bars by their place in the whole series.
        return validate_bars(bars).map(|_| None);
    };
    let (before, after) = (bars.time(m - 1), bars.time(m));
    if after <= before {
        return validate_bars(bars).map(|_| None);
    }
    if !job.applies(g1.min(g2).min(after - before)) {
        return Ok(None);
    }
    Ok(Some(unsafe {
        W::finish(job, first.fills, first.stopped, Some(&second.fills), marks)
    }))
}

/// Bars checked a chunk at a time, each decided on right after its check, while it is in cache.
const CHUNK: usize = 16_384;

/// Bars `from..to` checked and decided from bar `from` (flat, nothing pending), chunk by chunk, up to the first
/// flat bar at or after `to`; closes told to `sink`. Deciding stops at the first bad chunk, or once the bars show
/// the scan does not apply; checking goes on to the end or the first bad chunk.
#[inline(always)]
fn checked_run<V: Lanes>(job: &Job, from: usize, to: usize, sink: &mut impl Sink) -> Part {
    let bars = job.s.bars;
    let mut fills = Fills::default();
    let (mut gap, mut j, mut deciding) = (i64::MAX, from, true);
    let mut a = from;
    while a < to {
        let b = (a + CHUNK).min(to);
        // Each chunk is checked on its own; the step from the previous chunk's last bar is checked here. Bars
        // checked before the run are not read again for it: a third of the run's reads from memory.
        let chunk_gap = match job.known_gap {
            Some(g) => g,
            None => match validate_bars(bars.range(a, b)) {
                Ok(g) if a == from => g,
                Ok(g) => g.min(bars.time(a).saturating_sub(bars.time(a - 1))),
                Err(_) => 0,
            },
        };
        if chunk_gap <= 0 {
            return Part {
                checked: None,
                fills,
                stopped: j,
            };
        }
        gap = gap.min(chunk_gap);
        deciding &= job.applies(gap);
        if deciding {
            j = kernel::decide::<V>(job.s, &job.rules, j, &mut fills, sink, |k| k >= b);
            if a == from && b < to {
                // Room for the trades up to the end of the data at the first chunk's pace: growing by doubling
                // copies them several times, and the first part of a split run takes the second part's later
                // trades too.
                let chunks = (bars.len() - from).div_ceil(b - from);
                fills.reserve(fills.trades.len().saturating_mul(chunks) / 8 * 9);
            }
        }
        a = b;
    }
    Part {
        checked: Some(gap),
        fills,
        stopped: j,
    }
}

/// The totals of the run's trades and the fraction of bar closes held.
fn totals(fills: &Fills, n: usize) -> (TradeTotals, f64) {
    let held: usize = fills.spans.iter().map(|s| s.to - s.from).sum();
    let exposure = if n == 0 { 0.0 } else { held as f64 / n as f64 };
    (TradeTotals::of(&fills.trades), exposure)
}

#[inline(always)]
fn finish<V: Lanes, W: Width>(
    job: &Job,
    mut fills: Fills,
    from: usize,
    late: Option<&Fills>,
    mut marks: Marks,
) -> (Vec<Trade>, Metrics) {
    let bars = job.s.bars;
    let n = bars.len();
    let mut done = None;
    if let Some(late) = late {
        let synced = kernel::decide::<V>(job.s, &job.rules, from, &mut fills, &mut marks, |j| {
            late.flat_at(j)
        });
        if synced < n {
            // From the close of bar `synced` both parts are flat in the same state: the second part's trades
            // entered after it are the run's.
            let keep = late.spans.partition_point(|s| s.from <= synced);
            let (trades, spans) = (&late.trades[keep..], &late.spans[keep..]);
            // Their closes are marked on both threads: here up to the close of trade `k - 1`, from there on by the
            // other thread (values and extremes only; their statistics are pushed here afterwards, in order),
            // which also adds the trades to the run's and totals them up.
            let k = trades.len() * MARKED_HERE.0 / MARKED_HERE.1;
            let at = k.checked_sub(1).map(|last| spans[last].to.min(n - 1));
            let mut deferred =
                at.and_then(|at| marks.defer_from(at, trades[..k].iter().map(|t| t.pnl)));
            let split = at.filter(|_| deferred.is_some());
            let all = Replay {
                trades,
                spans,
                from: synced,
                to: n,
            };
            let here = match split {
                Some(at) => Replay {
                    trades: &trades[..k],
                    spans: &spans[..k],
                    to: at,
                    ..all
                },
                None => all,
            };
            let ((), t) = rayon::join(
                // SAFETY (both): `W` was chosen by `vector_unit` (see `run_width`).
                || unsafe { W::replay(bars, here, &mut marks) },
                || {
                    if let (Some(at), Some(d)) = (split, deferred.as_mut()) {
                        let there = Replay {
                            trades: &trades[k..],
                            spans: &spans[k..],
                            from: at,
                            to: n,
                        };
                        unsafe { W::replay_deferred(bars, there, d) };
                    }
                    fills.trades.extend_from_slice(trades);
                    fills.spans.extend_from_slice(spans);
                    totals(&fills, n)
                },
            );
            if let Some(d) = deferred {
                marks.apply(bars, d);
            }
            done = Some(t);
        }
    }
    let (totals, exposure) = done.unwrap_or_else(|| totals(&fills, n));
    let metrics = metrics_from_parts(totals, marks.finish(bars), exposure);
    (fills.trades, metrics)
}
