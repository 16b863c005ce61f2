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
            let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
            let mut z = vec![0.0; closes.len()];
            let t = Instant::now();
            crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap();
            let tz = t.elapsed().as_secs_f64() * 1e3;
            let mut eq = vec![1.0; closes.len()];
            let t = Instant::now();
            let (trades, _) = run_backtest_precomputed_z(bars.as_slice(), &p, &z, None).unwrap();
            println!(
                "loop with precomputed z, no equity out {:.2} ms, {} trades",
                t.elapsed().as_secs_f64() * 1e3,
                trades.len()
            );
            let t = Instant::now();
            let (trades, m) =
                run_backtest_precomputed_z(bars.as_slice(), &p, &z, Some(&mut eq)).unwrap();
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
                bars.as_slice(),
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
    let (mut tr, mut tf) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..15 {
        let core =
            DecisionCore::with_strategy(p.core.clone(), PrecomputedZ::new(z.as_slice(), 2.0, 0.5))
                .unwrap();
        let mut sim = crate::backtest::run::Sim::new(&p, core);
        let t = Instant::now();
        sim.run(bars.as_slice(), 0, bars.len(), None);
        tr = tr.min(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        sim.finish(bars.as_slice());
        tf = tf.min(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("sim.run {tr:.2} ms, sim.finish {tf:.2} ms");
    let cols: Vec<Vec<f64>> = (0..6)
        .map(|k| {
            bars.iter()
                .map(|b| [b.time as f64, b.open, b.high, b.low, b.close, b.volume][k])
                .collect()
        })
        .collect();
    let view = crate::backtest::BarColumns::new(
        &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5],
    )
    .unwrap();
    let mut tc = f64::INFINITY;
    for _ in 0..15 {
        let core =
            DecisionCore::with_strategy(p.core.clone(), PrecomputedZ::new(z.as_slice(), 2.0, 0.5))
                .unwrap();
        let mut sim = crate::backtest::run::Sim::new(&p, core);
        let t = Instant::now();
        sim.run(view, 0, bars.len(), None);
        tc = tc.min(t.elapsed().as_secs_f64() * 1e3);
    }
    let vc = min(&mut || validate_bars(view).unwrap());
    println!("sim.run on columns {tc:.2} ms, validate columns {vc:.2} ms");
    println!(
        "validate {v:.2} ms, zscore {zt:.2} ms, loop+metrics {l0:.2} ms, with equity out {l1:.2} ms"
    );
}
