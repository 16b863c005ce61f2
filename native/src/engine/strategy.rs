//! Strategies turn each closed bar into a signal. Adding one is a file implementing `Strategy` plus one line in
//! `make_strategy`.
use serde::{Deserialize, Serialize};

use super::types::Side;
use crate::indicators::{RollingBollinger, RollingZScore, WilderRsi};

/// What the strategy says at a bar close.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signal {
    /// Open a position on this side (when flat).
    pub enter: Option<Side>,
    pub exit_long: bool,
    pub exit_short: bool,
}

impl Signal {
    pub fn exits(&self, side: Side) -> bool {
        match side {
            Side::Long => self.exit_long,
            Side::Short => self.exit_short,
        }
    }
}

pub trait Strategy: Send {
    fn on_close(&mut self, close: f64) -> Signal;
    /// The indicator state, for the core's snapshot (restored exactly, bit for bit).
    fn save(&self) -> serde_json::Value;
    fn load(&mut self, state: serde_json::Value) -> Result<(), String>;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum StrategyConfig {
    Zscore {
        lookback: usize,
        entry_z: f64,
        exit_z: f64,
    },
    Bollinger {
        period: usize,
        k: f64,
    },
    Rsi {
        period: usize,
        oversold: f64,
        overbought: f64,
    },
}

impl Default for StrategyConfig {
    fn default() -> Self {
        StrategyConfig::Zscore {
            lookback: 20,
            entry_z: 2.0,
            exit_z: 0.5,
        }
    }
}

pub fn make_strategy(cfg: &StrategyConfig) -> Result<Box<dyn Strategy>, String> {
    match cfg {
        StrategyConfig::Zscore {
            lookback,
            entry_z,
            exit_z,
        } => Ok(Box::new(ZScoreStrategy::new(*lookback, *entry_z, *exit_z)?)),
        StrategyConfig::Bollinger { period, k } => Ok(Box::new(BollingerStrategy {
            b: RollingBollinger::new(*period, *k)?,
        })),
        StrategyConfig::Rsi {
            period,
            oversold,
            overbought,
        } => {
            if !(0.0 < *oversold && oversold < overbought && *overbought < 100.0) {
                return Err(format!(
                    "RSI levels must satisfy 0 < oversold < overbought < 100, got {oversold} and {overbought}"
                ));
            }
            Ok(Box::new(RsiStrategy {
                r: WilderRsi::new(*period)?,
                oversold: *oversold,
                overbought: *overbought,
            }))
        }
    }
}

/// Mean reversion on the rolling z-score: long at z <= -entry, short at z >= +entry, exit when |z| <= exit.
pub struct ZScoreStrategy {
    z: RollingZScore,
    entry: f64,
    exit: f64,
}

impl ZScoreStrategy {
    pub fn new(lookback: usize, entry: f64, exit: f64) -> Result<Self, String> {
        if !(entry.is_finite() && entry > 0.0) {
            return Err(format!("entry z must be a positive number, got {entry}"));
        }
        if !(exit.is_finite() && exit >= 0.0 && exit < entry) {
            return Err(format!(
                "exit z must be from 0 up to (not including) entry z {entry}, got {exit}"
            ));
        }
        Ok(Self {
            z: RollingZScore::new(lookback)?,
            entry,
            exit,
        })
    }

    /// The decision from a z value (shared by the streaming path and precomputed batch arrays).
    #[inline]
    pub fn decide(z: Option<f64>, entry: f64, exit: f64) -> Signal {
        match z {
            None => Signal::default(),
            Some(z) => Signal {
                enter: if z <= -entry {
                    Some(Side::Long)
                } else if z >= entry {
                    Some(Side::Short)
                } else {
                    None
                },
                exit_long: z.abs() <= exit,
                exit_short: z.abs() <= exit,
            },
        }
    }
}

impl Strategy for ZScoreStrategy {
    fn on_close(&mut self, close: f64) -> Signal {
        let z = self.z.push(close);
        Self::decide(z, self.entry, self.exit)
    }
    fn save(&self) -> serde_json::Value {
        serde_json::to_value(&self.z).expect("the z-score kernel serializes")
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.z = serde_json::from_value(state)
            .map_err(|e| format!("bad z-score state in snapshot: {e}"))?;
        Ok(())
    }
}

/// Bollinger Bands: long below the lower band, short above the upper band, exit at the middle band.
pub struct BollingerStrategy {
    b: RollingBollinger,
}

impl Strategy for BollingerStrategy {
    fn on_close(&mut self, close: f64) -> Signal {
        match self.b.push(close) {
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
    fn save(&self) -> serde_json::Value {
        serde_json::to_value(&self.b).expect("the Bollinger kernel serializes")
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.b = serde_json::from_value(state)
            .map_err(|e| format!("bad Bollinger state in snapshot: {e}"))?;
        Ok(())
    }
}

/// RSI: long below `oversold`, short above `overbought`, exit when the RSI crosses back over 50.
pub struct RsiStrategy {
    r: WilderRsi,
    oversold: f64,
    overbought: f64,
}

impl Strategy for RsiStrategy {
    fn on_close(&mut self, close: f64) -> Signal {
        match self.r.push(close) {
            None => Signal::default(),
            Some(rsi) => Signal {
                enter: if rsi < self.oversold {
                    Some(Side::Long)
                } else if rsi > self.overbought {
                    Some(Side::Short)
                } else {
                    None
                },
                exit_long: rsi >= 50.0,
                exit_short: rsi <= 50.0,
            },
        }
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

/// The z-score decision read from a precomputed z array (NaN = warming up), one element per bar in order. The
/// grid search computes z once per lookback and shares it across entry/exit combinations; decisions are
/// identical to `ZScoreStrategy` because both go through `ZScoreStrategy::decide`.
pub struct PrecomputedZ {
    z: std::sync::Arc<Vec<f64>>,
    i: usize,
    entry: f64,
    exit: f64,
}

impl PrecomputedZ {
    pub fn new(z: std::sync::Arc<Vec<f64>>, entry: f64, exit: f64) -> Self {
        Self {
            z,
            i: 0,
            entry,
            exit,
        }
    }
}

impl Strategy for PrecomputedZ {
    fn on_close(&mut self, _close: f64) -> Signal {
        let z = self.z.get(self.i).copied().filter(|v| !v.is_nan());
        self.i += 1;
        ZScoreStrategy::decide(z, self.entry, self.exit)
    }
    fn save(&self) -> serde_json::Value {
        serde_json::json!(self.i)
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.i = state
            .as_u64()
            .ok_or("bad precomputed-z state in snapshot")? as usize;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zscore_thresholds_are_inclusive() {
        assert_eq!(
            ZScoreStrategy::decide(Some(-2.0), 2.0, 0.5).enter,
            Some(Side::Long)
        );
        assert_eq!(
            ZScoreStrategy::decide(Some(2.0), 2.0, 0.5).enter,
            Some(Side::Short)
        );
        assert_eq!(ZScoreStrategy::decide(Some(1.99), 2.0, 0.5).enter, None);
        assert!(ZScoreStrategy::decide(Some(0.5), 2.0, 0.5).exit_long);
        assert!(!ZScoreStrategy::decide(Some(0.51), 2.0, 0.5).exit_short);
        assert_eq!(ZScoreStrategy::decide(None, 2.0, 0.5), Signal::default());
        assert!(ZScoreStrategy::new(20, 1.0, 1.0).is_err());
    }

    #[test]
    fn bollinger_and_rsi_signals() {
        let mut b = make_strategy(&StrategyConfig::Bollinger { period: 3, k: 1.0 }).unwrap();
        b.on_close(100.0);
        b.on_close(100.0);
        assert_eq!(b.on_close(97.0).enter, Some(Side::Long)); // mean 99, sd 1.41: lower 97.59
        let s = b.on_close(101.0);
        assert!(s.exit_long && !s.exit_short);
        let mut r = make_strategy(&StrategyConfig::Rsi {
            period: 2,
            oversold: 30.0,
            overbought: 70.0,
        })
        .unwrap();
        r.on_close(10.0);
        r.on_close(9.0);
        assert_eq!(r.on_close(8.0).enter, Some(Side::Long)); // RSI 0
        assert!(r.on_close(12.0).exit_long); // back above 50
        assert!(make_strategy(&StrategyConfig::Rsi {
            period: 14,
            oversold: 70.0,
            overbought: 30.0
        })
        .is_err());
    }
}
