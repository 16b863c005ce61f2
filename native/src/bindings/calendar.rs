use napi_derive::napi;

use crate::calendar;

/// CME trading day (yyyymmdd) of an instant given in epoch seconds.
#[napi]
pub fn cme_trading_day(epoch_secs: f64) -> i32 {
    calendar::cme_trading_day(epoch_secs as i64)
}

/// Is CME Globex open for MES at this instant (weekly hours, daily break, holidays, early closes)?
#[napi]
pub fn cme_is_open(epoch_secs: f64) -> bool {
    calendar::is_open(epoch_secs as i64)
}

/// Epoch seconds of the next close (break, weekend, holiday); null when the market is closed.
#[napi]
pub fn cme_next_close(epoch_secs: f64) -> Option<f64> {
    calendar::next_close(epoch_secs as i64).map(|t| t as f64)
}

/// Epoch seconds of the next open; null when the market is open.
#[napi]
pub fn cme_next_open(epoch_secs: f64) -> Option<f64> {
    calendar::next_open(epoch_secs as i64).map(|t| t as f64)
}

#[napi(object)]
pub struct FrontMonthInfo {
    /// yyyymm
    pub contract_month: u32,
    /// Third-Friday expiry, yyyymmdd.
    pub expiry: u32,
    /// IB local symbol, e.g. MESZ6.
    pub local_symbol: String,
    /// First day (yyyymmdd, Chicago) the next contract is traded instead.
    pub roll_date: u32,
}

/// The MES contract to trade at this instant, rolling `rollDays` calendar days before expiry.
#[napi]
pub fn mes_front_month(epoch_secs: f64, roll_days: u32) -> FrontMonthInfo {
    let f = calendar::front_month(epoch_secs as i64, roll_days);
    FrontMonthInfo {
        contract_month: f.contract_month,
        expiry: f.expiry,
        local_symbol: f.local_symbol,
        roll_date: f.roll_date,
    }
}
