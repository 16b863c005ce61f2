//! Grid search over z-score parameters, in parallel on all cores. The z-score is computed once per lookback and
//! shared by every entry/exit combination; each run goes through the same decision core as a single backtest.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::lanes;
use super::metrics::Metrics;
use super::run::{validate_bars, BacktestParams, BarSeries, Sim};
use crate::engine::strategy::{PrecomputedZ, ZScoreStrategy};
use crate::engine::{DecisionCore, StrategyConfig};
use crate::indicators::zscore_batch;

#[derive(Debug, Clone, PartialEq)]
pub struct GridSpec {
    pub lookbacks: Vec<usize>,
    pub entry_z: Vec<f64>,
    pub exit_z: Vec<f64>,
}

impl Default for GridSpec {
    /// The product's default grid of 48: lookback {10,20,30,50} x entry {1.5,2,2.5} x exit {0,0.25,0.5,0.75}.
    fn default() -> Self {
        Self {
            lookbacks: vec![10, 20, 30, 50],
            entry_z: vec![1.5, 2.0, 2.5],
            exit_z: vec![0.0, 0.25, 0.5, 0.75],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    NetPnl,
    Sharpe,
    Sortino,
    ProfitFactor,
    WinRate,
    Expectancy,
    Score,
    MaxDrawdown,
}

impl std::str::FromStr for RankBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "netPnl" => RankBy::NetPnl,
            "sharpe" => RankBy::Sharpe,
            "sortino" => RankBy::Sortino,
            "profitFactor" => RankBy::ProfitFactor,
            "winRate" => RankBy::WinRate,
            "expectancy" => RankBy::Expectancy,
            "score" => RankBy::Score,
            "maxDrawdown" => RankBy::MaxDrawdown,
            other => return Err(format!("unknown ranking metric \"{other}\" (netPnl, sharpe, sortino, profitFactor, winRate, expectancy, score, maxDrawdown)")),
        })
    }
}

impl RankBy {
    /// Higher is better (drawdown is negated).
    pub fn value(self, m: &Metrics) -> f64 {
        match self {
            RankBy::NetPnl => m.net_pnl,
            RankBy::Sharpe => m.sharpe,
            RankBy::Sortino => m.sortino,
            RankBy::ProfitFactor => {
                m.profit_factor
                    .unwrap_or(if m.net_pnl > 0.0 { f64::MAX } else { 0.0 })
            }
            RankBy::WinRate => m.win_rate,
            RankBy::Expectancy => m.expectancy,
            RankBy::Score => m.score,
            RankBy::MaxDrawdown => -m.max_drawdown,
        }
    }
}

/// Progress and cancellation shared with whoever started a long run.
#[derive(Debug, Default)]
pub struct Job {
    /// Set to stop early; the run then returns the error "cancelled".
    pub cancel: AtomicBool,
    /// Backtests finished so far.
    pub done: AtomicUsize,
}

#[derive(Debug, Clone)]
pub struct GridRow {
    pub lookback: usize,
    pub entry_z: f64,
    pub exit_z: f64,
    pub metrics: Metrics,
}

/// Combinations advanced together over one block of bars (while the block is in cache).
const BLOCK: usize = 16384;

/// Runs every valid combination (exit < entry) and returns them best first; `job` reports progress and can cancel.
pub fn run_grid<B: BarSeries>(
    bars: B,
    base: &BacktestParams,
    spec: &GridSpec,
    rank: RankBy,
    job: &Job,
) -> Result<Vec<GridRow>, String> {
    let spacing = validate_bars(bars)?;
    if !matches!(base.core.strategy, StrategyConfig::Zscore { .. }) {
        return Err(
            "the grid search covers the zscore strategy (lookback x entry z x exit z)".into(),
        );
    }
    if spec.lookbacks.is_empty() || spec.entry_z.is_empty() || spec.exit_z.is_empty() {
        return Err("the grid needs at least one lookback, one entry z and one exit z".into());
    }
    let closes = bars.closes();
    let zs: Vec<(usize, Vec<f64>)> = spec
        .lookbacks
        .par_iter()
        .map(|&n| {
            let mut z = vec![0.0; closes.len()];
            zscore_batch(&closes, n, &mut z).map(|_| (n, z))
        })
        .collect::<Result<_, _>>()?;
    let combos: Vec<(usize, f64, f64)> = zs
        .iter()
        .flat_map(|(n, _)| {
            spec.entry_z
                .iter()
                .flat_map(move |&e| spec.exit_z.iter().map(move |&x| (*n, e, x)))
        })
        .filter(|(_, e, x)| x < e)
        .collect();
    let n = bars.len();
    let vector = if n > 0 && lanes::applies(base, spacing, bars.time(0), bars.time(n - 1)) {
        lanes::width()
    } else {
        0
    };
    let z_of = |lb: usize| -> &[f64] {
        &zs.iter()
            .find(|(k, _)| *k == lb)
            .expect("z computed for every lookback")
            .1
    };
    let mut rows = if vector > 0 {
        grid_in_lanes(bars, base, &combos, vector, &z_of, job)?
    } else {
        grid_on_cores(bars, base, &combos, &z_of, job)?
    };
    rows.sort_by(|a, b| rank.value(&b.metrics).total_cmp(&rank.value(&a.metrics)));
    Ok(rows)
}

fn with_combo(
    base: &BacktestParams,
    (lookback, entry_z, exit_z): (usize, f64, f64),
) -> BacktestParams {
    let mut params = base.clone();
    params.core.strategy = StrategyConfig::Zscore {
        lookback,
        entry_z,
        exit_z,
    };
    params
}

fn row((lookback, entry_z, exit_z): (usize, f64, f64), metrics: Metrics) -> GridRow {
    GridRow {
        lookback,
        entry_z,
        exit_z,
        metrics,
    }
}

/// The combinations in vector lanes (`lanes/`): groups of `width` settings, one group per task. Rows come back
/// in the order of `combos`.
fn grid_in_lanes<'z, B: BarSeries>(
    bars: B,
    base: &BacktestParams,
    combos: &[(usize, f64, f64)],
    width: usize,
    z_of: &(dyn Fn(usize) -> &'z [f64] + Sync),
    job: &Job,
) -> Result<Vec<GridRow>, String> {
    // The same checks (and messages) as the core's path, before any work.
    for &c in combos {
        let (lb, e, x) = c;
        ZScoreStrategy::new(lb, e, x)?;
        DecisionCore::with_strategy(with_combo(base, c).core, PrecomputedZ::new(z_of(lb), e, x))?;
    }
    // Lanes read their own lookback's z column, so any `width` combinations make a group.
    let rows = combos
        .par_chunks(width)
        .map(|group| {
            if job.cancel.load(Ordering::Relaxed) {
                return Err("cancelled".to_string());
            }
            let settings: Vec<lanes::Setting> =
                group.iter().map(|c| (z_of(c.0), c.1, c.2)).collect();
            let inputs = lanes::Inputs {
                params: &with_combo(base, group[0]),
                record: false,
                cancel: &job.cancel,
            };
            let results = lanes::run(bars, &settings, &inputs)?;
            job.done.fetch_add(group.len(), Ordering::Relaxed);
            Ok(group
                .iter()
                .zip(results)
                .map(|(&c, r)| row(c, r.metrics))
                .collect::<Vec<_>>())
        })
        .collect::<Result<Vec<_>, String>>()?;
    if job.cancel.load(Ordering::Relaxed) {
        return Err("cancelled".to_string());
    }
    Ok(rows.into_iter().flatten().collect())
}

/// Every combination through its own decision core. Groups of combinations, each run by one worker block by
/// block: the bars are read once per group, not once per combination. Two groups per thread leave rayon room to
/// balance.
fn grid_on_cores<'z, B: BarSeries>(
    bars: B,
    base: &BacktestParams,
    combos: &[(usize, f64, f64)],
    z_of: &(dyn Fn(usize) -> &'z [f64] + Sync),
    job: &Job,
) -> Result<Vec<GridRow>, String> {
    let groups = (rayon::current_num_threads() * 2).max(1);
    let per_group = combos.len().div_ceil(groups).max(1);
    let n = bars.len();
    Ok(combos
        .par_chunks(per_group)
        .map(|group| {
            let mut sims = group
                .iter()
                .map(|&c| {
                    let (lb, e, x) = c;
                    ZScoreStrategy::new(lb, e, x)?;
                    let params = with_combo(base, c);
                    let core = DecisionCore::with_strategy(
                        params.core.clone(),
                        PrecomputedZ::new(z_of(lb), e, x),
                    )?;
                    Ok(Sim::new(&params, core))
                })
                .collect::<Result<Vec<_>, String>>()?;
            let mut start = 0;
            while start < n {
                if job.cancel.load(Ordering::Relaxed) {
                    return Err("cancelled".to_string());
                }
                let end = (start + BLOCK).min(n);
                for sim in &mut sims {
                    sim.run(bars, start, end, None);
                }
                start = end;
            }
            if job.cancel.load(Ordering::Relaxed) {
                return Err("cancelled".to_string());
            }
            Ok(group
                .iter()
                .zip(sims)
                .map(|(&c, sim)| {
                    let (_, metrics, _) = sim.finish(bars);
                    job.done.fetch_add(1, Ordering::Relaxed);
                    row(c, metrics)
                })
                .collect::<Vec<_>>())
        })
        .collect::<Result<Vec<Vec<GridRow>>, String>>()?
        .into_iter()
        .flatten()
        .collect())
}
