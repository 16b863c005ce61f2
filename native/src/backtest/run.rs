//! The backtest: drives the decision core bar by bar with a simulated broker (fill model in docs/BACKTEST.md).
use crate::engine::{CoreConfig, DecisionCore, ExitReason, Intent, Side, Trade};
use crate::sim::Bar;

use super::metrics::{compute_metrics, Metrics};

pub const TICK: f64 = 0.25;

#[derive(Debug, Clone, PartialEq)]
pub struct BacktestParams {
    pub core: CoreConfig,
    pub slippage_ticks: u32,
}

#[derive(Debug, Clone)]
pub struct BacktestResult {
    pub trades: Vec<Trade>,
    /// Equity marked to market at every bar close.
    pub equity: Vec<f64>,
    pub metrics: Metrics,
}

/// Where the bracket closes the position inside `bar`, if it does: a gap beyond a level exits at the open;
/// otherwise a touched stop wins over a touched target.
fn bracket_exit(side: Side, stop: f64, target: f64, bar: &Bar) -> Option<(f64, ExitReason)> {
    match side {
        Side::Long => {
            if bar.open <= stop {
                Some((bar.open, ExitReason::Stop))
            } else if bar.open >= target {
                Some((bar.open, ExitReason::Target))
            } else if bar.low <= stop {
                Some((stop, ExitReason::Stop))
            } else if bar.high >= target {
                Some((target, ExitReason::Target))
            } else {
                None
            }
        }
        Side::Short => {
            if bar.open >= stop {
                Some((bar.open, ExitReason::Stop))
            } else if bar.open <= target {
                Some((bar.open, ExitReason::Target))
            } else if bar.high >= stop {
                Some((stop, ExitReason::Stop))
            } else if bar.low <= target {
                Some((target, ExitReason::Target))
            } else {
                None
            }
        }
    }
}

pub fn run_backtest(bars: &[Bar], params: &BacktestParams) -> Result<BacktestResult, String> {
    validate_bars(bars)?;
    let core = DecisionCore::new(params.core.clone())?;
    Ok(drive(bars, params, core))
}

pub fn validate_bars(bars: &[Bar]) -> Result<(), String> {
    if let Some(i) = bars.iter().position(|b| {
        ![b.open, b.high, b.low, b.close]
            .iter()
            .all(|v| v.is_finite())
    }) {
        return Err(format!("bar {i} has a price that is not a finite number"));
    }
    if let Some(i) = bars.windows(2).position(|w| w[1].time <= w[0].time) {
        return Err(format!(
            "bar {} does not start after bar {} (times must increase)",
            i + 1,
            i
        ));
    }
    Ok(())
}

/// The bar loop: the simulated broker around a ready decision core (bars already validated).
pub fn drive(bars: &[Bar], params: &BacktestParams, mut core: DecisionCore) -> BacktestResult {
    let slip = params.slippage_ticks as f64 * TICK;
    let mut trades = Vec::new();
    let mut equity = Vec::with_capacity(bars.len());

    for bar in bars {
        match core.pending() {
            Some(Intent::Enter { side, .. }) => {
                core.on_entry_fill(bar.open + side.sign() * slip, bar.time, bar.time);
            }
            Some(Intent::Exit { reason, .. }) => {
                let side = core.side().expect("an exit intent implies a position");
                trades.extend(core.on_exit_fill(bar.open - side.sign() * slip, bar.time, reason));
            }
            None => {}
        }
        if let Some(pos) = core.position() {
            if let Some((price, reason)) = bracket_exit(pos.side, pos.stop, pos.target, bar) {
                trades.extend(core.on_exit_fill(price, bar.time, reason));
            }
        }
        core.on_bar_close(bar);
        equity.push(core.equity(bar.close));
    }
    if let Some(last) = bars.last() {
        if core.position().is_some() {
            let t = last.time + params.core.bar_seconds;
            trades.extend(core.on_exit_fill(last.close, t, ExitReason::End));
            if let Some(e) = equity.last_mut() {
                *e = core.equity(last.close);
            }
        }
    }
    let metrics = compute_metrics(
        &trades,
        &equity,
        bars,
        params.core.capital,
        params.core.bar_seconds,
    );
    BacktestResult {
        trades,
        equity,
        metrics,
    }
}
