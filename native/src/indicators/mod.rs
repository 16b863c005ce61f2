//! Indicators: one streaming kernel per indicator; batch functions drive the same kernel so streaming and batch
//! results are identical by construction.
pub mod bollinger;
pub mod moments;
pub mod rsi;
pub mod zscore;

pub use bollinger::{bollinger_batch, Bands, RollingBollinger};
pub use rsi::{rsi_batch, WilderRsi};
pub use zscore::{zscore_batch, RollingZScore};

/// The longest period an indicator takes: 100,000 bars (about 70 trading days of one-minute bars). Past it a window
/// buffer would run to gigabytes for a typo, and the process would be stopped for want of memory.
pub const MAX_PERIOD: usize = 100_000;

/// `Ok(())` for a period of 2 to `MAX_PERIOD` bars, else the error naming it (`what`, e.g. "RSI period").
pub(crate) fn check_period(what: &str, n: usize) -> Result<(), String> {
    if (2..=MAX_PERIOD).contains(&n) {
        Ok(())
    } else {
        Err(format!("{what} must be 2 to {MAX_PERIOD} bars, got {n}"))
    }
}

/// Index of the first value that is not a finite number. Checks 256 values at a time without an early exit (the
/// compiler vectorizes that), and only scans one block element by element once it holds a bad value.
pub(crate) fn first_non_finite(xs: &[f64]) -> Option<usize> {
    const CHUNK: usize = 256;
    for (ci, c) in xs.chunks(CHUNK).enumerate() {
        if !c.iter().fold(true, |ok, v| ok & v.is_finite()) {
            return c
                .iter()
                .position(|v| !v.is_finite())
                .map(|i| ci * CHUNK + i);
        }
    }
    None
}

/// Serde for an `f64` that may be NaN ("nothing seen yet"): JSON has no NaN, so it is written as null and read
/// back as NaN, and a snapshot taken before the first bar restores.
pub(crate) mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_f64(*v)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}
