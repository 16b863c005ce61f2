use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::America::Chicago;

/// The CME trading day of an instant, as yyyymmdd. Weekend evenings roll forward: Friday 17:00 CT and later,
/// and all of Saturday/Sunday before the Sunday 17:00 CT open, belong to Monday's session.
pub fn cme_trading_day(epoch_secs: i64) -> i32 {
    let utc = DateTime::<Utc>::from_timestamp(epoch_secs, 0).unwrap_or_default();
    let ct = utc.with_timezone(&Chicago);
    let mut date = ct.date_naive();
    if ct.hour() >= 17 {
        date += Duration::days(1);
    }
    match date.weekday() {
        chrono::Weekday::Sat => date += Duration::days(2),
        chrono::Weekday::Sun => date += Duration::days(1),
        _ => {}
    }
    date.year() * 10_000 + date.month() as i32 * 100 + date.day() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ct(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        Chicago
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .timestamp()
    }

    #[test]
    fn rolls_at_five_pm_central_across_dst() {
        // Winter (CST): 16:59 is still Tuesday's session; 17:00 starts Wednesday's.
        assert_eq!(cme_trading_day(ct(2026, 1, 6, 16, 59)), 20260106);
        assert_eq!(cme_trading_day(ct(2026, 1, 6, 17, 0)), 20260107);
        // Summer (CDT), same local rule.
        assert_eq!(cme_trading_day(ct(2026, 7, 7, 16, 59)), 20260707);
        assert_eq!(cme_trading_day(ct(2026, 7, 7, 17, 0)), 20260708);
        // The day DST starts (Sunday 2026-03-08) still opens at 17:00 local.
        assert_eq!(cme_trading_day(ct(2026, 3, 8, 17, 0)), 20260309);
    }

    #[test]
    fn sunday_open_and_friday_evening_belong_to_monday() {
        assert_eq!(cme_trading_day(ct(2026, 1, 9, 17, 30)), 20260112);
        assert_eq!(cme_trading_day(ct(2026, 1, 11, 17, 0)), 20260112);
        assert_eq!(cme_trading_day(ct(2026, 1, 12, 9, 0)), 20260112);
    }
}
