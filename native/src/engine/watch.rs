//! An open position's rules at a bar close (circuit breakers, max holding time, exit signal), detached from the
//! core. The core judges every close of an open position with it; a batch run scans the bars on which nothing
//! happens with the same watch and hands the first bar that is not quiet back to the core. One definition of the
//! rules either way, so the fast scan cannot disagree with the core.
use super::risk::RiskLimits;
use super::strategy::Signal;
use super::types::{ExitReason, Position, Reason, Side, MULTIPLIER};

/// What an open position's bar close calls for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    Hold,
    /// Exit at the next open for this reason (max holding time or the strategy's exit signal).
    Exit(ExitReason),
    /// A circuit breaker tripped: halt (until the next CME session when `next_session`) and exit.
    Breaker {
        reason: Reason,
        next_session: bool,
    },
}

/// Profit or loss of `pos` marked at `price`, in dollars (before commissions).
#[inline(always)]
pub fn unrealized(pos: &Position, price: f64) -> f64 {
    (price - pos.entry_price) * pos.side.sign() * pos.qty as f64 * MULTIPLIER
}

/// A bar whose start and last second both fall inside the known trading-day span `[from, until)`: its close
/// needs no day roll.
#[inline(always)]
pub fn within_day(from: i64, until: i64, bar_time: i64, close_time: i64) -> bool {
    bar_time >= from && close_time - 1 < until
}

/// Built by the core (`DecisionCore::watch`) from its own state; nothing else sets these fields.
#[derive(Debug, Clone, Copy)]
pub struct PositionWatch {
    pub(super) pos: Position,
    pub(super) limits: RiskLimits,
    pub(super) bar_seconds: i64,
    pub(super) capital: f64,
    pub(super) realized: f64,
    pub(super) day_realized: f64,
    /// The equity peak, raised at every close while the breakers are on.
    pub(super) peak: f64,
    pub(super) day_from: i64,
    pub(super) day_until: i64,
}

impl PositionWatch {
    #[inline(always)]
    pub fn side(&self) -> Side {
        self.pos.side
    }
    #[inline(always)]
    pub fn stop(&self) -> f64 {
        self.pos.stop
    }
    #[inline(always)]
    pub fn target(&self) -> f64 {
        self.pos.target
    }
    #[inline(always)]
    pub fn peak(&self) -> f64 {
        self.peak
    }

    /// Equity marked at `price` (the same expression as the core's, so the same bits).
    #[inline(always)]
    pub fn equity(&self, price: f64) -> f64 {
        self.capital + self.realized + unrealized(&self.pos, price)
    }

    /// The bar starting at `bar_time` stays inside the trading day the watch was taken in.
    #[inline(always)]
    pub fn same_day(&self, bar_time: i64) -> bool {
        within_day(
            self.day_from,
            self.day_until,
            bar_time,
            bar_time + self.bar_seconds,
        )
    }

    /// The position's rules at the close of a bar (`close_time` = its end), in their order: drawdown, then daily
    /// loss (breakers on), then max holding time, then the strategy's exit signal.
    #[inline(always)]
    pub fn at_close(&mut self, close: f64, close_time: i64, signal: &Signal) -> Verdict {
        if self.limits.breakers {
            let unrealized = unrealized(&self.pos, close);
            let equity = self.capital + self.realized + unrealized;
            self.peak = self.peak.max(equity);
            if self.drawdown_trips(self.peak, equity) {
                return Verdict::Breaker {
                    reason: Reason::DrawdownHalt,
                    next_session: false,
                };
            }
            if self.daily_loss_trips(unrealized) {
                return Verdict::Breaker {
                    reason: Reason::DailyLossLimit,
                    next_session: true,
                };
            }
        }
        if self.held_too_long(close_time) {
            return Verdict::Exit(ExitReason::Time);
        }
        if signal.exits(self.pos.side) {
            return Verdict::Exit(ExitReason::Signal);
        }
        Verdict::Hold
    }

    #[inline(always)]
    fn drawdown_trips(&self, peak: f64, equity: f64) -> bool {
        peak - equity >= self.limits.max_drawdown_usd
    }

    #[inline(always)]
    fn daily_loss_trips(&self, unrealized: f64) -> bool {
        self.day_realized + unrealized <= -self.limits.daily_loss_limit_usd
    }

    #[inline(always)]
    fn held_too_long(&self, close_time: i64) -> bool {
        close_time - self.pos.entry_bar_start >= self.limits.max_hold_secs
    }

    // Block scanning: a batch run judges several bars at once with these (no branches per bar), and judges bar by
    // bar with `at_close` whenever a block is not plainly quiet.

    /// Bars starting in `[day_from, quiet_until)` pass the time rules: `same_day` and not `held_too_long` at
    /// their close (the two conditions solved for the bar's start).
    pub fn quiet_from(&self) -> i64 {
        self.day_from
    }
    pub fn quiet_until(&self) -> i64 {
        let day = self
            .day_until
            .saturating_sub(self.bar_seconds)
            .saturating_add(1);
        let hold = self
            .pos
            .entry_bar_start
            .saturating_add(self.limits.max_hold_secs)
            .saturating_sub(self.bar_seconds);
        day.min(hold)
    }

    /// The daily-loss breaker stays quiet at a close at `close` (always, with the breakers off).
    #[inline(always)]
    pub fn loss_quiet(&self, close: f64) -> bool {
        !self.limits.breakers | !self.daily_loss_trips(unrealized(&self.pos, close))
    }

    /// The drawdown breaker stays quiet through a block of closes marked at `equity`, whose extremes are `high`
    /// and `low`: no close can be further below the running peak than `max(peak, high) - low` (subtraction is
    /// monotone), so a `false` here is exact. Raises the peak past the block.
    #[inline(always)]
    pub fn pass_block(&mut self, high: f64, low: f64) -> bool {
        if !self.limits.breakers {
            return true;
        }
        let top = self.peak.max(high);
        if self.drawdown_trips(top, low) {
            return false;
        }
        self.peak = top;
        true
    }
}
