//! Walk-forward analysis: the data is cut into K consecutive folds; in each, the first `train` fraction picks the
//! best grid parameters and the rest validates them out of sample.
use super::grid::{run_grid, GridRow, GridSpec, Job, RankBy};
use super::metrics::Metrics;
use super::run::{run_backtest_into, BacktestParams, BarSeries};
use crate::engine::StrategyConfig;

#[derive(Debug, Clone)]
pub struct Fold {
    pub index: usize,
    pub train_bars: (usize, usize),
    pub validation_bars: (usize, usize),
    pub best: GridRow,
    pub validation: Metrics,
}

#[derive(Debug, Clone)]
pub struct WalkForward {
    pub folds: Vec<Fold>,
    /// Mean of the ranking metric in sample (train winners) and out of sample (validation).
    pub in_sample: f64,
    pub out_of_sample: f64,
    /// in_sample - out_of_sample: how much of the optimized edge does not carry over.
    pub gap: f64,
    pub oos_net_pnl: f64,
}

pub fn run_walkforward<B: BarSeries>(
    bars: B,
    base: &BacktestParams,
    spec: &GridSpec,
    rank: RankBy,
    folds: usize,
    train: f64,
    job: &Job,
) -> Result<WalkForward, String> {
    if folds == 0 {
        return Err("walk-forward needs at least one fold".into());
    }
    if !(train > 0.0 && train < 1.0) {
        return Err(format!(
            "the train fraction must be between 0 and 1, got {train}"
        ));
    }
    let size = bars.len() / folds;
    let min_lookback = spec.lookbacks.iter().copied().max().unwrap_or(2);
    // Not `folds` (it comes from the caller): a fold past the bars' count fails the length check below anyway.
    let mut out = Vec::with_capacity(folds.min(bars.len()));
    for k in 0..folds {
        let start = k * size;
        let end = if k + 1 == folds {
            bars.len()
        } else {
            start + size
        };
        let cut = start + ((end - start) as f64 * train).round() as usize;
        if cut - start <= min_lookback || end - cut <= min_lookback {
            return Err(format!(
                "fold {} is too short ({} bars) for a lookback of {min_lookback}",
                k + 1,
                end - start
            ));
        }
        let rows = run_grid(bars.range(start, cut), base, spec, rank, job)?;
        let best = rows
            .into_iter()
            .next()
            .ok_or("the grid produced no valid combination")?;
        let mut params = base.clone();
        params.core.strategy = StrategyConfig::Zscore {
            lookback: best.lookback,
            entry_z: best.entry_z,
            exit_z: best.exit_z,
        };
        let validation = run_backtest_into(bars.range(cut, end), &params, None)?.1;
        out.push(Fold {
            index: k,
            train_bars: (start, cut),
            validation_bars: (cut, end),
            best,
            validation,
        });
    }
    let n = out.len() as f64;
    let in_sample = out.iter().map(|f| rank.value(&f.best.metrics)).sum::<f64>() / n;
    let out_of_sample = out.iter().map(|f| rank.value(&f.validation)).sum::<f64>() / n;
    Ok(WalkForward {
        oos_net_pnl: out.iter().map(|f| f.validation.net_pnl).sum(),
        folds: out,
        in_sample,
        out_of_sample,
        gap: in_sample - out_of_sample,
    })
}
