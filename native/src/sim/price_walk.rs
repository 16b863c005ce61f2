//! A first, simple generator: a random walk on the 0.25-point tick grid producing OHLCV bars.
//! Each bar is built from `steps_per_bar` tick moves so high/low come from the path, not from noise.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{to_tick, TICK};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Bar start, epoch seconds UTC.
    pub time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

/// The most tick moves a bar is built from (each bar costs that many random draws).
pub const MAX_STEPS_PER_BAR: u32 = 10_000;

#[derive(Debug, Clone)]
pub struct PriceWalkParams {
    pub seed: u64,
    pub start_price: f64,
    pub start_time: i64,
    pub bar_seconds: i64,
    /// Tick moves per bar; more steps, wider bars.
    pub steps_per_bar: u32,
}

impl Default for PriceWalkParams {
    fn default() -> Self {
        Self {
            seed: 1,
            start_price: 5000.0,
            start_time: 1_767_623_400,
            bar_seconds: 60,
            steps_per_bar: 12,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PriceWalk {
    rng: ChaCha8Rng,
    price: f64,
    next_time: i64,
    bar_seconds: i64,
    steps: u32,
}

impl PriceWalk {
    pub fn new(p: &PriceWalkParams) -> Result<Self, String> {
        if p.bar_seconds <= 0 {
            return Err(format!(
                "bar length must be positive seconds, got {}",
                p.bar_seconds
            ));
        }
        if !(p.start_price.is_finite() && p.start_price > 0.0) {
            return Err(format!(
                "start price must be a positive number of points, got {}",
                p.start_price
            ));
        }
        crate::calendar::check_supported(p.start_time, "start time")?;
        if !(1..=MAX_STEPS_PER_BAR).contains(&p.steps_per_bar) {
            return Err(format!(
                "steps per bar must be 1 to {MAX_STEPS_PER_BAR}, got {}",
                p.steps_per_bar
            ));
        }
        Ok(Self {
            rng: ChaCha8Rng::seed_from_u64(p.seed),
            price: to_tick(p.start_price),
            next_time: p.start_time,
            bar_seconds: p.bar_seconds,
            steps: p.steps_per_bar,
        })
    }

    pub fn next_bar(&mut self) -> Bar {
        let open = self.price;
        let (mut high, mut low) = (open, open);
        let mut p = open;
        for _ in 0..self.steps {
            // -1, 0 or +1 tick, with a slight pull so the walk does not wander off to zero.
            let step: i32 = self.rng.random_range(-1..=1);
            p = (p + step as f64 * TICK).max(TICK);
            high = high.max(p);
            low = low.min(p);
        }
        self.price = p;
        let volume = 50.0 + (self.rng.random::<f64>() * 400.0).round() + (high - low) / TICK * 20.0;
        let bar = Bar {
            time: self.next_time,
            open,
            high,
            low,
            close: p,
            volume,
        };
        self.next_time += self.bar_seconds;
        bar
    }
}

impl Iterator for PriceWalk {
    type Item = Bar;
    fn next(&mut self) -> Option<Bar> {
        Some(self.next_bar())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bars_other_seed_other_bars() {
        let p = PriceWalkParams::default();
        let a: Vec<Bar> = PriceWalk::new(&p).unwrap().take(500).collect();
        let b: Vec<Bar> = PriceWalk::new(&p).unwrap().take(500).collect();
        let c: Vec<Bar> = PriceWalk::new(&PriceWalkParams { seed: 2, ..p })
            .unwrap()
            .take(500)
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn bars_are_consistent_and_on_the_tick_grid() {
        let p = PriceWalkParams {
            bar_seconds: 300,
            ..Default::default()
        };
        let bars: Vec<Bar> = PriceWalk::new(&p).unwrap().take(2_000).collect();
        for (i, b) in bars.iter().enumerate() {
            for v in [b.open, b.high, b.low, b.close] {
                assert_eq!((v / TICK).fract(), 0.0, "off-grid price {v}");
            }
            assert!(b.low <= b.open.min(b.close) && b.high >= b.open.max(b.close));
            assert!(b.volume > 0.0);
            assert_eq!(b.time, p.start_time + 300 * i as i64);
            if i > 0 {
                assert_eq!(
                    b.open,
                    bars[i - 1].close,
                    "each bar opens at the previous close"
                );
            }
        }
    }

    #[test]
    fn rejects_bad_params() {
        assert!(PriceWalk::new(&PriceWalkParams {
            bar_seconds: 0,
            ..Default::default()
        })
        .is_err());
        assert!(PriceWalk::new(&PriceWalkParams {
            start_price: f64::NAN,
            ..Default::default()
        })
        .is_err());
    }

    #[test]
    fn settings_that_would_hang_or_mislabel_bars_are_refused() {
        let with = |f: fn(&mut PriceWalkParams)| {
            let mut p = PriceWalkParams::default();
            f(&mut p);
            PriceWalk::new(&p).err()
        };
        assert_eq!(
            with(|p| p.steps_per_bar = 10_001),
            Some("steps per bar must be 1 to 10000, got 10001".into())
        );
        assert_eq!(
            with(|p| p.steps_per_bar = 0),
            Some("steps per bar must be 1 to 10000, got 0".into())
        );
        assert_eq!(
            with(|p| p.start_time = 253_402_300_800),
            Some("start time must be epoch seconds from 1900 to 9999, got 253402300800".into())
        );
        assert_eq!(with(|p| p.steps_per_bar = 10_000), None);
    }
}
