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

/// The closes and their z-score (lookback 20).
fn closes_and_z(bars: &[Bar]) -> (Vec<f64>, Vec<f64>) {
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; closes.len()];
    crate::indicators::zscore_batch(&closes, 20, &mut z).unwrap();
    (closes, z)
}

/// The fastest of `runs` calls of `f`, in milliseconds.
fn best_ms(runs: usize, f: &mut dyn FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
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
    let (closes, mut z) = closes_and_z(&bars);
    let mut eq = vec![1.0; closes.len()];
    let min = |f: &mut dyn FnMut()| best_ms(15, f);
    let v = min(&mut || {
        validate_bars(bars.as_slice()).unwrap();
    });
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
    let cols = super::equivalence_tests::columns_of(&bars);
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
    let vc = min(&mut || {
        validate_bars(view).unwrap();
    });
    println!("sim.run on columns {tc:.2} ms, validate columns {vc:.2} ms");
    println!(
        "validate {v:.2} ms, zscore {zt:.2} ms, loop+metrics {l0:.2} ms, with equity out {l1:.2} ms"
    );
}

#[test]
#[ignore]
fn profile_phases() {
    use crate::backtest::run::Sim;
    use crate::engine::strategy::PrecomputedZ;
    use crate::engine::DecisionCore;
    let bars = bars(1_000_000);
    let p = params();
    let (closes, z) = closes_and_z(&bars);
    let zero = vec![0.0; closes.len()];
    let mut always = z.clone();
    // Enter at once, never exit by signal: z = -3 on the first bars, then 1.0 (no exit for exit 0.5).
    for (k, v) in always.iter_mut().enumerate() {
        *v = if k < 2 { -3.0 } else { 1.0 };
    }
    let mut p_hold = p.clone();
    p_hold.core.limits.max_hold_secs = i64::MAX / 4;
    p_hold.core.limits.stop_usd = 1e9;
    p_hold.core.limits.target_usd = 1e9;
    let only = std::env::var("QS_PHASE").unwrap_or_default();
    for (name, col, pp) in [
        ("flat (z=0)", &zero, &p),
        ("held throughout", &always, &p_hold),
        ("real z", &z, &p),
    ] {
        if !only.is_empty() && !name.starts_with(only.as_str()) {
            continue;
        }
        let mut t = f64::INFINITY;
        let mut trades = 0;
        for _ in 0..9 {
            let core = DecisionCore::with_strategy(
                pp.core.clone(),
                PrecomputedZ::new(col.as_slice(), 2.0, 0.5),
            )
            .unwrap();
            let mut sim = Sim::new(pp, core);
            let s = Instant::now();
            sim.run(bars.as_slice(), 0, bars.len(), None);
            t = t.min(s.elapsed().as_secs_f64() * 1e3);
            trades = sim.finish(bars.as_slice()).0.len();
        }
        println!("{name}: sim.run {t:.2} ms, {trades} trades");
    }
}

/// Experiment: the cheapest per-bar loop for the z-score rules with the breakers off (what a specialised
/// implementation could reach on this machine). Not a production path.
#[test]
#[ignore]
fn profile_minimal_loop() {
    let bars = bars(1_000_000);
    let n = bars.len();
    let (_, z) = closes_and_z(&bars);
    let cols: Vec<Vec<f64>> = (0..5)
        .map(|k| {
            bars.iter()
                .map(|b| [b.time as f64, b.open, b.high, b.low, b.close][k])
                .collect()
        })
        .collect();
    let (time, open, high, low, close) = (&cols[0], &cols[1], &cols[2], &cols[3], &cols[4]);
    let run = || {
        let (entry, exit, slip, stop_pts, target_pts, max_hold, bs) =
            (2.0, 0.5, 0.25, 40.0, 60.0, 7200.0, 60.0);
        let mut pos = 0.0f64; // +1 long, -1 short, 0 flat
        let mut pending = 0.0f64; // +-1 enter, 2 exit
        let (mut entry_px, mut stop, mut target, mut entry_t) = (0.0, 0.0, 0.0, 0.0);
        let mut realized = 0.0;
        let mut peak = 10_000.0f64;
        let mut max_dd = 0.0f64;
        let mut trades = Vec::with_capacity(1024);
        let mut held = 0usize;
        for i in 0..n {
            let (t, o, h, l, c) = (time[i], open[i], high[i], low[i], close[i]);
            if pending != 0.0 {
                if pending == 2.0 {
                    let px = o - pos * slip;
                    let pnl = (px - entry_px) * pos * 5.0 - 1.24;
                    realized += pnl;
                    trades.push((entry_t, t, pnl));
                    pos = 0.0;
                } else {
                    pos = pending;
                    entry_px = o + pos * slip;
                    stop = entry_px - pos * stop_pts;
                    target = entry_px + pos * target_pts;
                    entry_t = t;
                }
                pending = 0.0;
            }
            if pos != 0.0 {
                let hit = if pos > 0.0 {
                    (o <= stop) | (o >= target) | (l <= stop) | (h >= target)
                } else {
                    (o >= stop) | (o <= target) | (h >= stop) | (l <= target)
                };
                if hit {
                    let px = if pos > 0.0 {
                        if o <= stop || o >= target {
                            o
                        } else if l <= stop {
                            stop
                        } else {
                            target
                        }
                    } else if o >= stop || o <= target {
                        o
                    } else if h >= stop {
                        stop
                    } else {
                        target
                    };
                    let pnl = (px - entry_px) * pos * 5.0 - 1.24;
                    realized += pnl;
                    trades.push((entry_t, t, pnl));
                    pos = 0.0;
                }
            }
            let zi = z[i];
            if pos != 0.0 {
                held += 1;
                if t + bs - entry_t >= max_hold || zi.abs() <= exit {
                    pending = 2.0;
                }
            } else if zi <= -entry {
                pending = 1.0;
            } else if zi >= entry {
                pending = -1.0;
            }
            let e = 10_000.0
                + realized
                + if pos != 0.0 {
                    (c - entry_px) * pos * 5.0
                } else {
                    0.0
                };
            if e > peak {
                peak = e;
            }
            if peak - e > max_dd {
                max_dd = peak - e;
            }
        }
        (trades.len(), realized, max_dd, held)
    };
    for _ in 0..3 {
        let mut best = f64::INFINITY;
        let mut r = (0, 0.0, 0.0, 0);
        for _ in 0..9 {
            let t0 = Instant::now();
            r = run();
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "minimal loop {best:.2} ms, {} trades, net {:.2}, max dd {:.2}, held {}",
            r.0, r.1, r.2, r.3
        );
        // On this data (brackets on whole ticks, no breakers) the minimal loop makes the core's trades.
        let (trades, m) = run_backtest_precomputed_z(bars.as_slice(), &params(), &z, None).unwrap();
        assert_eq!((trades.len(), m.max_drawdown), (r.0, r.2));
    }
}

/// The lane kernel against the core on the bench data: same metrics; time for 4 and 8 lanes.
#[test]
#[ignore]
fn profile_lanes() {
    use crate::backtest::lanes;
    let bars = bars(1_000_000);
    let p = params();
    let (_, z) = closes_and_z(&bars);
    let min = |f: &mut dyn FnMut()| best_ms(9, f);
    let (core_trades, core_m) = run_backtest_precomputed_z(bars.as_slice(), &p, &z, None).unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let inputs = |record| lanes::Inputs {
        params: &p,
        record,
        cancel: &cancel,
    };
    let one = lanes::run(bars.as_slice(), &[(z.as_slice(), 2.0, 0.5)], &inputs(true)).unwrap();
    assert_eq!(one[0].trades, core_trades);
    assert_eq!(one[0].metrics, core_m);
    let s8: Vec<lanes::Setting> = [
        (1.5, 0.0),
        (2.0, 0.25),
        (2.5, 0.5),
        (2.0, 0.75),
        (1.5, 0.75),
        (2.0, 0.5),
        (2.5, 0.25),
        (2.0, 0.0),
    ]
    .iter()
    .map(|&(e, x)| (z.as_slice(), e, x))
    .collect();
    let mut line = String::new();
    for w in [4, 8].into_iter().filter(|&w| w <= lanes::width()) {
        let t = min(&mut || {
            lanes::run_with(w, bars.as_slice(), &s8[..w], &inputs(false)).unwrap();
        });
        let tr = min(&mut || {
            lanes::run_with(w, bars.as_slice(), &s8[..w], &inputs(true)).unwrap();
        });
        line += &format!("{w} lanes {t:.2} ms ({tr:.2} ms with trades); ");
    }
    let tc = min(&mut || {
        run_backtest_precomputed_z(bars.as_slice(), &p, &z, None).unwrap();
    });
    println!("core {tc:.2} ms; {line}");
}
