//! RSI with Wilder smoothing, TA-Lib definition: the first average gain and loss are the simple means of the first
//! n close-to-close changes (so the first RSI is at the (n+1)-th close, index n); then
//! avg = (avg x (n-1) + current) / n. RSI = 100 - 100 / (1 + avgGain / avgLoss); when avgLoss is 0 the RSI is 100,
//! and when both averages are 0 (a flat market) it is 50.

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WilderRsi {
    n: usize,
    prev: Option<f64>,
    seen: usize,
    gain: f64,
    loss: f64,
}

impl WilderRsi {
    pub fn new(n: usize) -> Result<Self, String> {
        super::check_period("RSI period", n)?;
        Ok(Self {
            n,
            prev: None,
            seen: 0,
            gain: 0.0,
            loss: 0.0,
        })
    }

    #[inline]
    pub fn push(&mut self, x: f64) -> Option<f64> {
        let prev = self.prev.replace(x)?;
        let ch = x - prev;
        let (g, l) = (ch.max(0.0), (-ch).max(0.0));
        self.seen += 1;
        let n = self.n as f64;
        if self.seen <= self.n {
            self.gain += g;
            self.loss += l;
            if self.seen < self.n {
                return None;
            }
            self.gain /= n;
            self.loss /= n;
        } else {
            self.gain = (self.gain * (n - 1.0) + g) / n;
            self.loss = (self.loss * (n - 1.0) + l) / n;
        }
        Some(if self.loss == 0.0 {
            if self.gain == 0.0 {
                50.0
            } else {
                100.0
            }
        } else {
            100.0 - 100.0 / (1.0 + self.gain / self.loss)
        })
    }
}

/// Batch RSI into a caller-provided column (NaN during warm-up).
pub fn rsi_batch(closes: &[f64], n: usize, out: &mut [f64]) -> Result<(), String> {
    if out.len() != closes.len() {
        return Err(format!(
            "output length {} does not match input length {}",
            out.len(),
            closes.len()
        ));
    }
    if let Some(i) = closes.iter().position(|c| !c.is_finite()) {
        return Err(format!("close at index {i} is not a finite number"));
    }
    let mut r = WilderRsi::new(n)?;
    for (o, &c) in out.iter_mut().zip(closes) {
        *o = r.push(c).unwrap_or(f64::NAN);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook TA-Lib loop, written independently.
    fn reference(c: &[f64], n: usize) -> Vec<f64> {
        let mut out = vec![f64::NAN; c.len()];
        if c.len() <= n {
            return out;
        }
        let (mut ag, mut al) = (0.0, 0.0);
        for i in 1..=n {
            let d = c[i] - c[i - 1];
            if d > 0.0 {
                ag += d;
            } else {
                al -= d;
            }
        }
        ag /= n as f64;
        al /= n as f64;
        let rsi = |g: f64, l: f64| {
            if l == 0.0 {
                if g == 0.0 {
                    50.0
                } else {
                    100.0
                }
            } else {
                100.0 * g / (g + l)
            }
        };
        out[n] = rsi(ag, al);
        for i in n + 1..c.len() {
            let d = c[i] - c[i - 1];
            ag = (ag * (n as f64 - 1.0) + d.max(0.0)) / n as f64;
            al = (al * (n as f64 - 1.0) + (-d).max(0.0)) / n as f64;
            out[i] = rsi(ag, al);
        }
        out
    }

    #[test]
    fn matches_the_ta_lib_definition() {
        let mut p = 5000.0;
        let mut s = 7u64;
        let closes: Vec<f64> = (0..20_000)
            .map(|i| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                if (i / 300) % 3 != 2 {
                    p += 0.25 * (((s >> 40) % 5) as f64 - 2.0);
                }
                p
            })
            .collect();
        for n in [2, 14, 30] {
            let mut out = vec![0.0; closes.len()];
            rsi_batch(&closes, n, &mut out).unwrap();
            let r = reference(&closes, n);
            for i in 0..closes.len() {
                assert_eq!(out[i].is_nan(), r[i].is_nan(), "warm-up at {i}");
                if !r[i].is_nan() {
                    assert!(
                        (out[i] - r[i]).abs() <= 1e-9,
                        "n {n} i {i}: {} vs {}",
                        out[i],
                        r[i]
                    );
                }
            }
            assert!(out[n - 1].is_nan() && !out[n].is_nan());
        }
    }

    #[test]
    fn edge_cases() {
        let mut r = WilderRsi::new(3).unwrap();
        assert_eq!(
            [1.0, 1.0, 1.0, 1.0].map(|x| r.push(x)),
            [None, None, None, Some(50.0)]
        );
        let mut up = WilderRsi::new(2).unwrap();
        assert_eq!(
            [1.0, 2.0, 3.0].map(|x| up.push(x)),
            [None, None, Some(100.0)]
        );
        assert!(WilderRsi::new(1).is_err());
    }
}
