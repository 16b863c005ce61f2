//! Indicators: one streaming kernel per indicator; batch functions drive the same kernel so streaming and batch
//! results are identical by construction.
pub mod zscore;

pub use zscore::{zscore_batch, RollingZScore};
