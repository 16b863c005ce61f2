use napi_derive::napi;

use crate::calendar;

/// CME trading day (yyyymmdd) of an instant given in epoch seconds.
#[napi]
pub fn cme_trading_day(epoch_secs: f64) -> i32 {
    calendar::cme_trading_day(epoch_secs as i64)
}
