//! Rolling mean and population variance over a window, numerically stable near 5000.
//!
//! Running sums are kept on values shifted by an anchor (a recent price), so the squares stay small and
//! `S2/n - (S1/n)^2` loses almost nothing. The anchor moves to the newest price and the sums are recomputed from the
//! window values (rather than updated) every `window` pushes, which bounds accumulated rounding at O(1) amortized cost. A run
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
    run_len: usize,
    #[serde(with = "super::nan_as_null")]
    last: f64,
}

/// The raw shifted sums of a full window: `s1` = sum of (x - anchor), `s2` = sum of (x - anchor)^2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sums {
    pub anchor: f64,
    pub s1: f64,
    pub s2: f64,
    /// Every value in the window is identical (variance exactly 0).
    pub flat: bool,
}

impl Sums {
    /// The statistics of the `window` values these are the sums of.
    #[inline(always)]
    pub fn moments(self, window: usize) -> Moments {
        let n = window as f64;
        let mean_d = self.s1 / n;
        Moments {
            anchor: self.anchor,
            mean_d,
            var: self.s2 / n - mean_d * mean_d,
            flat: self.flat,
        }
    }
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
            run_len: 0,
            last: f64::NAN,
        }
    }

    pub fn window(&self) -> usize {
        self.window
    }

    /// The state after pushing `xs`, a whole number of windows (at least one), as far as every later push's sums
    /// and flatness go: the same bits as pushing them one by one. The last of them re-seeded the sums from the window
    /// values alone, so nothing older carries over, except the run of identical values, which is counted here within
    /// the window: at most `window` where one by one it may be longer, and either way it reads as flat until a
    /// different value resets it to 1. This lets a batch start partway (see `zscore_batch`).
    pub fn resumed_after(xs: &[f64], window: usize) -> Self {
        let window = window.max(1);
        assert!(
            xs.len() >= window && xs.len().is_multiple_of(window),
            "resumes only after a whole number of windows"
        );
        let buf = xs[xs.len() - window..].to_vec();
        let anchor = buf[window - 1];
        let (s1, s2) = exact_sums(&buf, anchor);
        let run_len = buf.iter().rev().take_while(|&&v| v == anchor).count();
        Self {
            window,
            buf,
            pos: 0,
            count: window,
            anchor,
            s1,
            s2,
            run_len,
            last: anchor,
        }
    }

    pub fn filled(&self) -> usize {
        self.count
    }

    #[inline(always)]
    pub fn push(&mut self, x: f64) {
        if self.count == self.window {
            slide(
                x,
                self.anchor,
                &mut self.buf[self.pos],
                &mut self.s1,
                &mut self.s2,
                &mut self.run_len,
                &mut self.last,
            );
        } else {
            self.run_len = if x == self.last { self.run_len + 1 } else { 1 };
            self.last = x;
            if self.count == 0 {
                self.anchor = x;
            }
            let d = x - self.anchor;
            self.s1 += d;
            self.s2 += d * d;
            self.count += 1;
            self.buf[self.pos] = x;
        }
        self.pos += 1;
        if self.pos == self.window {
            self.pos = 0;
            self.reseed(x);
        }
    }

    /// `push` every value of `xs` in order, calling `each(i, xs[i], sums)` after each push that leaves a full window: the
    /// same as `push(xs[i])` then `sums()` (same operations in the same order, so bit-identical results) but without
    /// the per-value bookkeeping: between two re-seeds the values are slid through the window in one tight loop.
    #[inline(always)]
    pub fn push_all(&mut self, xs: &[f64], mut each: impl FnMut(usize, f64, Sums)) {
        let mut i = 0;
        while i < xs.len() {
            if self.count < self.window {
                self.push(xs[i]);
            } else {
                // Pushes before the one that wraps around and re-seeds (that one goes through `push`).
                let run = (self.window - 1 - self.pos).min(xs.len() - i);
                if run > 0 {
                    let (anchor, window) = (self.anchor, self.window);
                    // The running state in locals for the run, written back after it: as fields the two sums
                    // were stored and read back on every value, which put the store-to-load delay on the loop's
                    // chain of dependent additions (the z-score batch took 40% longer on an AMD EPYC).
                    let (mut s1, mut s2, mut run_len, mut last) =
                        (self.s1, self.s2, self.run_len, self.last);
                    let slots = &mut self.buf[self.pos..self.pos + run];
                    for (j, (slot, &x)) in slots.iter_mut().zip(&xs[i..i + run]).enumerate() {
                        slide(x, anchor, slot, &mut s1, &mut s2, &mut run_len, &mut last);
                        let sums = Sums {
                            anchor,
                            s1,
                            s2,
                            flat: run_len >= window,
                        };
                        each(i + j, x, sums);
                    }
                    (self.s1, self.s2, self.run_len, self.last) = (s1, s2, run_len, last);
                    self.pos += run;
                    i += run;
                    continue;
                }
                self.push(xs[i]);
            }
            if let Some(s) = self.sums() {
                each(i, xs[i], s);
            }
            i += 1;
        }
    }

    /// Mean and population variance of the last `window` values; `None` while warming up.
    #[inline]
    pub fn moments(&self) -> Option<Moments> {
        if self.count < self.window {
            return None;
        }
        Some(self.sums()?.moments(self.window))
    }

    /// The raw shifted sums of the last `window` values; `None` while warming up. Callers that only need a ratio
    /// (the z-score) can skip the two divisions by n that `moments` does.
    #[inline(always)]
    pub fn sums(&self) -> Option<Sums> {
        if self.count < self.window {
            return None;
        }
        Some(Sums {
            anchor: self.anchor,
            s1: self.s1,
            s2: self.s2,
            flat: self.run_len >= self.window,
        })
    }

    /// Re-anchor on `anchor` and recompute the sums from the window values.
    #[inline(always)]
    fn reseed(&mut self, anchor: f64) {
        self.anchor = anchor;
        (self.s1, self.s2) = exact_sums(&self.buf[..self.count], anchor);
    }
}

/// One value into a full window: `x` replaces the oldest value `*slot`, and the running sums and the run of
/// identical values are updated. Shared by `push` and `push_all`.
#[inline(always)]
fn slide(
    x: f64,
    anchor: f64,
    slot: &mut f64,
    s1: &mut f64,
    s2: &mut f64,
    run_len: &mut usize,
    last: &mut f64,
) {
    *run_len = if x == *last { *run_len + 1 } else { 1 };
    *last = x;
    let d = x - anchor;
    let old = *slot - anchor;
    *s1 += d - old;
    *s2 += d * d - old * old;
    *slot = x;
}

/// `(sum(v - anchor), sum((v - anchor)^2))` recomputed from the window values. With the anchor on the newest value
/// the shifted values are within the window's range, so the squares are small; on a tick grid near 5000 every term
/// and partial sum is exact. Not inlined: it runs once per window, and kept out of line it leaves the caller's loop
/// small.
#[cold]
#[inline(never)]
fn exact_sums(vals: &[f64], anchor: f64) -> (f64, f64) {
    // Both sums in one pass over the values; each is added up in its own order, as in two passes.
    let [s1, s2] = sum4(vals, |v| {
        let d = v - anchor;
        [d, d * d]
    });
    (s1, s2)
}

/// Sums of each of the two values `f(v)` gives over `vals`, each in four partial sums, one per quarter of `vals`
/// (the remainder goes to the last), combined pairwise. Quarters rather than interleaved lanes: adjacent values are
/// then never loaded together as one 16- or 32-byte vector, which would stall on store forwarding right after
/// `push` wrote them one by one.
#[inline(always)]
fn sum4(vals: &[f64], f: impl Fn(f64) -> [f64; 2]) -> [f64; 2] {
    let q = vals.len() / 4;
    let (a, rest) = vals.split_at(q);
    let (b, rest) = rest.split_at(q);
    let (c, d) = rest.split_at(q);
    let mut acc = [[0.0f64; 4]; 2];
    let mut add = |k: usize, v: f64| {
        let [x, y] = f(v);
        acc[0][k] += x;
        acc[1][k] += y;
    };
    for (((&va, &vb), &vc), &vd) in a.iter().zip(b).zip(c).zip(d) {
        add(0, va);
        add(1, vb);
        add(2, vc);
        add(3, vd);
    }
    for &v in &d[q..] {
        add(3, v);
    }
    acc.map(|a| (a[0] + a[1]) + (a[2] + a[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prices with quiet stretches of every length around the window's (cent steps, so the sums round).
    fn prices(len: usize) -> Vec<f64> {
        let mut p = 4999.99;
        (0..len)
            .map(|i| {
                // Changes on bars whose index mod 97 is below 40: quiet runs of 57 bars in between.
                if i % 97 < 40 {
                    p += 0.01 * ((i * 7919 % 11) as f64 - 5.0);
                }
                p
            })
            .collect()
    }

    #[test]
    fn resumed_after_whole_windows_pushes_like_one_by_one() {
        let xs = prices(3_000);
        for window in [2, 5, 20, 50] {
            for start in (window..1_500).step_by(window) {
                let mut one = RollingMoments::new(window);
                for &x in &xs[..start] {
                    one.push(x);
                }
                let mut resumed = RollingMoments::resumed_after(&xs[..start], window);
                let mut flats = 0;
                for (i, &x) in xs.iter().enumerate().skip(start) {
                    one.push(x);
                    resumed.push(x);
                    let (a, b) = (one.sums().unwrap(), resumed.sums().unwrap());
                    assert_eq!(
                        (a.anchor.to_bits(), a.s1.to_bits(), a.s2.to_bits(), a.flat),
                        (b.anchor.to_bits(), b.s1.to_bits(), b.s2.to_bits(), b.flat),
                        "window {window}, resumed after {start}, value {i}"
                    );
                    flats += usize::from(a.flat);
                }
                assert!(flats > 0, "quiet stretches as long as the window {window}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "whole number of windows")]
    fn resumes_only_after_whole_windows() {
        RollingMoments::resumed_after(&prices(30), 20);
    }
}
