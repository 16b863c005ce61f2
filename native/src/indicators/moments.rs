//! Rolling mean and population variance over a window, numerically stable near 5000.
//!
//! Running sums are kept on values shifted by an anchor (a recent price), so the squares stay small and
//! `S2/n - (S1/n)^2` loses almost nothing. The anchor moves to the newest price and the sums are recomputed exactly
//! (two-pass over the window) every `window` pushes, which bounds accumulated rounding at O(1) amortized cost. A run
//! of identical values as long as the window is reported as flat, so callers can return exact zeros.

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RollingMoments {
    window: usize,
    buf: Vec<f64>,
    pos: usize,
    count: usize,
    anchor: f64,
    s1: f64,
    s2: f64,
    since_reseed: usize,
    run_len: usize,
    #[serde(with = "super::nan_as_null")]
    last: f64,
}

/// The statistics of a full window. `mean_d` is the mean relative to `anchor` (mean = anchor + mean_d).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub anchor: f64,
    pub mean_d: f64,
    pub var: f64,
    /// Every value in the window is identical (variance exactly 0).
    pub flat: bool,
}

impl RollingMoments {
    /// `window` >= 1 (callers validate their own minimum).
    pub fn new(window: usize) -> Self {
        let window = window.max(1);
        Self {
            window,
            buf: vec![0.0; window],
            pos: 0,
            count: 0,
            anchor: 0.0,
            s1: 0.0,
            s2: 0.0,
            since_reseed: 0,
            run_len: 0,
            last: f64::NAN,
        }
    }

    pub fn window(&self) -> usize {
        self.window
    }

    pub fn filled(&self) -> usize {
        self.count
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        if self.count == 0 {
            self.anchor = x;
        }
        self.run_len = if x == self.last { self.run_len + 1 } else { 1 };
        self.last = x;

        let d = x - self.anchor;
        if self.count == self.window {
            let old = self.buf[self.pos] - self.anchor;
            self.s1 += d - old;
            self.s2 += d * d - old * old;
        } else {
            self.s1 += d;
            self.s2 += d * d;
            self.count += 1;
        }
        self.buf[self.pos] = x;
        self.pos += 1;
        if self.pos == self.window {
            self.pos = 0;
        }

        self.since_reseed += 1;
        if self.since_reseed >= self.window {
            self.reseed(x);
        }
    }

    /// Mean and population variance of the last `window` values; `None` while warming up.
    #[inline]
    pub fn moments(&self) -> Option<Moments> {
        if self.count < self.window {
            return None;
        }
        let n = self.window as f64;
        let mean_d = self.s1 / n;
        Some(Moments {
            anchor: self.anchor,
            mean_d,
            var: self.s2 / n - mean_d * mean_d,
            flat: self.run_len >= self.window,
        })
    }

    /// Re-anchor on `anchor` and recompute the sums exactly from the window (two-pass around the mean).
    #[cold]
    fn reseed(&mut self, anchor: f64) {
        self.since_reseed = 0;
        self.anchor = anchor;
        let vals = &self.buf[..self.count];
        let s1: f64 = vals.iter().map(|v| v - anchor).sum();
        let mean_d = s1 / self.count as f64;
        let m2: f64 = vals
            .iter()
            .map(|v| {
                let e = (v - anchor) - mean_d;
                e * e
            })
            .sum();
        self.s1 = s1;
        self.s2 = m2 + s1 * mean_d;
    }
}
