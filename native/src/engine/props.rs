//! Property tests of the decision core under the backtest's broker: position never exceeds the max, every entry
//! has a stop below and a target above (long; mirrored short), breakers trip exactly at their thresholds, and a
//! snapshot/restore in the middle of a run changes nothing.
use proptest::prelude::*;

use super::*;
use crate::backtest::run::{drive, BacktestParams};
use crate::sim::{Bar, PriceWalk, PriceWalkParams};

fn bars(seed: u64, n: usize) -> Vec<Bar> {
    PriceWalk::new(&PriceWalkParams {
        seed,
        steps_per_bar: 25,
        ..Default::default()
    })
    .unwrap()
    .take(n)
    .collect()
}

fn config(lookback: usize, entry: f64, exit: f64, stop: f64, target: f64, qty: u32) -> CoreConfig {
    CoreConfig {
        strategy: StrategyConfig::Zscore {
            lookback,
            entry_z: entry,
            exit_z: exit,
        },
        limits: RiskLimits {
            stop_usd: stop,
            target_usd: target,
            quantity: qty,
            max_position: 2,
            ..RiskLimits::default()
        },
        bar_seconds: 60,
        capital: 10_000.0,
    }
}

/// The backtest's broker, step by step, with an optional snapshot/restore before bar `cut`.
fn step_run(
    b: &[Bar],
    cfg: &CoreConfig,
    cut: Option<usize>,
    mut on_entry: impl FnMut(&Position),
) -> Vec<Trade> {
    let mut core = DecisionCore::new(cfg.clone()).unwrap();
    let mut trades = Vec::new();
    for (i, bar) in b.iter().enumerate() {
        if Some(i) == cut {
            core = DecisionCore::restore(&core.snapshot()).unwrap();
        }
        match core.pending() {
            Some(Intent::Enter { side, .. }) => {
                let p = core
                    .on_entry_fill(bar.open + side.sign() * 0.25, bar.time, bar.time)
                    .unwrap();
                on_entry(&p);
            }
            Some(Intent::Exit { reason, .. }) => {
                let s = core.side().unwrap();
                trades.extend(core.on_exit_fill(bar.open - s.sign() * 0.25, bar.time, reason));
            }
            None => {}
        }
        if let Some(p) = core.position() {
            let hit = match p.side {
                Side::Long if bar.low <= p.stop => Some((p.stop.min(bar.open), ExitReason::Stop)),
                Side::Short if bar.high >= p.stop => Some((p.stop.max(bar.open), ExitReason::Stop)),
                _ => None,
            };
            if let Some((px, r)) = hit {
                trades.extend(core.on_exit_fill(px, bar.time, r));
            }
        }
        core.on_bar_close(bar);
    }
    trades
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn position_within_max_and_every_entry_bracketed(seed in 0u64..1000, lookback in 5usize..40, entry in 0.5f64..1.8,
                                                     stop in 10.0f64..400.0, target in 10.0f64..400.0, qty in 1u32..=2) {
        let cfg = config(lookback, entry, entry * 0.3, stop, target, qty);
        let mut entries = 0;
        step_run(&bars(seed, 3000), &cfg, None, |p| {
            entries += 1;
            assert!(p.qty <= 2);
            let s = p.side.sign();
            assert!((p.entry_price - p.stop) * s >= stop / 5.0 - 1e-9, "stop at least stop_usd away");
            assert!((p.target - p.entry_price) * s >= target / 5.0 - 1e-9, "target at least target_usd away");
            assert!(((p.stop / 0.25).round() * 0.25 - p.stop).abs() < 1e-9 && ((p.target / 0.25).round() * 0.25 - p.target).abs() < 1e-9);
        });
        prop_assert!(entries > 0);
    }

    #[test]
    fn snapshot_and_restore_mid_run_changes_nothing(seed in 0u64..1000, lookback in 2usize..40, cut in 1usize..2999) {
        let cfg = config(lookback, 1.5, 0.25, 100.0, 150.0, 1);
        let b = bars(seed, 3000);
        prop_assert_eq!(step_run(&b, &cfg, None, |_| ()), step_run(&b, &cfg, Some(cut), |_| ()));
    }

    #[test]
    fn daily_loss_limit_trips_exactly_at_the_threshold(ticks in 1u32..800) {
        // One losing trade of `ticks` x $1.25 (no commission) against a $500 limit: halted iff the loss >= $500.
        let mut cfg = config(2, 1.0, 0.5, 10_000.0, 10_000.0, 1);
        cfg.limits.commission_per_side = 0.0;
        let mut core = DecisionCore::new(cfg).unwrap();
        let t = 1_767_711_600;
        core.on_bar_close(&Bar { time: t, open: 5000.0, high: 5000.0, low: 5000.0, close: 5000.0, volume: 1.0 });
        core.on_bar_close(&Bar { time: t + 60, open: 5000.0, high: 5000.0, low: 4999.0, close: 4999.0, volume: 1.0 });
        let entered = matches!(core.pending(), Some(Intent::Enter { side: Side::Long, .. }));
        prop_assert!(entered, "expected a long entry");
        core.on_entry_fill(5000.0, t + 120, t + 120);
        let trade = core.on_exit_fill(5000.0 - ticks as f64 * 0.25, t + 120, ExitReason::Stop).unwrap();
        let halted = matches!(core.state(), TradingState::Halted { reason: Reason::DailyLossLimit, .. });
        prop_assert_eq!(halted, -trade.pnl >= 500.0);
    }

    #[test]
    fn backtest_grid_path_and_streaming_path_agree(seed in 0u64..200, lookback in 2usize..30) {
        let b = bars(seed, 2000);
        let params = BacktestParams { core: config(lookback, 1.5, 0.5, 200.0, 300.0, 1), slippage_ticks: 1 };
        let streaming = drive(&b, &params, DecisionCore::new(params.core.clone()).unwrap());
        let closes: Vec<f64> = b.iter().map(|x| x.close).collect();
        let mut z = vec![0.0; closes.len()];
        crate::indicators::zscore_batch(&closes, lookback, &mut z).unwrap();
        let pre = strategy::PrecomputedZ::new(z, 1.5, 0.5);
        let grid = drive(&b, &params, DecisionCore::with_strategy(params.core.clone(), pre).unwrap());
        prop_assert_eq!(streaming.trades, grid.trades);
    }
}

#[test]
fn drawdown_halt_waits_for_the_trader_and_three_losses_pause() {
    let mut cfg = config(2, 1.0, 0.5, 10_000.0, 10_000.0, 1);
    cfg.limits.commission_per_side = 0.0;
    cfg.limits.daily_loss_limit_usd = 5_000.0;
    let mut core = DecisionCore::new(cfg).unwrap();
    let t = 1_767_711_600;
    core.on_bar_close(&Bar {
        time: t,
        open: 5000.0,
        high: 5000.0,
        low: 5000.0,
        close: 5000.0,
        volume: 1.0,
    });
    // Each call: a bar whose close moves (a signal on window 2), the entry fills, and the trade loses `usd`.
    let lose = |core: &mut DecisionCore, k: i64, usd: f64| {
        let c = if k % 2 == 0 { 4999.0 } else { 5000.0 };
        let time = t + 60 * (k + 1);
        core.on_bar_close(&Bar {
            time,
            open: c,
            high: c,
            low: c,
            close: c,
            volume: 1.0,
        });
        let Some(Intent::Enter { side, .. }) = core.pending() else {
            panic!("expected an entry at bar {k}, state {:?}", core.state());
        };
        core.on_entry_fill(5000.0, time + 60, time + 60);
        core.on_exit_fill(
            5000.0 - side.sign() * usd / 5.0,
            time + 60,
            ExitReason::Stop,
        );
    };
    lose(&mut core, 0, 100.0);
    lose(&mut core, 1, 100.0);
    assert_eq!(core.state(), TradingState::Active);
    lose(&mut core, 2, 100.0);
    assert!(matches!(
        core.state(),
        TradingState::Paused {
            reason: Reason::ConsecutiveLossPause,
            ..
        }
    ));
    core.resume();
    lose(&mut core, 3, 700.0); // equity 10000 -> 9000: exactly $1000 below the peak
    assert_eq!(
        core.state(),
        TradingState::Halted {
            until: None,
            reason: Reason::DrawdownHalt
        }
    );
    let restored = DecisionCore::restore(&core.snapshot()).unwrap();
    assert_eq!(restored.state(), core.state(), "a halt survives a restart");
    assert!(DecisionCore::restore("{").is_err());
}
