//! Backtests: the decision core driven by a simulated broker, and the metrics of the result.
mod checked;
pub mod grid;
pub mod lanes;
pub mod metrics;
pub mod run;
mod scan;
mod validate;
mod vector;
pub mod walkforward;

#[cfg(test)]
mod equivalence_tests;
#[cfg(test)]
mod profile;
#[cfg(test)]
mod tests;

pub use checked::{Checked, CheckedBars};
pub use grid::{run_grid, GridRow, GridSpec, Job, RankBy};
pub use metrics::{compute_metrics, EquityStats, Metrics};
pub use run::{
    run_backtest, run_backtest_into, run_backtest_precomputed_z, BacktestParams, BacktestResult,
    BarColumns, BarSeries,
};
pub use walkforward::{run_walkforward, WalkForward};
