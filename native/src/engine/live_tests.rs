//! The calls only the live engine makes: warm-up, adopt, trader commands and the snapshot between them.
use super::core::{CoreConfig, DecisionCore};
use super::types::{Intent, Reason, Side, TradingState};
use crate::sim::Bar;

fn bar(time: i64, close: f64) -> Bar {
    Bar {
        time,
        open: close,
        high: close,
        low: close,
        close,
        volume: 1.0,
    }
}

// Monday 2026-11-16 15:00 UTC (09:00 CT), inside the CME session.
const T0: i64 = 1_794_841_200;

#[test]
fn warm_up_moves_the_indicator_without_issuing_or_counting_orders() {
    let mut core = DecisionCore::new(CoreConfig::default()).unwrap();
    for i in 0..40 {
        core.warm_up(5000.0 + (i % 2) as f64 * 0.25);
    }
    assert!(core.pending().is_none());
    // A close far below the warmed-up mean is an entry signal on the very next live bar.
    let intent = core.on_bar_close(&bar(T0, 4990.0));
    assert!(matches!(
        intent,
        Some(Intent::Enter {
            side: Side::Long,
            ..
        })
    ));
}

#[test]
fn adopt_sets_the_bracket_from_the_price_and_refuses_above_max_position() {
    let mut core = DecisionCore::new(CoreConfig::default()).unwrap();
    assert!(core.adopt(Side::Long, 3, 5000.0, T0).is_err());
    let p = core.adopt(Side::Short, 1, 5000.1, T0).unwrap();
    assert_eq!(p.stop, 5040.25); // 40 points above, rounded away from the price
    assert_eq!(p.target, 4940.0);
    assert!(core.pending().is_none());
    let t = core.on_exit_fill(4990.0, T0 + 60, super::types::ExitReason::Flatten);
    assert!((t.unwrap().pnl - (10.1 * 5.0 - 1.24)).abs() < 1e-9);
}

#[test]
fn flatten_halts_until_resumed_and_the_halt_survives_a_snapshot() {
    let mut core = DecisionCore::new(CoreConfig::default()).unwrap();
    core.adopt(Side::Long, 1, 5000.0, T0).unwrap();
    let exit = core.flatten(T0 + 10);
    assert!(matches!(exit, Some(Intent::Exit { .. })));
    let restored = DecisionCore::restore(&core.snapshot()).unwrap();
    assert_eq!(
        restored.state(),
        TradingState::Halted {
            until: None,
            reason: Reason::KillSwitch
        }
    );
    assert_eq!(restored.pending(), core.pending());
    let mut restored = restored;
    restored.resume();
    assert_eq!(restored.state(), TradingState::Active);
}

#[test]
fn a_snapshot_restored_under_new_settings_keeps_state_and_resets_only_a_changed_strategy() {
    let mut core = DecisionCore::new(CoreConfig::default()).unwrap();
    for i in 0..30 {
        core.warm_up(5000.0 + (i % 3) as f64);
    }
    core.adopt(Side::Long, 1, 5000.0, T0).unwrap();
    core.flatten(T0 + 10);
    let json = core.snapshot();

    // Only a risk limit changed: the strategy state is kept.
    let cfg = CoreConfig {
        limits: crate::engine::RiskLimits {
            stop_usd: 100.0,
            ..Default::default()
        },
        ..Default::default()
    };
    let (same, reset) = DecisionCore::restore_reconfigured(&json, cfg).unwrap();
    assert!(!reset);
    assert_eq!(same.state(), core.state());
    assert_eq!(same.position(), core.position());

    // A new lookback: the strategy starts fresh, everything else carries over.
    let cfg = CoreConfig {
        strategy: crate::engine::StrategyConfig::Zscore {
            lookback: 50,
            entry_z: 2.0,
            exit_z: 0.5,
        },
        capital: 20_000.0,
        ..Default::default()
    };
    let (restored, reset) = DecisionCore::restore_reconfigured(&json, cfg).unwrap();
    assert!(reset);
    assert_eq!(restored.state(), core.state());
    assert_eq!(restored.position(), core.position());
    assert_eq!(restored.pending(), core.pending());
    assert_eq!(restored.realized(), core.realized());
    assert!(restored.snapshot().contains("\"lookback\":50"));
}
