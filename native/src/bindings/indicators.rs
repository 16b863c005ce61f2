use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use super::{ensure_disjoint, invalid, out_slice};
use crate::indicators::{zscore_batch as zscore_kernel, RollingZScore};

/// Batch z-score: fills `out` (allocated by the caller, same length as `closes`); NaN during warm-up.
#[napi]
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
    #[napi(constructor)]
    pub fn new(window: u32) -> napi::Result<Self> {
        Ok(Self {
            inner: RollingZScore::new(window as usize).map_err(invalid)?,
        })
    }

    /// Returns z, or null while fewer than `window` closes have been pushed.
    #[napi]
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

    #[napi]
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}
