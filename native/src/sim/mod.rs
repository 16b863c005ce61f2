//! Seeded market data generators. Everything is deterministic for a given seed.
pub mod market;
pub mod price_walk;

pub use market::{MarketSim, MarketSimParams, Regime};
pub use price_walk::{Bar, PriceWalk, PriceWalkParams};

/// MES minimum price increment, in index points.
pub const TICK: f64 = 0.25;

/// Round a price to the MES tick grid.
#[inline]
pub fn to_tick(price: f64) -> f64 {
    (price / TICK).round() * TICK
}
