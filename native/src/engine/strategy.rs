//! Strategies turn each closed bar into a signal. Adding one is a file implementing `Strategy` plus one line in
//! `make_strategy`.
use serde::{Deserialize, Serialize};

use super::types::Side;
use crate::indicators::{Bands, RollingBollinger, RollingZScore, WilderRsi};

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
    /// `on_close` for the bar at `index` of a batch run (bars fed in order from 0, so `index` is the number of
    /// closes seen before). Strategies reading precomputed columns use it to index without a loop-carried counter;
    /// the decision is the same as `on_close`.
    #[inline(always)]
    fn on_close_at(&mut self, index: usize, close: f64) -> Signal {
        let _ = index;
        self.on_close(close)
    }
    /// True for strategies reading precomputed columns: they answer `signal_at` for any bar without being fed
    /// the bars before, which lets a batch run skip flat stretches that hold no entry signal.
    #[inline(always)]
    fn indexed(&self) -> bool {
        false
    }
    /// The decision at bar `index`, without changing any state (called only when `indexed()`).
    #[inline(always)]
    fn signal_at(&self, index: usize, close: f64) -> Signal {
        let _ = (index, close);
        Signal::default()
    }
    /// Bars before `index` count as seen (called only when `indexed()`).
    #[inline(always)]
    fn seek(&mut self, index: usize) {
        let _ = index;
    }
    /// The indicator state, for the core's snapshot (restored exactly, bit for bit).
    fn save(&self) -> serde_json::Value;
    fn load(&mut self, state: serde_json::Value) -> Result<(), String>;
}

/// A boxed strategy is a strategy (the live core's default type parameter).
impl<S: Strategy + ?Sized> Strategy for Box<S> {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        (**self).on_close(close)
    }
    #[inline]
    fn on_close_at(&mut self, index: usize, close: f64) -> Signal {
        (**self).on_close_at(index, close)
    }
    #[inline]
    fn indexed(&self) -> bool {
        (**self).indexed()
    }
    #[inline]
    fn signal_at(&self, index: usize, close: f64) -> Signal {
        (**self).signal_at(index, close)
    }
    #[inline]
    fn seek(&mut self, index: usize) {
        (**self).seek(index)
    }
    fn save(&self) -> serde_json::Value {
        (**self).save()
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        (**self).load(state)
    }
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
        StrategyConfig::Bollinger { period, k } => {
            Ok(Box::new(BollingerStrategy::new(*period, *k)?))
        }
        StrategyConfig::Rsi {
            period,
            oversold,
            overbought,
        } => Ok(Box::new(RsiStrategy::new(*period, *oversold, *overbought)?)),
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
    #[inline]
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

/// The z-score decision read from a precomputed z array (NaN = warming up), one element per bar in order. Batch
/// runs compute z once (per lookback in the grid) and share it; decisions are identical to `ZScoreStrategy`
/// because both go through `ZScoreStrategy::decide`, and the batch kernel drives the streaming one. `Z` is any
/// slice owner: `Arc<[f64]>`, `Vec<f64>`, or a borrowed `&[f64]` (no copy).
pub struct PrecomputedZ<Z: AsRef<[f64]> + Send = std::sync::Arc<[f64]>> {
    z: Z,
    i: usize,
    entry: f64,
    exit: f64,
}

impl<Z: AsRef<[f64]> + Send> PrecomputedZ<Z> {
    pub fn new(z: Z, entry: f64, exit: f64) -> Self {
        Self {
            z,
            i: 0,
            entry,
            exit,
        }
    }
}

/// Element `i` of a precomputed indicator column, None past its end or during warm-up (NaN).
#[inline(always)]
fn at(col: &[f64], i: usize) -> Option<f64> {
    col.get(i).copied().filter(|v| !v.is_nan())
}

impl<Z: AsRef<[f64]> + Send> Strategy for PrecomputedZ<Z> {
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
        ZScoreStrategy::decide(at(self.z.as_ref(), index), self.entry, self.exit)
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
            .ok_or("bad precomputed-z state in snapshot")? as usize;
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
