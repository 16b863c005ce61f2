//! The circuit breakers in the lanes, restating the decision core's (`on_exit_fill`, `PositionWatch::at_close`,
//! `roll_day`, `halt`, `expire_pause`): 3 consecutive losses pause entries, the daily loss limit halts until the
//! next CME session, the drawdown limit halts until the trader resets. The lanes share the bars, so they share the
//! trading day; the lanes only run these on data whose bars do not overlap (`applies`), where the core's day rolls
//! come in time order and the shared day is the core's.
use crate::backtest::vector::Lanes;
use crate::calendar::{cme_trading_day, next_trading_day_start};
use crate::engine::RiskLimits;

pub(super) struct Breakers<V: Lanes> {
    day_realized: V,
    consecutive: V,
    /// When entries may resume: -inf while trading is active, +inf when halted until the trader resets.
    until: V,
    day: i32,
    day_until: i64,
    losses_to_pause: V,
    pause_secs: f64,
    daily_floor: V,
    max_drawdown: V,
}

impl<V: Lanes> Breakers<V> {
    pub(super) fn new(lim: &RiskLimits) -> Self {
        Self {
            day_realized: V::splat(0.0),
            consecutive: V::splat(0.0),
            until: V::splat(f64::NEG_INFINITY),
            day: 0,
            day_until: i64::MIN,
            losses_to_pause: V::splat(lim.consecutive_losses_to_pause as f64),
            pause_secs: lim.pause_secs as f64,
            daily_floor: V::splat(-lim.daily_loss_limit_usd),
            max_drawdown: V::splat(lim.max_drawdown_usd),
        }
    }

    /// Lanes trading normally (neither paused nor halted).
    #[inline(always)]
    pub(super) fn active(&self) -> V::Mask {
        self.until.lt(V::splat(f64::MIN))
    }

    /// Lanes halted until the trader resets (in a batch run: for good).
    #[inline(always)]
    pub(super) fn halted_for_good(&self) -> V::Mask {
        self.until.ge(V::splat(f64::INFINITY))
    }

    /// A bar starts at `t`: the trading day may roll (its realized P&L starts again) before anything fills. A
    /// pause or halt ending by `t` counts as lifted for the fills at `t` (see `on_exit`), and lifts at the close.
    #[inline(always)]
    pub(super) fn open_at(&mut self, t: i64) {
        if t >= self.day_until {
            self.roll(t);
        }
    }

    /// A bar's last second `t` reached: the trading day may roll, and a pause or halt whose time has come lifts.
    #[inline(always)]
    pub(super) fn reach(&mut self, t: i64) {
        self.open_at(t);
        let lifted = self.until.le(V::splat(t as f64));
        self.until = V::select(lifted, V::splat(f64::NEG_INFINITY), self.until);
    }

    #[cold]
    #[inline(never)]
    fn roll(&mut self, t: i64) {
        let day = cme_trading_day(t);
        if day != self.day {
            self.day = day;
            self.day_realized = V::splat(0.0);
        }
        self.day_until = next_trading_day_start(t);
    }

    /// Halts the lanes in `m` until the next CME session after `t` (not those halted until a reset).
    #[inline(always)]
    fn halt_until_next_session(&mut self, m: V::Mask, t: i64) {
        if V::bits(m) != 0 {
            let next = V::splat(next_trading_day_start(t) as f64);
            let forever = V::splat(f64::INFINITY);
            self.until = V::select(V::and_not(m, self.until.ge(forever)), next, self.until);
        }
    }

    /// A position closed at time `t` (a bar's start) in the lanes of `closes` with `pnl`; `flat_equity` is
    /// capital + realized after it, `peak` the equity peak as of the last close.
    #[inline(always)]
    pub(super) fn on_exit(&mut self, closes: V::Mask, pnl: V, flat_equity: V, peak: V, t: i64) {
        let zero = V::splat(0.0);
        self.day_realized = self
            .day_realized
            .add(V::select(closes, pnl, V::splat(-0.0)));
        let loss = V::and(closes, pnl.lt(zero));
        let win = V::and(closes, pnl.gt(zero));
        let consecutive = V::select(
            loss,
            self.consecutive.add(V::splat(1.0)),
            V::select(win, zero, self.consecutive),
        );
        let pause = V::and(loss, consecutive.ge(self.losses_to_pause));
        self.consecutive = V::select(pause, zero, consecutive);
        // Trading is active at `t` when no pause or halt lasts past it (the core lifts it at the fill).
        let active = self.until.le(V::splat(t as f64));
        self.until = V::select(
            V::and(pause, active),
            V::splat(t as f64 + self.pause_secs),
            self.until,
        );
        let daily = V::and(closes, self.day_realized.le(self.daily_floor));
        self.halt_until_next_session(daily, t);
        let drawdown = V::and(closes, peak.sub(flat_equity).ge(self.max_drawdown));
        self.until = V::select(drawdown, V::splat(f64::INFINITY), self.until);
    }

    /// At a bar close (ending at `close_time`) with a position in the lanes of `held`, marked at `equity` with
    /// `unrealized` P&L, after the peak took it in: the lanes whose breaker trips (drawdown first, then the day's
    /// loss), halted here; they exit at the next open.
    #[inline(always)]
    pub(super) fn at_close(
        &mut self,
        held: V::Mask,
        equity: V,
        unrealized: V,
        peak: V,
        close_time: i64,
    ) -> V::Mask {
        let drawdown = V::and(held, peak.sub(equity).ge(self.max_drawdown));
        let daily = V::and_not(
            V::and(held, self.day_realized.add(unrealized).le(self.daily_floor)),
            drawdown,
        );
        self.until = V::select(drawdown, V::splat(f64::INFINITY), self.until);
        self.halt_until_next_session(daily, close_time);
        V::or(drawdown, daily)
    }
}
