use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use super::{ensure_disjoint, invalid, out_slice};
use crate::indicators::{
    bollinger_batch as bollinger_kernel, rsi_batch as rsi_kernel, zscore_batch as zscore_kernel,
    RollingZScore,
};

/// Batch z-score: fills `out` (allocated by the caller, same length as `closes`); NaN during warm-up.
#[napi(catch_unwind)]
pub fn zscore_batch(closes: Float64Array, window: u32, mut out: Float64Array) -> napi::Result<()> {
    ensure_disjoint(&closes, &out)?;
    zscore_kernel(&closes, window as usize, out_slice(&mut out)).map_err(invalid)
}

/// Streaming z-score: push one close at a time.
#[napi(js_name = "ZScoreStream")]
pub struct ZScoreStream {
    inner: RollingZScore,
}

#[napi]
impl ZScoreStream {
    #[napi(constructor, catch_unwind)]
    pub fn new(window: u32) -> napi::Result<Self> {
        Ok(Self {
            inner: RollingZScore::new(window as usize).map_err(invalid)?,
        })
    }

    /// Returns z, or null while fewer than `window` closes have been pushed.
    #[napi(catch_unwind)]
    pub fn push(&mut self, close: f64) -> napi::Result<Option<f64>> {
        if !close.is_finite() {
            return Err(invalid(format!(
                "close must be a finite number, got {close}"
            )));
        }
        Ok(self.inner.push(close))
    }

    #[napi(getter)]
    pub fn window(&self) -> u32 {
        self.inner.window() as u32
    }

    #[napi(catch_unwind)]
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Batch Bollinger Bands into caller-allocated columns (NaN during warm-up).
#[napi(catch_unwind)]
pub fn bollinger_batch(
    closes: Float64Array,
    period: u32,
    k: f64,
    mut mid: Float64Array,
    mut upper: Float64Array,
    mut lower: Float64Array,
) -> napi::Result<()> {
    for o in [&mid, &upper, &lower] {
        ensure_disjoint(&closes, o)?;
    }
    ensure_disjoint(&mid, &upper)?;
    ensure_disjoint(&mid, &lower)?;
    ensure_disjoint(&upper, &lower)?;
    let (m, u, l) = (
        out_slice(&mut mid),
        out_slice(&mut upper),
        out_slice(&mut lower),
    );
    bollinger_kernel(&closes, period as usize, k, m, u, l).map_err(invalid)
}

/// Batch Wilder RSI (TA-Lib definition) into a caller-allocated column (NaN during warm-up).
#[napi(catch_unwind)]
pub fn rsi_batch(closes: Float64Array, period: u32, mut out: Float64Array) -> napi::Result<()> {
    ensure_disjoint(&closes, &out)?;
    rsi_kernel(&closes, period as usize, out_slice(&mut out)).map_err(invalid)
}
