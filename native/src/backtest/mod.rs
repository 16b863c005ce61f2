//! Backtests: the decision core driven by a simulated broker, and the metrics of the result.
pub mod metrics;
pub mod run;

#[cfg(test)]
mod tests;

pub use metrics::{compute_metrics, Metrics};
pub use run::{run_backtest, BacktestParams, BacktestResult};
