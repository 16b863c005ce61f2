//! Bars checked once and kept: a data set loaded for many runs (the backtest lab's backtests one after another)
//! is copied into memory only this holds, checked there, and then read by every run without a check of its own.
//! A run that checks its bars reads every price and time from memory; one on checked bars reads the z column and
//! only the bars where something happens.
use std::borrow::Cow;

use super::run::{validate_bars, BarColumns, BarSeries};
use crate::sim::Bar;

/// Bars copied and checked (every price finite, bar starts increasing), with the smallest spacing of their
/// starts. Nothing changes them afterwards.
pub struct CheckedBars {
    columns: [Vec<f64>; 6],
    gap: i64,
}

impl CheckedBars {
    /// A copy of `bars`, checked: the same errors, naming the same bar, as `validate_bars`.
    pub fn new(bars: BarColumns) -> Result<Self, String> {
        let (open, high, low, close) = bars.prices();
        let columns = [bars.times(), open, high, low, close, bars.volumes()].map(<[f64]>::to_vec);
        let gap = validate_bars(view(&columns))?;
        Ok(Self { columns, gap })
    }

    /// The bars, read as checked (`BarSeries::checked_gap`).
    pub fn view(&self) -> Checked<'_> {
        Checked {
            columns: view(&self.columns),
            gap: self.gap,
        }
    }

    pub fn len(&self) -> usize {
        self.columns[0].len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn view(c: &[Vec<f64>; 6]) -> BarColumns<'_> {
    BarColumns::new(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5])
        .expect("six columns copied from one series have one length")
}

/// `CheckedBars` as a bar series: runs take their smallest spacing instead of checking them.
#[derive(Clone, Copy)]
pub struct Checked<'a> {
    columns: BarColumns<'a>,
    gap: i64,
}

impl<'a> BarSeries for Checked<'a> {
    #[inline(always)]
    fn len(&self) -> usize {
        self.columns.len()
    }
    #[inline(always)]
    fn bar(&self, i: usize) -> Bar {
        self.columns.bar(i)
    }
    #[inline(always)]
    fn time(&self, i: usize) -> i64 {
        self.columns.time(i)
    }
    #[inline(always)]
    fn close(&self, i: usize) -> f64 {
        self.columns.close(i)
    }
    fn closes(&self) -> Cow<'_, [f64]> {
        self.columns.closes()
    }
    // A part of the bars is checked as any bars are (its smallest spacing is its own).
    type Range = BarColumns<'a>;
    fn range(&self, start: usize, end: usize) -> BarColumns<'a> {
        self.columns.range(start, end)
    }
    fn columns(&self) -> Option<BarColumns<'_>> {
        Some(self.columns)
    }
    fn checked_gap(&self) -> Option<i64> {
        Some(self.gap)
    }
}

#[cfg(test)]
mod tests {
    use super::super::equivalence_tests::{columns_of, data};
    use super::super::run::{run_backtest_into, run_backtest_precomputed_z, BacktestParams};
    use super::*;
    use crate::engine::{CoreConfig, RiskLimits, StrategyConfig};
    use crate::indicators::zscore_batch;

    fn params(strategy: StrategyConfig, breakers: bool) -> BacktestParams {
        BacktestParams {
            core: CoreConfig {
                strategy,
                limits: RiskLimits {
                    breakers,
                    ..RiskLimits::default()
                },
                bar_seconds: 60,
                capital: 10_000.0,
            },
            slippage_ticks: 1,
        }
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn bad_bars_are_refused_as_the_bar_check_names_them() {
        let bars = data(3, 500);
        for (column, at, value, message) in [
            (
                2,
                17,
                f64::NAN,
                "bar 17 has a price that is not a finite number",
            ),
            (
                4,
                499,
                f64::INFINITY,
                "bar 499 has a price that is not a finite number",
            ),
            (
                0,
                200,
                0.0,
                "bar 200 does not start after bar 199 (times must increase)",
            ),
        ] {
            let mut c = columns_of(&bars);
            c[column][at] = value;
            let cols = BarColumns::new(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]).unwrap();
            assert_eq!(validate_bars(cols).unwrap_err(), message);
            assert_eq!(CheckedBars::new(cols).err().as_deref(), Some(message));
        }
    }

    #[test]
    fn runs_on_checked_bars_match_runs_that_check_them_bit_for_bit() {
        // Long enough for the z-score scan to split the run in two.
        let bars = data(11, 150_000);
        let c = columns_of(&bars);
        let cols = BarColumns::new(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]).unwrap();
        let checked = CheckedBars::new(cols).unwrap();
        assert_eq!(checked.len(), bars.len());
        assert_eq!(
            validate_bars(checked.view()).unwrap(),
            validate_bars(cols).unwrap()
        );
        let zscore = StrategyConfig::Zscore {
            lookback: 20,
            entry_z: 2.0,
            exit_z: 0.5,
        };
        let strategies = [
            zscore.clone(),
            StrategyConfig::Bollinger { period: 20, k: 2.0 },
            StrategyConfig::Rsi {
                period: 14,
                oversold: 30.0,
                overbought: 70.0,
            },
        ];
        for strategy in strategies {
            for breakers in [false, true] {
                let p = params(strategy.clone(), breakers);
                let (mut a, mut b) = (vec![0.0; bars.len()], vec![0.0; bars.len()]);
                let (ta, ma) = run_backtest_into(cols, &p, Some(&mut a)).unwrap();
                let (tb, mb) = run_backtest_into(checked.view(), &p, Some(&mut b)).unwrap();
                assert!(!ta.is_empty(), "{strategy:?}: the data trades");
                assert_eq!((&ta, &ma), (&tb, &mb), "{strategy:?}, breakers {breakers}");
                assert_eq!(bits(&a), bits(&b), "{strategy:?}, breakers {breakers}");
            }
        }
        let mut z = vec![0.0; bars.len()];
        zscore_batch(&c[4], 20, &mut z).unwrap();
        let p = params(zscore, false);
        let (mut a, mut b) = (vec![0.0; bars.len()], vec![0.0; bars.len()]);
        let whole = run_backtest_precomputed_z(cols, &p, &z, Some(&mut a)).unwrap();
        let kept = run_backtest_precomputed_z(checked.view(), &p, &z, Some(&mut b)).unwrap();
        assert_eq!(whole, kept);
        assert_eq!(bits(&a), bits(&b));
    }
}
