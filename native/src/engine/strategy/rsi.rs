//! The RSI strategy: streaming, and reading a precomputed RSI column in batch runs.
use super::{at, Signal, Strategy};
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
pub struct PrecomputedRsi<Z: AsRef<[f64]> + Send = Vec<f64>> {
    rsi: Z,
    i: usize,
    oversold: f64,
    overbought: f64,
}

impl<Z: AsRef<[f64]> + Send> PrecomputedRsi<Z> {
    pub fn new(rsi: Z, oversold: f64, overbought: f64) -> Self {
        Self {
            rsi,
            i: 0,
            oversold,
            overbought,
        }
    }
}

impl<Z: AsRef<[f64]> + Send> Strategy for PrecomputedRsi<Z> {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        self.on_close_at(self.i, close)
    }
    #[inline(always)]
    fn on_close_at(&mut self, index: usize, close: f64) -> Signal {
        debug_assert_eq!(index, self.i);
        self.i = index + 1;
        self.signal_at(index, close)
    }
    #[inline(always)]
    fn indexed(&self) -> bool {
        true
    }
    #[inline(always)]
    fn signal_at(&self, index: usize, _close: f64) -> Signal {
        RsiStrategy::decide(at(self.rsi.as_ref(), index), self.oversold, self.overbought)
    }
    #[inline(always)]
    fn seek(&mut self, index: usize) {
        self.i = index;
    }
    fn save(&self) -> serde_json::Value {
        serde_json::json!(self.i)
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.i = state
            .as_u64()
            .ok_or("bad precomputed-RSI state in snapshot")? as usize;
        Ok(())
    }
}
