//! A seeded market simulator for MES bars: GARCH(1,1) volatility clustering, drift, a mean-reverting pull toward a
//! slowly moving anchor, gaps across closed periods, four regimes with Markov switching, prices on the 0.25 tick
//! grid from an intrabar path, U-shaped volume heavier in US cash hours, and CME session hours (no bars in the daily
//! 16:00-17:00 CT break, at weekends or on holidays). Deterministic for a given seed.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{to_tick, Bar, TICK};
use crate::calendar::{is_open, next_close, next_open, SUPPORTED_TIMES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    Bull,
    Bear,
    Sideways,
    Volatile,
    /// Markov switching among the four (mean stay about two trading days).
    Switching,
}

impl std::str::FromStr for Regime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "bull" => Regime::Bull,
            "bear" => Regime::Bear,
            "sideways" => Regime::Sideways,
            "volatile" => Regime::Volatile,
            "switching" => Regime::Switching,
            other => {
                return Err(format!(
                    "unknown regime \"{other}\" (bull, bear, sideways, volatile, switching)"
                ))
            }
        })
    }
}

/// Per-minute dynamics of one regime, in index points.
#[derive(Debug, Clone, Copy)]
struct Dynamics {
    drift: f64,
    sigma: f64,
    kappa: f64,
    alpha: f64,
    beta: f64,
}

fn dynamics(r: Regime) -> Dynamics {
    match r {
        Regime::Bull => Dynamics {
            drift: 0.03,
            sigma: 1.1,
            kappa: 0.004,
            alpha: 0.06,
            beta: 0.92,
        },
        Regime::Bear => Dynamics {
            drift: -0.04,
            sigma: 1.5,
            kappa: 0.004,
            alpha: 0.08,
            beta: 0.90,
        },
        Regime::Sideways => Dynamics {
            drift: 0.0,
            sigma: 0.9,
            kappa: 0.03,
            alpha: 0.05,
            beta: 0.90,
        },
        Regime::Volatile | Regime::Switching => Dynamics {
            drift: 0.0,
            sigma: 2.6,
            kappa: 0.01,
            alpha: 0.12,
            beta: 0.86,
        },
    }
}

const STATES: [Regime; 4] = [
    Regime::Bull,
    Regime::Bear,
    Regime::Sideways,
    Regime::Volatile,
];
const SUBSTEPS: usize = 8;

/// The longest bar the simulator makes: every bar lies inside one session, and a longer bar might fit in none
/// (a day's session is 23 hours, a holiday's shorter, and bars start on multiples of their length).
pub const MAX_BAR_SECONDS: i64 = 14_400;

#[derive(Debug, Clone)]
pub struct MarketSimParams {
    pub seed: u64,
    pub regime: Regime,
    pub bar_seconds: i64,
    pub start_time: i64,
    pub start_price: f64,
}

#[derive(Debug, Clone)]
pub struct MarketSim {
    rng: ChaCha8Rng,
    mode: Regime,
    current: Regime,
    bar_seconds: i64,
    t: i64,
    /// Continuous price; bars are rounded to the tick grid.
    price: f64,
    anchor: f64,
    /// GARCH variance multiplier (unconditional mean 1) and the last standardized shock.
    h: f64,
    last_shock: f64,
    open_until: i64,
}

impl MarketSim {
    pub fn new(p: &MarketSimParams) -> Result<Self, String> {
        if p.bar_seconds < 1 || p.bar_seconds > MAX_BAR_SECONDS {
            return Err(format!(
                "bar length must be 1 to {MAX_BAR_SECONDS} seconds (4 hours), got {}",
                p.bar_seconds
            ));
        }
        if !(p.start_price.is_finite() && p.start_price > 100.0) {
            return Err(format!(
                "start price must be above 100 points, got {}",
                p.start_price
            ));
        }
        crate::calendar::check_supported(p.start_time, "start time")?;
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let current = if p.regime == Regime::Switching {
            STATES[rng.random_range(0..4)]
        } else {
            p.regime
        };
        Ok(Self {
            rng,
            mode: p.regime,
            current,
            bar_seconds: p.bar_seconds,
            t: p.start_time - p.start_time.rem_euclid(p.bar_seconds),
            price: to_tick(p.start_price),
            anchor: p.start_price,
            h: 1.0,
            last_shock: 0.0,
            open_until: i64::MIN,
        })
    }

    pub fn regime(&self) -> Regime {
        self.current
    }

    fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.rng)
    }

    /// The next bar start at which the whole bar lies inside an open session; the minutes skipped, if any.
    fn advance_to_open(&mut self) -> f64 {
        let mut closed_secs = 0i64;
        loop {
            let end = self.t + self.bar_seconds - 1;
            if !SUPPORTED_TIMES.contains(&end) {
                // Past the calendar's range (after years of bars from a start near 9999) no session opens: every
                // bar counts as open rather than the search never ending; the bar check refuses such times.
                break;
            }
            if self.t >= self.open_until || end >= self.open_until {
                if is_open(self.t) && is_open(end) {
                    self.open_until = next_close(self.t).unwrap_or(self.t + 86_400);
                    if end < self.open_until {
                        break;
                    }
                }
                let reopen = next_open(self.t).unwrap_or(self.t + self.bar_seconds);
                let aligned = reopen
                    + (self.bar_seconds - reopen.rem_euclid(self.bar_seconds)) % self.bar_seconds;
                let next = aligned.max(self.t + self.bar_seconds);
                closed_secs += next - self.t;
                self.t = next;
                self.open_until = i64::MIN;
                continue;
            }
            break;
        }
        closed_secs as f64 / 60.0
    }

    fn maybe_switch(&mut self) {
        if self.mode != Regime::Switching {
            return;
        }
        // Mean stay of two trading days (2 x 1380 minutes), whatever the bar size.
        let p = 1.0 - (-(self.bar_seconds as f64 / 60.0) / 2760.0).exp();
        if self.rng.random::<f64>() < p {
            let others: Vec<Regime> = STATES
                .iter()
                .copied()
                .filter(|r| *r != self.current)
                .collect();
            self.current = others[self.rng.random_range(0..others.len())];
        }
    }

    pub fn next_bar(&mut self) -> Bar {
        let gap_minutes = self.advance_to_open();
        self.maybe_switch();
        let d = dynamics(self.current);
        let minutes = self.bar_seconds as f64 / 60.0;

        // A reopening gap: a shock sized like the closed time's worth of moves, damped (markets gap less than
        // they would have moved).
        if gap_minutes > 0.0 {
            let shock = self.normal() * d.sigma * (gap_minutes.min(3000.0)).sqrt() * 0.35;
            self.price += shock;
            self.anchor += shock * 0.5;
        }

        let omega = 1.0 - d.alpha - d.beta;
        self.h = omega + d.alpha * self.last_shock * self.last_shock + d.beta * self.h;
        let sigma_bar = d.sigma * self.h.sqrt() * minutes.sqrt();
        let open = to_tick(self.price);
        let (mut high, mut low) = (open, open);
        let mut total_z = 0.0;
        for _ in 0..SUBSTEPS {
            let z = self.normal();
            total_z += z;
            let pull = -d.kappa * minutes / SUBSTEPS as f64 * (self.price - self.anchor);
            self.price += d.drift * minutes / SUBSTEPS as f64
                + pull
                + sigma_bar * z / (SUBSTEPS as f64).sqrt();
            self.price = self.price.max(100.0);
            let q = to_tick(self.price);
            high = high.max(q);
            low = low.min(q);
        }
        self.last_shock = total_z / (SUBSTEPS as f64).sqrt();
        self.anchor += d.drift * minutes + 0.1 * sigma_bar * self.normal();
        let close = to_tick(self.price);

        let volume = self.volume(sigma_bar, (high - low) / TICK);
        let bar = Bar {
            time: self.t,
            open,
            high,
            low,
            close,
            volume,
        };
        self.t += self.bar_seconds;
        bar
    }

    /// Contracts per bar: heavier in US cash hours (08:30-15:00 CT) with a U shape, lighter overnight, and more
    /// when the bar moves.
    fn volume(&mut self, sigma_bar: f64, range_ticks: f64) -> f64 {
        use chrono::{DateTime, Timelike, Utc};
        let ct = DateTime::<Utc>::from_timestamp(self.t, 0)
            .unwrap_or_default()
            .with_timezone(&chrono_tz::America::Chicago);
        let m = (ct.hour() * 60 + ct.minute()) as f64;
        let rth = (510.0..900.0).contains(&m);
        let shape = if rth {
            let x = (m - 510.0) / 390.0; // 0 at the open, 1 at the close
            1.0 + 2.5 * (2.0 * x - 1.0).powi(2)
        } else {
            0.25
        };
        let minutes = self.bar_seconds as f64 / 60.0;
        let noise = (0.3 * self.normal()).exp();
        (120.0 * minutes * shape * noise * (1.0 + 0.15 * range_ticks + 0.2 * sigma_bar))
            .round()
            .max(1.0)
    }
}

impl Iterator for MarketSim {
    type Item = Bar;
    fn next(&mut self) -> Option<Bar> {
        Some(self.next_bar())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::session::chicago;

    fn sim(regime: Regime, seed: u64, bar_seconds: i64) -> MarketSim {
        MarketSim::new(&MarketSimParams {
            seed,
            regime,
            bar_seconds,
            start_time: chicago(2026, 1, 5, 8, 30).unwrap(),
            start_price: 5000.0,
        })
        .unwrap()
    }

    fn returns(bars: &[Bar]) -> Vec<f64> {
        bars.windows(2).map(|w| w[1].close - w[0].close).collect()
    }

    #[test]
    fn deterministic_on_the_grid_and_consistent() {
        let a: Vec<Bar> = sim(Regime::Switching, 3, 60).take(5000).collect();
        let b: Vec<Bar> = sim(Regime::Switching, 3, 60).take(5000).collect();
        assert_eq!(a, b);
        assert_ne!(
            a,
            sim(Regime::Switching, 4, 60).take(5000).collect::<Vec<_>>()
        );
        for x in &a {
            for v in [x.open, x.high, x.low, x.close] {
                assert_eq!((v / TICK).fract(), 0.0);
            }
            assert!(x.low <= x.open.min(x.close) && x.high >= x.open.max(x.close));
            assert!(x.volume >= 1.0);
        }
    }

    #[test]
    fn bars_only_in_open_sessions_with_gaps_after_closures() {
        let bars: Vec<Bar> = sim(Regime::Volatile, 9, 300).take(3000).collect();
        let mut gaps = 0;
        for w in bars.windows(2) {
            assert!(
                is_open(w[1].time) && is_open(w[1].time + 299),
                "bar at {} is outside the session",
                w[1].time
            );
            assert!(w[1].time > w[0].time);
            if w[1].time - w[0].time > 300 && w[1].open != w[0].close {
                gaps += 1;
            }
        }
        assert!(
            gaps > 3,
            "closed periods should reopen with gaps, saw {gaps}"
        );
        // 5-second bars work too and stay out of the daily break.
        let fast: Vec<Bar> = sim(Regime::Sideways, 1, 5).take(20_000).collect();
        assert!(fast.iter().all(|b| is_open(b.time)));
    }

    #[test]
    fn regimes_behave_as_named() {
        let drift = |r| {
            let bars: Vec<Bar> = sim(r, 11, 60).take(40_000).collect();
            bars.last().unwrap().close - bars[0].open
        };
        assert!(drift(Regime::Bull) > 0.0);
        assert!(drift(Regime::Bear) < 0.0);
        let vol = |r| {
            let rets = returns(&sim(r, 5, 60).take(20_000).collect::<Vec<_>>());
            (rets.iter().map(|x| x * x).sum::<f64>() / rets.len() as f64).sqrt()
        };
        assert!(vol(Regime::Volatile) > 1.5 * vol(Regime::Sideways));
    }

    #[test]
    fn volatility_clusters() {
        let rets = returns(
            &sim(Regime::Volatile, 2, 60)
                .take(30_000)
                .collect::<Vec<_>>(),
        );
        let a: Vec<f64> = rets.iter().map(|r| r.abs()).collect();
        let m = a.iter().sum::<f64>() / a.len() as f64;
        let var = a.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
        let cov = a.windows(2).map(|w| (w[0] - m) * (w[1] - m)).sum::<f64>();
        assert!(
            cov / var > 0.05,
            "lag-1 autocorrelation of |returns| is {}",
            cov / var
        );
    }

    #[test]
    fn switching_visits_every_regime() {
        let mut s = sim(Regime::Switching, 6, 60);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..60_000 {
            s.next_bar();
            seen.insert(format!("{:?}", s.regime()));
        }
        assert_eq!(seen.len(), 4);
        assert!("sideways".parse::<Regime>().is_ok() && "calm".parse::<Regime>().is_err());
    }

    /// A start outside the calendar's range is refused by name (it used to search for a session forever), and a
    /// run that walks past the range's end keeps making bars instead of searching forever.
    #[test]
    fn start_times_outside_the_calendar_are_refused_and_the_end_of_the_range_does_not_hang() {
        let at = |start_time| {
            MarketSim::new(&MarketSimParams {
                seed: 1,
                regime: Regime::Sideways,
                bar_seconds: 3_600,
                start_time,
                start_price: 5000.0,
            })
        };
        for t in [1_000_000_000_000_000, -2_208_988_801, 253_402_300_800] {
            assert_eq!(
                at(t).err(),
                Some(format!(
                    "start time must be epoch seconds from 1900 to 9999, got {t}"
                ))
            );
        }
        let mut late = at(253_402_300_799 - 3 * 86_400).unwrap();
        // One bar past the longest a session surely holds is refused; the longest makes bars through two years of
        // sessions, holidays and early closes included.
        let longest = |bar_seconds| {
            MarketSim::new(&MarketSimParams {
                seed: 3,
                regime: Regime::Switching,
                bar_seconds,
                start_time: chicago(2026, 1, 2, 8, 0).unwrap(),
                start_price: 5000.0,
            })
        };
        assert_eq!(
            longest(MAX_BAR_SECONDS + 1).err(),
            Some("bar length must be 1 to 14400 seconds (4 hours), got 14401".into())
        );
        let mut four_hours = longest(MAX_BAR_SECONDS).unwrap();
        let two_years: Vec<Bar> = (0..3_000).map(|_| four_hours.next_bar()).collect();
        assert!(two_years.last().unwrap().time > chicago(2027, 12, 1, 0, 0).unwrap());
        assert!(two_years
            .iter()
            .all(|b| is_open(b.time) && is_open(b.time + MAX_BAR_SECONDS - 1)));
        let bars: Vec<Bar> = (0..200).map(|_| late.next_bar()).collect();
        assert!(bars.windows(2).all(|w| w[1].time > w[0].time));
        assert!(bars.last().unwrap().time > 253_402_300_799);
    }
}
