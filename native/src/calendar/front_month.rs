//! MES front-month resolution: quarterly contracts (H Mar, M Jun, U Sep, Z Dec) expire on the third Friday of
//! the contract month (09:30 ET); the app rolls to the next contract `roll_days` calendar days before expiry.
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::America::Chicago;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMonth {
    /// yyyymm of the contract month.
    pub contract_month: u32,
    /// Expiry (third Friday) as yyyymmdd.
    pub expiry: u32,
    /// IB local symbol, e.g. MESZ6.
    pub local_symbol: String,
    /// First date (yyyymmdd, Chicago) on which the app trades the next contract instead.
    pub roll_date: u32,
}

const CODES: [(u32, char); 4] = [(3, 'H'), (6, 'M'), (9, 'U'), (12, 'Z')];

pub fn third_friday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Fri, 3)
        .expect("every month has a third Friday")
}

fn ymd(d: NaiveDate) -> u32 {
    d.year() as u32 * 10_000 + d.month() * 100 + d.day()
}

/// The longest roll rule `front_month` takes, in calendar days before expiry (a quarter is about 91 days).
pub const MAX_ROLL_DAYS: u32 = 30;

/// The contract to trade at this instant with this roll rule (0 to `MAX_ROLL_DAYS` days).
pub fn front_month(epoch_secs: i64, roll_days: u32) -> FrontMonth {
    let today = DateTime::<Utc>::from_timestamp(epoch_secs, 0)
        .unwrap_or_default()
        .with_timezone(&Chicago)
        .date_naive();
    let (mut year, mut idx) = (today.year(), 0usize);
    // Start at the first quarterly month not before today's month.
    while CODES[idx].0 < today.month() {
        idx += 1;
        if idx == 4 {
            idx = 0;
            year += 1;
            break;
        }
    }
    loop {
        let (month, code) = CODES[idx];
        let expiry = third_friday(year, month);
        let roll = expiry - Duration::days(roll_days as i64);
        if today < roll {
            return FrontMonth {
                contract_month: year as u32 * 100 + month,
                expiry: ymd(expiry),
                local_symbol: format!("MES{code}{}", year.rem_euclid(10)),
                roll_date: ymd(roll),
            };
        }
        idx += 1;
        if idx == 4 {
            idx = 0;
            year += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::session::chicago;

    #[test]
    fn third_fridays() {
        assert_eq!(
            third_friday(2026, 3),
            NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()
        );
        assert_eq!(
            third_friday(2026, 12),
            NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()
        );
        assert_eq!(
            third_friday(2027, 6),
            NaiveDate::from_ymd_opt(2027, 6, 18).unwrap()
        );
    }

    #[test]
    fn rolls_n_days_before_expiry() {
        // March 2026 expires Friday March 20; with 8 days the roll is Thursday March 12.
        let before = front_month(chicago(2026, 3, 11, 10, 0).unwrap(), 8);
        assert_eq!(before.local_symbol, "MESH6");
        assert_eq!(before.expiry, 20260320);
        assert_eq!(before.roll_date, 20260312);
        let after = front_month(chicago(2026, 3, 12, 10, 0).unwrap(), 8);
        assert_eq!(
            (after.local_symbol.as_str(), after.contract_month),
            ("MESM6", 202606)
        );
        // December rolls into the next year's March.
        let dec = front_month(chicago(2026, 12, 15, 10, 0).unwrap(), 8);
        assert_eq!(
            (dec.local_symbol.as_str(), dec.contract_month),
            ("MESH7", 202703)
        );
        // Mid-quarter months resolve to the next quarterly contract.
        assert_eq!(
            front_month(chicago(2026, 1, 5, 9, 0).unwrap(), 8).local_symbol,
            "MESH6"
        );
        assert_eq!(
            front_month(chicago(2026, 7, 1, 9, 0).unwrap(), 0).local_symbol,
            "MESU6"
        );
        // With 0 roll days the contract is traded up to its expiry day.
        assert_eq!(
            front_month(chicago(2026, 9, 17, 9, 0).unwrap(), 0).local_symbol,
            "MESU6"
        );
        assert_eq!(
            front_month(chicago(2026, 9, 18, 9, 0).unwrap(), 0).local_symbol,
            "MESZ6"
        );
    }
}
