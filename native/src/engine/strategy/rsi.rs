//! The RSI strategy: streaming, and reading a precomputed RSI column in batch runs.
use super::{at, ColumnDecision, Precomputed, Signal, Strategy};
use crate::engine::types::Side;
use crate::indicators::WilderRsi;

/// RSI: long below `oversold`, short above `overbought`, exit when the RSI crosses back over 50.
pub struct RsiStrategy {
    r: WilderRsi,
    oversold: f64,
    overbought: f64,
}

impl RsiStrategy {
    pub fn new(period: usize, oversold: f64, overbought: f64) -> Result<Self, String> {
        if !(0.0 < oversold && oversold < overbought && overbought < 100.0) {
            return Err(format!(
                "RSI levels must satisfy 0 < oversold < overbought < 100, got {oversold} and {overbought}"
            ));
        }
        Ok(Self {
            r: WilderRsi::new(period)?,
            oversold,
            overbought,
        })
    }

    /// The decision from an RSI value (shared by the streaming path and precomputed batch arrays).
    #[inline]
    pub fn decide(rsi: Option<f64>, oversold: f64, overbought: f64) -> Signal {
        match rsi {
            None => Signal::default(),
            Some(rsi) => Signal {
                enter: if rsi < oversold {
                    Some(Side::Long)
                } else if rsi > overbought {
                    Some(Side::Short)
                } else {
                    None
                },
                exit_long: rsi >= 50.0,
                exit_short: rsi <= 50.0,
            },
        }
    }
}

impl Strategy for RsiStrategy {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        Self::decide(self.r.push(close), self.oversold, self.overbought)
    }
    fn save(&self) -> serde_json::Value {
        serde_json::to_value(&self.r).expect("the RSI kernel serializes")
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.r =
            serde_json::from_value(state).map_err(|e| format!("bad RSI state in snapshot: {e}"))?;
        Ok(())
    }
}

/// RSI decisions read from a precomputed RSI column (`rsi_batch`), identical to `RsiStrategy`.
pub struct RsiColumn<Z> {
    rsi: Z,
    oversold: f64,
    overbought: f64,
}

impl<Z: AsRef<[f64]> + Send> ColumnDecision for RsiColumn<Z> {
    const NAME: &'static str = "RSI";
    #[inline(always)]
    fn decide_at(&self, index: usize, _close: f64) -> Signal {
        RsiStrategy::decide(at(self.rsi.as_ref(), index), self.oversold, self.overbought)
    }
}

pub type PrecomputedRsi<Z = Vec<f64>> = Precomputed<RsiColumn<Z>>;

impl<Z: AsRef<[f64]> + Send> Precomputed<RsiColumn<Z>> {
    pub fn new(rsi: Z, oversold: f64, overbought: f64) -> Self {
        Precomputed::over(RsiColumn {
            rsi,
            oversold,
            overbought,
        })
    }
}
