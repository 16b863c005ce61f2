use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Float64ArraySlice};
use napi::{Env, Task};
use napi_derive::napi;

use super::bars::{with_bars, Columns, JsCheckedBars, TaskBars};
use super::{ensure_disjoint, invalid, out_slice, unpanicked};
use crate::backtest::{
    run_backtest_into, run_backtest_precomputed_z, BacktestParams, BarSeries, Metrics,
};
use crate::engine::{CoreConfig, ExitReason, RiskLimits, Side, StrategyConfig, Trade};

#[napi(object)]
#[derive(Clone)]
pub struct BacktestOptions {
    /// zscore | bollinger | rsi; `lookback` is the period of each.
    pub strategy: String,
    pub lookback: u32,
    /// Bollinger band width in standard deviations.
    pub bollinger_k: Option<f64>,
    pub rsi_oversold: Option<f64>,
    pub rsi_overbought: Option<f64>,
    pub entry_z: f64,
    pub exit_z: f64,
    pub quantity: u32,
    pub max_position: u32,
    pub stop_usd: f64,
    pub target_usd: f64,
    pub max_hold_minutes: f64,
    pub daily_loss_limit_usd: f64,
    pub consecutive_losses_to_pause: u32,
    pub pause_minutes: f64,
    pub max_drawdown_usd: f64,
    pub max_orders_per_minute: u32,
    pub breakers: bool,
    pub commission_per_side: f64,
    pub slippage_ticks: u32,
    pub bar_seconds: f64,
    pub capital: f64,
}

/// A closed round trip (the live core reports trades one at a time in this shape).
#[napi(object)]
pub struct BacktestTrade {
    pub side: String,
    pub qty: u32,
    pub entry_time: f64,
    pub entry_price: f64,
    pub exit_time: f64,
    pub exit_price: f64,
    pub pnl: f64,
    pub exit_reason: String,
}

#[napi(object)]
pub struct BacktestMetrics {
    pub net_pnl: f64,
    pub trades: u32,
    pub wins: u32,
    pub losses: u32,
    pub win_rate: f64,
    pub profit_factor: Option<f64>,
    pub avg_win: f64,
    pub avg_loss: f64,
    pub expectancy: f64,
    pub max_drawdown: f64,
    pub max_drawdown_pct: f64,
    pub sharpe: f64,
    pub sortino: f64,
    pub trading_days: u32,
    pub trades_per_day: f64,
    pub exposure: f64,
    pub longest_losing_streak: u32,
    pub score: f64,
}

/// A backtest's result with the trades as columns (the TS wrapper turns them into objects). `tradeColumns` holds
/// `tradeCount` values per column, column after column: entryTime, entryPrice, exitTime, exitPrice, pnl, qty,
/// side (+1 long, -1 short), exit reason (an index into `exitReasons`); it is the caller's `trades` array when
/// they fitted there (values past the 8 x `tradeCount` are left as they were), else a new array. The equity curve
/// went into the caller's array.
#[napi(object)]
pub struct BacktestOutput<'a> {
    pub metrics: BacktestMetrics,
    pub trade_count: u32,
    pub trade_columns: Either<Float64ArraySlice<'a>, Float64Array>,
    pub exit_reasons: Vec<String>,
}

/// Every exit reason, in code order (the code is the index).
const EXIT_REASONS: [ExitReason; 7] = [
    ExitReason::Signal,
    ExitReason::Stop,
    ExitReason::Target,
    ExitReason::Time,
    ExitReason::Breaker,
    ExitReason::End,
    ExitReason::Flatten,
];

// Each exit reason's code is its place in the enum.
const _: () = {
    let mut code = 0;
    while code < EXIT_REASONS.len() {
        assert!(EXIT_REASONS[code] as usize == code);
        code += 1;
    }
};

/// From this many trades on, the columns are written on two threads: a long run's are megabytes, and writing them
/// is bound by memory latency more than by bandwidth.
const COLUMNS_SPLIT_FROM: usize = 8_192;

/// The trades, column after column (see `BacktestOutput`), written into `c` (8 values per trade).
fn write_trade_columns(trades: &[Trade], c: &mut [f64]) {
    let n = trades.len();
    assert_eq!(c.len(), 8 * n, "eight columns of one value per trade");
    let mut columns = c.chunks_exact_mut(n.max(1));
    let columns: [&mut [f64]; 8] = std::array::from_fn(|_| columns.next().unwrap_or_default());
    if n < COLUMNS_SPLIT_FROM {
        return write_rows(trades, columns);
    }
    let half = n / 2;
    let (mut lo, mut hi): ([&mut [f64]; 8], [&mut [f64]; 8]) = Default::default();
    for (k, column) in columns.into_iter().enumerate() {
        (lo[k], hi[k]) = column.split_at_mut(half);
    }
    let (first, second) = trades.split_at(half);
    rayon::join(|| write_rows(first, lo), || write_rows(second, hi));
}

/// Trade `i` into row `i` of the eight columns.
fn write_rows(trades: &[Trade], columns: [&mut [f64]; 8]) {
    let [entry_time, entry_price, exit_time, exit_price, pnl, qty, side, reason] = columns;
    for (i, t) in trades.iter().enumerate() {
        entry_time[i] = t.entry_time as f64;
        entry_price[i] = t.entry_price;
        exit_time[i] = t.exit_time as f64;
        exit_price[i] = t.exit_price;
        pnl[i] = t.pnl;
        qty[i] = t.qty as f64;
        side[i] = match t.side {
            Side::Long => 1.0,
            Side::Short => -1.0,
        };
        // The code by the enum's order, which `EXIT_REASONS` follows (checked at compile time, above): no search
        // per trade.
        reason[i] = t.exit_reason as u8 as f64;
    }
}

/// The trades' columns in a new JS-owned Float64Array, written in place: no Rust-side copy first (a long run's
/// columns are megabytes), and no external buffer (Electron's memory cage refuses those).
fn js_trade_columns<'a>(env: &Env, trades: &[Trade]) -> napi::Result<Float64ArraySlice<'a>> {
    use napi::bindgen_prelude::FromNapiValue;
    use napi::sys;
    let len = 8 * trades.len();
    let (mut data, mut buffer, mut array) = (
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
    );
    // SAFETY: plain N-API calls on the JS thread (`resolve` runs there); `data` points at `len` f64 of the new
    // buffer (8-byte aligned, as every ArrayBuffer's data is), written before any JS code can see the buffer.
    unsafe {
        let status = sys::napi_create_arraybuffer(env.raw(), len * 8, &mut data, &mut buffer);
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(
                "could not allocate the trade columns",
            ));
        }
        if len > 0 {
            write_trade_columns(
                trades,
                std::slice::from_raw_parts_mut(data.cast::<f64>(), len),
            );
        }
        let status = sys::napi_create_typedarray(
            env.raw(),
            sys::TypedarrayType::float64_array,
            len,
            buffer,
            0,
            &mut array,
        );
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(
                "could not make the trade columns an array",
            ));
        }
        Float64ArraySlice::from_napi_value(env.raw(), array)
    }
}

pub(crate) fn params(o: &BacktestOptions) -> napi::Result<BacktestParams> {
    let strategy = match o.strategy.as_str() {
        "zscore" => StrategyConfig::Zscore {
            lookback: o.lookback as usize,
            entry_z: o.entry_z,
            exit_z: o.exit_z,
        },
        "bollinger" => StrategyConfig::Bollinger {
            period: o.lookback as usize,
            k: o.bollinger_k.unwrap_or(2.0),
        },
        "rsi" => StrategyConfig::Rsi {
            period: o.lookback as usize,
            oversold: o.rsi_oversold.unwrap_or(30.0),
            overbought: o.rsi_overbought.unwrap_or(70.0),
        },
        other => {
            return Err(invalid(format!(
                "unknown strategy \"{other}\" (available: zscore, bollinger, rsi)"
            )))
        }
    };
    let minutes = |m: f64, name: &str| -> napi::Result<i64> {
        if m.is_finite() && m > 0.0 {
            Ok((m * 60.0).round() as i64)
        } else {
            Err(invalid(format!(
                "{name} must be a positive number of minutes, got {m}"
            )))
        }
    };
    if !(o.bar_seconds.is_finite() && o.bar_seconds >= 1.0 && o.bar_seconds.fract() == 0.0) {
        return Err(invalid(format!(
            "bar length must be a whole number of seconds, got {}",
            o.bar_seconds
        )));
    }
    Ok(BacktestParams {
        core: CoreConfig {
            strategy,
            limits: RiskLimits {
                quantity: o.quantity,
                max_position: o.max_position,
                stop_usd: o.stop_usd,
                target_usd: o.target_usd,
                max_hold_secs: minutes(o.max_hold_minutes, "max holding time")?,
                daily_loss_limit_usd: o.daily_loss_limit_usd,
                consecutive_losses_to_pause: o.consecutive_losses_to_pause,
                pause_secs: minutes(o.pause_minutes, "pause")?,
                max_drawdown_usd: o.max_drawdown_usd,
                max_orders_per_minute: o.max_orders_per_minute,
                breakers: o.breakers,
                commission_per_side: o.commission_per_side,
            },
            bar_seconds: o.bar_seconds as i64,
            capital: o.capital,
        },
        slippage_ticks: o.slippage_ticks,
    })
}

pub(crate) fn js_metrics(m: crate::backtest::Metrics) -> BacktestMetrics {
    BacktestMetrics {
        net_pnl: m.net_pnl,
        trades: m.trades,
        wins: m.wins,
        losses: m.losses,
        win_rate: m.win_rate,
        profit_factor: m.profit_factor,
        avg_win: m.avg_win,
        avg_loss: m.avg_loss,
        expectancy: m.expectancy,
        max_drawdown: m.max_drawdown,
        max_drawdown_pct: m.max_drawdown_pct,
        sharpe: m.sharpe,
        sortino: m.sortino,
        trading_days: m.trading_days,
        trades_per_day: m.trades_per_day,
        exposure: m.exposure,
        longest_losing_streak: m.longest_losing_streak,
        score: m.score,
    }
}

pub struct BacktestTask {
    bars: TaskBars,
    equity: Float64Array,
    z: Option<Float64Array>,
    trades: Option<Float64Array>,
    params: BacktestParams,
}

/// A finished run: its trades (already written into the caller's `trades` array when `in_caller` is set) and
/// metrics.
pub struct Finished {
    trades: Vec<Trade>,
    in_caller: bool,
    metrics: Metrics,
}

impl Task for BacktestTask {
    type Output = Finished;
    type JsValue = BacktestOutput<'static>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        // On one of the pool's threads: the run's own joins then hand work between pool threads, each without a
        // round trip through this (libuv) thread.
        unpanicked(|| rayon::scope(|_| self.run()))
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> napi::Result<Self::JsValue> {
        let Finished {
            trades,
            in_caller,
            metrics,
        } = out;
        let trade_columns = match self.trades.take() {
            Some(c) if in_caller => Either::B(c),
            _ => Either::A(js_trade_columns(&env, &trades)?),
        };
        Ok(BacktestOutput {
            metrics: js_metrics(metrics),
            trade_count: trades.len() as u32,
            trade_columns,
            exit_reasons: EXIT_REASONS
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
        })
    }
}

impl BacktestTask {
    fn run(&mut self) -> napi::Result<Finished> {
        let z = self.z.as_deref();
        let out = out_slice(&mut self.equity);
        let columns = self.trades.as_mut().map(out_slice);
        for input in self.bars.js_arrays().chain(z) {
            ensure_disjoint(input, out)?;
            if let Some(c) = columns.as_deref() {
                ensure_disjoint(input, c)?;
            }
        }
        if let Some(c) = columns.as_deref() {
            ensure_disjoint(c, out)?;
        }
        let (trades, metrics) =
            with_bars!(&self.bars, |bars| backtest_of(bars, &self.params, z, out))
                .map_err(invalid)?;
        // Written here, on the worker thread, when they fit the caller's array.
        let in_caller = match columns {
            Some(c) if c.len() >= 8 * trades.len() => {
                write_trade_columns(&trades, &mut c[..8 * trades.len()]);
                true
            }
            _ => false,
        };
        Ok(Finished {
            trades,
            in_caller,
            metrics,
        })
    }
}

/// The backtest of `bars`, reading `z` when given.
fn backtest_of<B: BarSeries>(
    bars: B,
    params: &BacktestParams,
    z: Option<&[f64]>,
    out: &mut [f64],
) -> Result<(Vec<Trade>, Metrics), String> {
    match z {
        Some(z) => run_backtest_precomputed_z(bars, params, z, Some(out)),
        None => run_backtest_into(bars, params, Some(out)),
    }
}

/// Runs a backtest on a worker thread (the JS thread never blocks). The bar columns are read in place; the
/// equity at every bar close is written into `equity` (caller-allocated, one element per bar, not to be touched
/// until the promise settles). With `z` (the z-score column of the closes, NaN during warm-up) the zscore
/// strategy reads it instead of computing it. With `trades` (a scratch array the caller reuses, not to be touched
/// until the promise settles) the trade columns are written there when they fit, which spares the JS thread
/// allocating and filling a new array (see `BacktestOutput`).
#[napi(ts_return_type = "Promise<BacktestOutput>", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn run_backtest(
    time: Float64Array,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
    options: BacktestOptions,
    equity: Float64Array,
    z: Option<Float64Array>,
    trades: Option<Float64Array>,
) -> napi::Result<AsyncTask<BacktestTask>> {
    let bars = TaskBars::from(Columns::new(time, open, high, low, close, volume)?);
    backtest_task(bars, &options, equity, z, trades)
}

/// `runBacktest` on bars checked before (`CheckedBars`): the run reads them without checking them again.
#[napi(ts_return_type = "Promise<BacktestOutput>", catch_unwind)]
pub fn run_backtest_on_checked(
    bars: &JsCheckedBars,
    options: BacktestOptions,
    equity: Float64Array,
    z: Option<Float64Array>,
    trades: Option<Float64Array>,
) -> napi::Result<AsyncTask<BacktestTask>> {
    backtest_task(TaskBars::checked(bars), &options, equity, z, trades)
}

fn backtest_task(
    bars: TaskBars,
    options: &BacktestOptions,
    equity: Float64Array,
    z: Option<Float64Array>,
    trades: Option<Float64Array>,
) -> napi::Result<AsyncTask<BacktestTask>> {
    let n = bars.len()?;
    if equity.len() != n {
        return Err(invalid(format!(
            "the equity array has {} elements for {n} bars",
            equity.len()
        )));
    }
    Ok(AsyncTask::new(BacktestTask {
        bars,
        equity,
        z,
        trades,
        params: params(options)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade(i: usize) -> Trade {
        Trade {
            side: if i.is_multiple_of(3) {
                Side::Short
            } else {
                Side::Long
            },
            qty: 1 + (i % 4) as u32,
            entry_time: 1_767_000_000 + 60 * i as i64,
            entry_price: 5000.0 + 0.25 * i as f64,
            exit_time: 1_767_000_060 + 60 * i as i64,
            exit_price: 5001.0 - 0.25 * i as f64,
            pnl: i as f64 * 1.25 - 7.0,
            exit_reason: EXIT_REASONS[i % EXIT_REASONS.len()],
        }
    }

    #[test]
    fn trade_columns_hold_each_trade_in_its_row_on_one_thread_or_two() {
        for n in [0, 1, 7, COLUMNS_SPLIT_FROM - 1, COLUMNS_SPLIT_FROM, 20_001] {
            let trades: Vec<Trade> = (0..n).map(trade).collect();
            let mut c = vec![f64::NAN; 8 * n];
            write_trade_columns(&trades, &mut c);
            for (i, t) in trades.iter().enumerate() {
                let row: Vec<f64> = (0..8).map(|k| c[k * n + i]).collect();
                let side = if t.side == Side::Long { 1.0 } else { -1.0 };
                let reason = EXIT_REASONS[row[7] as usize];
                assert_eq!(
                    (row[..7].to_vec(), reason),
                    (
                        vec![
                            t.entry_time as f64,
                            t.entry_price,
                            t.exit_time as f64,
                            t.exit_price,
                            t.pnl,
                            t.qty as f64,
                            side
                        ],
                        t.exit_reason
                    ),
                    "trade {i} of {n}"
                );
            }
        }
    }
}
