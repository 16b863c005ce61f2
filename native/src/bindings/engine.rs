//! The decision core for the live engine: the same `DecisionCore` the backtest drives, one bar and one fill at a
//! time, with its snapshot as a JSON string the engine persists on every change.
use napi_derive::napi;

use super::backtest::{params, BacktestOptions, BacktestTrade};
use super::sim::NativeBar;
use super::{epoch_secs, invalid};
use crate::engine::{DecisionCore, ExitReason, Intent, Position, Side, TradingState};
use crate::sim::Bar;

#[napi(object)]
pub struct CoreIntent {
    /// enter | exit
    pub kind: String,
    /// The core's intent number (unique within one core's life, kept across snapshots).
    pub id: f64,
    /// long | short (entries only)
    pub side: Option<String>,
    pub qty: Option<u32>,
    /// signal | time | breaker | flatten (exits only)
    pub reason: Option<String>,
}

#[napi(object)]
pub struct CorePosition {
    pub side: String,
    pub qty: u32,
    pub entry_price: f64,
    pub entry_time: f64,
    pub stop: f64,
    pub target: f64,
}

#[napi(object)]
pub struct CoreBracket {
    pub stop: f64,
    pub target: f64,
}

#[napi(object)]
pub struct CoreStatus {
    /// active | paused | halted
    pub state: String,
    /// Machine-readable reason of a pause or halt (e.g. daily_loss_limit), null when active.
    pub reason: Option<String>,
    /// Epoch seconds when a pause or halt ends by itself; null when it waits for the trader.
    pub until: Option<f64>,
    pub position: Option<CorePosition>,
    pub pending: Option<CoreIntent>,
    pub realized: f64,
    pub day_realized: f64,
    pub consecutive_losses: u32,
}

fn side_text(s: Side) -> String {
    match s {
        Side::Long => "long".into(),
        Side::Short => "short".into(),
    }
}

fn parse_side(s: &str) -> napi::Result<Side> {
    match s {
        "long" => Ok(Side::Long),
        "short" => Ok(Side::Short),
        other => Err(invalid(format!(
            "side must be long or short, got \"{other}\""
        ))),
    }
}

fn intent(i: Intent) -> CoreIntent {
    match i {
        Intent::Enter { id, side, qty } => CoreIntent {
            kind: "enter".into(),
            id: id as f64,
            side: Some(side_text(side)),
            qty: Some(qty),
            reason: None,
        },
        Intent::Exit { id, reason } => CoreIntent {
            kind: "exit".into(),
            id: id as f64,
            side: None,
            qty: None,
            reason: Some(reason.as_str().into()),
        },
    }
}

fn position(p: Position) -> CorePosition {
    CorePosition {
        side: side_text(p.side),
        qty: p.qty,
        entry_price: p.entry_price,
        entry_time: p.entry_time as f64,
        stop: p.stop,
        target: p.target,
    }
}

fn exit_reason(s: &str) -> napi::Result<ExitReason> {
    Ok(match s {
        "signal" => ExitReason::Signal,
        "stop" => ExitReason::Stop,
        "target" => ExitReason::Target,
        "time" => ExitReason::Time,
        "breaker" => ExitReason::Breaker,
        "end" => ExitReason::End,
        "flatten" => ExitReason::Flatten,
        other => return Err(invalid(format!("unknown exit reason \"{other}\""))),
    })
}

#[napi]
pub struct LiveCore {
    core: DecisionCore,
    strategy_reset: bool,
}

#[napi]
impl LiveCore {
    /// A fresh core (slippage in the options is ignored: live fills are real).
    #[napi(constructor, catch_unwind)]
    pub fn new(options: BacktestOptions) -> napi::Result<Self> {
        let p = params(&options)?;
        Ok(Self {
            core: DecisionCore::new(p.core).map_err(invalid)?,
            strategy_reset: false,
        })
    }

    /// A core restored exactly from `snapshot()`.
    #[napi(factory, catch_unwind)]
    pub fn restore(snapshot: String) -> napi::Result<Self> {
        Ok(Self {
            core: DecisionCore::restore(&snapshot).map_err(invalid)?,
            strategy_reset: false,
        })
    }

    /// Restores under the current options (settings changed since the snapshot): state, position, P&L and breaker
    /// counts carry over; a changed strategy starts fresh (`strategyReset` tells the engine to warm it up).
    #[napi(factory, catch_unwind)]
    pub fn restore_with_options(snapshot: String, options: BacktestOptions) -> napi::Result<Self> {
        let p = params(&options)?;
        let (core, reset) =
            DecisionCore::restore_reconfigured(&snapshot, p.core).map_err(invalid)?;
        Ok(Self {
            core,
            strategy_reset: reset,
        })
    }

    /// True when the last restore started the strategy afresh (its settings changed).
    #[napi(getter)]
    pub fn strategy_reset(&self) -> bool {
        self.strategy_reset
    }

    #[napi(catch_unwind)]
    pub fn snapshot(&self) -> String {
        self.core.snapshot()
    }

    /// A strategy bar closed; returns the intent to carry out, if any.
    #[napi(catch_unwind)]
    pub fn on_bar(&mut self, bar: NativeBar) -> napi::Result<Option<CoreIntent>> {
        let values = [bar.time, bar.open, bar.high, bar.low, bar.close];
        if values.iter().any(|v| !v.is_finite()) || bar.high < bar.low {
            return Err(invalid(format!(
                "bar at {} is not a valid bar (open {}, high {}, low {}, close {})",
                bar.time, bar.open, bar.high, bar.low, bar.close
            )));
        }
        let time = epoch_secs(bar.time, "bar time")?;
        Ok(self
            .core
            .on_bar_close(&Bar {
                time,
                open: bar.open,
                high: bar.high,
                low: bar.low,
                close: bar.close,
                volume: bar.volume,
            })
            .map(intent))
    }

    /// Feeds a historical close to the strategy only (warm-up before trading starts).
    #[napi(catch_unwind)]
    pub fn warm_up(&mut self, close: f64) -> napi::Result<()> {
        if !close.is_finite() {
            return Err(invalid(format!(
                "warm-up close must be a number, got {close}"
            )));
        }
        self.core.warm_up(close);
        Ok(())
    }

    /// The entry filled at `price` (the bracket is set from it).
    #[napi(catch_unwind)]
    pub fn on_entry_fill(
        &mut self,
        price: f64,
        time: f64,
        bar_start: f64,
    ) -> napi::Result<Option<CorePosition>> {
        let t = epoch_secs(time, "fill time")?;
        let b = epoch_secs(bar_start, "bar start")?;
        Ok(self.core.on_entry_fill(price, t, b).map(position))
    }

    /// The position closed at `price` for `reason` (signal, stop, target, time, breaker, flatten).
    #[napi(catch_unwind)]
    pub fn on_exit_fill(
        &mut self,
        price: f64,
        time: f64,
        reason: String,
    ) -> napi::Result<Option<BacktestTrade>> {
        let t = epoch_secs(time, "fill time")?;
        let r = exit_reason(&reason)?;
        Ok(self.core.on_exit_fill(price, t, r).map(|tr| BacktestTrade {
            side: side_text(tr.side),
            qty: tr.qty,
            entry_time: tr.entry_time as f64,
            entry_price: tr.entry_price,
            exit_time: tr.exit_time as f64,
            exit_price: tr.exit_price,
            pnl: tr.pnl,
            exit_reason: tr.exit_reason.as_str().into(),
        }))
    }

    /// The broker refused the outstanding intent (nothing was filled).
    #[napi(catch_unwind)]
    pub fn on_rejected(&mut self) {
        self.core.on_rejected();
    }

    #[napi(catch_unwind)]
    pub fn pause(&mut self, until: f64) -> napi::Result<()> {
        self.core.pause(epoch_secs(until, "pause end")?);
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn halt(&mut self) {
        self.core.halt_by_trader();
    }

    #[napi(catch_unwind)]
    pub fn resume(&mut self) {
        self.core.resume();
    }

    /// Halts and returns the exit intent when a position is open.
    #[napi(catch_unwind)]
    pub fn flatten(&mut self, time: f64) -> napi::Result<Option<CoreIntent>> {
        Ok(self
            .core
            .flatten(epoch_secs(time, "flatten time")?)
            .map(intent))
    }

    /// Takes over a broker position the core did not open.
    #[napi(catch_unwind)]
    pub fn adopt(
        &mut self,
        side: String,
        qty: u32,
        price: f64,
        time: f64,
    ) -> napi::Result<CorePosition> {
        let s = parse_side(&side)?;
        let t = epoch_secs(time, "adopt time")?;
        self.core
            .adopt(s, qty, price, t)
            .map(position)
            .map_err(invalid)
    }

    /// Stop and target the core would set for an entry at `price` (the rule `onEntryFill` applies).
    #[napi(catch_unwind)]
    pub fn bracket_for(&self, side: String, price: f64) -> napi::Result<CoreBracket> {
        if !(price.is_finite() && price > 0.0) {
            return Err(invalid(format!(
                "bracket price must be a positive number, got {price}"
            )));
        }
        let (stop, target) = self.core.bracket(parse_side(&side)?, price);
        Ok(CoreBracket { stop, target })
    }

    #[napi(catch_unwind)]
    pub fn unrealized(&self, price: f64) -> f64 {
        self.core.unrealized(price)
    }

    #[napi(catch_unwind)]
    pub fn status(&self) -> CoreStatus {
        let (state, reason, until) = match self.core.state() {
            TradingState::Active => ("active", None, None),
            TradingState::Paused { until, reason } => ("paused", Some(reason), Some(until as f64)),
            TradingState::Halted { until, reason } => {
                ("halted", Some(reason), until.map(|u| u as f64))
            }
        };
        CoreStatus {
            state: state.into(),
            reason: reason.map(|r| r.as_str().into()),
            until,
            position: self.core.position().map(position),
            pending: self.core.pending().map(intent),
            realized: self.core.realized(),
            day_realized: self.core.day_realized(),
            consecutive_losses: self.core.consecutive_losses(),
        }
    }

    /// Entry refusals from index `from` on: `[closeTime, reason]` pairs (machine-readable reasons).
    #[napi(catch_unwind)]
    pub fn refusals_since(&self, from: u32) -> Vec<(f64, String)> {
        self.core
            .refusals()
            .iter()
            .skip(from as usize)
            .map(|(t, r)| (*t as f64, r.as_str().to_string()))
            .collect()
    }
}
