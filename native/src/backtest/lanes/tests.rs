//! The lanes against the decision core: identical trades and metrics, bit for bit, for random settings on random
//! data, on every lane width this CPU runs.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::backtest::equivalence_tests::{assert_exits_seen, data};
use crate::backtest::run::run_backtest_precomputed_z;
use crate::engine::{CoreConfig, ExitReason, RiskLimits};
use crate::indicators::zscore_batch;
use crate::sim::Bar;

/// Random settings for a z-score run (tight breakers when on); also the scan's tests' settings.
pub(in crate::backtest) fn params(
    rng: &mut ChaCha8Rng,
    lookback: usize,
    breakers: bool,
) -> BacktestParams {
    // Dollar amounts off the tick grid too, so the bracket's rounding away from the fill is exercised.
    let usd =
        |rng: &mut ChaCha8Rng| [12.5, 25.0, 37.3, 60.0, 200.0, 300.0, 1e6][rng.random_range(0..7)];
    let quantity = rng.random_range(1..3);
    BacktestParams {
        core: CoreConfig {
            strategy: StrategyConfig::Zscore {
                lookback,
                entry_z: 2.0,
                exit_z: 0.5,
            },
            limits: RiskLimits {
                breakers,
                // Tight limits so the breakers trip often.
                daily_loss_limit_usd: [60.0, 150.0, 500.0][rng.random_range(0..3)],
                max_drawdown_usd: [30.0, 150.0, 400.0, 1e6][rng.random_range(0..4)],
                consecutive_losses_to_pause: rng.random_range(1..4),
                pause_secs: [60, 1_800, 7_200][rng.random_range(0..3)],
                quantity,
                max_position: 2,
                stop_usd: usd(rng),
                target_usd: usd(rng),
                max_hold_secs: [2, 5, 30, 120, 100_000][rng.random_range(0..5)] * 60,
                commission_per_side: [0.0, 0.62, 1.1][rng.random_range(0..3)],
                ..Default::default()
            },
            // Longer bars than the data's spacing overlap: the lanes take those only with the breakers off.
            bar_seconds: if breakers {
                60
            } else {
                [60, 120, 300][rng.random_range(0..3)]
            },
            capital: [10_000.0, 500.0][rng.random_range(0..2)],
        },
        slippage_ticks: rng.random_range(0..4),
    }
}

/// Random settings over the given (lookback, z column) pairs: each lane its own lookback, entry and exit.
fn settings<'z>(
    rng: &mut ChaCha8Rng,
    zs: &'z [(usize, Vec<f64>)],
    count: usize,
) -> Vec<(usize, Setting<'z>)> {
    (0..count)
        .map(|_| {
            let (lookback, z) = &zs[rng.random_range(0..zs.len())];
            let entry = 0.5 + rng.random::<f64>() * 2.5;
            let exit = if rng.random_range(0..4) == 0 {
                0.0
            } else {
                rng.random::<f64>() * entry * 0.9
            };
            (*lookback, (z.as_slice(), entry, exit))
        })
        .collect()
}

pub(in crate::backtest) fn with_setting(
    p: &BacktestParams,
    lookback: usize,
    entry_z: f64,
    exit_z: f64,
) -> BacktestParams {
    let mut p = p.clone();
    p.core.strategy = StrategyConfig::Zscore {
        lookback,
        entry_z,
        exit_z,
    };
    p
}

/// Every lane width this CPU runs (none without AVX2: then the core runs every setting and there is nothing to
/// compare).
fn widths() -> Vec<usize> {
    [8, 4].into_iter().filter(|w| *w <= width()).collect()
}

#[test]
fn lanes_make_the_cores_trades_and_metrics() {
    if widths().is_empty() {
        eprintln!("skipped: this CPU has no AVX2, so the grid runs every setting through the core");
        return;
    }
    let mut trades_seen = 0;
    let mut reasons = Vec::new();
    for seed in 0..40u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1a9e5);
        // Now and then only a handful of bars (no signal, one bar, no day boundary).
        let len = if seed % 10 == 9 {
            rng.random_range(1..6)
        } else {
            rng.random_range(50..4_000)
        };
        let bars = data(seed, len);
        let p = params(&mut rng, 20, seed % 2 == 0);
        let spacing = crate::backtest::run::validate_bars(bars.as_slice()).unwrap();
        assert!(applies(
            &p,
            spacing,
            bars[0].time,
            bars[bars.len() - 1].time
        ));
        let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
        let zs: Vec<(usize, Vec<f64>)> = (0..rng.random_range(1..4))
            .map(|_| {
                let lookback = rng.random_range(2..40);
                let mut z = vec![0.0; closes.len()];
                zscore_batch(&closes, lookback, &mut z).unwrap();
                (lookback, z)
            })
            .collect();
        for w in widths() {
            // Sometimes fewer settings than lanes (the padded lanes must not leak into the results).
            let count = if rng.random_range(0..3) == 0 {
                rng.random_range(1..w)
            } else {
                w
            };
            let chosen = settings(&mut rng, &zs, count);
            let s: Vec<Setting> = chosen.iter().map(|c| c.1).collect();
            let go = |record| {
                let cancel = AtomicBool::new(false);
                let inputs = Inputs {
                    params: &p,
                    record,
                    cancel: &cancel,
                };
                run_with(w, bars.as_slice(), &s, &inputs).unwrap()
            };
            let (recorded, unrecorded) = (go(true), go(false));
            assert_eq!(recorded.len(), count);
            for (l, &(lookback, (z, entry, exit))) in chosen.iter().enumerate() {
                let lane_params = with_setting(&p, lookback, entry, exit);
                let (trades, metrics) =
                    run_backtest_precomputed_z(bars.as_slice(), &lane_params, z, None).unwrap();
                let what = format!("seed {seed}, width {w}, lane {l}, {lane_params:?}");
                assert_eq!(recorded[l].trades, trades, "{what}");
                assert_eq!(recorded[l].metrics, metrics, "{what}");
                assert_eq!(unrecorded[l].metrics, metrics, "{what}");
                assert!(unrecorded[l].trades.is_empty());
                // Same bits, not merely equal (-0.0 == 0.0).
                assert_eq!(
                    recorded[l].metrics.net_pnl.to_bits(),
                    metrics.net_pnl.to_bits()
                );
                trades_seen += trades.len();
                reasons.extend(trades.iter().map(|t| t.exit_reason));
            }
        }
    }
    assert!(trades_seen > 10_000, "the runs traded: {trades_seen}");
    use ExitReason::*;
    assert_exits_seen(&reasons, &[Signal, Stop, Target, Time, End, Breaker]);
}

#[test]
fn lanes_apply_only_where_they_equal_the_core() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let base = params(&mut rng, 20, false);
    let (first, last) = (1_767_623_400, 1_767_623_400 + 86_400);
    assert!(applies(&base, 60, first, last));
    let mut on = base.clone();
    on.core.limits.breakers = true;
    on.core.bar_seconds = 60;
    assert!(applies(&on, 60, first, last));
    on.core.bar_seconds = 120;
    assert!(
        !applies(&on, 60, first, last),
        "with the breakers on, overlapping bars need the core"
    );
    let mut refused = base.clone();
    refused.core.limits.quantity = 3;
    refused.core.limits.max_position = 2;
    assert!(
        !applies(&refused, 60, first, last),
        "refused entries need the core"
    );
    let mut rate = base.clone();
    rate.core.limits.max_orders_per_minute = 5;
    // Bars 10 s apart: up to 5 earlier closes in a minute could fill a limit of 5.
    assert!(!applies(&rate, 10, first, last));
    assert!(
        applies(&rate, 12, first, last),
        "4 earlier closes stay under 5"
    );
    // One bar (no spacing) and bars hours apart: no earlier close within a minute.
    assert!(applies(&rate, i64::MAX, first, first));
    rate.core.limits.max_orders_per_minute = 1;
    assert!(applies(&rate, 7_200, first, last));
    assert!(!applies(&rate, 59, first, last));
    let mut bollinger = base.clone();
    bollinger.core.strategy = StrategyConfig::Bollinger { period: 20, k: 2.0 };
    assert!(!applies(&bollinger, 60, first, last));
    let mut long_hold = base;
    long_hold.core.limits.max_hold_secs = 1 << 53;
    assert!(!applies(&long_hold, 60, first, last));
}

#[test]
fn a_cancelled_run_stops_with_cancelled() {
    let Some(&w) = widths().first() else {
        eprintln!("skipped: this CPU has no AVX2");
        return;
    };
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let bars = data(5, 3_000);
    let p = params(&mut rng, 20, false);
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; closes.len()];
    zscore_batch(&closes, 20, &mut z).unwrap();
    let cancel = AtomicBool::new(true);
    let inputs = Inputs {
        params: &p,
        record: false,
        cancel: &cancel,
    };
    let r = run_with(w, bars.as_slice(), &[(z.as_slice(), 2.0, 0.5)], &inputs);
    assert_eq!(r.unwrap_err(), "cancelled");
    let too_many = vec![(z.as_slice(), 2.0, 0.5); w + 1];
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        run_with(w, bars.as_slice(), &too_many, &inputs).unwrap_err(),
        format!("{} settings for {w} lanes", w + 1)
    );
}

/// A bar whose range is its open and close.
fn oc((time, open, close): (i64, f64, f64)) -> Bar {
    Bar {
        time,
        open,
        high: open.max(close),
        low: open.min(close),
        close,
        volume: 1.0,
    }
}

/// Hand-built bars for corner cases, through the core and the lanes (which must agree); the trades' exit reasons
/// and P&L. Lookback 2 makes z a function of the last move: -1 after a fall (long at entry 1), +1 after a rise
/// (short), 0 when unchanged (exit at 0.5). No commission or slippage: every P&L is whole points x $5. Unless the
/// case sets them, stops and targets are out of reach.
fn corner_case(bars: &[(i64, f64, f64)], limits: RiskLimits) -> Vec<(ExitReason, f64)> {
    let bars: Vec<Bar> = bars.iter().copied().map(oc).collect();
    corner_case_bars(&bars, limits)
}

fn corner_case_bars(bars: &[Bar], limits: RiskLimits) -> Vec<(ExitReason, f64)> {
    let Some(&w) = widths().first() else {
        eprintln!("skipped: this CPU has no AVX2");
        return Vec::new();
    };
    let p = BacktestParams {
        core: CoreConfig {
            strategy: StrategyConfig::Zscore {
                lookback: 2,
                entry_z: 1.0,
                exit_z: 0.5,
            },
            limits: RiskLimits {
                breakers: true,
                max_hold_secs: 1_000 * 86_400,
                commission_per_side: 0.0,
                ..limits
            },
            bar_seconds: 60,
            capital: 10_000.0,
        },
        slippage_ticks: 0,
    };
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let mut z = vec![0.0; closes.len()];
    zscore_batch(&closes, 2, &mut z).unwrap();
    let (trades, metrics) = run_backtest_precomputed_z(bars, &p, &z, None).unwrap();
    let spacing = crate::backtest::run::validate_bars(bars).unwrap();
    assert!(applies(
        &p,
        spacing,
        bars[0].time,
        bars[bars.len() - 1].time
    ));
    let cancel = AtomicBool::new(false);
    let inputs = Inputs {
        params: &p,
        record: true,
        cancel: &cancel,
    };
    let lanes = run_with(w, bars, &[(z.as_slice(), 1.0, 0.5)], &inputs).unwrap();
    assert_eq!(lanes[0].trades, trades);
    assert_eq!(lanes[0].metrics, metrics);
    trades.iter().map(|t| (t.exit_reason, t.pnl)).collect()
}

/// The corner cases' limits: breakers on, stop and target out of reach.
fn far_bracket() -> RiskLimits {
    RiskLimits {
        stop_usd: 1e6,
        target_usd: 1e6,
        ..Default::default()
    }
}

/// A bar that opens beyond the target and then trades through the stop exits at the open as a target exit.
#[test]
fn a_gap_beyond_the_target_exits_at_the_open_even_if_the_bar_reaches_the_stop() {
    let at = |k: i64| TUESDAY_8_CT + k * 60;
    let mut bars: Vec<Bar> = [
        (at(0), 5000.0, 5000.0),
        (at(1), 5000.0, 4999.0), // fall: long
        (at(2), 4999.0, 5000.0), // long at 4999: stop 4994, target 5009
    ]
    .into_iter()
    .map(oc)
    .collect();
    bars.push(Bar {
        time: at(3),
        open: 5010.0,
        high: 5011.0,
        low: 4990.0,
        close: 4995.0,
        volume: 1.0,
    });
    let trades = corner_case_bars(
        &bars,
        RiskLimits {
            stop_usd: 25.0,
            target_usd: 50.0,
            ..Default::default()
        },
    );
    if !trades.is_empty() {
        assert_eq!(trades, vec![(ExitReason::Target, 55.0)]);
    }
}

/// Tuesday 2026-01-06 14:00 UTC (08:00 CT), inside one trading day.
const TUESDAY_8_CT: i64 = 1_767_708_000;

/// A daily-loss halt set at a day's last close ends at the next bar's open, where its exit fills; trading is
/// active again at that fill, so the exit's loss starts a pause. Bars at 15:00 and 18:00 CT, two per trading day.
#[test]
fn a_halt_ending_at_a_fill_lets_the_fills_loss_start_a_pause() {
    // Monday 2026-01-05 21:00 UTC (15:00 CT); then 18:00 CT (a new trading day) and 15:00 CT, in turn.
    let at = |k: i64| 1_767_646_800 + (k / 2) * 86_400 + if k % 2 == 1 { 3 * 3_600 } else { 0 };
    let trades = corner_case(
        &[
            (at(0), 5000.0, 5000.0),
            (at(1), 5000.0, 4999.0), // fall: long
            (at(2), 4999.0, 4999.0), // long fills at 4999; unchanged: exit (the day's last close)
            (at(3), 4995.0, 4997.0), // new day: exit at 4995 (-$20, first loss); fall: long
            (at(4), 4997.0, 4995.0), // long at 4997; -$20 realized - $10 open = -$30: breaker, halt
            (at(5), 4995.0, 4994.0), // halt over: exit at 4995 (-$10, second loss) pauses; long refused
            (at(6), 4994.0, 4994.0),
            (at(7), 4994.0, 4993.0),
            (at(8), 4993.0, 4993.0),
        ],
        RiskLimits {
            daily_loss_limit_usd: 30.0,
            max_drawdown_usd: 1e6,
            consecutive_losses_to_pause: 2,
            pause_secs: 3 * 86_400,
            ..far_bracket()
        },
    );
    if !trades.is_empty() {
        assert_eq!(
            trades,
            vec![(ExitReason::Signal, -20.0), (ExitReason::Breaker, -10.0)]
        );
    }
}

/// An exit that fills while trading is halted does not start a pause, even when its loss completes the count:
/// the halt keeps its end (the next session), and the entries an hour later stay refused.
#[test]
fn a_loss_filled_while_halted_starts_no_pause() {
    let at = |k: i64| TUESDAY_8_CT + k * 3_600;
    let trades = corner_case(
        &[
            (at(0), 5000.0, 5000.0),
            (at(1), 5000.0, 4999.0), // fall: long
            (at(2), 4999.0, 4999.0), // long at 4999; unchanged: exit
            (at(3), 4997.0, 4995.0), // exit at 4997 (-$10, first loss); fall: long
            (at(4), 4995.0, 4991.0), // long at 4995; -$10 - $20 open = -$30: breaker, halt to 17:00 CT
            (at(5), 4994.0, 4993.0), // exit at 4994 (-$5, second loss) while halted; rise: short refused
            (at(6), 4993.0, 4992.0), // fall: long refused (still halted; a pause would have ended)
            (at(7), 4992.0, 4992.0),
        ],
        RiskLimits {
            daily_loss_limit_usd: 30.0,
            max_drawdown_usd: 1e6,
            consecutive_losses_to_pause: 2,
            pause_secs: 3_600,
            ..far_bracket()
        },
    );
    if !trades.is_empty() {
        assert_eq!(
            trades,
            vec![(ExitReason::Signal, -10.0), (ExitReason::Breaker, -5.0)]
        );
    }
}

/// A drawdown halt lasts until the trader resets it: a daily-loss halt at the same exit does not shorten it to the
/// next session, even when the fill recovered below the drawdown limit.
#[test]
fn a_drawdown_halt_is_not_shortened_by_a_daily_halt() {
    let at = |k: i64| TUESDAY_8_CT + k * 3_600;
    let day = 86_400;
    let trades = corner_case(
        &[
            (at(0), 5000.0, 5000.0),
            (at(1), 5000.0, 4999.0),       // fall: long
            (at(2), 4999.0, 4990.0), // long at 4999; -$45 open: drawdown over $40, halt for good
            (at(3), 4994.0, 4993.0), // exit at 4994 (-$25): day -$25 over its $20 limit, drawdown back to $25
            (at(4) + day, 4993.0, 4992.0), // next day, fall: long refused (halted for good)
            (at(5) + day, 4992.0, 4992.0),
        ],
        RiskLimits {
            daily_loss_limit_usd: 20.0,
            max_drawdown_usd: 40.0,
            consecutive_losses_to_pause: 5,
            ..far_bracket()
        },
    );
    if !trades.is_empty() {
        assert_eq!(trades, vec![(ExitReason::Breaker, -25.0)]);
    }
}
