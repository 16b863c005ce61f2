//! Rolling z-score with the population standard deviation over the last `window` closes, current one included.
//! The window statistics come from `RollingMoments` (moments.rs), shared with Bollinger Bands.
//!
//! Numerics (see moments.rs): running sums are kept on values shifted by an anchor (a recent price), so the squares stay small
//! near 5000 and the subtraction `n*S2 - S1^2` (n^2 times the variance) loses almost nothing. The anchor moves to the
//! newest price and the sums are recomputed from the window values every `window` pushes, which bounds
//! accumulated rounding at O(1) amortized cost. A run of identical closes as long as the window gives std = 0
//! exactly, so z = 0 exactly instead of 0/tiny noise.
//!
//! The batch path runs the same kernel (see `zscore_batch`), so streaming and batch agree bit for bit.

use super::moments::RollingMoments;

/// Streaming z-score kernel.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RollingZScore {
    m: RollingMoments,
}

impl RollingZScore {
    /// `window` must be 2 to `MAX_PERIOD` bars (a one-bar std is always 0).
    pub fn new(window: usize) -> Result<Self, String> {
        super::check_period("z-score window", window)?;
        Ok(Self {
            m: RollingMoments::new(window),
        })
    }

    pub fn window(&self) -> usize {
        self.m.window()
    }

    /// The kernel after pushing `closes`, a whole number of windows (see `RollingMoments::resumed_after`).
    fn resumed_after(closes: &[f64], window: usize) -> Self {
        Self {
            m: RollingMoments::resumed_after(closes, window),
        }
    }

    /// Bars pushed so far (saturates at the window length; the kernel only needs that much).
    pub fn filled(&self) -> usize {
        self.m.filled()
    }

    pub fn reset(&mut self) {
        self.m = RollingMoments::new(self.m.window());
    }

    /// Push one close; returns z once the window is full, `None` while warming up.
    #[inline]
    pub fn push(&mut self, x: f64) -> Option<f64> {
        let s = self.push_sums(x)?;
        Some(z_from_sums(self.m.window() as f64, &s))
    }

    /// Update the window with one close and return what `z_from_sums` needs (the batch path stores these for a
    /// block and computes z for the whole block afterwards).
    #[inline(always)]
    fn push_sums(&mut self, x: f64) -> Option<ZInputs> {
        self.m.push(x);
        let s = self.m.sums()?;
        Some(ZInputs {
            dx: x - s.anchor,
            s1: s.s1,
            s2: s.s2,
            flat: s.flat,
        })
    }
}

/// The newest close relative to the anchor, and the window sums (see `Sums` in moments.rs).
#[derive(Debug, Clone, Copy)]
struct ZInputs {
    dx: f64,
    s1: f64,
    s2: f64,
    flat: bool,
}

/// z of the newest close from the window sums, shared by the streaming and the batch path. With d = x - anchor,
/// S1 = sum d and S2 = sum d^2 over n closes: mean = S1/n and var = S2/n - mean^2, so
/// z = (dx - mean) / sqrt(var) = (n*dx - S1) / sqrt(n*S2 - S1^2): one division and one square root per bar instead of
/// three divisions and a root. A flat window (or a variance that rounds to <= 0) gives exactly 0. Written without
/// branches (both sides are computed, then selected) so the batch loop vectorizes.
#[inline(always)]
fn z_from_sums(n: f64, v: &ZInputs) -> f64 {
    let q = n * v.s2 - v.s1 * v.s1;
    let z = (n * v.dx - v.s1) / q.sqrt();
    if v.flat || q <= 0.0 {
        0.0
    } else {
        z
    }
}

/// Closes per block in the batch path: the scratch arrays (4 x 8 bytes per close) stay in L1.
const BLOCK: usize = 512;

/// Closes from which the batch runs on two threads.
const SPLIT_FROM: usize = 100_000;

/// Batch z-score: fills `out` (same length as `closes`) with z, NaN during warm-up. A close that is not a finite
/// number is an error naming its index (`out` is then left untouched).
///
/// Drives the streaming kernel: for each block of closes, a serial pass pushes every close through the same
/// `RollingMoments` update (re-seeds and flat detection included, `RollingMoments::push_all`) and keeps the sums in
/// small scratch arrays, then a second, branch-free pass applies `z_from_sums` to the block, which the compiler
/// vectorizes (division and square root dominate the cost). Results are bit-identical to pushing one close at a time.
///
/// Long series run in two halves at once: the second starts at a re-seed, where the window's values are all the
/// state there is (`RollingMoments::resumed_after`), so it computes the same bits as one pass would.
pub fn zscore_batch(closes: &[f64], window: usize, out: &mut [f64]) -> Result<(), String> {
    if out.len() != closes.len() {
        return Err(format!(
            "output length {} does not match input length {}",
            out.len(),
            closes.len()
        ));
    }
    RollingZScore::new(window)?;
    let split = (closes.len() >= SPLIT_FROM && rayon::current_num_threads() >= 2)
        .then_some(closes.len() / 2 / window * window);
    // Every close is checked before any z is written (on error `out` stays as it was).
    let bad = match split {
        None => super::first_non_finite(closes),
        Some(s) => {
            let (first, second) = rayon::join(
                || super::first_non_finite(&closes[..s]),
                || super::first_non_finite(&closes[s..]),
            );
            first.or(second.map(|i| s + i))
        }
    };
    if let Some(i) = bad {
        return Err(format!("close at index {i} is not a finite number"));
    }
    batch_split(window, closes, out, split);
    Ok(())
}

/// The batch of `window` (validated), in two halves at once when `split` (a multiple of `window`, from one window
/// on, before the end) is given.
fn batch_split(window: usize, closes: &[f64], out: &mut [f64], split: Option<usize>) {
    let fresh = || RollingZScore::new(window).expect("window checked");
    match split.filter(|&s| s >= window && s < closes.len()) {
        None => dispatched(fresh(), closes, out),
        Some(s) => {
            let (first, second) = out.split_at_mut(s);
            rayon::join(
                || dispatched(fresh(), &closes[..s], first),
                || {
                    let k = RollingZScore::resumed_after(&closes[..s], window);
                    dispatched(k, &closes[s..], second)
                },
            );
        }
    }
}

/// `batch` in the AVX2 build where the CPU has AVX2.
fn dispatched(k: RollingZScore, closes: &[f64], out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { batch_avx2(k, closes, out) };
        return;
    }
    batch(k, closes, out);
}

/// `batch` compiled for AVX2: three-operand instructions (no register copies) in the serial sums pass and 4-wide
/// vectors in the z pass. No FMA (Rust never fuses a multiply and an add on its own), so the results are
/// bit-identical to the portable build and to the streaming kernel.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn batch_avx2(k: RollingZScore, closes: &[f64], out: &mut [f64]) {
    batch(k, closes, out);
}

/// The two passes over blocks of closes (input already validated, `out.len() == closes.len()`).
#[inline(always)]
fn batch(mut k: RollingZScore, closes: &[f64], out: &mut [f64]) {
    let window = k.window();

    // Warm-up: the first window - 1 pushes return None (none for a kernel resumed with a full window).
    let warm = window.saturating_sub(k.filled() + 1).min(closes.len());
    for (o, &c) in out[..warm].iter_mut().zip(&closes[..warm]) {
        *o = k.push(c).unwrap_or(f64::NAN);
    }

    let n = window as f64;
    let mut dx = [0.0f64; BLOCK];
    let mut sums = [[0.0f64; 2]; BLOCK];
    // 1.0 for a flat window, else 0.0: an f64 lane compares to a full-width mask in the vector pass.
    let mut flat = [0.0f64; BLOCK];
    let mut start = warm;
    while start < closes.len() {
        let end = (start + BLOCK).min(closes.len());
        let cc = &closes[start..end];
        k.m.push_all(cc, |i, x, s| {
            dx[i] = x - s.anchor;
            sums[i] = [s.s1, s.s2];
            flat[i] = if s.flat { 1.0 } else { 0.0 };
        });
        let len = cc.len();
        for (((o, &dx), &[s1, s2]), &flat) in out[start..end]
            .iter_mut()
            .zip(&dx[..len])
            .zip(&sums[..len])
            .zip(&flat[..len])
        {
            *o = z_from_sums(
                n,
                &ZInputs {
                    dx,
                    s1,
                    s2,
                    flat: flat != 0.0,
                },
            );
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Two-pass reference. Values are shifted by the window's first close before summing: near 5000 that
    /// subtraction is exact (Sterbenz), so the reference is accurate to ~1e-15 relative where a plain f64 two-pass
    /// on raw prices is off by up to ~1e-9 in z on quiet windows. A flat window is defined as z = 0.
    fn reference(closes: &[f64], n: usize) -> Vec<f64> {
        (0..closes.len())
            .map(|i| {
                if i + 1 < n {
                    return f64::NAN;
                }
                let w = &closes[i + 1 - n..=i];
                if w.iter().all(|v| *v == w[0]) {
                    return 0.0;
                }
                let shifted: Vec<f64> = w.iter().map(|v| v - w[0]).collect();
                let mean = shifted.iter().sum::<f64>() / n as f64;
                let var = shifted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                (shifted[n - 1] - mean) / var.sqrt()
            })
            .collect()
    }

    fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
        let mut worst = (0.0, 0);
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x.is_nan(), y.is_nan(), "warm-up mismatch at {i}");
            if !x.is_nan() && (x - y).abs() > worst.0 {
                worst = ((x - y).abs(), i);
            }
        }
        if worst.0 > 1e-9 {
            eprintln!(
                "worst |dz| {} at {}: got {} want {}",
                worst.0, worst.1, a[worst.1], b[worst.1]
            );
        }
        worst.0
    }

    fn walk(len: usize, start: f64, step: f64, seed: u64, flat_every: usize) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut p = start;
        (0..len)
            .map(|i| {
                // Quiet stretches: long runs of an unchanged price.
                if flat_every == 0 || (i / flat_every).is_multiple_of(2) {
                    p += step * rng.random_range(-2i32..=2) as f64;
                }
                p
            })
            .collect()
    }

    fn check(closes: &[f64], n: usize) -> f64 {
        let mut out = vec![0.0; closes.len()];
        zscore_batch(closes, n, &mut out).unwrap();
        max_abs_diff(&out, &reference(closes, n))
    }

    #[test]
    fn warm_up_is_nan_then_values() {
        let mut out = vec![0.0; 5];
        zscore_batch(&[1.0, 2.0, 3.0, 4.0, 5.0], 3, &mut out).unwrap();
        assert!(out[0].is_nan() && out[1].is_nan());
        // window [1,2,3]: mean 2, population std sqrt(2/3) -> z = 1/sqrt(2/3)
        assert!((out[2] - 1.224_744_871_391_589).abs() < 1e-12);
    }

    #[test]
    fn tick_grid_near_5000_matches_two_pass() {
        for n in [2, 5, 20, 50, 200] {
            let closes = walk(50_000, 5000.0, 0.25, n as u64, 0);
            assert!(check(&closes, n) <= 1e-9, "window {n}");
        }
    }

    #[test]
    fn cent_steps_match_two_pass() {
        let closes = walk(50_000, 4999.99, 0.01, 7, 0);
        assert!(check(&closes, 20) <= 1e-9);
    }

    #[test]
    fn quiet_stretches_give_exact_zero() {
        let closes = walk(20_000, 5000.0, 0.01, 11, 300);
        assert!(check(&closes, 20) <= 1e-9);
        let flat = vec![5000.37; 100];
        let mut out = vec![0.0; 100];
        zscore_batch(&flat, 10, &mut out).unwrap();
        assert!(out[9..].iter().all(|z| *z == 0.0));
    }

    #[test]
    fn million_bars_stay_accurate() {
        let closes = walk(1_000_000, 5000.0, 0.25, 3, 5_000);
        assert!(check(&closes, 20) <= 1e-9);
    }

    #[test]
    fn naive_sums_would_fail_but_kernel_does_not() {
        // A quiet market far from zero: tiny std relative to the price level.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let closes: Vec<f64> = (0..10_000)
            .map(|_| 5000.0 + 0.01 * rng.random_range(0..3) as f64)
            .collect();
        assert!(check(&closes, 30) <= 1e-9);
    }

    #[test]
    fn streaming_equals_batch() {
        // Windows around and beyond the batch block, lengths that are not a multiple of it, quiet stretches,
        // and inputs shorter than the window.
        for (n, len, flat_every) in [
            (2, 3_000, 0),
            (14, 5_000, 0),
            (20, 2_049, 37),
            (20, 1_100, 25),
            (50, 1_500, 200),
            (511, 2_000, 0),
            (700, 3_000, 450),
            (30, 29, 0),
            (30, 10, 0),
        ] {
            let closes = walk(len, 5000.0, 0.25, 9 + n as u64, flat_every);
            let mut out = vec![0.0; closes.len()];
            zscore_batch(&closes, n, &mut out).unwrap();
            let mut k = RollingZScore::new(n).unwrap();
            for (i, (c, b)) in closes.iter().zip(&out).enumerate() {
                match k.push(*c) {
                    None => assert!(b.is_nan(), "window {n}, bar {i}"),
                    Some(z) => assert_eq!(z.to_bits(), b.to_bits(), "window {n}, bar {i}"),
                }
            }
        }
    }

    #[test]
    fn two_halves_equal_one_pass() {
        // Splits at every kind of place: plain, inside a quiet stretch that crosses the split (longer than the
        // window by then, and not yet), right after one ends, and at the first and the last possible window. The
        // resumed state itself, flatness included, is checked push by push in moments.rs.
        for (n, len, flat_every, split) in [
            (20, 10_000, 0, 5_000),
            (20, 10_000, 75, 5_060),
            (20, 10_000, 75, 5_100),
            (20, 10_000, 60, 4_900),
            (2, 3_001, 7, 1_508),
            (700, 5_000, 1_500, 2_100),
            (50, 1_000, 0, 50),
            (50, 1_001, 0, 1_000),
        ] {
            // Cent steps: the sums round, so a wrong anchor shows in the bits.
            let closes = walk(len, 4999.99, 0.01, 40 + n as u64, flat_every);
            assert!(split % n == 0 && split >= n && split < len);
            let mut halves = vec![0.0; len];
            batch_split(n, &closes, &mut halves, Some(split));
            let mut k = RollingZScore::new(n).unwrap();
            let mut flat_after_split = 0;
            for (i, (c, b)) in closes.iter().zip(&halves).enumerate() {
                match k.push(*c) {
                    None => assert!(b.is_nan(), "window {n}, bar {i}"),
                    Some(z) => {
                        assert_eq!(
                            z.to_bits(),
                            b.to_bits(),
                            "window {n}, split {split}, bar {i}"
                        );
                        flat_after_split += usize::from(i >= split && i < split + n && z == 0.0);
                    }
                }
            }
            if flat_every > 0 && (split / flat_every) % 2 == 1 {
                assert!(
                    flat_after_split > 0,
                    "the quiet stretch crosses split {split}"
                );
            }
        }
        // The split zscore_batch takes on long series equals one pass.
        let closes = walk(SPLIT_FROM + 333, 5000.0, 0.25, 77, 1_000);
        let mut split = vec![0.0; closes.len()];
        zscore_batch(&closes, 30, &mut split).unwrap();
        let mut one = vec![0.0; closes.len()];
        batch_split(30, &closes, &mut one, None);
        assert!(split
            .iter()
            .zip(&one)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        // Bad closes in either half are named, the first one first, and nothing is written.
        let mut bad = closes.clone();
        bad[SPLIT_FROM - 5] = f64::NAN;
        let mut out = vec![7.0; bad.len()];
        let err = zscore_batch(&bad, 30, &mut out).unwrap_err();
        assert!(err.contains(&format!("index {} ", SPLIT_FROM - 5)), "{err}");
        bad[17] = f64::INFINITY;
        let err = zscore_batch(&bad, 30, &mut out).unwrap_err();
        assert!(err.contains("index 17 "), "{err}");
        assert!(out.iter().all(|&z| z == 7.0), "output untouched on error");
    }

    /// `cargo test --release --lib zscore_split_profile -- --ignored --nocapture`: one pass against two halves
    /// over 1M closes, alternating, best of 25 each.
    #[test]
    #[ignore]
    fn zscore_split_profile() {
        use std::time::Instant;
        let closes = walk(1_000_000, 5000.0, 0.25, 3, 0);
        let mut out = vec![0.0; closes.len()];
        let (mut one, mut two) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..25 {
            let t = Instant::now();
            assert!(crate::indicators::first_non_finite(&closes).is_none());
            batch_split(20, &closes, &mut out, None);
            one = one.min(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            zscore_batch(&closes, 20, &mut out).unwrap();
            two = two.min(t.elapsed().as_secs_f64() * 1e3);
        }
        println!("one pass {one:.2} ms, two halves {two:.2} ms");
    }

    #[test]
    fn portable_batch_equals_dispatched_batch() {
        // `zscore_batch` takes the AVX2 build where the CPU has it; the portable build must give the same bits.
        let closes = walk(20_000, 5000.0, 0.25, 21, 300);
        for n in [2, 20, 700] {
            let mut dispatched = vec![0.0; closes.len()];
            zscore_batch(&closes, n, &mut dispatched).unwrap();
            let mut portable = vec![0.0; closes.len()];
            batch(RollingZScore::new(n).unwrap(), &closes, &mut portable);
            for (i, (a, b)) in dispatched.iter().zip(&portable).enumerate() {
                assert_eq!(a.to_bits(), b.to_bits(), "window {n}, bar {i}");
            }
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert!(RollingZScore::new(1).is_err());
        let mut out = vec![0.0; 2];
        assert!(zscore_batch(&[1.0, f64::NAN], 2, &mut out).is_err());
        assert!(zscore_batch(&[1.0], 2, &mut out).is_err());
        let mut out = vec![0.0; 600];
        let mut closes = vec![5000.0; 600];
        closes[577] = f64::INFINITY;
        let err = zscore_batch(&closes, 20, &mut out).unwrap_err();
        assert!(err.contains("index 577"), "{err}");
        assert!(out.iter().all(|z| *z == 0.0), "output untouched on error");
        closes[577] = 5000.0;
        closes[3] = f64::NEG_INFINITY;
        let err = zscore_batch(&closes, 20, &mut out).unwrap_err();
        assert!(err.contains("index 3 "), "{err}");
    }

    #[test]
    fn periods_past_the_longest_are_refused_before_any_memory_is_taken() {
        let closes = [5000.0; 10];
        let mut out = [0.0; 10];
        assert_eq!(
            zscore_batch(&closes, 4_294_967_295, &mut out),
            Err("z-score window must be 2 to 100000 bars, got 4294967295".into())
        );
        assert_eq!(
            crate::indicators::bollinger_batch(
                &closes,
                100_001,
                2.0,
                &mut out.clone(),
                &mut out.clone(),
                &mut out
            )
            .err(),
            Some("Bollinger period must be 2 to 100000 bars, got 100001".into())
        );
        assert_eq!(
            crate::indicators::rsi_batch(&closes, 1, &mut out).err(),
            Some("RSI period must be 2 to 100000 bars, got 1".into())
        );
        assert!(zscore_batch(&closes, 100_000, &mut out).is_ok());
    }
}
