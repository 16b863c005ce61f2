//! Strategies turn each closed bar into a signal. Each lives in its own file with its precomputed-column twin
//! for batch runs; adding one is that file, its `StrategyConfig` variant and its line in `make_strategy`.
use serde::{Deserialize, Serialize};

use super::types::Side;

mod bollinger;
mod rsi;
mod zscore;

pub use bollinger::{BollingerStrategy, PrecomputedBollinger};
pub use rsi::{PrecomputedRsi, RsiStrategy};
pub use zscore::{PrecomputedZ, ZScoreStrategy};

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
    /// The first bar in `from..to` whose signal holds an entry, or `to` (called only when `indexed()`).
    #[inline(always)]
    fn first_entry(&self, from: usize, to: usize, close: impl Fn(usize) -> f64) -> usize
    where
        Self: Sized,
    {
        (from..to)
            .find(|&j| self.signal_at(j, close(j)).enter.is_some())
            .unwrap_or(to)
    }
    /// Whether any bar in `from..to` signals an exit of `side` (called only when `indexed()`).
    #[inline(always)]
    fn any_exit(&self, side: Side, from: usize, to: usize, close: impl Fn(usize) -> f64) -> bool
    where
        Self: Sized,
    {
        (from..to).fold(false, |any, j| {
            any | self.signal_at(j, close(j)).exits(side)
        })
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

/// A strategy's decision read from indicator columns computed once for a whole batch run.
pub trait ColumnDecision: Send {
    /// Names the indicator in snapshot errors.
    const NAME: &'static str;
    /// The decision at bar `index` (with that bar's close).
    fn decide_at(&self, index: usize, close: f64) -> Signal;
    /// `Strategy::first_entry`; columns may answer it for a block of bars at a time.
    #[inline(always)]
    fn first_entry(&self, from: usize, to: usize, close: impl Fn(usize) -> f64) -> usize {
        (from..to)
            .find(|&j| self.decide_at(j, close(j)).enter.is_some())
            .unwrap_or(to)
    }
    /// `Strategy::any_exit`; columns may answer it without a branch per bar.
    #[inline(always)]
    fn any_exit(&self, side: Side, from: usize, to: usize, close: impl Fn(usize) -> f64) -> bool {
        (from..to).fold(false, |any, j| {
            any | self.decide_at(j, close(j)).exits(side)
        })
    }
}

/// A strategy over precomputed columns: its only state is how many bars it has seen, so it can answer for any bar
/// (`indexed`), and a batch run may skip idle stretches.
pub struct Precomputed<D> {
    columns: D,
    i: usize,
}

impl<D: ColumnDecision> Precomputed<D> {
    pub fn over(columns: D) -> Self {
        Self { columns, i: 0 }
    }
}

impl<D: ColumnDecision> Strategy for Precomputed<D> {
    #[inline]
    fn on_close(&mut self, close: f64) -> Signal {
        self.on_close_at(self.i, close)
    }
    #[inline(always)]
    fn on_close_at(&mut self, index: usize, close: f64) -> Signal {
        debug_assert_eq!(index, self.i);
        self.i = index + 1;
        self.columns.decide_at(index, close)
    }
    #[inline(always)]
    fn indexed(&self) -> bool {
        true
    }
    #[inline(always)]
    fn signal_at(&self, index: usize, close: f64) -> Signal {
        self.columns.decide_at(index, close)
    }
    #[inline(always)]
    fn seek(&mut self, index: usize) {
        self.i = index;
    }
    #[inline(always)]
    fn first_entry(&self, from: usize, to: usize, close: impl Fn(usize) -> f64) -> usize {
        self.columns.first_entry(from, to, close)
    }
    #[inline(always)]
    fn any_exit(&self, side: Side, from: usize, to: usize, close: impl Fn(usize) -> f64) -> bool {
        self.columns.any_exit(side, from, to, close)
    }
    fn save(&self) -> serde_json::Value {
        serde_json::json!(self.i)
    }
    fn load(&mut self, state: serde_json::Value) -> Result<(), String> {
        self.i = state
            .as_u64()
            .ok_or_else(|| format!("bad precomputed-{} state in snapshot", D::NAME))?
            as usize;
        Ok(())
    }
}

/// Element `i` of a precomputed indicator column, None past its end or during warm-up (NaN).
#[inline(always)]
pub(super) fn at(col: &[f64], i: usize) -> Option<f64> {
    col.get(i).copied().filter(|v| !v.is_nan())
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
