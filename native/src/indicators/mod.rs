//! Indicators: one streaming kernel per indicator; batch functions drive the same kernel so streaming and batch
//! results are identical by construction.
pub mod bollinger;
pub mod moments;
pub mod rsi;
pub mod zscore;

pub use bollinger::{bollinger_batch, Bands, RollingBollinger};
pub use rsi::{rsi_batch, WilderRsi};
pub use zscore::{zscore_batch, RollingZScore};
