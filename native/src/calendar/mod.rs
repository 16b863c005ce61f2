//! CME Globex calendar for MES. The trading day rolls at 17:00 America/Chicago (DST-correct): a timestamp at or
//! after 17:00 CT belongs to the next calendar day's session.
pub mod trading_day;

pub use trading_day::cme_trading_day;
