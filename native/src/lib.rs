//! Quant Scalper native core.
//!
//! Pure-Rust modules (`indicators`, `sim`, `calendar`, ...) hold every computation and are tested in the crate;
//! `bindings` is the only place that knows about napi, so the kernels stay usable from the backtest, the live
//! engine and the tests alike.
#![deny(clippy::all)]

pub mod backtest;
pub mod bindings;
pub mod calendar;
pub mod cpu;
pub mod engine;
pub mod indicators;
pub mod sim;
