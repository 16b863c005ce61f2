use napi_derive::napi;

use super::epoch_secs;
use crate::calendar;

/// The instant argument of every function here.
fn secs(t: f64) -> napi::Result<i64> {
    epoch_secs(t, "the time")
}

/// CME trading day (yyyymmdd) of an instant given in epoch seconds.
#[napi(catch_unwind)]
pub fn cme_trading_day(epoch_secs: f64) -> napi::Result<i32> {
    Ok(calendar::cme_trading_day(secs(epoch_secs)?))
}

/// Is CME Globex open for MES at this instant (weekly hours, daily break, holidays, early closes)?
#[napi(catch_unwind)]
pub fn cme_is_open(epoch_secs: f64) -> napi::Result<bool> {
    Ok(calendar::is_open(secs(epoch_secs)?))
}

/// Epoch seconds of the next close (break, weekend, holiday); null when the market is closed.
#[napi(catch_unwind)]
pub fn cme_next_close(epoch_secs: f64) -> napi::Result<Option<f64>> {
    Ok(calendar::next_close(secs(epoch_secs)?).map(|t| t as f64))
}

/// Epoch seconds of the next open; null when the market is open.
#[napi(catch_unwind)]
pub fn cme_next_open(epoch_secs: f64) -> napi::Result<Option<f64>> {
    Ok(calendar::next_open(secs(epoch_secs)?).map(|t| t as f64))
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
#[napi(catch_unwind)]
pub fn mes_front_month(epoch_secs: f64, roll_days: u32) -> napi::Result<FrontMonthInfo> {
    if roll_days > calendar::front_month::MAX_ROLL_DAYS {
        return Err(super::invalid(format!(
            "roll days must be a whole number from 0 to {}, got {roll_days}",
            calendar::front_month::MAX_ROLL_DAYS
        )));
    }
    let f = calendar::front_month(secs(epoch_secs)?, roll_days);
    Ok(FrontMonthInfo {
        contract_month: f.contract_month,
        expiry: f.expiry,
        local_symbol: f.local_symbol,
        roll_date: f.roll_date,
    })
}
