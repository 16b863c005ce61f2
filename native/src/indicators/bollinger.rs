//! Bollinger Bands: simple moving average +/- k x population standard deviation over the last n closes
//! (current one included). A flat window has std exactly 0, so the bands collapse onto the mean.
use super::moments::RollingMoments;

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
        let w = self.m.moments()?;
        let sd = if w.flat || w.var <= 0.0 {
            0.0
        } else {
            w.var.sqrt()
        };
        let mid = w.anchor + w.mean_d;
        Some(Bands {
            mid,
            upper: mid + self.k * sd,
            lower: mid - self.k * sd,
        })
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
    let mut b = RollingBollinger::new(n, k)?;
    for (i, &c) in closes.iter().enumerate() {
        let v = b.push(c);
        mid[i] = v.map_or(f64::NAN, |x| x.mid);
        upper[i] = v.map_or(f64::NAN, |x| x.upper);
        lower[i] = v.map_or(f64::NAN, |x| x.lower);
    }
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
