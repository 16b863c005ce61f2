//! The backtest: drives the decision core bar by bar with a simulated broker (fill model in docs/BACKTEST.md).
//!
//! One bar loop (`Sim`) serves single backtests, the grid and walk-forward. It is generic over the bar source
//! (an array of `Bar`s or borrowed columns, e.g. JS typed arrays) and the strategy type, so each use
//! monomorphizes and the core's per-bar path inlines; the decisions are the `DecisionCore`'s, unchanged.
use std::borrow::Cow;

use crate::calendar::{SUPPORTED_TIMES, SUPPORTED_TIMES_TEXT};
use crate::engine::strategy::{
    BollingerStrategy, PrecomputedBollinger, PrecomputedRsi, PrecomputedZ, RsiStrategy, Strategy,
    ZScoreStrategy,
};
use crate::engine::{
    CoreConfig, DecisionCore, ExitReason, Intent, PositionWatch, Side, StrategyConfig, Trade,
    Verdict,
};
use crate::indicators::{bollinger_batch, rsi_batch, zscore_batch};
use crate::sim::Bar;

use super::metrics::{metrics_from, EquityStats, Metrics};
use super::scan;

pub const TICK: f64 = 0.25;

#[derive(Debug, Clone, PartialEq)]
pub struct BacktestParams {
    pub core: CoreConfig,
    pub slippage_ticks: u32,
}

#[derive(Debug, Clone)]
pub struct BacktestResult {
    pub trades: Vec<Trade>,
    /// Equity marked to market at every bar close.
    pub equity: Vec<f64>,
    pub metrics: Metrics,
}

/// A sequence of bars, read by index: `&[Bar]` or `BarColumns` (one slice per field, no copy).
pub trait BarSeries: Copy + Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bar `i` (`i < len()`).
    fn bar(&self, i: usize) -> Bar;
    fn time(&self, i: usize) -> i64;
    /// The close of bar `i` (`i < len()`).
    fn close(&self, i: usize) -> f64;
    /// The closes as one column (borrowed when the source is columnar).
    fn closes(&self) -> Cow<'_, [f64]>;
    type Range: BarSeries;
    /// Bars `start..end`.
    fn range(&self, start: usize, end: usize) -> Self::Range;
    /// The bars as columns, when they are stored that way.
    fn columns(&self) -> Option<BarColumns<'_>> {
        None
    }
    /// The smallest spacing of the bar starts when the bars were checked before (`CheckedBars`): a run then does
    /// not check them again.
    fn checked_gap(&self) -> Option<i64> {
        None
    }
}

impl BarSeries for &[Bar] {
    #[inline(always)]
    fn len(&self) -> usize {
        <[Bar]>::len(self)
    }
    #[inline(always)]
    fn bar(&self, i: usize) -> Bar {
        self[i]
    }
    #[inline(always)]
    fn time(&self, i: usize) -> i64 {
        self[i].time
    }
    #[inline(always)]
    fn close(&self, i: usize) -> f64 {
        self[i].close
    }
    fn closes(&self) -> Cow<'_, [f64]> {
        Cow::Owned(self.iter().map(|b| b.close).collect())
    }
    type Range = Self;
    fn range(&self, start: usize, end: usize) -> Self {
        &self[start..end]
    }
}

/// Bars as borrowed columns (times in epoch seconds as f64, truncated to whole seconds when read; a NaN time reads
/// as `i64::MIN`, outside the supported range, so the bar check refuses it rather than take it for 1970).
#[derive(Debug, Clone, Copy)]
pub struct BarColumns<'a> {
    time: &'a [f64],
    open: &'a [f64],
    high: &'a [f64],
    low: &'a [f64],
    close: &'a [f64],
    volume: &'a [f64],
}

impl<'a> BarColumns<'a> {
    pub fn new(
        time: &'a [f64],
        open: &'a [f64],
        high: &'a [f64],
        low: &'a [f64],
        close: &'a [f64],
        volume: &'a [f64],
    ) -> Result<Self, String> {
        let n = time.len();
        if [open, high, low, close, volume]
            .iter()
            .any(|c| c.len() != n)
        {
            return Err("all bar columns must have the same length".into());
        }
        Ok(Self {
            time,
            open,
            high,
            low,
            close,
            volume,
        })
    }

    /// Bar start times (epoch seconds; `time` reads them truncated to whole seconds).
    #[inline(always)]
    pub(crate) fn times(&self) -> &'a [f64] {
        self.time
    }

    /// Open, high, low and close.
    #[inline(always)]
    pub(crate) fn prices(&self) -> (&'a [f64], &'a [f64], &'a [f64], &'a [f64]) {
        (self.open, self.high, self.low, self.close)
    }

    pub(crate) fn volumes(&self) -> &'a [f64] {
        self.volume
    }
}

/// A column time as whole epoch seconds: truncated, saturating, NaN as `i64::MIN`.
#[inline(always)]
fn column_secs(t: f64) -> i64 {
    if t.is_nan() {
        i64::MIN
    } else {
        t as i64
    }
}

impl BarSeries for BarColumns<'_> {
    #[inline(always)]
    fn len(&self) -> usize {
        self.time.len()
    }
    #[inline(always)]
    fn bar(&self, i: usize) -> Bar {
        assert!(i < self.time.len());
        // SAFETY: every column has the length of `time` (checked in `new`), and `i` is below it.
        unsafe {
            Bar {
                time: column_secs(*self.time.get_unchecked(i)),
                open: *self.open.get_unchecked(i),
                high: *self.high.get_unchecked(i),
                low: *self.low.get_unchecked(i),
                close: *self.close.get_unchecked(i),
                volume: *self.volume.get_unchecked(i),
            }
        }
    }
    #[inline(always)]
    fn time(&self, i: usize) -> i64 {
        column_secs(self.time[i])
    }
    #[inline(always)]
    fn close(&self, i: usize) -> f64 {
        self.close[i]
    }
    fn closes(&self) -> Cow<'_, [f64]> {
        Cow::Borrowed(self.close)
    }
    type Range = Self;
    fn columns(&self) -> Option<BarColumns<'_>> {
        Some(*self)
    }
    fn range(&self, start: usize, end: usize) -> Self {
        Self {
            time: &self.time[start..end],
            open: &self.open[start..end],
            high: &self.high[start..end],
            low: &self.low[start..end],
            close: &self.close[start..end],
            volume: &self.volume[start..end],
        }
    }
}

/// Whether `bar` reaches the stop or the target (at its open or within its range). Written without branches so
/// a block of bars is judged at once; `bracket_exit` says where, and is `None` exactly when this is false.
#[inline(always)]
fn bracket_touched(side: Side, stop: f64, target: f64, bar: &Bar) -> bool {
    match side {
        Side::Long => {
            (bar.open <= stop) | (bar.open >= target) | (bar.low <= stop) | (bar.high >= target)
        }
        Side::Short => {
            (bar.open >= stop) | (bar.open <= target) | (bar.high >= stop) | (bar.low <= target)
        }
    }
}

/// Where the bracket closes the position inside `bar`, if it does: a gap beyond a level exits at the open;
/// otherwise a touched stop wins over a touched target.
#[inline(always)]
pub(super) fn bracket_exit(
    side: Side,
    stop: f64,
    target: f64,
    bar: &Bar,
) -> Option<(f64, ExitReason)> {
    if !bracket_touched(side, stop, target, bar) {
        return None;
    }
    Some(match side {
        Side::Long if bar.open <= stop => (bar.open, ExitReason::Stop),
        Side::Long if bar.open >= target => (bar.open, ExitReason::Target),
        Side::Long if bar.low <= stop => (stop, ExitReason::Stop),
        Side::Short if bar.open >= stop => (bar.open, ExitReason::Stop),
        Side::Short if bar.open <= target => (bar.open, ExitReason::Target),
        Side::Short if bar.high >= stop => (stop, ExitReason::Stop),
        _ => (target, ExitReason::Target),
    })
}

pub fn run_backtest(bars: &[Bar], params: &BacktestParams) -> Result<BacktestResult, String> {
    let mut equity = vec![0.0; bars.len()];
    let (trades, metrics) = run_backtest_into(bars, params, Some(&mut equity))?;
    Ok(BacktestResult {
        trades,
        equity,
        metrics,
    })
}

/// A backtest on any bar source; the equity curve (one value per bar) is written into `equity` when given.
/// The strategy is a concrete type, so the whole bar loop inlines.
pub fn run_backtest_into<B: BarSeries>(
    bars: B,
    params: &BacktestParams,
    equity: Option<&mut [f64]>,
) -> Result<(Vec<Trade>, Metrics), String> {
    check_out(bars, &equity)?;
    // The indicator is computed in one batch pass (the batch kernels drive the streaming ones, so the values
    // are identical) and read by index in the bar loop.
    let cfg = params.core.clone();
    let closes = bars.closes();
    let n = closes.len();
    match cfg.strategy {
        StrategyConfig::Zscore {
            lookback,
            entry_z,
            exit_z,
        } => {
            ZScoreStrategy::new(lookback, entry_z, exit_z)?;
            let mut z = vec![0.0; n];
            if let Err(e) = zscore_batch(&closes, lookback, &mut z) {
                // A close that is not a number: named as the bar check names every bad bar.
                validate_bars(bars)?;
                return Err(e);
            }
            // The bars are checked on the way (the scan checks them a chunk at a time).
            run_zscore(bars, params, (&z, entry_z, exit_z), equity)
        }
        StrategyConfig::Bollinger { period, k } => {
            validate_bars(bars)?;
            BollingerStrategy::new(period, k)?;
            let (mut mid, mut upper, mut lower) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            bollinger_batch(&closes, period, k, &mut mid, &mut upper, &mut lower)?;
            let s = PrecomputedBollinger::new(mid.as_slice(), upper.as_slice(), lower.as_slice());
            Ok(drive_into(
                bars,
                params,
                DecisionCore::with_strategy(cfg, s)?,
                equity,
            ))
        }
        StrategyConfig::Rsi {
            period,
            oversold,
            overbought,
        } => {
            validate_bars(bars)?;
            RsiStrategy::new(period, oversold, overbought)?;
            let mut r = vec![0.0; n];
            rsi_batch(&closes, period, &mut r)?;
            let s = PrecomputedRsi::new(r.as_slice(), oversold, overbought);
            Ok(drive_into(
                bars,
                params,
                DecisionCore::with_strategy(cfg, s)?,
                equity,
            ))
        }
    }
}

/// A z-score backtest reading a precomputed z column (`zscore_batch` of the closes with the strategy's lookback;
/// NaN during warm-up): the same decisions as `run_backtest_into`, without the indicator's cost.
pub fn run_backtest_precomputed_z<B: BarSeries>(
    bars: B,
    params: &BacktestParams,
    z: &[f64],
    equity: Option<&mut [f64]>,
) -> Result<(Vec<Trade>, Metrics), String> {
    check_out(bars, &equity)?;
    let StrategyConfig::Zscore {
        lookback,
        entry_z,
        exit_z,
    } = params.core.strategy
    else {
        return Err("a precomputed z column needs the zscore strategy".into());
    };
    ZScoreStrategy::new(lookback, entry_z, exit_z)?;
    if z.len() != bars.len() {
        return Err(format!(
            "the z column has {} values for {} bars",
            z.len(),
            bars.len()
        ));
    }
    run_zscore(bars, params, (z, entry_z, exit_z), equity)
}

/// A z-score run over its z column (with the strategy's entry and exit z): by the scan (`scan/`) where it applies,
/// else through the decision core.
/// The bars are checked either way.
fn run_zscore<B: BarSeries>(
    bars: B,
    params: &BacktestParams,
    (z, entry_z, exit_z): (&[f64], f64, f64),
    mut equity: Option<&mut [f64]>,
) -> Result<(Vec<Trade>, Metrics), String> {
    let checked = match bars.columns() {
        Some(cols) if scan::may_apply(params) => {
            let known_gap = bars.checked_gap();
            if let Some(done) = scan::run(cols, params, z, equity.as_deref_mut(), known_gap)? {
                return Ok(done);
            }
            true
        }
        _ => false,
    };
    if !checked {
        validate_bars(bars)?;
    }
    let core =
        DecisionCore::with_strategy(params.core.clone(), PrecomputedZ::new(z, entry_z, exit_z))?;
    Ok(drive_into(bars, params, core, equity))
}

fn check_out<B: BarSeries>(bars: B, equity: &Option<&mut [f64]>) -> Result<(), String> {
    match equity {
        Some(e) if e.len() != bars.len() => Err(format!(
            "the equity output has {} elements for {} bars",
            e.len(),
            bars.len()
        )),
        _ => Ok(()),
    }
}

/// Checks the bars (every price a finite number, bar starts increasing) and returns the smallest gap between
/// consecutive bar starts in seconds (i64::MAX with fewer than two bars).
pub fn validate_bars<B: BarSeries>(bars: B) -> Result<i64, String> {
    if let Some(gap) = bars.checked_gap() {
        return Ok(gap);
    }
    match crate::cpu::vector_unit() {
        // SAFETY: the CPU has the features each build enables (checked by `vector_unit`).
        #[cfg(target_arch = "x86_64")]
        crate::cpu::VectorUnit::Avx512 => unsafe { validate_avx512(bars) },
        #[cfg(target_arch = "x86_64")]
        crate::cpu::VectorUnit::Avx2 => unsafe { validate_avx2(bars) },
        _ => validate(bars),
    }
}

/// The bar check in AVX-512 (8 bars a vector) and, below, in AVX2 (4).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2")]
unsafe fn validate_avx512<B: BarSeries>(bars: B) -> Result<i64, String> {
    validate_vectors::<super::vector::V8, B>(bars)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn validate_avx2<B: BarSeries>(bars: B) -> Result<i64, String> {
    validate_vectors::<super::vector::V4, B>(bars)
}

/// Columns a vector of bars at a time when they are plainly valid (`validate::plainly_valid`), else bar by bar.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn validate_vectors<V: super::vector::Lanes, B: BarSeries>(bars: B) -> Result<i64, String> {
    // Not through `Option::and_then`: its closure would not inherit the caller's CPU features.
    if let Some(columns) = bars.columns() {
        if let Some(gap) = super::validate::plainly_valid::<V>(columns) {
            return Ok(gap);
        }
    }
    validate(bars)
}

#[inline(always)]
pub(super) fn validate<B: BarSeries>(bars: B) -> Result<i64, String> {
    // Blocks are checked without a branch per bar (most data is clean); the first bad block is then searched bar
    // by bar for the message. A non-finite price anywhere is reported before a problem with a time (out of the
    // calendar's range, or not after the bar before), which is reported for the first bar that has one.
    const CHECK: usize = 64;
    let (first, last) = (*SUPPORTED_TIMES.start(), *SUPPORTED_TIMES.end());
    let n = bars.len();
    let mut prev = i64::MIN;
    let mut gap = i64::MAX;
    let mut bad_from = None;
    let mut start = 0;
    while start < n {
        let end = (start + CHECK).min(n);
        let mut ok = true;
        for i in start..end {
            let b = bars.bar(i);
            ok &= b.open.is_finite()
                & b.high.is_finite()
                & b.low.is_finite()
                & b.close.is_finite()
                & (b.time > prev)
                & (b.time >= first)
                & (b.time <= last);
            // The first bar's gap from i64::MIN is at least 2^63 - |time|: never the smallest of two or more.
            gap = gap.min(b.time.saturating_sub(prev));
            prev = b.time;
        }
        if !ok {
            bad_from = Some(start);
            break;
        }
        start = end;
    }
    let Some(from) = bad_from else {
        return Ok(if n < 2 { i64::MAX } else { gap });
    };
    let mut time_problem = None;
    let mut prev = if from == 0 {
        i64::MIN
    } else {
        bars.time(from - 1)
    };
    for i in from..n {
        let b = bars.bar(i);
        if !(b.open.is_finite() && b.high.is_finite() && b.low.is_finite() && b.close.is_finite()) {
            return Err(format!("bar {i} has a price that is not a finite number"));
        }
        if time_problem.is_none() {
            if !SUPPORTED_TIMES.contains(&b.time) {
                time_problem = Some(format!(
                    "bar {i} has a start time out of range ({SUPPORTED_TIMES_TEXT})"
                ));
            } else if i > 0 && b.time <= prev {
                time_problem = Some(format!(
                    "bar {i} does not start after bar {} (times must increase)",
                    i - 1
                ));
            }
        }
        prev = b.time;
    }
    // A block fails on a price or a time, found above; the fallback names the block rather than panic.
    Err(time_problem.unwrap_or_else(|| format!("bar {from} is not a valid bar")))
}

/// The bar loop (simulated broker around a ready decision core) as a resumable state, so a batch can advance
/// many runs over the same block of bars while it is in cache. `step` is the whole per-bar rule set.
pub struct Sim<S: Strategy> {
    /// Taken into a local for the length of `run` (None only inside it).
    core: Option<DecisionCore<S>>,
    slip: f64,
    bar_seconds: i64,
    trades: Vec<Trade>,
    stats: EquityStats,
    /// Bars whose close falls inside a trade (entry bar start <= bar start < exit time).
    held: usize,
    /// Equity at the last bar's close (pushed to the stats once the end-of-data exit is known).
    last_equity: f64,
}

impl<S: Strategy> Sim<S> {
    pub fn new(params: &BacktestParams, core: DecisionCore<S>) -> Self {
        Self {
            core: Some(core),
            slip: params.slippage_ticks as f64 * TICK,
            bar_seconds: params.core.bar_seconds,
            trades: Vec::new(),
            stats: EquityStats::new(params.core.capital),
            held: 0,
            last_equity: params.core.capital,
        }
    }

    /// Bars `start..end` of `bars` (all of them, in order, across calls); equity written to `out[i]` when given.
    #[inline]
    pub fn run<B: BarSeries>(
        &mut self,
        bars: B,
        start: usize,
        end: usize,
        out: Option<&mut [f64]>,
    ) {
        let n = bars.len();
        assert!(end <= n);
        // The loop state lives in locals (registers) for the whole range, not behind `self`.
        let mut stats = std::mem::replace(&mut self.stats, EquityStats::new(0.0));
        let mut core = self.core.take().expect("the run is not finished");
        let mut trades = std::mem::take(&mut self.trades);
        let mut held = self.held;
        let slip = self.slip;
        let mut last = self.last_equity;
        let mut out = out;
        let indexed = core.strategy().indexed();
        let bar_seconds = self.bar_seconds;
        // The last bar is never skipped or scanned (its equity is pushed once the end-of-data exit is known).
        let scan_end = end.min(n - 1);
        let mut i = start;
        while i < end {
            // Strategies reading precomputed columns can be asked about any bar, so runs of bars on which nothing
            // can happen are passed in tight loops; the first bar where something may happen takes the full step.
            if indexed && i < scan_end {
                let j = if core.idle_flat() {
                    // Flat, active: only an entry signal can change anything.
                    core.strategy().first_entry(i, scan_end, |k| bars.close(k))
                } else if let Some(until) = core.stopped_flat_until() {
                    // Flat while paused or halted: nothing until a bar's close reaches the time the stop lifts,
                    // i.e. the first bar with time + bar_seconds - 1 >= until.
                    let first_start = until.saturating_sub(bar_seconds).saturating_add(1);
                    first_at_or_after(bars, i, scan_end, first_start)
                } else {
                    i
                };
                if j > i {
                    let e = core.equity(bars.close(i));
                    if let Some(o) = out.as_deref_mut() {
                        o[i..j].fill(e);
                    }
                    stats.push_flat(bars, i, j, e);
                    core.skip_to(j);
                    i = j;
                    continue;
                }
                if let Some(mut watch) = core.watch() {
                    let j = scan_position(
                        bars,
                        core.strategy(),
                        &mut watch,
                        &mut stats,
                        out.as_deref_mut(),
                        i,
                        scan_end,
                        bar_seconds,
                    );
                    if j > i {
                        held += j - i;
                        // The bar that broke the scan raised the peak as its close will again (max is idempotent).
                        core.after_watch(&watch, j);
                        i = j;
                        continue;
                    }
                }
            }
            let bar = bars.bar(i);
            let e = step(&mut core, &mut trades, &mut held, slip, i, &bar);
            if let Some(o) = out.as_deref_mut() {
                o[i] = e;
            }
            if i + 1 == n {
                last = e;
            } else {
                stats.push(bar.time, e);
            }
            i += 1;
        }
        self.stats = stats;
        self.core = Some(core);
        self.trades = trades;
        self.held = held;
        self.last_equity = last;
    }

    /// End of data: an open position closes at the last close. Returns the trades, the metrics and the final
    /// equity at the last bar (which the end-of-data exit may have changed).
    pub fn finish<B: BarSeries>(mut self, bars: B) -> (Vec<Trade>, Metrics, f64) {
        let n = bars.len();
        let mut core = self.core.take().expect("the run is not finished");
        let mut e = self.last_equity;
        if n > 0 {
            let last = bars.bar(n - 1);
            if core.position().is_some() {
                let t = last.time + self.bar_seconds;
                self.trades
                    .extend(core.on_exit_fill(last.close, t, ExitReason::End));
                e = core.equity(last.close);
            }
            self.stats.push(last.time, e);
        }
        let exposure = if n == 0 {
            0.0
        } else {
            self.held as f64 / n as f64
        };
        let metrics = metrics_from(&self.trades, self.stats, exposure);
        (self.trades, metrics, e)
    }
}

/// Bars judged at once by the position scan.
const BLOCK: usize = 8;

/// In a position: passes bars `from..` (up to `end`) that touch neither stop nor target, stay in the trading day
/// and whose close the position's rules hold through; returns the first bar that does not. Blocks of bars are
/// judged at once while they are plainly quiet; the block that is not is judged bar by bar with `at_close`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn scan_position<B: BarSeries, S: Strategy>(
    bars: B,
    strategy: &S,
    watch: &mut PositionWatch,
    stats: &mut EquityStats,
    mut out: Option<&mut [f64]>,
    from: usize,
    end: usize,
    bar_seconds: i64,
) -> usize {
    let (side, stop, target) = (watch.side(), watch.stop(), watch.target());
    let mut j = from;
    if from < end && bars.time(from) >= watch.quiet_from() {
        // Times increase, so a block whose last bar starts before the limit passes the time rules (and stays in
        // the equity stats' trading day) throughout.
        let limit = watch.quiet_until().min(stats.day_end());
        let mut e = [0.0; BLOCK];
        while j + BLOCK <= end && bars.time(j + BLOCK - 1) < limit {
            let mut quiet = true;
            let (mut high, mut low) = (f64::NEG_INFINITY, f64::INFINITY);
            for (k, ek) in e.iter_mut().enumerate() {
                let bar = bars.bar(j + k);
                quiet &= !bracket_touched(side, stop, target, &bar) & watch.loss_quiet(bar.close);
                *ek = watch.equity(bar.close);
                high = high.max(*ek);
                low = low.min(*ek);
            }
            if !quiet
                || strategy.any_exit(side, j, j + BLOCK, |k| bars.close(k))
                || !watch.pass_block(high, low)
            {
                break;
            }
            stats.push_block(&e, high, low);
            if let Some(o) = out.as_deref_mut() {
                o[j..j + BLOCK].copy_from_slice(&e);
            }
            j += BLOCK;
        }
    }
    while j < end {
        let bar = bars.bar(j);
        if !watch.same_day(bar.time) || bracket_touched(side, stop, target, &bar) {
            break;
        }
        let signal = strategy.signal_at(j, bar.close);
        if watch.at_close(bar.close, bar.time + bar_seconds, &signal) != Verdict::Hold {
            break;
        }
        let e = watch.equity(bar.close);
        if let Some(o) = out.as_deref_mut() {
            o[j] = e;
        }
        stats.push(bar.time, e);
        j += 1;
    }
    j
}

/// The first bar in `from..to` starting at or after `t` (bar times increase), or `to`. Gallops from `from`
/// before bisecting, so the bars it reads are near `from` when the answer is (a search over the whole range
/// would read far-apart bars that are not in cache).
pub fn first_at_or_after<B: BarSeries>(bars: B, from: usize, to: usize, t: i64) -> usize {
    let (mut lo, mut step) = (from, 1);
    while lo < to && bars.time(lo) < t {
        let next = lo.saturating_add(step).min(to);
        if next == to || bars.time(next) >= t {
            // The answer is in (lo, next].
            let mut hi = next;
            lo += 1;
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if bars.time(mid) >= t {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
        lo = next;
        step *= 2;
    }
    lo
}

/// One bar: the pending intent fills at the open, then the bracket, then the close goes to the core. Returns the
/// equity marked at the close; `held` counts bars whose close falls inside a trade.
#[inline(always)]
fn step<S: Strategy>(
    core: &mut DecisionCore<S>,
    trades: &mut Vec<Trade>,
    held: &mut usize,
    slip: f64,
    i: usize,
    bar: &Bar,
) -> f64 {
    match core.pending() {
        Some(Intent::Enter { side, .. }) => {
            core.on_entry_fill(bar.open + side.sign() * slip, bar.time, bar.time);
        }
        Some(Intent::Exit { reason, .. }) => {
            let side = core.side().expect("an exit intent implies a position");
            trades.extend(core.on_exit_fill(bar.open - side.sign() * slip, bar.time, reason));
        }
        None => {}
    }
    if let Some(pos) = core.position_ref() {
        if let Some((price, reason)) = bracket_exit(pos.side, pos.stop, pos.target, bar) {
            trades.extend(core.on_exit_fill(price, bar.time, reason));
        }
    }
    *held += core.position_ref().is_some() as usize;
    core.on_bar_close_at(i, bar);
    core.equity(bar.close)
}

/// The bar loop over all bars (already validated) with a ready decision core.
pub fn drive_into<B: BarSeries, S: Strategy>(
    bars: B,
    params: &BacktestParams,
    core: DecisionCore<S>,
    mut equity: Option<&mut [f64]>,
) -> (Vec<Trade>, Metrics) {
    let mut sim = Sim::new(params, core);
    let n = bars.len();
    sim.run(bars, 0, n, equity.as_deref_mut());
    let (trades, metrics, last) = sim.finish(bars);
    if let (Some(out), true) = (equity, n > 0) {
        out[n - 1] = last;
    }
    (trades, metrics)
}

/// The bar loop over `bars` (already validated) with a ready decision core, keeping the equity curve.
pub fn drive<S: Strategy>(
    bars: &[Bar],
    params: &BacktestParams,
    core: DecisionCore<S>,
) -> BacktestResult {
    let mut equity = vec![0.0; bars.len()];
    let (trades, metrics) = drive_into(bars, params, core, Some(&mut equity));
    BacktestResult {
        trades,
        equity,
        metrics,
    }
}
