//! The Bollinger Bands strategy: streaming, and reading precomputed band columns in batch runs.
use super::{at, Signal, Strategy};
use crate::engine::types::Side;
use crate::indicators::{Bands, RollingBollinger};

/// Bollinger Bands: long below the lower band, short above the upper band, exit at the middle band.
pub struct BollingerStrategy {
    b: RollingBollinger,
}

impl BollingerStrategy {
    pub fn new(period: usize, k: f64) -> Result<Self, String> {
        Ok(Self {
            b: RollingBollinger::new(period, k)?,
        })
    }

    /// The decision from the close and its bands (shared by the streaming path and precomputed batch arrays).
    #[inline]
    pub fn decide(close: f64, bands: Option<Bands>) -> Signal {
        match bands {
            None => Signal::default(),
            Some(band) => Signal {
                enter: if close < band.lower {
                    Some(Side::Long)
                } else if close > band.upper {
                    Some(Side::Short)
                } else {
                    None
                },
                exit_long: close >= band.mid,
                exit_short: close <= band.mid,
            },
        }
    }
}

impl Strategy for BollingerStrategy {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        Self::decide(close, self.b.push(close))
    }
    fn save(&self) -> serde_json::Value {
        serde_json::to_value(&self.b).expect("the Bollinger kernel serializes")
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.b = serde_json::from_value(state)
            .map_err(|e| format!("bad Bollinger state in snapshot: {e}"))?;
        Ok(())
    }
}

/// Bollinger decisions read from precomputed band columns (`bollinger_batch`), identical to `BollingerStrategy`.
pub struct PrecomputedBollinger<Z: AsRef<[f64]> + Send = Vec<f64>> {
    mid: Z,
    upper: Z,
    lower: Z,
    i: usize,
}

impl<Z: AsRef<[f64]> + Send> PrecomputedBollinger<Z> {
    pub fn new(mid: Z, upper: Z, lower: Z) -> Self {
        Self {
            mid,
            upper,
            lower,
            i: 0,
        }
    }
}

impl<Z: AsRef<[f64]> + Send> Strategy for PrecomputedBollinger<Z> {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        self.on_close_at(self.i, close)
    }
    #[inline(always)]
    fn on_close_at(&mut self, i: usize, close: f64) -> Signal {
        debug_assert_eq!(i, self.i);
        self.i = i + 1;
        self.signal_at(i, close)
    }
    #[inline(always)]
    fn indexed(&self) -> bool {
        true
    }
    #[inline(always)]
    fn seek(&mut self, index: usize) {
        self.i = index;
    }
    #[inline(always)]
    fn signal_at(&self, i: usize, close: f64) -> Signal {
        let bands = match (
            at(self.mid.as_ref(), i),
            self.upper.as_ref().get(i),
            self.lower.as_ref().get(i),
        ) {
            (Some(mid), Some(&upper), Some(&lower)) => Some(Bands { mid, upper, lower }),
            _ => None,
        };
        BollingerStrategy::decide(close, bands)
    }
    fn save(&self) -> serde_json::Value {
        serde_json::json!(self.i)
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.i = state
            .as_u64()
            .ok_or("bad precomputed-Bollinger state in snapshot")? as usize;
        Ok(())
    }
}
