//! Decision-core vocabulary: sides, intents out, trading states and machine-readable refusal reasons.
use serde::{Deserialize, Serialize};

/// MES: $5 per index point, 0.25-point tick.
pub const MULTIPLIER: f64 = 5.0;
pub const TICK: f64 = 0.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Long,
    Short,
}

impl Side {
    /// +1 for long, -1 for short.
    pub fn sign(self) -> f64 {
        match self {
            Side::Long => 1.0,
            Side::Short => -1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    Signal,
    Stop,
    Target,
    Time,
    Breaker,
    End,
    Flatten,
}

impl ExitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ExitReason::Signal => "signal",
            ExitReason::Stop => "stop",
            ExitReason::Target => "target",
            ExitReason::Time => "time",
            ExitReason::Breaker => "breaker",
            ExitReason::End => "end",
            ExitReason::Flatten => "flatten",
        }
    }
}

/// Why the core refused or stopped new entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    MaxPosition,
    DailyLossLimit,
    DrawdownHalt,
    ConsecutiveLossPause,
    StaleData,
    OrderRateLimit,
    Paused,
    Halted,
    KillSwitch,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::MaxPosition => "max_position",
            Reason::DailyLossLimit => "daily_loss_limit",
            Reason::DrawdownHalt => "drawdown_halt",
            Reason::ConsecutiveLossPause => "consecutive_loss_pause",
            Reason::StaleData => "stale_data",
            Reason::OrderRateLimit => "order_rate_limit",
            Reason::Paused => "paused",
            Reason::Halted => "halted",
            Reason::KillSwitch => "kill_switch",
        }
    }
}

/// What the core wants done. Entries carry the bracket (stop and target are set from the fill price once known).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Intent {
    Enter { id: u64, side: Side, qty: u32 },
    Exit { id: u64, reason: ExitReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TradingState {
    Active,
    /// No new entries until `until` (epoch seconds); exits keep working.
    Paused {
        until: i64,
        reason: Reason,
    },
    /// No new entries until `until` (a CME session start), or until reset by the trader when `until` is None.
    Halted {
        until: Option<i64>,
        reason: Reason,
    },
}

/// The open position with its bracket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub side: Side,
    pub qty: u32,
    pub entry_price: f64,
    pub entry_time: i64,
    /// Start of the bar in which the entry filled.
    pub entry_bar_start: i64,
    pub stop: f64,
    pub target: f64,
}

/// A closed round trip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    pub side: Side,
    pub qty: u32,
    pub entry_time: i64,
    pub entry_price: f64,
    pub exit_time: i64,
    pub exit_price: f64,
    /// Net of commissions, in dollars.
    pub pnl: f64,
    pub exit_reason: ExitReason,
}

/// Round a price to the tick grid, away from `from` (stops and targets never move closer than asked).
pub fn round_away(price: f64, from: f64) -> f64 {
    let ticks = price / TICK;
    let r = if price >= from {
        ticks.ceil()
    } else {
        ticks.floor()
    };
    // Values already on the grid stay put (ceil/floor of an integer is itself, up to float noise).
    let snapped = ticks.round();
    (if (ticks - snapped).abs() < 1e-9 {
        snapped
    } else {
        r
    }) * TICK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_away_from_the_fill() {
        assert_eq!(round_away(4960.1, 5000.0), 4960.0); // below the fill: down
        assert_eq!(round_away(5040.1, 5000.0), 5040.25); // above the fill: up
        assert_eq!(round_away(4960.25, 5000.0), 4960.25); // on the grid: unchanged
    }
}
