//! The Bollinger Bands strategy: streaming, and reading precomputed band columns in batch runs.
use super::{at, ColumnDecision, Precomputed, Signal, Strategy};
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
pub struct BandColumns<Z> {
    mid: Z,
    upper: Z,
    lower: Z,
}

impl<Z: AsRef<[f64]> + Send> ColumnDecision for BandColumns<Z> {
    const NAME: &'static str = "Bollinger";
    #[inline(always)]
    fn decide_at(&self, i: usize, close: f64) -> Signal {
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
}

pub type PrecomputedBollinger<Z = Vec<f64>> = Precomputed<BandColumns<Z>>;

impl<Z: AsRef<[f64]> + Send> Precomputed<BandColumns<Z>> {
    pub fn new(mid: Z, upper: Z, lower: Z) -> Self {
        Precomputed::over(BandColumns { mid, upper, lower })
    }
}
