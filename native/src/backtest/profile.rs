//! Timing harness for profiling (`cargo test --release profile -- --ignored --nocapture`, or perf record on the
//! test binary). Ignored by default: it prints figures and asserts nothing about time.
use std::time::Instant;

use super::*;
use crate::engine::{CoreConfig, RiskLimits, StrategyConfig};
use crate::sim::{Bar, PriceWalk, PriceWalkParams};

fn bars(n: usize) -> Vec<Bar> {
    let mut w = PriceWalk::new(&PriceWalkParams {
        seed: 7,
        steps_per_bar: 30,
        ..Default::default()
    })
    .unwrap();
    (0..n).map(|_| w.next_bar()).collect()
}

fn params() -> BacktestParams {
    BacktestParams {
        core: CoreConfig {
            strategy: StrategyConfig::Zscore {
                lookback: 20,
                entry_z: 2.0,
                exit_z: 0.5,
            },
            limits: RiskLimits {
                breakers: false,
                ..Default::default()
            },
            ..Default::default()
        },
        slippage_ticks: 1,
    }
}

#[test]
#[ignore]
fn profile_backtest_and_grid() {
    let bars = bars(1_000_000);
    let p = params();
    let what = std::env::var("QS_PROFILE").unwrap_or_default();
    for _ in 0..5 {
        if what != "grid" {
            let t = Instant::now();
            let r = run_backtest(&bars, &p).unwrap();
            println!(
                "backtest {:.2} ms, {} trades, net {:.2}",
                t.elapsed().as_secs_f64() * 1e3,
                r.trades.len(),
                r.metrics.net_pnl
            );
        }
        if what != "grid" {
            minimal_loop(&bars);
            let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
            let mut z = vec![0.0; closes.len()];
            let t = Instant::now();
            crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap();
            let tz = t.elapsed().as_secs_f64() * 1e3;
            let mut eq = vec![1.0; closes.len()];
            let t = Instant::now();
            let (trades, _) = run_backtest_precomputed_z(&bars, &p, &z, None).unwrap();
            println!(
                "loop with precomputed z, no equity out {:.2} ms, {} trades",
                t.elapsed().as_secs_f64() * 1e3,
                trades.len()
            );
            let t = Instant::now();
            let (trades, m) = run_backtest_precomputed_z(&bars, &p, &z, Some(&mut eq)).unwrap();
            println!(
                "zscore_batch {tz:.2} ms; loop with precomputed z {:.2} ms, {} trades, net {:.2}",
                t.elapsed().as_secs_f64() * 1e3,
                trades.len(),
                m.net_pnl
            );
        }
        if what != "single" {
            let t = Instant::now();
            let rows = run_grid(
                &bars,
                &p,
                &GridSpec::default(),
                RankBy::Score,
                &Job::default(),
            )
            .unwrap();
            println!(
                "grid {:.2} ms, {} rows",
                t.elapsed().as_secs_f64() * 1e3,
                rows.len()
            );
        }
    }
}

/// The minimal loop (the JS baseline's logic) in Rust, to calibrate what the machine does per bar.
fn minimal_loop(bars: &[Bar]) {
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; closes.len()];
    crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap();
    let time: Vec<f64> = bars.iter().map(|b| b.time as f64).collect();
    let open: Vec<f64> = bars.iter().map(|b| b.open).collect();
    let high: Vec<f64> = bars.iter().map(|b| b.high).collect();
    let low: Vec<f64> = bars.iter().map(|b| b.low).collect();
    for _ in 0..1 {
        let t = Instant::now();
        let (mut side, mut entry, mut entry_t, mut stop, mut target, mut pending) =
            (0.0f64, 0.0, 0.0, 0.0, 0.0, 0i32);
        let (mut trades, mut pnl) = (0u32, 0.0f64);
        let away = |p: f64, from: f64| {
            (if p >= from {
                (p / 0.25 - 1e-9).ceil()
            } else {
                (p / 0.25 + 1e-9).floor()
            }) * 0.25
        };
        for i in 0..z.len() {
            let o = open[i];
            if pending == 1 || pending == -1 {
                side = pending as f64;
                entry = o + side * 0.25;
                entry_t = time[i];
                stop = away(entry - side * 40.0, entry);
                target = away(entry + side * 60.0, entry);
            } else if pending == 2 {
                pnl += (o - side * 0.25 - entry) * side * 5.0 - 1.24;
                trades += 1;
                side = 0.0;
            }
            pending = 0;
            if side != 0.0 {
                let (h, l) = (high[i], low[i]);
                let px = if side > 0.0 {
                    if o <= stop || o >= target {
                        o
                    } else if l <= stop {
                        stop
                    } else if h >= target {
                        target
                    } else {
                        f64::NAN
                    }
                } else if o >= stop || o <= target {
                    o
                } else if h >= stop {
                    stop
                } else if l <= target {
                    target
                } else {
                    f64::NAN
                };
                if !px.is_nan() {
                    pnl += (px - entry) * side * 5.0 - 1.24;
                    trades += 1;
                    side = 0.0;
                }
            }
            let zi = z[i];
            if zi.is_nan() {
                continue;
            }
            if side != 0.0 {
                if time[i] + 60.0 - entry_t >= 7200.0 || zi.abs() <= 0.5 {
                    pending = 2;
                }
            } else if zi <= -2.0 {
                pending = 1;
            } else if zi >= 2.0 {
                pending = -1;
            }
        }
        if std::env::var_os("QS_QUIET").is_none() {
            println!(
                "minimal loop {:.2} ms, {trades} trades, net {pnl:.2}",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// Min-of-N breakdown of the single backtest with a precomputed z (validation, the loop, the metrics).
#[test]
#[ignore]
fn profile_breakdown() {
    use crate::backtest::run::{drive_into, validate_bars};
    use crate::engine::strategy::PrecomputedZ;
    use crate::engine::DecisionCore;
    let bars = bars(1_000_000);
    let p = params();
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; closes.len()];
    crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap();
    let mut eq = vec![1.0; closes.len()];
    let min = |f: &mut dyn FnMut()| {
        (0..15)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    let v = min(&mut || validate_bars(bars.as_slice()).unwrap());
    let zt = min(&mut || crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap());
    let mut go = |out: bool| {
        let core =
            DecisionCore::with_strategy(p.core.clone(), PrecomputedZ::new(z.as_slice(), 2.0, 0.5))
                .unwrap();
        drive_into(
            bars.as_slice(),
            &p,
            core,
            if out { Some(&mut eq) } else { None },
        )
        .1
    };
    let l0 = min(&mut || {
        go(false);
    });
    let l1 = min(&mut || {
        go(true);
    });
    let m = min(&mut || minimal_loop(&bars));
    println!("validate {v:.2} ms, zscore {zt:.2} ms, loop+metrics {l0:.2} ms, with equity out {l1:.2} ms, minimal (incl. 4 column copies + z) {m:.2} ms");
}
