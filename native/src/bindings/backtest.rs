use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Task};
use napi_derive::napi;

use super::invalid;
use crate::backtest::{run_backtest as run_kernel, BacktestParams, BacktestResult};
use crate::engine::{CoreConfig, RiskLimits, StrategyConfig};
use crate::sim::Bar;

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

#[napi(object)]
pub struct BacktestOutput {
    pub metrics: BacktestMetrics,
    pub trades: Vec<BacktestTrade>,
    pub equity: Vec<f64>,
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

pub(crate) fn bars_from(cols: [&[f64]; 6]) -> napi::Result<Vec<Bar>> {
    let n = cols[0].len();
    if cols.iter().any(|c| c.len() != n) {
        return Err(invalid("all bar columns must have the same length"));
    }
    let [t, o, h, l, c, v] = cols;
    Ok((0..n)
        .map(|i| Bar {
            time: t[i] as i64,
            open: o[i],
            high: h[i],
            low: l[i],
            close: c[i],
            volume: v[i],
        })
        .collect())
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

fn output(r: BacktestResult) -> BacktestOutput {
    BacktestOutput {
        metrics: js_metrics(r.metrics),
        trades: r
            .trades
            .into_iter()
            .map(|t| BacktestTrade {
                side: match t.side {
                    crate::engine::Side::Long => "long".into(),
                    crate::engine::Side::Short => "short".into(),
                },
                qty: t.qty,
                entry_time: t.entry_time as f64,
                entry_price: t.entry_price,
                exit_time: t.exit_time as f64,
                exit_price: t.exit_price,
                pnl: t.pnl,
                exit_reason: t.exit_reason.as_str().into(),
            })
            .collect(),
        equity: r.equity,
    }
}

pub struct BacktestTask {
    bars: Vec<Bar>,
    params: BacktestParams,
}

impl Task for BacktestTask {
    type Output = BacktestResult;
    type JsValue = BacktestOutput;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        run_kernel(&self.bars, &self.params).map_err(invalid)
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output(out))
    }
}

/// Runs a backtest on a worker thread (the JS thread never blocks); the bar columns are copied first.
#[napi(ts_return_type = "Promise<BacktestOutput>")]
pub fn run_backtest(
    time: Float64Array,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
    options: BacktestOptions,
) -> napi::Result<AsyncTask<BacktestTask>> {
    let bars = bars_from([&time, &open, &high, &low, &close, &volume])?;
    Ok(AsyncTask::new(BacktestTask {
        bars,
        params: params(&options)?,
    }))
}
