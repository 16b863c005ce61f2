//! The z-score strategy: streaming, and reading a precomputed z column in batch runs.
use super::{at, ColumnDecision, Precomputed, Signal, Strategy};
use crate::engine::types::Side;
use crate::indicators::RollingZScore;

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

/// The z-score decision read from a precomputed z column (NaN = warming up). Batch runs compute z once (per
/// lookback in the grid) and share it; decisions are identical to `ZScoreStrategy` because both go through
/// `ZScoreStrategy::decide`, and the batch kernel drives the streaming one. `Z` is any slice owner: `Arc<[f64]>`,
/// `Vec<f64>`, or a borrowed `&[f64]` (no copy).
pub struct ZColumn<Z> {
    z: Z,
    entry: f64,
    exit: f64,
}

impl<Z: AsRef<[f64]> + Send> ColumnDecision for ZColumn<Z> {
    const NAME: &'static str = "z";
    #[inline(always)]
    fn decide_at(&self, index: usize, _close: f64) -> Signal {
        ZScoreStrategy::decide(at(self.z.as_ref(), index), self.entry, self.exit)
    }
    // The two scans below restate `decide` over a slice (no bar past the column, NaN, signals: comparisons with
    // NaN are false) so they run a block of bars without a branch; equivalence tests hold them to `decide_at`.
    #[inline(always)]
    fn first_entry(&self, from: usize, to: usize, _close: impl Fn(usize) -> f64) -> usize {
        let z = self.z.as_ref();
        let end = to.min(z.len());
        let e = self.entry;
        let enters = |v: f64| (v <= -e) | (v >= e);
        let mut j = from;
        while j + BLOCK <= end && !z[j..j + BLOCK].iter().fold(false, |a, &v| a | enters(v)) {
            j += BLOCK;
        }
        while j < end && !enters(z[j]) {
            j += 1;
        }
        if j < end {
            j
        } else {
            to
        }
    }
    #[inline(always)]
    fn any_exit(&self, _side: Side, from: usize, to: usize, _close: impl Fn(usize) -> f64) -> bool {
        let z = self.z.as_ref();
        let end = to.min(z.len());
        from < end
            && z[from..end]
                .iter()
                .fold(false, |a, &v| a | (v.abs() <= self.exit))
    }
}

/// Bars judged at once by the column scans.
const BLOCK: usize = 8;

pub type PrecomputedZ<Z = std::sync::Arc<[f64]>> = Precomputed<ZColumn<Z>>;

impl<Z: AsRef<[f64]> + Send> Precomputed<ZColumn<Z>> {
    pub fn new(z: Z, entry: f64, exit: f64) -> Self {
        Precomputed::over(ZColumn { z, entry, exit })
    }
}
