//! Risk limits with the product's defaults. MES is $5 per point, so $200 / $300 per contract are 40 / 60 points.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskLimits {
    pub quantity: u32,
    pub max_position: u32,
    pub stop_usd: f64,
    pub target_usd: f64,
    pub max_hold_secs: i64,
    pub daily_loss_limit_usd: f64,
    pub consecutive_losses_to_pause: u32,
    pub pause_secs: i64,
    pub max_drawdown_usd: f64,
    pub max_orders_per_minute: u32,
    /// Circuit breakers (daily loss, consecutive losses, drawdown). On by default, in backtests too.
    pub breakers: bool,
    pub commission_per_side: f64,
}

impl Default for RiskLimits {
    fn default() -> Self {
        Self {
            quantity: 1,
            max_position: 2,
            stop_usd: 200.0,
            target_usd: 300.0,
            max_hold_secs: 120 * 60,
            daily_loss_limit_usd: 500.0,
            consecutive_losses_to_pause: 3,
            pause_secs: 30 * 60,
            max_drawdown_usd: 1000.0,
            max_orders_per_minute: 10,
            breakers: true,
            commission_per_side: 0.62,
        }
    }
}

impl RiskLimits {
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("stop_usd", self.stop_usd),
            ("target_usd", self.target_usd),
            ("daily_loss_limit_usd", self.daily_loss_limit_usd),
            ("max_drawdown_usd", self.max_drawdown_usd),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!(
                    "{name} must be a positive number of dollars, got {v}"
                ));
            }
        }
        if self.quantity == 0 || self.quantity > self.max_position {
            return Err(format!(
                "quantity must be 1..={} contracts (max position), got {}",
                self.max_position, self.quantity
            ));
        }
        if self.max_hold_secs <= 0 || self.pause_secs <= 0 {
            return Err("max hold and pause durations must be positive".into());
        }
        if !(self.commission_per_side.is_finite() && self.commission_per_side >= 0.0) {
            return Err(format!(
                "commission must be zero or positive, got {}",
                self.commission_per_side
            ));
        }
        Ok(())
    }
}
