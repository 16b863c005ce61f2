//! Globex hours for MES: Sunday 17:00 CT to Friday 16:00 CT with a daily 16:00-17:00 CT break, DST-correct
//! (all rules are in America/Chicago local time), with the holiday table applied.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::America::Chicago;

use super::holidays::{holiday_on, HolidayKind};

fn local_minutes(h: u32, m: u32) -> u32 {
    h * 60 + m
}

/// Is Globex open for MES at this instant?
pub fn is_open(epoch_secs: i64) -> bool {
    let ct = match DateTime::<Utc>::from_timestamp(epoch_secs, 0) {
        Some(t) => t.with_timezone(&Chicago),
        None => return false,
    };
    let date = ct.date_naive();
    let minute = local_minutes(ct.hour(), ct.minute());
    let evening = minute >= local_minutes(17, 0);
    let weekday_open = match ct.weekday() {
        Weekday::Sat => false,
        Weekday::Sun => evening,
        Weekday::Fri => minute < local_minutes(16, 0),
        _ => minute < local_minutes(16, 0) || evening,
    };
    if !weekday_open {
        return false;
    }
    if evening {
        // The evening session belongs to the next trading day; it does not open when that day is a full
        // closure (e.g. the evening before New Year's Day).
        let next = next_weekday(date);
        return !matches!(holiday_on(next).map(|h| h.kind), Some(HolidayKind::Closed));
    }
    match holiday_on(date).map(|h| h.kind) {
        Some(HolidayKind::Closed) => false,
        Some(HolidayKind::EarlyClose(h, m)) => minute < local_minutes(h, m),
        None => true,
    }
}

fn next_weekday(date: NaiveDate) -> NaiveDate {
    let mut d = date + Duration::days(1);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

/// The next instant (epoch seconds, on a whole minute) at which the market state flips from open to closed,
/// searching up to 10 days ahead; `None` if the market is closed now.
pub fn next_close(epoch_secs: i64) -> Option<i64> {
    if !is_open(epoch_secs) {
        return None;
    }
    scan(epoch_secs, false)
}

/// The next instant the market opens; `None` if it is open now.
pub fn next_open(epoch_secs: i64) -> Option<i64> {
    if is_open(epoch_secs) {
        return None;
    }
    scan(epoch_secs, true)
}

/// Minutes until the next close (daily break, weekend, holiday or early close); `None` when closed.
pub fn minutes_until_close(epoch_secs: i64) -> Option<f64> {
    next_close(epoch_secs).map(|c| (c - epoch_secs) as f64 / 60.0)
}

/// Walks whole minutes forward to the first one whose state is `want_open`. State changes happen only on whole
/// minutes in Chicago time, and every zone offset is a whole number of minutes, so minute steps are exact.
fn scan(from: i64, want_open: bool) -> Option<i64> {
    let mut t = from - from.rem_euclid(60) + 60;
    let limit = from + 10 * 86_400;
    while t <= limit {
        if is_open(t) == want_open {
            return Some(t);
        }
        t += 60;
    }
    None
}

/// Epoch seconds of a Chicago local time (the earlier instant if ambiguous).
pub fn chicago(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Option<i64> {
    Chicago
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .earliest()
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        chicago(y, mo, d, h, mi).unwrap()
    }

    #[test]
    fn weekly_hours_and_daily_break() {
        assert!(!is_open(ct(2026, 1, 11, 16, 59))); // Sunday before the open
        assert!(is_open(ct(2026, 1, 11, 17, 0))); // Sunday open
        assert!(is_open(ct(2026, 1, 13, 15, 59)));
        assert!(!is_open(ct(2026, 1, 13, 16, 0))); // daily break
        assert!(!is_open(ct(2026, 1, 13, 16, 59)));
        assert!(is_open(ct(2026, 1, 13, 17, 0)));
        assert!(is_open(ct(2026, 1, 16, 15, 59))); // Friday
        assert!(!is_open(ct(2026, 1, 16, 16, 0))); // weekend close
        assert!(!is_open(ct(2026, 1, 16, 17, 30))); // no Friday evening session
        assert!(!is_open(ct(2026, 1, 17, 12, 0))); // Saturday
    }

    #[test]
    fn dst_changes_keep_chicago_hours() {
        // 2026: DST starts Sunday March 8, ends Sunday November 1; 2027: March 14 and November 7.
        for (y, mo, d) in [(2026, 3, 8), (2026, 11, 1), (2027, 3, 14), (2027, 11, 7)] {
            assert!(!is_open(ct(y, mo, d, 16, 59)), "{y}-{mo}-{d} before open");
            assert!(is_open(ct(y, mo, d, 17, 0)), "{y}-{mo}-{d} open");
            // Monday break at 16:00 local on both sides of the change.
            assert!(!is_open(ct(y, mo, d + 1, 16, 30)));
        }
        // UTC hour of the Sunday open shifts by one hour across the change: 23:00Z in winter, 22:00Z in summer.
        assert_eq!(ct(2026, 3, 1, 17, 0) % 86_400, 23 * 3600);
        assert_eq!(ct(2026, 3, 8, 17, 0) % 86_400, 22 * 3600);
    }

    #[test]
    fn holidays_and_early_closes() {
        // New Year's Day 2026 (Thursday): no session on Dec 31 evening or Jan 1 until 17:00.
        assert!(is_open(ct(2025, 12, 31, 15, 59)));
        assert!(!is_open(ct(2025, 12, 31, 17, 30)));
        assert!(!is_open(ct(2026, 1, 1, 10, 0)));
        assert!(is_open(ct(2026, 1, 1, 17, 0)));
        // MLK Day 2026: open in the morning, halted from 12:00 CT, reopens 17:00 CT.
        assert!(is_open(ct(2026, 1, 19, 11, 59)));
        assert!(!is_open(ct(2026, 1, 19, 12, 0)));
        assert!(is_open(ct(2026, 1, 19, 17, 0)));
        // Good Friday 2026: closed from Thursday's 16:00 break through the weekend.
        assert!(!is_open(ct(2026, 4, 2, 17, 30)));
        assert!(!is_open(ct(2026, 4, 3, 9, 0)));
        assert!(is_open(ct(2026, 4, 5, 17, 0)));
        // Day after Thanksgiving 2026: 12:15 CT close.
        assert!(is_open(ct(2026, 11, 27, 12, 14)));
        assert!(!is_open(ct(2026, 11, 27, 12, 15)));
        // Christmas 2027 observed Friday Dec 24: Thursday evening session does not open.
        assert!(!is_open(ct(2027, 12, 23, 17, 30)));
        assert!(!is_open(ct(2027, 12, 24, 10, 0)));
        assert!(is_open(ct(2027, 12, 26, 17, 0)));
    }

    #[test]
    fn next_close_and_open() {
        let t = ct(2026, 1, 13, 15, 30);
        assert_eq!(next_close(t), Some(ct(2026, 1, 13, 16, 0)));
        assert_eq!(minutes_until_close(t), Some(30.0));
        assert_eq!(next_open(t), None);
        let fri = ct(2026, 1, 16, 16, 30);
        assert_eq!(next_close(fri), None);
        assert_eq!(next_open(fri), Some(ct(2026, 1, 18, 17, 0)));
        assert_eq!(
            next_close(ct(2026, 1, 19, 9, 0)),
            Some(ct(2026, 1, 19, 12, 0))
        );
        assert_eq!(
            next_close(ct(2026, 1, 16, 15, 0)),
            Some(ct(2026, 1, 16, 16, 0))
        );
    }
}
