//! Each rule of docs/BACKTEST.md on a hand-built bar sequence. Lookback 2 makes the z-score a pure function of
//! the last move: +1 after a rise (short signal at entry 1), -1 after a fall (long signal), 0 when unchanged
//! (exit signal at exit 0.5).
use super::*;
use crate::engine::{
    CoreConfig, ExitReason, Reason, RiskLimits, Side, StrategyConfig, TradingState,
};
use crate::sim::Bar;

/// 2026-01-06 15:00 UTC (Tuesday, 09:00 CT): far from any session boundary.
const T0: i64 = 1_767_711_600;

fn bar(i: i64, o: f64, h: f64, l: f64, c: f64) -> Bar {
    Bar {
        time: T0 + 60 * i,
        open: o,
        high: h,
        low: l,
        close: c,
        volume: 100.0,
    }
}

fn flat(i: i64, p: f64) -> Bar {
    bar(i, p, p, p, p)
}

fn params(limits: RiskLimits) -> BacktestParams {
    BacktestParams {
        core: CoreConfig {
            strategy: StrategyConfig::Zscore {
                lookback: 2,
                entry_z: 1.0,
                exit_z: 0.5,
            },
            limits,
            bar_seconds: 60,
            capital: 10_000.0,
        },
        slippage_ticks: 1,
    }
}

fn run(bars: &[Bar]) -> BacktestResult {
    run_backtest(bars, &params(RiskLimits::default())).unwrap()
}

/// A long entered at the open of bar 2 (signal: the fall into bar 1's close).
fn long_setup() -> Vec<Bar> {
    vec![flat(0, 5000.0), bar(1, 5000.0, 5000.0, 4999.0, 4999.0)]
}

#[test]
fn signal_fills_at_next_open_with_slippage_and_exit_signal_too() {
    let mut b = long_setup();
    b.push(bar(2, 4999.5, 5000.0, 4999.0, 4999.0)); // unchanged close: exit signal
    b.push(bar(3, 4999.25, 4999.25, 4999.25, 4999.25));
    let r = run(&b);
    assert_eq!(r.trades.len(), 1);
    let t = r.trades[0];
    assert_eq!(
        (t.side, t.entry_time, t.entry_price),
        (Side::Long, T0 + 120, 4999.75)
    );
    assert_eq!(
        (t.exit_time, t.exit_price, t.exit_reason),
        (T0 + 180, 4999.0, ExitReason::Signal)
    );
    assert!((t.pnl - ((4999.0 - 4999.75) * 5.0 - 2.0 * 0.62)).abs() < 1e-9);
    assert_eq!(r.equity.len(), 4);
    assert!((r.equity[3] - (10_000.0 + t.pnl)).abs() < 1e-9);
}

#[test]
fn stop_touch_exits_at_the_stop_and_stop_wins_over_target() {
    let mut b = long_setup();
    // Entry 5000.25 -> stop 4960.25, target 5060.25. This bar touches both.
    b.push(bar(2, 5000.0, 5070.0, 4950.0, 5001.0));
    let t = run(&b).trades[0];
    assert_eq!(
        (t.entry_price, t.exit_price, t.exit_reason, t.exit_time),
        (5000.25, 4960.25, ExitReason::Stop, T0 + 120)
    );
}

#[test]
fn target_touch_exits_at_the_target() {
    let mut b = long_setup();
    b.push(bar(2, 5000.0, 5001.0, 5000.0, 5001.0));
    b.push(bar(3, 5001.0, 5065.0, 5001.0, 5002.0));
    let t = run(&b).trades[0];
    assert_eq!((t.exit_price, t.exit_reason), (5060.25, ExitReason::Target));
}

#[test]
fn gap_beyond_the_stop_exits_at_the_open_without_slippage() {
    let mut b = long_setup();
    b.push(bar(2, 5000.0, 5001.0, 5000.0, 5001.0));
    b.push(bar(3, 4950.0, 4955.0, 4940.0, 4941.0));
    let t = run(&b).trades[0];
    assert_eq!((t.exit_price, t.exit_reason), (4950.0, ExitReason::Stop));
}

#[test]
fn short_bracket_is_mirrored_and_rounded_away_from_the_fill() {
    let b = vec![
        flat(0, 5000.0),
        bar(1, 5000.0, 5001.0, 5000.0, 5001.0),
        bar(2, 5001.0, 5001.0, 4900.0, 4950.0),
    ];
    let mut p = params(RiskLimits {
        stop_usd: 201.0,
        ..RiskLimits::default()
    });
    p.slippage_ticks = 2;
    let t = run_backtest(&b, &p).unwrap().trades[0];
    // Short filled at 5001 - 0.5 = 5000.5; target 5000.5 - 60 = 4940.5 touched in the same bar.
    assert_eq!(
        (t.side, t.entry_price, t.exit_price, t.exit_reason),
        (Side::Short, 5000.5, 4940.5, ExitReason::Target)
    );
    // Stop 5000.5 + 40.2 = 5040.7 rounds away from the fill, up to 5040.75.
    let mut core = crate::engine::DecisionCore::new(p.core.clone()).unwrap();
    for x in &b[..2] {
        core.on_bar_close(x);
    }
    assert_eq!(
        core.on_entry_fill(5000.5, T0 + 120, T0 + 120).unwrap().stop,
        5040.75
    );
}

#[test]
fn max_holding_time_exits_at_the_next_open() {
    let mut b = long_setup();
    // Rising closes: no exit signal; held from bar 2's start. With a 3-minute limit the close of bar 4 reaches it.
    for i in 2..=5 {
        let p = 4999.0 + (i - 1) as f64;
        b.push(bar(i, p - 0.5, p, p - 1.0, p));
    }
    let r = run_backtest(
        &b,
        &params(RiskLimits {
            max_hold_secs: 180,
            ..RiskLimits::default()
        }),
    )
    .unwrap();
    let t = r.trades[0];
    assert_eq!((t.exit_reason, t.exit_time), (ExitReason::Time, T0 + 300));
    assert_eq!(t.exit_price, b[5].open - 0.25);
}

#[test]
fn new_entry_on_the_close_of_the_bar_that_stopped_out() {
    let mut b = long_setup();
    b.push(bar(2, 5000.0, 5001.0, 5000.0, 5001.0));
    b.push(bar(3, 5000.0, 5000.0, 4900.0, 4950.0)); // stopped at 4960.25, closes lower: new long signal
    b.push(flat(4, 4950.0));
    let r = run(&b);
    assert_eq!(r.trades[0].exit_reason, ExitReason::Stop);
    assert_eq!(
        (r.trades[1].entry_time, r.trades[1].entry_price),
        (T0 + 240, 4950.25)
    );
}

#[test]
fn open_position_closes_at_the_last_close_at_the_end() {
    let mut b = long_setup();
    b.push(bar(2, 5000.0, 5003.0, 4999.0, 5002.0));
    let t = run(&b).trades[0];
    assert_eq!(
        (t.exit_price, t.exit_reason, t.exit_time),
        (5002.0, ExitReason::End, T0 + 180)
    );
}

#[test]
fn three_losses_pause_new_entries_for_thirty_minutes() {
    // Bars 2-4: each opens at the previous close (entry), falls 100 points (stopped out at entry - 40) and closes
    // lower (a new long signal). After the third loss, at bar 4, entries pause for 30 minutes.
    let mut b = long_setup();
    let mut c = 4999.0;
    for i in 2..=4 {
        b.push(bar(i, c, c, c - 100.0, c - 100.0));
        c -= 100.0;
    }
    for i in 5..=40 {
        b.push(bar(i, c, c, c - 1.0, c - 1.0)); // keeps signalling long, never reaches a stop
        c -= 1.0;
    }
    let wide = RiskLimits {
        daily_loss_limit_usd: 5_000.0,
        max_drawdown_usd: 5_000.0,
        ..RiskLimits::default()
    };
    let r = run_backtest(&b, &params(wide)).unwrap();
    assert!(r.trades[..3]
        .iter()
        .all(|t| t.exit_reason == ExitReason::Stop && t.pnl < 0.0));
    let pause_end = T0 + 240 + 30 * 60;
    assert!(
        r.trades[3].entry_time >= pause_end,
        "entered at {} before the pause ended {}",
        r.trades[3].entry_time,
        pause_end
    );
    assert!(r.trades[3].entry_time <= pause_end + 120);

    let mut core = crate::engine::DecisionCore::new(params(wide).core).unwrap();
    for x in &b[..5] {
        if let Some(crate::engine::Intent::Enter { side, .. }) = core.pending() {
            core.on_entry_fill(x.open + side.sign() * 0.25, x.time, x.time);
        }
        if let Some(pos) = core.position() {
            if x.low <= pos.stop {
                core.on_exit_fill(pos.stop, x.time, ExitReason::Stop);
            }
        }
        core.on_bar_close(x);
    }
    assert_eq!(
        core.state(),
        TradingState::Paused {
            until: pause_end,
            reason: Reason::ConsecutiveLossPause
        }
    );
    assert!(core
        .refusals()
        .iter()
        .any(|(_, r)| *r == Reason::ConsecutiveLossPause));
}

#[test]
fn daily_loss_limit_halts_until_the_next_session_and_breakers_can_be_off() {
    let mut b = long_setup();
    b.push(bar(2, 5000.0, 5001.0, 5000.0, 5001.0));
    b.push(bar(3, 4900.0, 4900.0, 4890.0, 4890.0)); // gap: lose $500.25 + commissions at once
    b.push(bar(4, 4890.0, 4890.0, 4880.0, 4880.0)); // fall: long signal, refused
    b.push(flat(5, 4880.0));
    let mut limits = RiskLimits {
        stop_usd: 200.0,
        daily_loss_limit_usd: 400.0,
        ..RiskLimits::default()
    };
    let r = run_backtest(&b, &params(limits)).unwrap();
    assert_eq!(r.trades.len(), 1);
    limits.breakers = false;
    let r2 = run_backtest(&b, &params(limits)).unwrap();
    assert_eq!(
        r2.trades.len(),
        2,
        "without breakers the next signal trades"
    );
}

#[test]
fn metrics_add_up() {
    let mut b = long_setup();
    b.push(bar(2, 4999.5, 5000.0, 4999.0, 4999.0));
    b.push(bar(3, 4999.25, 4999.25, 4999.25, 4999.25));
    let r = run(&b);
    let m = &r.metrics;
    assert_eq!((m.trades, m.wins, m.losses), (1, 0, 1));
    assert!((m.net_pnl - r.trades[0].pnl).abs() < 1e-12);
    assert_eq!(m.profit_factor, Some(0.0));
    assert_eq!(m.win_rate, 0.0);
    assert_eq!(m.longest_losing_streak, 1);
    assert!((m.exposure - 0.25).abs() < 1e-12); // held only at bar 2's close
    assert!(m.max_drawdown > 0.0);
}

#[test]
fn rejects_bad_bars() {
    let b = vec![flat(1, 5000.0), flat(0, 5000.0)];
    assert!(run_backtest(&b, &params(RiskLimits::default()))
        .unwrap_err()
        .contains("times must increase"));
    let nan = vec![bar(0, f64::NAN, 1.0, 1.0, 1.0)];
    assert!(run_backtest(&nan, &params(RiskLimits::default()))
        .unwrap_err()
        .contains("finite"));
    // A bad close (which the z-score reads first) is named like any other bad price.
    let mut closes: Vec<Bar> = (0..50).map(|i| flat(i, 5000.0)).collect();
    closes[30].close = f64::NAN;
    assert_eq!(
        run_backtest(&closes, &params(RiskLimits::default())).unwrap_err(),
        "bar 30 has a price that is not a finite number"
    );
}

/// Validation over blocks of bars, on both bar sources: the first bad bar is named, a non-finite price before an
/// out-of-order time, and clean bars give the smallest spacing of their starts.
#[test]
fn validation_names_the_bad_bar_and_measures_the_spacing() {
    let check = |bars: &[Bar]| -> Result<i64, String> {
        let cols = super::equivalence_tests::columns_of(bars);
        let view = BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]);
        let columns = run::validate_bars(view.unwrap());
        let rows = run::validate_bars(bars);
        assert_eq!(columns, rows, "both bar sources agree");
        rows
    };
    let mut bars: Vec<Bar> = (0..200).map(|i| flat(i, 5000.0)).collect();
    bars[150].time += 30; // 90 s after bar 149, 30 s before bar 151
    assert_eq!(check(&bars), Ok(30));
    assert_eq!(check(&bars[..1]), Ok(i64::MAX));
    assert_eq!(check(&[]), Ok(i64::MAX));
    let mut unordered = bars.clone();
    unordered[65].time = unordered[64].time;
    assert_eq!(
        check(&unordered),
        Err("bar 65 does not start after bar 64 (times must increase)".into())
    );
    unordered[130].high = f64::INFINITY;
    assert_eq!(
        check(&unordered),
        Err("bar 130 has a price that is not a finite number".into())
    );
    let out_of_range = |i: usize| {
        Err(format!(
            "bar {i} has a start time out of range (epoch seconds from 1900 to 9999)"
        ))
    };
    let mut earliest = bars.clone();
    earliest[0].time = i64::MIN;
    assert_eq!(check(&earliest), out_of_range(0));
    // Past the calendar's range at either end (the trading days could not be counted there), in any block.
    let mut late = bars.clone();
    late[199].time = 253_402_300_800;
    assert_eq!(check(&late), out_of_range(199));
    let mut early = bars.clone();
    for b in &mut early {
        b.time -= 4_000_000_000;
    }
    assert_eq!(check(&early), out_of_range(0));
    // The first time problem is reported, whichever it is; a bad price anywhere comes first.
    late[70].time = late[69].time;
    assert_eq!(
        check(&late),
        Err("bar 70 does not start after bar 69 (times must increase)".into())
    );
    late[180].close = f64::NAN;
    assert_eq!(
        check(&late),
        Err("bar 180 has a price that is not a finite number".into())
    );
    // The edges of the range are in it.
    let mut edges: Vec<Bar> = bars[..2].to_vec();
    edges[0].time = -2_208_988_800;
    edges[1].time = 253_402_300_799;
    assert_eq!(check(&edges), Ok(253_402_300_799 + 2_208_988_800));
}

/// A time that is not a number, infinite or past the calendar's range is refused by every way into a backtest, by
/// name, instead of being read as 1970 or crashing the calendar.
#[test]
fn column_times_that_are_not_times_are_refused() {
    let n = 300;
    let bars: Vec<Bar> = (0..n as i64).map(|i| flat(i, 5000.0)).collect();
    let mut cols = crate::backtest::equivalence_tests::columns_of(&bars);
    let params = BacktestParams {
        core: CoreConfig::default(),
        slippage_ticks: 1,
    };
    for (at, t) in [
        (0, f64::NAN),
        (0, f64::NEG_INFINITY),
        (n - 1, f64::INFINITY),
        (n - 1, 1e19),
        (150, f64::NAN),
    ] {
        let keep = cols[0][at];
        cols[0][at] = t;
        let view =
            BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
        let expected =
            format!("bar {at} has a start time out of range (epoch seconds from 1900 to 9999)");
        assert_eq!(
            run::validate_bars(view),
            Err(expected.clone()),
            "{t} at {at}"
        );
        for breakers in [false, true] {
            let mut p = params.clone();
            p.core.limits.breakers = breakers;
            let mut out = vec![0.0; n];
            assert_eq!(
                run_backtest_into(view, &p, Some(&mut out)).map(|_| ()),
                Err(expected.clone()),
                "{t} at {at}, breakers {breakers}"
            );
        }
        assert_eq!(
            crate::backtest::CheckedBars::new(view).map(|_| ()),
            Err(expected),
            "{t} at {at}"
        );
        cols[0][at] = keep;
    }
}

/// Bar columns with odd times (before 1970, not whole seconds, near and past the exact range of f64, NaN,
/// infinite) and odd prices: the columns' check gives what the check gives on the same bars read as rows (times
/// truncated to whole seconds).
#[test]
fn column_checks_agree_with_row_checks_on_odd_data() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let odd_starts = [
        1_767_623_400.0,
        -1_000_000.5,
        -0.75,
        0.25,
        4_503_599_627_370_000.0,
        9_007_199_254_740_000.0,
        9.3e18,
        -9.3e18,
        f64::NAN,
        f64::NEG_INFINITY,
    ];
    for case in 0..2_000 {
        let n = rng.random_range(0..40);
        let mut t = odd_starts[rng.random_range(0..odd_starts.len())];
        let step = [0.5, 1.0, 60.0, 61.7][rng.random_range(0..4)];
        let mut cols: [Vec<f64>; 6] = Default::default();
        for _ in 0..n {
            cols[0].push(t);
            for c in &mut cols[1..] {
                c.push(5000.0);
            }
            // Now and then a repeated or too-close time.
            t += if rng.random_range(0..40) == 0 {
                [0.0, 0.5][rng.random_range(0..2)]
            } else {
                step
            };
        }
        // Now and then a first time far from the rest.
        if n > 1 && rng.random_range(0..10) == 0 {
            cols[0][0] = [-9.3e18, f64::NEG_INFINITY, -4.6e15][rng.random_range(0..3)];
        }
        if n > 0 && rng.random_range(0..3) == 0 {
            let (row, col) = (rng.random_range(0..n), rng.random_range(0..5));
            cols[col][row] = [f64::NAN, f64::INFINITY, -1.0, 1e300][rng.random_range(0..4)];
        }
        let view =
            BarColumns::new(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]).unwrap();
        let rows: Vec<Bar> = (0..n).map(|i| view.bar(i)).collect();
        assert_eq!(
            run::validate_bars(view),
            run::validate_bars(rows.as_slice()),
            "case {case}: {:?}",
            cols[0]
        );
    }
}

mod grid_and_walkforward {
    use super::super::*;
    use crate::engine::{CoreConfig, StrategyConfig};
    use crate::sim::{Bar, PriceWalk, PriceWalkParams};
    use std::sync::atomic::Ordering;

    fn data(n: usize) -> Vec<Bar> {
        PriceWalk::new(&PriceWalkParams {
            seed: 21,
            steps_per_bar: 30,
            ..Default::default()
        })
        .unwrap()
        .take(n)
        .collect()
    }

    #[test]
    fn grid_rows_equal_single_streaming_backtests_and_are_ranked() {
        let bars = data(6_000);
        let base = BacktestParams {
            core: CoreConfig::default(),
            slippage_ticks: 1,
        };
        let job = Job::default();
        let rows = run_grid(
            bars.as_slice(),
            &base,
            &GridSpec::default(),
            RankBy::NetPnl,
            &job,
        )
        .unwrap();
        assert_eq!(rows.len(), 48);
        assert_eq!(job.done.load(Ordering::Relaxed), 48);
        assert!(rows
            .windows(2)
            .all(|w| w[0].metrics.net_pnl >= w[1].metrics.net_pnl));
        for row in rows.iter().step_by(7) {
            let mut p = base.clone();
            p.core.strategy = StrategyConfig::Zscore {
                lookback: row.lookback,
                entry_z: row.entry_z,
                exit_z: row.exit_z,
            };
            let single = run_backtest(&bars, &p).unwrap().metrics;
            assert_eq!(
                single, row.metrics,
                "lookback {} entry {} exit {}",
                row.lookback, row.entry_z, row.exit_z
            );
        }
    }

    #[test]
    fn grid_can_be_cancelled() {
        // Both paths: each combination in its own core (breakers on) and in vector lanes (off).
        for breakers in [true, false] {
            let cancelled = Job::default();
            cancelled.cancel.store(true, Ordering::Relaxed);
            let mut core = CoreConfig::default();
            core.limits.breakers = breakers;
            let r = run_grid(
                data(500).as_slice(),
                &BacktestParams {
                    core,
                    slippage_ticks: 1,
                },
                &GridSpec::default(),
                RankBy::Score,
                &cancelled,
            );
            assert_eq!(r.unwrap_err(), "cancelled");
        }
    }

    #[test]
    fn walkforward_validates_each_folds_winner_out_of_sample() {
        let bars = data(10_000);
        let base = BacktestParams {
            core: CoreConfig::default(),
            slippage_ticks: 1,
        };
        let wf = run_walkforward(
            bars.as_slice(),
            &base,
            &GridSpec::default(),
            RankBy::NetPnl,
            5,
            0.7,
            &Job::default(),
        )
        .unwrap();
        assert_eq!(wf.folds.len(), 5);
        for f in &wf.folds {
            assert_eq!(f.train_bars.1, f.validation_bars.0);
            assert_eq!(f.validation_bars.0 - f.train_bars.0, 1400);
            let mut p = base.clone();
            p.core.strategy = StrategyConfig::Zscore {
                lookback: f.best.lookback,
                entry_z: f.best.entry_z,
                exit_z: f.best.exit_z,
            };
            assert_eq!(
                run_backtest(&bars[f.validation_bars.0..f.validation_bars.1], &p)
                    .unwrap()
                    .metrics,
                f.validation
            );
        }
        assert!((wf.gap - (wf.in_sample - wf.out_of_sample)).abs() < 1e-12);
        assert!(run_walkforward(
            &bars[..100],
            &base,
            &GridSpec::default(),
            RankBy::NetPnl,
            5,
            0.7,
            &Job::default()
        )
        .is_err());
        // A fold count far past the bars is refused by the length check, without first asking memory for it.
        let too_many = run_walkforward(
            bars.as_slice(),
            &base,
            &GridSpec::default(),
            RankBy::NetPnl,
            u32::MAX as usize,
            0.7,
            &Job::default(),
        );
        assert_eq!(
            too_many.err(),
            Some("fold 1 is too short (0 bars) for a lookback of 50".into())
        );
    }
}
