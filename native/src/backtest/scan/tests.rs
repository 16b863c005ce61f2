//! The scan against the decision core: identical trades, equity curve and metrics, bit for bit, on random data and
//! settings, whole and split at random bars.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::backtest::equivalence_tests::{assert_exits_seen, columns_of, data};
use crate::backtest::run::run_backtest_precomputed_z;
use crate::engine::{CoreConfig, ExitReason, RiskLimits};
use crate::indicators::zscore_batch;
use crate::sim::Bar;

/// Random settings with the breakers off: the lanes' tests' limits, and a random lookback, entry and exit.
fn params(rng: &mut ChaCha8Rng) -> BacktestParams {
    let lookback = rng.random_range(2..40);
    let p = lanes::tests::params(rng, lookback, false);
    let entry = 0.5 + rng.random::<f64>() * 2.5;
    let exit = if rng.random_range(0..4) == 0 {
        0.0
    } else {
        rng.random::<f64>() * entry * 0.9
    };
    lanes::tests::with_setting(&p, lookback, entry, exit)
}

fn z_of(bars: &[Bar], p: &BacktestParams) -> Vec<f64> {
    let StrategyConfig::Zscore { lookback, .. } = p.core.strategy else {
        unreachable!()
    };
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; bars.len()];
    zscore_batch(&closes, lookback, &mut z).unwrap();
    z
}

/// The core's run (bars as rows: never the scan) and its equity curve.
fn reference(bars: &[Bar], p: &BacktestParams, z: &[f64]) -> (Vec<Trade>, Metrics, Vec<f64>) {
    let mut equity = vec![f64::NAN; bars.len()];
    let (trades, metrics) = run_backtest_precomputed_z(bars, p, z, Some(&mut equity)).unwrap();
    (trades, metrics, equity)
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn scan_available() -> bool {
    if vector_unit() == VectorUnit::Baseline {
        eprintln!("skipped: this CPU has no AVX2, so every backtest runs through the core");
        return false;
    }
    true
}

/// The builds this CPU can run: its own and, on an AVX-512 CPU, the AVX2 one (what a CPU without AVX-512 runs).
fn units() -> Vec<VectorUnit> {
    match vector_unit() {
        VectorUnit::Avx512 => vec![VectorUnit::Avx512, VectorUnit::Avx2],
        VectorUnit::Avx2 => vec![VectorUnit::Avx2],
        VectorUnit::Baseline => vec![],
    }
}

#[test]
fn scan_makes_the_cores_trades_equity_and_metrics_whole_and_split() {
    if !scan_available() {
        return;
    }
    let (mut trades_seen, mut held_across) = (0, 0);
    let mut reasons = Vec::new();
    for seed in 0..60u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5ca9);
        // Now and then only a handful of bars (no signal, one bar, no day boundary), or more bars than the scan
        // checks at a time.
        let len = match seed % 10 {
            9 => rng.random_range(1..6),
            4 => rng.random_range(CHUNK..3 * CHUNK),
            _ => rng.random_range(50..4_000),
        };
        let mut bars = data(seed, len);
        // Now and then bar times before 1970, and then, in the columns, in whole seconds or not (read truncated
        // toward zero).
        let before_1970 = seed % 10 == 7;
        let fraction = if seed % 20 == 7 { 0.5 } else { 0.0 };
        if before_1970 {
            for b in &mut bars {
                b.time -= 2_000_000_000;
            }
        }
        let p = params(&mut rng);
        let z = z_of(&bars, &p);
        let (trades, metrics, equity) = reference(&bars, &p, &z);
        let mut cols = columns_of(&bars);
        if before_1970 {
            assert!(cols[0][0] < 0.0);
            for t in &mut cols[0] {
                *t -= fraction;
            }
        }
        let view =
            BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
        let gap = validate_bars(view).unwrap();
        let mut splits = vec![None, Some(len / 2)];
        splits.extend((0..4).map(|_| Some(rng.random_range(1..len.max(2)))));
        for (split, unit) in splits
            .into_iter()
            .flat_map(|s| units().into_iter().map(move |u| (s, u)))
        {
            let mut out = vec![f64::NAN; len];
            let (t, m) = run_on(unit, view, &p, &z, Some(&mut out), split, None)
                .unwrap()
                .expect("the scan applies");
            let what = format!("seed {seed}, split {split:?}, {unit:?}, {p:?}");
            assert_eq!(t, trades, "{what}");
            assert_eq!(m, metrics, "{what}");
            assert_eq!(bits(&out), bits(&equity), "{what}");
            // Without an equity curve to fill (walk-forward's out-of-sample runs), the same trades and metrics.
            let (t, m) = run_on(unit, view, &p, &z, None, split, None)
                .unwrap()
                .unwrap();
            assert_eq!((&t, &m), (&trades, &metrics), "{what}, no curve");
            // Bars checked before the run (`CheckedBars`): not checked again, the same run.
            let mut again = vec![f64::NAN; len];
            let (t, m) = run_on(unit, view, &p, &z, Some(&mut again), split, Some(gap))
                .unwrap()
                .unwrap();
            assert_eq!((&t, &m), (&trades, &metrics), "{what}, checked before");
            assert_eq!(bits(&again), bits(&equity), "{what}, checked before");
            if let Some(at) = split.filter(|&m| m < len) {
                // The first part had to go on past the split to a bar where it was flat.
                let time = bars[at].time;
                held_across += trades
                    .iter()
                    .any(|t| t.entry_time <= time && time < t.exit_time)
                    as usize;
            }
        }
        trades_seen += trades.len();
        reasons.extend(trades.iter().map(|t| t.exit_reason));
    }
    assert!(trades_seen > 10_000, "the runs traded: {trades_seen}");
    assert!(held_across > 20, "splits inside a trade: {held_across}");
    use ExitReason::*;
    assert_exits_seen(&reasons, &[Signal, Stop, Target, Time, End]);
}

/// The holding limit at the second, before and after 1970, with times in whole seconds and not: bars 59 s apart
/// (one starts a second before the limit: still held) and 60 s apart (one starts at the limit: held too long).
#[test]
fn scan_holds_to_the_second_before_and_after_1970() {
    if !scan_available() {
        return;
    }
    let cases = [
        (1_767_623_400, 0.0, 59),
        (-1_000_000, 0.0, 59),
        (-1_000_000, 0.5, 59),
        (-1_000_000, 0.5, 60),
    ];
    for (start, fraction, spacing) in cases {
        let mut bars = data(3, 200);
        for (i, b) in bars.iter_mut().enumerate() {
            b.time = start + spacing * i as i64;
        }
        let mut p = BacktestParams {
            core: CoreConfig {
                limits: RiskLimits {
                    breakers: false,
                    stop_usd: 1e6,
                    target_usd: 1e6,
                    max_hold_secs: 120,
                    ..Default::default()
                },
                bar_seconds: 60,
                ..Default::default()
            },
            slippage_ticks: 1,
        };
        p.core.strategy = StrategyConfig::Zscore {
            lookback: 20,
            entry_z: 2.0,
            exit_z: 0.5,
        };
        // One entry signal at bar 10's close; no exit signal after it.
        let mut z = vec![1.0; bars.len()];
        z[10] = -3.0;
        let (trades, metrics, equity) = reference(&bars, &p, &z);
        let mut cols = columns_of(&bars);
        for t in &mut cols[0] {
            *t -= fraction;
        }
        let view =
            BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
        for unit in units() {
            let mut out = vec![f64::NAN; bars.len()];
            let (t, m) = run_on(unit, view, &p, &z, Some(&mut out), None, None)
                .unwrap()
                .unwrap();
            let what = format!("start {start}, fraction {fraction}, spacing {spacing}, {unit:?}");
            assert_eq!((&t, &m), (&trades, &metrics), "{what}");
            assert_eq!(bits(&out), bits(&equity), "{what}");
            // Entered at bar 11: held too long at the close of the first bar starting 60 s or more later, out at
            // the next open.
            let out_at = if spacing == 59 { 14 } else { 13 };
            assert_eq!(t.len(), 1, "{what}");
            assert_eq!(
                (t[0].exit_reason, t[0].exit_time),
                (ExitReason::Time, bars[out_at].time),
                "{what}"
            );
        }
    }
}

#[test]
fn scan_reports_bad_bars_as_the_check_does_split_or_not() {
    if !scan_available() {
        return;
    }
    let len = 2 * CHUNK + 100;
    let bars = data(5, len);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let p = params(&mut rng);
    let z = z_of(&bars, &p);
    let (mid, chunk) = (len / 2, CHUNK);
    type Break = Box<dyn Fn(&mut [Vec<f64>; 6])>;
    let broken: [(&str, Break); 6] = [
        (
            "a NaN close late",
            Box::new(move |c| c[4][len - 20] = f64::NAN),
        ),
        (
            "an infinite high early",
            Box::new(|c| c[2][10] = f64::INFINITY),
        ),
        (
            "a repeated time at the split",
            Box::new(move |c| c[0][mid] = c[0][mid - 1]),
        ),
        (
            "a time going back at a chunk's start",
            Box::new(move |c| c[0][chunk] = c[0][chunk - 2]),
        ),
        (
            "times out of order early",
            Box::new(|c| c[0][300] = c[0][200]),
        ),
        (
            "a bad time and a later NaN",
            Box::new(move |c| {
                c[0][300] = c[0][200];
                c[1][len - 1] = f64::NAN;
            }),
        ),
    ];
    for (name, break_it) in broken {
        let mut cols = columns_of(&bars);
        break_it(&mut cols);
        let view =
            BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
        let expected = validate_bars(view).expect_err(name);
        for split in [None, Some(mid), Some(100), Some(len - 100)] {
            for unit in units() {
                let mut out = vec![0.0; bars.len()];
                let got = run_on(unit, view, &p, &z, Some(&mut out), split, None).expect_err(name);
                assert_eq!(got, expected, "{name}, split {split:?}, {unit:?}");
            }
        }
    }
}

#[test]
fn scan_leaves_to_the_core_what_it_does_not_reproduce() {
    if !scan_available() {
        return;
    }
    // Bars 20 seconds apart.
    let mut bars = data(8, 500);
    let start = bars[0].time;
    for (i, b) in bars.iter_mut().enumerate() {
        b.time = start + 20 * i as i64;
    }
    let cols = columns_of(&bars);
    let view = BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let p = params(&mut rng);
    let z = z_of(&bars, &p);
    let mut out = vec![0.0; bars.len()];
    assert!(
        run_on(vector_unit(), view, &p, &z, Some(&mut out), None, None)
            .unwrap()
            .is_some()
    );
    // An order-rate limit that could bind on this data (three bar closes a minute).
    let mut rate = p.clone();
    rate.core.limits.max_orders_per_minute = 2;
    for split in [None, Some(250)] {
        assert!(
            run_on(vector_unit(), view, &rate, &z, Some(&mut out), split, None)
                .unwrap()
                .is_none()
        );
    }
    // The circuit breakers, and other strategies.
    let mut on = p.clone();
    on.core.limits.breakers = true;
    assert!(!may_apply(&on));
    let mut rsi = p.clone();
    rsi.core.strategy = StrategyConfig::Rsi {
        period: 14,
        oversold: 30.0,
        overbought: 70.0,
    };
    assert!(!may_apply(&rsi));
    // Through the public entry points the results are the core's either way.
    let mut equity = vec![0.0; bars.len()];
    let (trades, metrics) =
        crate::backtest::run_backtest_into(view, &rate, Some(&mut equity)).unwrap();
    let (t, m, e) = reference(&bars, &rate, &z);
    assert_eq!((trades, metrics, bits(&equity)), (t, m, bits(&e)));
}

/// Timing on the bench data (`cargo test --release scan_profile -- --ignored --nocapture`): prints, asserts
/// nothing about time.
#[test]
#[ignore]
fn scan_profile() {
    use std::time::Instant;
    let mut w = crate::sim::PriceWalk::new(&crate::sim::PriceWalkParams {
        seed: 7,
        steps_per_bar: 30,
        ..Default::default()
    })
    .unwrap();
    let size: usize = std::env::var("QS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let bars: Vec<Bar> = (0..size).map(|_| w.next_bar()).collect();
    let cols = columns_of(&bars);
    let view = BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
    let p = BacktestParams {
        core: CoreConfig {
            limits: RiskLimits {
                breakers: false,
                ..Default::default()
            },
            ..Default::default()
        },
        slippage_ticks: 1,
    };
    let z = z_of(&bars, &p);
    let mut out = vec![0.0; bars.len()];
    let gap = validate_bars(view).unwrap();
    let runs = [None, Some(size * 2 / 5)]
        .into_iter()
        .flat_map(|split| [(split, None), (split, Some(gap))]);
    for (split, known_gap) in runs {
        let mut best = f64::INFINITY;
        let mut trades = 0;
        for _ in 0..15 {
            let t = Instant::now();
            trades = run_on(
                vector_unit(),
                view,
                &p,
                &z,
                Some(&mut out),
                split,
                known_gap,
            )
            .unwrap()
            .unwrap()
            .0
            .len();
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        let v = (0..15).fold(f64::INFINITY, |b, _| {
            let t = Instant::now();
            validate_bars(view).unwrap();
            b.min(t.elapsed().as_secs_f64() * 1e3)
        });
        let per = 1e6 / size as f64;
        println!(
            "split {split:?}, bars checked before: {}: {:.2} ns/bar, {trades} trades (validation alone {:.2} ns/bar)",
            known_gap.is_some(),
            best * per,
            v * per
        );
    }
}
