//! The decision core: one deterministic state machine shared by the backtest and the live engine. Bars and fills
//! come in; intents come out. It owns the position, the bracket, P&L bookkeeping and every circuit breaker, so no
//! strategy or risk rule is written twice.
use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::risk::RiskLimits;
use super::strategy::{make_strategy, Signal, Strategy, StrategyConfig};
use super::types::{
    round_away, ExitReason, Intent, Position, Reason, Side, Trade, TradingState, MULTIPLIER,
};
use super::watch::{unrealized, within_day, PositionWatch, Verdict};
use crate::calendar::{cme_trading_day, next_trading_day_start};
use crate::sim::Bar;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoreConfig {
    pub strategy: StrategyConfig,
    pub limits: RiskLimits,
    pub bar_seconds: i64,
    pub capital: f64,
}

impl Default for CoreConfig {
    fn default() -> Self {
        Self {
            strategy: StrategyConfig::default(),
            limits: RiskLimits::default(),
            bar_seconds: 60,
            capital: 10_000.0,
        }
    }
}

/// Everything the core knows, serialized on every change by the live engine and restored exactly after a restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    cfg: CoreConfig,
    strategy: serde_json::Value,
    state: TradingState,
    position: Option<Position>,
    pending: Option<Intent>,
    next_id: u64,
    realized: f64,
    day: i32,
    day_from: i64,
    day_until: i64,
    day_realized: f64,
    consecutive_losses: u32,
    equity_peak: f64,
    orders: VecDeque<i64>,
}

impl Snapshot {
    /// A saved snapshot, read back: readable JSON of the one version this build writes.
    fn parse(json: &str) -> Result<Self, String> {
        let s: Snapshot = serde_json::from_str(json)
            .map_err(|e| format!("the engine snapshot is unreadable: {e}"))?;
        if s.version != 1 {
            return Err(format!(
                "engine snapshot version {} is not supported",
                s.version
            ));
        }
        Ok(s)
    }
}

/// Generic over the strategy so batch runs (backtest, grid) monomorphize and inline the per-bar path; the live
/// engine uses the default, a boxed strategy chosen at run time. Same code, same decisions either way.
pub struct DecisionCore<S: Strategy = Box<dyn Strategy>> {
    cfg: CoreConfig,
    strategy: S,
    state: TradingState,
    position: Option<Position>,
    pending: Option<Intent>,
    next_id: u64,
    realized: f64,
    day: i32,
    /// [day_from, day_until) is the span of epoch seconds known to belong to `day` (avoids a zone lookup per bar).
    day_from: i64,
    day_until: i64,
    day_realized: f64,
    consecutive_losses: u32,
    equity_peak: f64,
    orders: VecDeque<i64>,
    refusals: Vec<(i64, Reason)>,
}

impl DecisionCore {
    pub fn new(cfg: CoreConfig) -> Result<Self, String> {
        let strategy = make_strategy(&cfg.strategy)?;
        Self::with_strategy(cfg, strategy)
    }

    pub fn restore(json: &str) -> Result<Self, String> {
        let s = Snapshot::parse(json)?;
        let core = Self::new(s.cfg.clone())?;
        core.restored(s)
    }

    /// Restores a snapshot under the current config (the trader may have changed the settings between runs): the
    /// trading state, position, P&L and breaker counts carry over; a changed strategy starts fresh (the live
    /// engine warms it up again from history). Returns the core and whether the strategy was reset.
    pub fn restore_reconfigured(json: &str, cfg: CoreConfig) -> Result<(Self, bool), String> {
        let mut s = Snapshot::parse(json)?;
        let reset = s.cfg.strategy != cfg.strategy || s.cfg.bar_seconds != cfg.bar_seconds;
        // Equity is capital + realized: a new capital moves the peak with it, so the drawdown stays the same.
        s.equity_peak += cfg.capital - s.cfg.capital;
        let fresh = Self::new(cfg.clone())?;
        if reset {
            s.strategy = fresh.strategy.save();
        }
        s.cfg = cfg;
        Ok((fresh.restored(s)?, reset))
    }
}

impl<S: Strategy> DecisionCore<S> {
    /// A core with an already-built strategy (batch runs pass concrete or precomputed-indicator strategies).
    pub fn with_strategy(cfg: CoreConfig, strategy: S) -> Result<Self, String> {
        cfg.limits.validate()?;
        if cfg.bar_seconds <= 0 {
            return Err(format!(
                "bar length must be positive seconds, got {}",
                cfg.bar_seconds
            ));
        }
        if !(cfg.capital.is_finite() && cfg.capital > 0.0) {
            return Err(format!(
                "capital must be a positive number of dollars, got {}",
                cfg.capital
            ));
        }
        Ok(Self {
            strategy,
            equity_peak: cfg.capital,
            cfg,
            state: TradingState::Active,
            position: None,
            pending: None,
            next_id: 1,
            realized: 0.0,
            day: 0,
            day_from: i64::MAX,
            day_until: i64::MIN,
            day_realized: 0.0,
            consecutive_losses: 0,
            orders: VecDeque::new(),
            refusals: Vec::new(),
        })
    }

    /// The full state as JSON (the refusal log is not part of it).
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&Snapshot {
            version: 1,
            cfg: self.cfg.clone(),
            strategy: self.strategy.save(),
            state: self.state,
            position: self.position,
            pending: self.pending,
            next_id: self.next_id,
            realized: self.realized,
            day: self.day,
            day_from: self.day_from,
            day_until: self.day_until,
            day_realized: self.day_realized,
            consecutive_losses: self.consecutive_losses,
            equity_peak: self.equity_peak,
            orders: self.orders.clone(),
        })
        .expect("the snapshot serializes")
    }

    /// Restores a snapshot into a core built with the snapshot's config and the matching strategy type (the same
    /// state, bit for bit, whatever the strategy's static type).
    pub fn restore_with(
        json: &str,
        make: impl FnOnce(&CoreConfig) -> Result<S, String>,
    ) -> Result<Self, String> {
        let s = Snapshot::parse(json)?;
        let strategy = make(&s.cfg)?;
        Self::with_strategy(s.cfg.clone(), strategy)?.restored(s)
    }

    fn restored(self, s: Snapshot) -> Result<Self, String> {
        let mut core = self;
        core.strategy.load(s.strategy)?;
        core.state = s.state;
        core.position = s.position;
        core.pending = s.pending;
        core.next_id = s.next_id;
        core.realized = s.realized;
        core.day = s.day;
        core.day_from = s.day_from;
        core.day_until = s.day_until;
        core.day_realized = s.day_realized;
        core.consecutive_losses = s.consecutive_losses;
        core.equity_peak = s.equity_peak;
        core.orders = s.orders;
        Ok(core)
    }

    #[inline]
    pub fn state(&self) -> TradingState {
        self.state
    }
    #[inline]
    pub fn position(&self) -> Option<Position> {
        self.position
    }
    /// At a bar close nothing can happen but an entry signal: flat, nothing pending, trading active. A batch run
    /// may then skip the bars whose (precomputed) signal holds no entry: each of them would only move the day
    /// span and the strategy's bar count, which `skip_to` brings up to date.
    #[inline(always)]
    pub fn idle_flat(&self) -> bool {
        self.position.is_none()
            && self.pending.is_none()
            && matches!(self.state, TradingState::Active)
    }

    #[inline(always)]
    pub fn strategy(&self) -> &S {
        &self.strategy
    }

    /// After skipping idle flat bars: bars before `index` count as seen by the strategy. The day span and the
    /// order-rate window catch up at the next bar close, as they would have bar by bar.
    #[inline(always)]
    pub fn skip_to(&mut self, index: usize) {
        self.strategy.seek(index);
    }

    /// The open position, by reference (no copy on the per-bar path).
    #[inline(always)]
    pub fn position_ref(&self) -> Option<&Position> {
        self.position.as_ref()
    }
    #[inline]
    pub fn realized(&self) -> f64 {
        self.realized
    }
    /// Entries refused, with the bar-close time and the reason.
    pub fn refusals(&self) -> &[(i64, Reason)] {
        &self.refusals
    }

    #[inline]
    pub fn unrealized(&self, price: f64) -> f64 {
        self.position.as_ref().map_or(0.0, |p| unrealized(p, price))
    }

    #[inline(always)]
    fn watch_of(&self, pos: Position) -> PositionWatch {
        PositionWatch {
            pos,
            limits: self.cfg.limits,
            bar_seconds: self.cfg.bar_seconds,
            capital: self.cfg.capital,
            realized: self.realized,
            day_realized: self.day_realized,
            peak: self.equity_peak,
            day_from: self.day_from,
            day_until: self.day_until,
        }
    }

    /// The open position's watch when its next closes can be judged without the core (a position, nothing
    /// pending, trading active). A batch run scans quiet bars with it, then calls `after_watch`.
    #[inline(always)]
    pub fn watch(&self) -> Option<PositionWatch> {
        match (self.position, self.pending, self.state) {
            (Some(pos), None, TradingState::Active) => Some(self.watch_of(pos)),
            _ => None,
        }
    }

    /// After a batch run scanned bars before `index` with `watch` and all of them held: the equity peak the watch
    /// kept, and the strategy's place. (The order-rate window and the day span catch up at the next close.)
    #[inline(always)]
    pub fn after_watch(&mut self, watch: &PositionWatch, index: usize) {
        self.equity_peak = watch.peak();
        self.strategy.seek(index);
    }

    /// Flat with nothing pending while entries are stopped (paused or halted): the time from which the stop may
    /// lift (i64::MAX when only the trader can lift it). Until a bar reaches it nothing but refused entries can
    /// happen, and a batch run keeps no refusal log, so it may skip those bars (then `skip_to`).
    #[inline(always)]
    pub fn stopped_flat_until(&self) -> Option<i64> {
        if self.position.is_some() || self.pending.is_some() {
            return None;
        }
        match self.state {
            TradingState::Active => None,
            TradingState::Paused { until, .. } => Some(until),
            TradingState::Halted { until, .. } => Some(until.unwrap_or(i64::MAX)),
        }
    }

    #[inline]
    pub fn equity(&self, price: f64) -> f64 {
        self.cfg.capital + self.realized + self.unrealized(price)
    }

    /// Keeps the trading day and the pause/halt expiry current at time `t`. The per-bar path is two compares;
    /// the zone lookups and state changes are out of line.
    #[inline(always)]
    fn roll_day(&mut self, t: i64) {
        if t < self.day_from || t >= self.day_until {
            self.new_day_span(t);
        }
        if !matches!(self.state, TradingState::Active) {
            self.expire_pause(t);
        }
    }

    #[cold]
    #[inline(never)]
    fn new_day_span(&mut self, t: i64) {
        let day = cme_trading_day(t);
        if day != self.day {
            self.day = day;
            self.day_realized = 0.0;
        }
        self.day_from = t;
        self.day_until = next_trading_day_start(t);
    }

    #[inline(never)]
    fn expire_pause(&mut self, t: i64) {
        match self.state {
            TradingState::Paused { until, .. } if t >= until => self.state = TradingState::Active,
            TradingState::Halted {
                until: Some(until), ..
            } if t >= until => self.state = TradingState::Active,
            _ => {}
        }
    }

    fn halt(&mut self, reason: Reason, t: i64, until_next_session: bool) {
        if !matches!(self.state, TradingState::Halted { until: None, .. }) {
            let until = if until_next_session {
                Some(next_trading_day_start(t))
            } else {
                None
            };
            self.state = TradingState::Halted { until, reason };
        }
    }

    #[inline]
    fn issue(&mut self, intent: Intent, t: i64) -> Intent {
        self.orders.push_back(t);
        self.next_id += 1;
        self.pending = Some(intent);
        intent
    }

    /// A bar has closed. Returns at most one intent (the core keeps one decision outstanding at a time).
    /// The common outcomes (nothing to do) stay inline; issuing an intent and the breakers are out of line.
    #[inline(always)]
    pub fn on_bar_close(&mut self, bar: &Bar) -> Option<Intent> {
        self.bar_close(bar, |s, close| s.on_close(close))
    }

    /// `on_bar_close` for the bar at `index` of a batch run (bars fed in order from index 0): the same decisions;
    /// strategies reading precomputed columns index them directly.
    #[inline(always)]
    pub fn on_bar_close_at(&mut self, index: usize, bar: &Bar) -> Option<Intent> {
        self.bar_close(bar, |s, close| s.on_close_at(index, close))
    }

    #[inline(always)]
    fn bar_close(
        &mut self,
        bar: &Bar,
        signal: impl FnOnce(&mut S, f64) -> Signal,
    ) -> Option<Intent> {
        let close_time = bar.time + self.cfg.bar_seconds;
        // Both ends of the bar inside the known day span and trading active: nothing to roll (the common case).
        if !(within_day(self.day_from, self.day_until, bar.time, close_time)
            && matches!(self.state, TradingState::Active))
        {
            self.roll_day(bar.time);
            self.roll_day(close_time - 1);
        }
        let signal = signal(&mut self.strategy, bar.close);
        if self.pending.is_some() {
            return None;
        }
        while self.orders.front().is_some_and(|t| *t <= close_time - 60) {
            self.orders.pop_front();
        }

        if let Some(pos) = self.position {
            let mut watch = self.watch_of(pos);
            let verdict = watch.at_close(bar.close, close_time, &signal);
            self.equity_peak = watch.peak();
            return match verdict {
                Verdict::Hold => None,
                Verdict::Exit(reason) => Some(self.issue_exit(reason, close_time)),
                Verdict::Breaker {
                    reason,
                    next_session,
                } => {
                    self.halt(reason, close_time, next_session);
                    Some(self.issue_exit(ExitReason::Breaker, close_time))
                }
            };
        }

        // `equity_peak.max(flat)` without a store every bar (the peak is never NaN; a NaN leaves it).
        let flat = self.cfg.capital + self.realized;
        if flat > self.equity_peak {
            self.equity_peak = flat;
        }
        let side = signal.enter?;
        self.try_enter(side, close_time)
    }

    #[inline(never)]
    fn issue_exit(&mut self, reason: ExitReason, close_time: i64) -> Intent {
        let id = self.next_id;
        self.issue(Intent::Exit { id, reason }, close_time)
    }

    /// An entry signal while flat: the intent, or a logged refusal.
    #[inline(never)]
    fn try_enter(&mut self, side: Side, close_time: i64) -> Option<Intent> {
        let id = self.next_id;
        let lim = self.cfg.limits;
        let refusal = match self.state {
            TradingState::Halted { reason, .. } => Some(reason),
            TradingState::Paused { reason, .. } => Some(reason),
            TradingState::Active => None,
        }
        .or(if lim.quantity > lim.max_position {
            Some(Reason::MaxPosition)
        } else {
            None
        })
        .or(if self.orders.len() as u32 >= lim.max_orders_per_minute {
            Some(Reason::OrderRateLimit)
        } else {
            None
        });
        if let Some(r) = refusal {
            self.refusals.push((close_time, r));
            return None;
        }
        Some(self.issue(
            Intent::Enter {
                id,
                side,
                qty: lim.quantity,
            },
            close_time,
        ))
    }

    /// The entry filled: the bracket is set from the fill price, rounded to the tick grid away from it.
    #[inline]
    pub fn on_entry_fill(&mut self, price: f64, time: i64, bar_start: i64) -> Option<Position> {
        let Some(Intent::Enter { side, qty, .. }) = self.pending.take() else {
            return None;
        };
        self.roll_day(time);
        let (stop, target) = self.bracket(side, price);
        let pos = Position {
            side,
            qty,
            entry_price: price,
            entry_time: time,
            entry_bar_start: bar_start,
            stop,
            target,
        };
        self.position = Some(pos);
        Some(pos)
    }

    /// Stop and target for a position entered at `price`: the configured dollars per contract in points, rounded
    /// to the tick grid away from the price (never closer than asked). The live engine sends these with the order.
    #[inline]
    pub fn bracket(&self, side: Side, price: f64) -> (f64, f64) {
        let lim = &self.cfg.limits;
        let s = side.sign();
        (
            round_away(price - s * lim.stop_usd / MULTIPLIER, price),
            round_away(price + s * lim.target_usd / MULTIPLIER, price),
        )
    }

    /// The position was closed (by an exit intent, its stop or target, or the end of data).
    #[inline]
    pub fn on_exit_fill(&mut self, price: f64, time: i64, reason: ExitReason) -> Option<Trade> {
        let pos = self.position.take()?;
        if matches!(self.pending, Some(Intent::Exit { .. })) {
            self.pending = None;
        }
        self.roll_day(time);
        let lim = self.cfg.limits;
        let gross = (price - pos.entry_price) * pos.side.sign() * pos.qty as f64 * MULTIPLIER;
        let pnl = gross - 2.0 * lim.commission_per_side * pos.qty as f64;
        self.realized += pnl;
        self.day_realized += pnl;
        if lim.breakers {
            if pnl < 0.0 {
                self.consecutive_losses += 1;
                if self.consecutive_losses >= lim.consecutive_losses_to_pause {
                    self.consecutive_losses = 0;
                    if self.state == TradingState::Active {
                        self.state = TradingState::Paused {
                            until: time + lim.pause_secs,
                            reason: Reason::ConsecutiveLossPause,
                        };
                    }
                }
            } else if pnl > 0.0 {
                self.consecutive_losses = 0;
            }
            if self.day_realized <= -lim.daily_loss_limit_usd {
                self.halt(Reason::DailyLossLimit, time, true);
            }
            let equity = self.cfg.capital + self.realized;
            if self.equity_peak - equity >= lim.max_drawdown_usd {
                self.halt(Reason::DrawdownHalt, time, false);
            }
        }
        Some(Trade {
            side: pos.side,
            qty: pos.qty,
            entry_time: pos.entry_time,
            entry_price: pos.entry_price,
            exit_time: time,
            exit_price: price,
            pnl,
            exit_reason: reason,
        })
    }

    /// The broker refused the outstanding intent.
    pub fn on_rejected(&mut self) {
        self.pending = None;
    }

    #[inline]
    pub fn pending(&self) -> Option<Intent> {
        self.pending
    }

    /// Trader commands.
    pub fn pause(&mut self, until: i64) {
        if self.state == TradingState::Active {
            self.state = TradingState::Paused {
                until,
                reason: Reason::Paused,
            };
        }
    }
    pub fn halt_by_trader(&mut self) {
        self.state = TradingState::Halted {
            until: None,
            reason: Reason::KillSwitch,
        };
    }
    pub fn resume(&mut self) {
        self.state = TradingState::Active;
    }
    /// Flatten: exit now (if in a position) and halt until the trader resumes.
    pub fn flatten(&mut self, t: i64) -> Option<Intent> {
        self.halt_by_trader();
        if self.position.is_some() && !matches!(self.pending, Some(Intent::Exit { .. })) {
            let id = self.next_id;
            return Some(self.issue(
                Intent::Exit {
                    id,
                    reason: ExitReason::Flatten,
                },
                t,
            ));
        }
        None
    }
    /// Feeds a historical close to the strategy only (indicator warm-up at start): no intent, no breaker, no
    /// order counted.
    pub fn warm_up(&mut self, close: f64) {
        self.strategy.on_close(close);
    }
    /// Realized P&L of the current CME trading day, in dollars.
    pub fn day_realized(&self) -> f64 {
        self.day_realized
    }
    pub fn consecutive_losses(&self) -> u32 {
        self.consecutive_losses
    }
    /// Takes over a position the broker holds and the core did not open (the trader chose "adopt" at startup
    /// reconciliation). The bracket is set from `price` exactly as for an entry fill.
    pub fn adopt(
        &mut self,
        side: Side,
        qty: u32,
        price: f64,
        time: i64,
    ) -> Result<Position, String> {
        if qty == 0 || qty > self.cfg.limits.max_position {
            return Err(format!(
                "cannot adopt {qty} contracts: the max position is {}",
                self.cfg.limits.max_position
            ));
        }
        if !(price.is_finite() && price > 0.0) {
            return Err(format!("cannot adopt a position at price {price}"));
        }
        self.pending = Some(Intent::Enter {
            id: self.next_id,
            side,
            qty,
        });
        self.next_id += 1;
        self.on_entry_fill(price, time, time)
            .ok_or_else(|| "the adopted position was not recorded".to_string())
    }
    #[inline]
    pub fn side(&self) -> Option<Side> {
        self.position.map(|p| p.side)
    }
}
