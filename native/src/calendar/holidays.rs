//! US exchange holidays and early closes for CME Globex equity index futures (MES), 2026 and 2027.
//!
//! Source: CME Group's published holiday trading hours for equity products, which follow the NYSE holiday
//! calendar. The rule encoded here:
//! - Full closure (no Globex session on that day; the market reopens at 17:00 CT that evening for the next
//!   trading day): New Year's Day, Good Friday, Christmas Day (observed).
//! - Early close at 12:00 CT (trading halts at 12:00 CT and resumes at 17:00 CT for the next trading day): Martin
//!   Luther King Jr. Day, Presidents' Day, Memorial Day, Juneteenth (observed), Independence Day (observed),
//!   Labor Day, Thanksgiving Day.
//! - Early close at 12:15 CT: the day after Thanksgiving and Christmas Eve (when a weekday and not the observed
//!   Christmas holiday).
//!
//! Exchange notices can change a specific year's hours (e.g. a Good Friday that coincides with the US jobs
//! report has traded an abbreviated session before); the app shows the calendar's answer, and a notice from
//! CME that says otherwise wins: update this table.
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// No trading on this date; reopen 17:00 CT.
    Closed,
    /// Trading stops at this Chicago time (hour, minute) and resumes 17:00 CT.
    EarlyClose(u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: (i32, u32, u32),
    pub name: &'static str,
    pub kind: HolidayKind,
}

const NOON: HolidayKind = HolidayKind::EarlyClose(12, 0);
const QUARTER_PAST: HolidayKind = HolidayKind::EarlyClose(12, 15);

pub const HOLIDAYS: &[Holiday] = &[
    // 2026
    Holiday {
        date: (2026, 1, 1),
        name: "New Year's Day",
        kind: HolidayKind::Closed,
    },
    Holiday {
        date: (2026, 1, 19),
        name: "Martin Luther King Jr. Day",
        kind: NOON,
    },
    Holiday {
        date: (2026, 2, 16),
        name: "Presidents' Day",
        kind: NOON,
    },
    Holiday {
        date: (2026, 4, 3),
        name: "Good Friday",
        kind: HolidayKind::Closed,
    },
    Holiday {
        date: (2026, 5, 25),
        name: "Memorial Day",
        kind: NOON,
    },
    Holiday {
        date: (2026, 6, 19),
        name: "Juneteenth",
        kind: NOON,
    },
    Holiday {
        date: (2026, 7, 3),
        name: "Independence Day (observed)",
        kind: NOON,
    },
    Holiday {
        date: (2026, 9, 7),
        name: "Labor Day",
        kind: NOON,
    },
    Holiday {
        date: (2026, 11, 26),
        name: "Thanksgiving Day",
        kind: NOON,
    },
    Holiday {
        date: (2026, 11, 27),
        name: "Day after Thanksgiving",
        kind: QUARTER_PAST,
    },
    Holiday {
        date: (2026, 12, 24),
        name: "Christmas Eve",
        kind: QUARTER_PAST,
    },
    Holiday {
        date: (2026, 12, 25),
        name: "Christmas Day",
        kind: HolidayKind::Closed,
    },
    // 2027
    Holiday {
        date: (2027, 1, 1),
        name: "New Year's Day",
        kind: HolidayKind::Closed,
    },
    Holiday {
        date: (2027, 1, 18),
        name: "Martin Luther King Jr. Day",
        kind: NOON,
    },
    Holiday {
        date: (2027, 2, 15),
        name: "Presidents' Day",
        kind: NOON,
    },
    Holiday {
        date: (2027, 3, 26),
        name: "Good Friday",
        kind: HolidayKind::Closed,
    },
    Holiday {
        date: (2027, 5, 31),
        name: "Memorial Day",
        kind: NOON,
    },
    Holiday {
        date: (2027, 6, 18),
        name: "Juneteenth (observed)",
        kind: NOON,
    },
    Holiday {
        date: (2027, 7, 5),
        name: "Independence Day (observed)",
        kind: NOON,
    },
    Holiday {
        date: (2027, 9, 6),
        name: "Labor Day",
        kind: NOON,
    },
    Holiday {
        date: (2027, 11, 25),
        name: "Thanksgiving Day",
        kind: NOON,
    },
    Holiday {
        date: (2027, 11, 26),
        name: "Day after Thanksgiving",
        kind: QUARTER_PAST,
    },
    Holiday {
        date: (2027, 12, 24),
        name: "Christmas Day (observed)",
        kind: HolidayKind::Closed,
    },
];

pub fn holiday_on(date: NaiveDate) -> Option<&'static Holiday> {
    use chrono::Datelike;
    HOLIDAYS
        .iter()
        .find(|h| h.date == (date.year(), date.month(), date.day()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    #[test]
    fn table_dates_are_real_weekdays_in_order() {
        let mut prev = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        for h in HOLIDAYS {
            let d = NaiveDate::from_ymd_opt(h.date.0, h.date.1, h.date.2).expect("valid date");
            assert!(
                !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
                "{} falls on a weekend",
                h.name
            );
            assert!(d > prev, "{} out of order", h.name);
            prev = d;
        }
    }

    #[test]
    fn rule_based_dates_match() {
        // Thanksgiving is the fourth Thursday of November; Good Friday 2026 is April 3 (Easter April 5).
        for (y, day) in [(2026, 26), (2027, 25)] {
            let d = NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Thu, 4).unwrap();
            assert_eq!(d.day(), day);
            assert!(holiday_on(d).is_some());
        }
        assert_eq!(
            holiday_on(NaiveDate::from_ymd_opt(2026, 4, 3).unwrap())
                .unwrap()
                .kind,
            HolidayKind::Closed
        );
        assert!(holiday_on(NaiveDate::from_ymd_opt(2026, 4, 2).unwrap()).is_none());
    }
}
