//! The batch paths (generic core, precomputed indicators, columnar bars, streamed metrics) against the reference
//! path (boxed streaming strategy, `Vec<Bar>`, metrics computed from the stored equity curve): identical trades,
//! equity and metrics, bit for bit, on random data for every strategy.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::metrics::{compute_metrics, daily_pnl};
use super::run::drive;
use super::*;
use crate::engine::strategy::ZScoreStrategy;
use crate::engine::{CoreConfig, DecisionCore, RiskLimits, StrategyConfig};
use crate::sim::{Bar, PriceWalk, PriceWalkParams};

/// The bars as the napi path holds them: one column per field (time, open, high, low, close, volume).
pub(super) fn columns_of(bars: &[Bar]) -> [Vec<f64>; 6] {
    let column = |f: fn(&Bar) -> f64| bars.iter().map(f).collect();
    [
        column(|b| b.time as f64),
        column(|b| b.open),
        column(|b| b.high),
        column(|b| b.low),
        column(|b| b.close),
        column(|b| b.volume),
    ]
}

/// Fails unless every reason in `expected` closed at least one of the trades seen.
pub(super) fn assert_exits_seen(
    seen: &[crate::engine::ExitReason],
    expected: &[crate::engine::ExitReason],
) {
    for r in expected {
        assert!(seen.contains(r), "some trade exited by {r:?}");
    }
}

pub(super) fn data(seed: u64, n: usize) -> Vec<Bar> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = PriceWalk::new(&PriceWalkParams {
        seed,
        steps_per_bar: rng.random_range(4..40),
        // Starts spread over the week so runs cross sessions, weekends and the daily boundary.
        start_time: 1_767_623_400 + rng.random_range(0..7 * 24 * 60) * 60,
        ..Default::default()
    })
    .unwrap();
    let mut t = 0;
    (0..n)
        .map(|_| {
            let mut b = w.next_bar();
            // Random gaps between bars (the fill model must not depend on regular spacing).
            t += rng.random_range(0..3) * 60;
            b.time += t;
            b
        })
        .collect()
}

fn strategies(rng: &mut ChaCha8Rng) -> Vec<StrategyConfig> {
    vec![
        StrategyConfig::Zscore {
            lookback: rng.random_range(2..40),
            entry_z: 1.0 + rng.random::<f64>() * 1.5,
            exit_z: rng.random::<f64>() * 0.9,
        },
        StrategyConfig::Bollinger {
            period: rng.random_range(2..40),
            k: 0.5 + rng.random::<f64>() * 2.0,
        },
        StrategyConfig::Rsi {
            period: rng.random_range(2..30),
            oversold: 20.0 + rng.random::<f64>() * 15.0,
            overbought: 65.0 + rng.random::<f64>() * 15.0,
        },
    ]
}

fn params(strategy: StrategyConfig, breakers: bool, rng: &mut ChaCha8Rng) -> BacktestParams {
    BacktestParams {
        core: CoreConfig {
            strategy,
            limits: RiskLimits {
                breakers,
                stop_usd: [25.0, 50.0, 200.0][rng.random_range(0..3)],
                target_usd: [25.0, 75.0, 300.0][rng.random_range(0..3)],
                max_hold_secs: rng.random_range(5..200) * 60,
                daily_loss_limit_usd: 150.0,
                max_drawdown_usd: 400.0,
                ..Default::default()
            },
            bar_seconds: 60,
            capital: 10_000.0,
        },
        slippage_ticks: rng.random_range(0..3),
    }
}

#[test]
fn generic_batch_path_equals_the_boxed_streaming_core() {
    let mut traded = 0;
    for seed in 0..24u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let bars = data(seed, 3_000);
        for strategy in strategies(&mut rng) {
            let p = params(strategy, seed % 2 == 0, &mut rng);
            let reference = drive(&bars, &p, DecisionCore::new(p.core.clone()).unwrap());
            traded += reference.trades.len();
            let batch = run_backtest(&bars, &p).unwrap();
            assert_eq!(batch.trades, reference.trades, "seed {seed} {:?}", p.core);
            assert_eq!(batch.equity, reference.equity, "seed {seed}");
            assert_eq!(batch.metrics, reference.metrics, "seed {seed}");
            // The streamed metrics are the array-based definitions.
            let from_arrays = compute_metrics(&batch.trades, &batch.equity, &bars, 10_000.0, 60);
            assert_eq!(batch.metrics, from_arrays, "seed {seed}");
            assert_eq!(
                daily_pnl(&batch.equity, &bars, 10_000.0).len() as u32,
                batch.metrics.trading_days
            );
            // Columns (the napi path) read the same bars.
            let cols = columns_of(&bars);
            let view = BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5])
                .unwrap();
            let mut equity = vec![f64::NAN; bars.len()];
            let (trades, metrics) = run_backtest_into(view, &p, Some(&mut equity)).unwrap();
            assert_eq!(trades, reference.trades);
            assert_eq!(equity, reference.equity);
            assert_eq!(metrics, reference.metrics);
            if let StrategyConfig::Zscore { lookback, .. } = p.core.strategy {
                let mut z = vec![0.0; bars.len()];
                crate::indicators::zscore_batch(&cols[4], lookback, &mut z).unwrap();
                let (trades, metrics) = run_backtest_precomputed_z(view, &p, &z, None).unwrap();
                assert_eq!(trades, reference.trades);
                assert_eq!(metrics, reference.metrics);
            }
        }
    }
    assert!(traded > 1_000, "{traded} trades");
}

#[test]
fn grid_rows_equal_reference_backtests_on_columns() {
    // Breakers on: every combination runs through its own core; off: in vector lanes (on a CPU with AVX2).
    for breakers in [true, false] {
        let bars = data(99, 4_000);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let base = params(StrategyConfig::default(), breakers, &mut rng);
        let spec = GridSpec {
            lookbacks: vec![3, 7, 20],
            entry_z: vec![1.0, 1.5, 2.0],
            exit_z: vec![0.0, 0.5],
        };
        let job = Job::default();
        let rows = run_grid(bars.as_slice(), &base, &spec, RankBy::Sharpe, &job).unwrap();
        assert_eq!(rows.len(), 18);
        assert_eq!(job.done.load(std::sync::atomic::Ordering::Relaxed), 18);
        for row in &rows {
            let mut p = base.clone();
            p.core.strategy = StrategyConfig::Zscore {
                lookback: row.lookback,
                entry_z: row.entry_z,
                exit_z: row.exit_z,
            };
            let reference = drive(&bars, &p, DecisionCore::new(p.core.clone()).unwrap());
            assert_eq!(row.metrics, reference.metrics, "breakers {breakers}");
        }
    }
}

#[test]
fn a_generic_core_snapshot_restores_into_the_live_core_exactly() {
    let bars = data(5, 2_000);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let p = params(StrategyConfig::default(), true, &mut rng);
    let StrategyConfig::Zscore {
        lookback,
        entry_z,
        exit_z,
    } = p.core.strategy
    else {
        unreachable!()
    };
    let mut generic = DecisionCore::with_strategy(
        p.core.clone(),
        ZScoreStrategy::new(lookback, entry_z, exit_z).unwrap(),
    )
    .unwrap();
    let mut boxed = DecisionCore::new(p.core.clone()).unwrap();
    for (i, bar) in bars.iter().enumerate() {
        if i == 1_000 {
            // Generic -> boxed and boxed -> generic, mid-run.
            boxed = DecisionCore::restore(&generic.snapshot()).unwrap();
            generic = DecisionCore::restore_with(&boxed.snapshot(), |cfg| match cfg.strategy {
                StrategyConfig::Zscore {
                    lookback,
                    entry_z,
                    exit_z,
                } => ZScoreStrategy::new(lookback, entry_z, exit_z),
                _ => Err("zscore expected".into()),
            })
            .unwrap();
            assert_eq!(generic.snapshot(), boxed.snapshot());
        }
        if let Some(crate::engine::Intent::Enter { side, .. }) = generic.pending() {
            let a = generic.on_entry_fill(bar.open + side.sign() * 0.25, bar.time, bar.time);
            let b = boxed.on_entry_fill(bar.open + side.sign() * 0.25, bar.time, bar.time);
            assert_eq!(a, b);
        } else if let Some(crate::engine::Intent::Exit { reason, .. }) = generic.pending() {
            let a = generic.on_exit_fill(bar.open, bar.time, reason);
            let b = boxed.on_exit_fill(bar.open, bar.time, reason);
            assert_eq!(a, b);
        }
        assert_eq!(
            generic.on_bar_close(bar),
            boxed.on_bar_close(bar),
            "bar {i}"
        );
        assert_eq!(generic.equity(bar.close), boxed.equity(bar.close));
    }
    assert_eq!(generic.snapshot(), boxed.snapshot());
}

/// Long holds, wide brackets, overlapping bars and tight or loose breakers: the batch run's scans (flat bars,
/// paused or halted stretches, blocks of quiet bars in a position, bar by bar where a block is not quiet) against
/// the reference core judging every bar.
#[test]
fn scanning_batch_runs_equal_the_bar_by_bar_reference() {
    let mut scanned = 0;
    for seed in 0..48u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb10c);
        let bars = data(seed + 100, 8_000);
        let strategy = match seed % 3 {
            0 => StrategyConfig::Zscore {
                lookback: rng.random_range(5..60),
                entry_z: 1.0 + rng.random::<f64>() * 1.5,
                exit_z: rng.random::<f64>() * 0.2,
            },
            1 => StrategyConfig::Bollinger {
                period: rng.random_range(5..60),
                k: 1.0 + rng.random::<f64>(),
            },
            _ => StrategyConfig::Rsi {
                period: rng.random_range(5..30),
                oversold: 25.0 + rng.random::<f64>() * 10.0,
                overbought: 65.0 + rng.random::<f64>() * 10.0,
            },
        };
        let p = BacktestParams {
            core: CoreConfig {
                strategy,
                limits: RiskLimits {
                    breakers: seed % 4 != 3,
                    stop_usd: [150.0, 1_000.0, 5_000.0][rng.random_range(0..3)],
                    target_usd: [150.0, 1_000.0, 5_000.0][rng.random_range(0..3)],
                    max_hold_secs: rng.random_range(30..3_000) * 60,
                    daily_loss_limit_usd: [60.0, 300.0, 3_000.0][rng.random_range(0..3)],
                    max_drawdown_usd: [150.0, 800.0, 5_000.0][rng.random_range(0..3)],
                    consecutive_losses_to_pause: rng.random_range(1..4),
                    ..Default::default()
                },
                // Two-minute bars over one-minute data: a bar's end may pass the next bar's start.
                bar_seconds: if seed % 5 == 0 { 120 } else { 60 },
                capital: 10_000.0,
            },
            slippage_ticks: rng.random_range(0..3),
        };
        let reference = drive(&bars, &p, DecisionCore::new(p.core.clone()).unwrap());
        let batch = run_backtest(&bars, &p).unwrap();
        assert_eq!(batch.trades, reference.trades, "seed {seed} {:?}", p.core);
        assert_eq!(batch.equity, reference.equity, "seed {seed}");
        assert_eq!(batch.metrics, reference.metrics, "seed {seed}");
        scanned += reference.trades.len();
    }
    assert!(scanned > 200, "{scanned} trades");
}
