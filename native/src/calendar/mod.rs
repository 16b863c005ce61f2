//! CME Globex calendar for MES, shared by backtests and the live engine: the trading day (rolls at 17:00
//! America/Chicago, DST-correct), session hours with the daily break, US holidays and early closes for 2026-2027,
//! and front-month resolution.
pub mod front_month;
pub mod holidays;
pub mod session;
pub mod trading_day;

pub use front_month::{front_month, FrontMonth};
pub use session::{is_open, minutes_until_close, next_close, next_open};
pub use trading_day::{cme_trading_day, next_trading_day_start};
