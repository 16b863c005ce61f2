//! Bollinger Bands: simple moving average +/- k x population standard deviation over the last n closes
//! (current one included). A flat window has std exactly 0, so the bands collapse onto the mean.
use super::moments::{Moments, RollingMoments};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    pub mid: f64,
    pub upper: f64,
    pub lower: f64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RollingBollinger {
    m: RollingMoments,
    k: f64,
}

impl RollingBollinger {
    pub fn new(n: usize, k: f64) -> Result<Self, String> {
        super::check_period("Bollinger period", n)?;
        if !(k.is_finite() && k > 0.0) {
            return Err(format!(
                "Bollinger width k must be a positive number of standard deviations, got {k}"
            ));
        }
        Ok(Self {
            m: RollingMoments::new(n),
            k,
        })
    }

    #[inline]
    pub fn push(&mut self, x: f64) -> Option<Bands> {
        self.m.push(x);
        Some(bands(self.m.moments()?, self.k))
    }
}

/// The bands of a full window `k` standard deviations wide, shared by the streaming and the batch path.
#[inline(always)]
fn bands(w: Moments, k: f64) -> Bands {
    let sd = if w.flat || w.var <= 0.0 {
        0.0
    } else {
        w.var.sqrt()
    };
    let mid = w.anchor + w.mean_d;
    Bands {
        mid,
        upper: mid + k * sd,
        lower: mid - k * sd,
    }
}

/// Batch Bollinger Bands into caller-provided columns (NaN during warm-up).
pub fn bollinger_batch(
    closes: &[f64],
    n: usize,
    k: f64,
    mid: &mut [f64],
    upper: &mut [f64],
    lower: &mut [f64],
) -> Result<(), String> {
    if [mid.len(), upper.len(), lower.len()]
        .iter()
        .any(|l| *l != closes.len())
    {
        return Err(format!(
            "output lengths must match the input length {}",
            closes.len()
        ));
    }
    if let Some(i) = super::first_non_finite(closes) {
        return Err(format!("close at index {i} is not a finite number"));
    }
    RollingBollinger::new(n, k)?;
    // Pushed as `push` does, with the running sums kept in registers between re-seeds (`push_all`); the bands
    // exist from the first full window on.
    let warm = (n - 1).min(closes.len());
    for column in [&mut *mid, &mut *upper, &mut *lower] {
        column[..warm].fill(f64::NAN);
    }
    RollingMoments::new(n).push_all(closes, |i, _, s| {
        let b = bands(s.moments(n), k);
        (mid[i], upper[i], lower[i]) = (b.mid, b.upper, b.lower);
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(c: &[f64], n: usize, k: f64, i: usize) -> Option<(f64, f64, f64)> {
        if i + 1 < n {
            return None;
        }
        let w = &c[i + 1 - n..=i];
        let base = w[0];
        let sh: Vec<f64> = w.iter().map(|v| v - base).collect();
        let mean = sh.iter().sum::<f64>() / n as f64;
        let var = sh.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        let sd = if w.iter().all(|v| *v == base) {
            0.0
        } else {
            var.sqrt()
        };
        Some((base + mean, base + mean + k * sd, base + mean - k * sd))
    }

    #[test]
    fn matches_two_pass_on_tick_grid_cent_steps_and_flat_stretches() {
        let mut state = 12345u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % 5
        };
        for step in [0.25, 0.01] {
            let mut p = 5000.0;
            let closes: Vec<f64> = (0..30_000)
                .map(|i| {
                    if (i / 500) % 2 == 0 {
                        p += step * (rnd() as f64 - 2.0);
                    }
                    p
                })
                .collect();
            for n in [2, 20, 50] {
                let len = closes.len();
                let (mut m, mut u, mut l) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
                bollinger_batch(&closes, n, 2.0, &mut m, &mut u, &mut l).unwrap();
                for i in 0..len {
                    match reference(&closes, n, 2.0, i) {
                        None => assert!(m[i].is_nan()),
                        Some((rm, ru, rl)) => {
                            assert!(
                                (m[i] - rm).abs() <= 1e-9
                                    && (u[i] - ru).abs() <= 1e-9
                                    && (l[i] - rl).abs() <= 1e-9,
                                "n {n} i {i}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn batch_equals_pushing_one_close_at_a_time_bit_for_bit() {
        let mut state = 99u64;
        let mut p = 5000.0;
        let closes: Vec<f64> = (0..5_000)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Flat stretches now and then, so the flat windows' bands are compared too.
                if (i / 300) % 3 != 2 {
                    p += 0.25 * ((state >> 33) % 7) as f64 - 0.75;
                }
                p
            })
            .collect();
        for (n, k) in [(2, 2.0), (20, 2.0), (37, 1.5), (6_000, 2.0)] {
            let len = closes.len();
            let (mut m, mut u, mut l) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
            bollinger_batch(&closes, n, k, &mut m, &mut u, &mut l).unwrap();
            let mut one = RollingBollinger::new(n, k).unwrap();
            for (i, &c) in closes.iter().enumerate() {
                let batch = [m[i], u[i], l[i]].map(f64::to_bits);
                match one.push(c) {
                    None => assert!(
                        m[i].is_nan() && u[i].is_nan() && l[i].is_nan(),
                        "n {n} i {i}"
                    ),
                    Some(b) => assert_eq!(
                        batch,
                        [b.mid, b.upper, b.lower].map(f64::to_bits),
                        "n {n} i {i}"
                    ),
                }
            }
        }
    }

    #[test]
    fn flat_window_collapses_and_bad_input_is_named() {
        let mut b = RollingBollinger::new(3, 2.0).unwrap();
        b.push(5000.37);
        b.push(5000.37);
        assert_eq!(
            b.push(5000.37),
            Some(Bands {
                mid: 5000.37,
                upper: 5000.37,
                lower: 5000.37
            })
        );
        assert!(RollingBollinger::new(1, 2.0).is_err());
        assert!(RollingBollinger::new(20, 0.0).is_err());
    }
}
