//! The decision core shared by backtests and live trading.
pub mod core;
#[cfg(test)]
mod props;
pub mod risk;
pub mod strategy;
pub mod types;
pub mod watch;

#[cfg(test)]
mod live_tests;

pub use self::core::{CoreConfig, DecisionCore};
pub use risk::RiskLimits;
pub use strategy::{Signal, Strategy, StrategyConfig};
pub use types::{ExitReason, Intent, Position, Reason, Side, Trade, TradingState};
pub use watch::{PositionWatch, Verdict};
