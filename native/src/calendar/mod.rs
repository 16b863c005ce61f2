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

/// The instants the calendar answers for, in epoch seconds: 1900-01-01 00:00:00 to 9999-12-31 23:59:59 UTC. Bar
/// and clock times outside it are refused where they come in (the bar check, the live core's arguments).
pub const SUPPORTED_TIMES: std::ops::RangeInclusive<i64> = -2_208_988_800..=253_402_300_799;

/// How the supported range reads in an error message.
pub const SUPPORTED_TIMES_TEXT: &str = "epoch seconds from 1900 to 9999";

/// An instant given as f64 epoch seconds (from JavaScript), in whole seconds, if it is a number in
/// `SUPPORTED_TIMES`; else the error naming it (`what` says which time it is).
pub fn supported_secs(t: f64, what: &str) -> Result<i64, String> {
    if !t.is_finite() {
        return Err(format!("{what} must be {SUPPORTED_TIMES_TEXT}, got {t}"));
    }
    let secs = t as i64;
    check_supported(secs, what).map(|()| secs)
}

/// `Ok(())` for a time in `SUPPORTED_TIMES`, else the error naming it (`what` says which time it is).
pub fn check_supported(t: i64, what: &str) -> Result<(), String> {
    if SUPPORTED_TIMES.contains(&t) {
        Ok(())
    } else {
        Err(format!("{what} must be {SUPPORTED_TIMES_TEXT}, got {t}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_from_javascript_are_whole_seconds_inside_the_range() {
        assert_eq!(
            supported_secs(1_767_711_600.9, "fill time"),
            Ok(1_767_711_600)
        );
        assert_eq!(supported_secs(-2_208_988_800.0, "t"), Ok(-2_208_988_800));
        assert_eq!(supported_secs(253_402_300_799.0, "t"), Ok(253_402_300_799));
        for (t, shown) in [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (1e15, "1000000000000000"),
            (-3e9, "-3000000000"),
            (253_402_300_800.0, "253402300800"),
        ] {
            assert_eq!(
                supported_secs(t, "fill time"),
                Err(format!(
                    "fill time must be epoch seconds from 1900 to 9999, got {shown}"
                ))
            );
        }
    }

    #[test]
    fn the_next_trading_day_outside_the_range_is_none_rather_than_a_search_without_end() {
        assert_eq!(next_trading_day_start(i64::MAX), i64::MAX);
        assert_eq!(next_trading_day_start(253_402_300_800), i64::MAX);
        assert_eq!(next_trading_day_start(i64::MIN), i64::MAX);
        // The last day of the range still has a next one.
        assert!(next_trading_day_start(253_402_300_799) > 253_402_300_799);
    }
}
