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

/// The first instant (epoch seconds) at or after which the CME trading day is later than at `epoch_secs`:
/// the next 17:00 America/Chicago that starts a new trading day (skipping the weekend); `i64::MAX` outside
/// `SUPPORTED_TIMES`.
pub fn next_trading_day_start(epoch_secs: i64) -> i64 {
    use chrono::TimeZone;
    // Past the supported range there is no date to count from (and no end to counting days): no later day.
    if !super::SUPPORTED_TIMES.contains(&epoch_secs) {
        return i64::MAX;
    }
    let today = cme_trading_day(epoch_secs);
    let utc = DateTime::<Utc>::from_timestamp(epoch_secs, 0).unwrap_or_default();
    let mut date = utc.with_timezone(&Chicago).date_naive();
    loop {
        let candidate = Chicago
            .from_local_datetime(&date.and_hms_opt(17, 0, 0).expect("17:00 exists"))
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or(epoch_secs + 86_400);
        if candidate > epoch_secs && cme_trading_day(candidate) > today {
            return candidate;
        }
        date += Duration::days(1);
    }
}

#[cfg(test)]
mod next_day_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn next_session_start() {
        let ct = |d: u32, h: u32| {
            Chicago
                .with_ymd_and_hms(2026, 1, d, h, 0, 0)
                .single()
                .unwrap()
                .timestamp()
        };
        assert_eq!(next_trading_day_start(ct(6, 10)), ct(6, 17)); // Tuesday morning -> Tuesday 17:00
        assert_eq!(next_trading_day_start(ct(6, 17)), ct(7, 17)); // at 17:00 -> next day's 17:00
                                                                  // Friday: from 17:00 the instant already belongs to Monday's trading day (the market reopens Sunday 17:00).
        assert_eq!(next_trading_day_start(ct(9, 10)), ct(9, 17));
        assert_eq!(cme_trading_day(next_trading_day_start(ct(9, 10))), 20260112);
    }
}
