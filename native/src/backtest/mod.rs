//! Backtests: the decision core driven by a simulated broker, and the metrics of the result.
pub mod grid;
pub mod metrics;
pub mod run;
pub mod walkforward;

#[cfg(test)]
mod tests;

pub use grid::{run_grid, GridRow, GridSpec, Job, RankBy};
pub use metrics::{compute_metrics, Metrics};
pub use run::{run_backtest, BacktestParams, BacktestResult};
pub use walkforward::{run_walkforward, WalkForward};
