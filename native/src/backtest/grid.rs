//! Grid search over z-score parameters, in parallel on all cores. The z-score is computed once per lookback and
//! shared by every entry/exit combination; each run goes through the same decision core as a single backtest.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::metrics::Metrics;
use super::run::{drive, validate_bars, BacktestParams};
use crate::engine::strategy::PrecomputedZ;
use crate::engine::{DecisionCore, StrategyConfig};
use crate::indicators::zscore_batch;
use crate::sim::Bar;

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

/// Runs every valid combination (exit < entry) and returns them best first; `job` reports progress and can cancel.
pub fn run_grid(
    bars: &[Bar],
    base: &BacktestParams,
    spec: &GridSpec,
    rank: RankBy,
    job: &Job,
) -> Result<Vec<GridRow>, String> {
    validate_bars(bars)?;
    if !matches!(base.core.strategy, StrategyConfig::Zscore { .. }) {
        return Err(
            "the grid search covers the zscore strategy (lookback x entry z x exit z)".into(),
        );
    }
    if spec.lookbacks.is_empty() || spec.entry_z.is_empty() || spec.exit_z.is_empty() {
        return Err("the grid needs at least one lookback, one entry z and one exit z".into());
    }
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let zs: Vec<(usize, Arc<Vec<f64>>)> = spec
        .lookbacks
        .par_iter()
        .map(|&n| {
            let mut z = vec![0.0; closes.len()];
            zscore_batch(&closes, n, &mut z).map(|_| (n, Arc::new(z)))
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
    let mut rows: Vec<GridRow> = combos
        .par_iter()
        .map(|&(n, e, x)| {
            if job.cancel.load(Ordering::Relaxed) {
                return Err("cancelled".to_string());
            }
            let z = zs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, z)| z.clone())
                .expect("z computed for every lookback");
            let mut params = base.clone();
            params.core.strategy = StrategyConfig::Zscore {
                lookback: n,
                entry_z: e,
                exit_z: x,
            };
            let core = DecisionCore::with_strategy(
                params.core.clone(),
                Box::new(PrecomputedZ::new(z, e, x)),
            )?;
            let r = drive(bars, &params, core);
            job.done.fetch_add(1, Ordering::Relaxed);
            Ok(GridRow {
                lookback: n,
                entry_z: e,
                exit_z: x,
                metrics: r.metrics,
            })
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by(|a, b| rank.value(&b.metrics).total_cmp(&rank.value(&a.metrics)));
    Ok(rows)
}
