//! The bar check's fast path over columns, a vector of bars at a time: it passes only bars that the bar-by-bar
//! check (`run::validate_bars`) passes, with the same smallest spacing, and leaves everything else (short series,
//! bad or unusual bars) to it, which names the problem.
use super::run::BarColumns;
use super::vector::Lanes;
use crate::calendar::SUPPORTED_TIMES;

/// The smallest spacing of the bar starts when every bar is plainly valid: all four prices finite, every start a
/// whole number of seconds in the calendar's range (`SUPPORTED_TIMES`: exact in f64, and so are the differences)
/// and after the one before. `None` otherwise, or for a series of
/// one vector of bars or less: those are for the bar-by-bar check.
#[inline(always)]
pub(super) fn plainly_valid<V: Lanes>(bars: BarColumns) -> Option<i64> {
    let time = bars.times();
    let n = time.len();
    if n <= V::WIDTH {
        return None;
    }
    // Bar 0 has no bar before it; every later bar starts after the one before.
    let t0 = V::load(time);
    let mut good = V::and(prices_finite::<V>(bars, 0), whole_seconds(t0));
    let mut gap = V::splat(f64::INFINITY);
    let mut j = 1;
    loop {
        // The last bars in one vector overlapping the one before (the checks and the minimum repeat harmlessly).
        let at = j.min(n - V::WIDTH);
        let (t, before) = (V::load(&time[at..]), V::load(&time[at - 1..]));
        let times = V::and(whole_seconds(t), t.gt(before));
        good = V::and(good, V::and(prices_finite::<V>(bars, at), times));
        gap = gap.min(t.sub(before));
        j += V::WIDTH;
        if at + V::WIDTH == n {
            break;
        }
    }
    if V::bits(good) != (1 << V::WIDTH) - 1 {
        return None;
    }
    let smallest = gap.to_array()[..V::WIDTH]
        .iter()
        .fold(f64::INFINITY, |m, &g| m.min(g));
    Some(smallest as i64)
}

/// Bars `j..j + WIDTH` have four finite prices: their sum is finite (a NaN or an infinity makes it NaN or
/// infinite; four huge finite prices could too, which only sends the bars to the bar-by-bar check).
#[inline(always)]
fn prices_finite<V: Lanes>(bars: BarColumns, j: usize) -> V::Mask {
    let (open, high, low, close) = bars.prices();
    let sum = V::load(&open[j..])
        .add(V::load(&high[j..]))
        .add(V::load(&low[j..]).add(V::load(&close[j..])));
    sum.abs().lt(V::splat(f64::INFINITY))
}

/// Times that are whole seconds in the calendar's range (NaN is not).
#[inline(always)]
fn whole_seconds<V: Lanes>(t: V) -> V::Mask {
    let (first, last) = (
        *SUPPORTED_TIMES.start() as f64,
        *SUPPORTED_TIMES.end() as f64,
    );
    let in_range = V::and(t.ge(V::splat(first)), t.le(V::splat(last)));
    V::and_not(in_range, t.floor().ne(t))
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::backtest::run::validate;
    use crate::backtest::vector::{V4, V8};
    use crate::cpu::{vector_unit, VectorUnit};

    /// Bar columns of `n` bars from a seed: a start and spacings drawn from plain and odd cases, then, for most
    /// seeds, one defect (a price or a time that is NaN, infinite, fractional, huge, or out of order).
    fn columns(seed: u64) -> [Vec<f64>; 6] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = match seed % 4 {
            0 => rng.random_range(0..20),
            _ => rng.random_range(9..120),
        };
        // Ordinary times, then times near 2^52, past 2^53, just below 2^63 (past it, whole seconds saturate) and
        // far beyond.
        let start = [
            1.767e9,
            0.0,
            -86_400.0,
            4.5036e15,
            9.1e15,
            9.2233720368547e18,
            1e300,
        ];
        let start = start[rng.random_range(0..start.len())];
        let mut time = vec![start; n];
        // One spacing, with a session gap now and then.
        let spacing = [60.0, 300.0, 1.0, 7_200.0][rng.random_range(0..4)];
        for i in 1..n {
            let gap = if rng.random_bool(0.05) { 3_600.0 } else { 0.0 };
            time[i] = time[i - 1] + spacing + gap;
        }
        let mut prices: Vec<Vec<f64>> = (0..4)
            .map(|_| {
                (0..n)
                    .map(|_| 5000.0 + rng.random_range(-50.0..50.0))
                    .collect()
            })
            .collect();
        if n > 0 && !seed.is_multiple_of(5) {
            let (i, odd) = (rng.random_range(0..n), rng.random_range(0..9));
            let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e308][rng.random_range(0..4)];
            match odd {
                0..=2 => prices[rng.random_range(0..4)][i] = bad,
                3 => time[i] = bad,
                4 => time[i] += 0.5,
                5 => time[i] = time[i.saturating_sub(1)],
                6 => time[i] -= 120.0,
                7 => time[i] = -time[i],
                _ => prices.iter_mut().for_each(|c| c[i] = 1e308),
            }
        }
        let [open, high, low, close] = <[Vec<f64>; 4]>::try_from(prices).unwrap();
        [time, open, high, low, close, vec![1.0; n]]
    }

    #[test]
    fn passes_only_what_the_bar_by_bar_check_passes_with_the_same_spacing() {
        for unit in [VectorUnit::Avx2, VectorUnit::Avx512] {
            if unit == VectorUnit::Avx512 && vector_unit() != VectorUnit::Avx512
                || vector_unit() == VectorUnit::Baseline
            {
                continue;
            }
            let (mut passed, mut plain) = (0, 0);
            for seed in 0..4_000 {
                let c = columns(seed);
                let bars = BarColumns::new(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]).unwrap();
                let fast = match unit {
                    VectorUnit::Avx512 => plainly_valid::<V8>(bars),
                    _ => plainly_valid::<V4>(bars),
                };
                let checked = validate(bars);
                if let Some(gap) = fast {
                    assert_eq!(checked, Ok(gap), "seed {seed}, {unit:?}");
                    passed += 1;
                }
                // Clean bars of ordinary times over more than one vector: the fast path takes them.
                if seed % 5 == 0 && bars.times().len() > 8 && c[0][0].abs() < 1e15 {
                    assert!(
                        fast.is_some(),
                        "seed {seed}, {unit:?}: clean bars left to the slow check"
                    );
                    plain += 1;
                }
            }
            assert!(
                passed > 300 && plain > 200,
                "{unit:?}: {passed} passed, {plain} plain"
            );
        }
    }
}
