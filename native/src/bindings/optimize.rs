use std::sync::atomic::Ordering;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Task};
use napi_derive::napi;

use super::backtest::{js_metrics, params, BacktestMetrics, BacktestOptions};
use super::bars::{with_bars, Columns, JsCheckedBars, TaskBars};
use super::{invalid, unpanicked};
use crate::backtest::Job;
use crate::backtest::{
    run_grid, run_walkforward, BacktestParams, GridRow, GridSpec, RankBy, WalkForward,
};

/// Progress and cancellation for a long run: pass it to runGridSearch / runWalkForward, read `done` while the
/// promise is pending, call `cancel()` to stop (the promise then rejects with "cancelled").
#[napi]
#[derive(Default)]
pub struct JobControl {
    job: Arc<Job>,
}

#[napi]
impl JobControl {
    #[napi(constructor, catch_unwind)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Backtests finished so far.
    #[napi(getter)]
    pub fn done(&self) -> u32 {
        self.job.done.load(Ordering::Relaxed) as u32
    }

    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        self.job.cancel.store(true, Ordering::Relaxed);
    }
}

#[napi(object)]
pub struct GridOptions {
    pub lookbacks: Vec<u32>,
    pub entry_z: Vec<f64>,
    pub exit_z: Vec<f64>,
    /// netPnl | sharpe | sortino | profitFactor | winRate | expectancy | score | maxDrawdown
    pub rank_by: String,
}

#[napi(object)]
pub struct GridResultRow {
    pub lookback: u32,
    pub entry_z: f64,
    pub exit_z: f64,
    pub metrics: BacktestMetrics,
}

#[napi(object)]
pub struct WalkForwardFold {
    pub index: u32,
    pub train_start: u32,
    pub train_end: u32,
    pub validation_start: u32,
    pub validation_end: u32,
    pub best: GridResultRow,
    pub validation: BacktestMetrics,
}

#[napi(object)]
pub struct WalkForwardOutput {
    pub folds: Vec<WalkForwardFold>,
    pub in_sample: f64,
    pub out_of_sample: f64,
    pub gap: f64,
    pub oos_net_pnl: f64,
}

fn spec(g: &GridOptions) -> napi::Result<(GridSpec, RankBy)> {
    let rank = g.rank_by.parse::<RankBy>().map_err(invalid)?;
    Ok((
        GridSpec {
            lookbacks: g.lookbacks.iter().map(|n| *n as usize).collect(),
            entry_z: g.entry_z.clone(),
            exit_z: g.exit_z.clone(),
        },
        rank,
    ))
}

fn row(r: GridRow) -> GridResultRow {
    GridResultRow {
        lookback: r.lookback as u32,
        entry_z: r.entry_z,
        exit_z: r.exit_z,
        metrics: js_metrics(r.metrics),
    }
}

pub struct GridTask {
    job: Arc<Job>,
    bars: TaskBars,
    base: BacktestParams,
    spec: GridSpec,
    rank: RankBy,
}

impl Task for GridTask {
    type Output = Vec<GridRow>;
    type JsValue = Vec<GridResultRow>;
    fn compute(&mut self) -> napi::Result<Self::Output> {
        unpanicked(|| {
            with_bars!(&self.bars, |bars| run_grid(
                bars, &self.base, &self.spec, self.rank, &self.job
            ))
            .map_err(invalid)
        })
    }
    fn resolve(&mut self, _env: Env, out: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(out.into_iter().map(row).collect())
    }
}

/// Grid search on worker threads (all cores), best first.
#[napi(ts_return_type = "Promise<GridResultRow[]>", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn run_grid_search(
    time: Float64Array,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
    options: BacktestOptions,
    grid: GridOptions,
    control: &JobControl,
) -> napi::Result<AsyncTask<GridTask>> {
    let bars = TaskBars::from(Columns::new(time, open, high, low, close, volume)?);
    grid_task(bars, &options, &grid, control).map(AsyncTask::new)
}

/// `runGridSearch` on bars checked before (`CheckedBars`).
#[napi(ts_return_type = "Promise<GridResultRow[]>", catch_unwind)]
pub fn run_grid_search_on_checked(
    bars: &JsCheckedBars,
    options: BacktestOptions,
    grid: GridOptions,
    control: &JobControl,
) -> napi::Result<AsyncTask<GridTask>> {
    grid_task(TaskBars::checked(bars), &options, &grid, control).map(AsyncTask::new)
}

fn grid_task(
    bars: TaskBars,
    options: &BacktestOptions,
    grid: &GridOptions,
    control: &JobControl,
) -> napi::Result<GridTask> {
    let (spec, rank) = spec(grid)?;
    Ok(GridTask {
        job: control.job.clone(),
        bars,
        base: params(options)?,
        spec,
        rank,
    })
}

pub struct WalkForwardTask {
    grid: GridTask,
    folds: usize,
    train: f64,
}

impl Task for WalkForwardTask {
    type Output = WalkForward;
    type JsValue = WalkForwardOutput;
    fn compute(&mut self) -> napi::Result<Self::Output> {
        let g = &self.grid;
        unpanicked(|| {
            with_bars!(&g.bars, |bars| run_walkforward(
                bars, &g.base, &g.spec, g.rank, self.folds, self.train, &g.job
            ))
            .map_err(invalid)
        })
    }
    fn resolve(&mut self, _env: Env, w: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(WalkForwardOutput {
            folds: w
                .folds
                .into_iter()
                .map(|f| WalkForwardFold {
                    index: f.index as u32,
                    train_start: f.train_bars.0 as u32,
                    train_end: f.train_bars.1 as u32,
                    validation_start: f.validation_bars.0 as u32,
                    validation_end: f.validation_bars.1 as u32,
                    best: row(f.best),
                    validation: js_metrics(f.validation),
                })
                .collect(),
            in_sample: w.in_sample,
            out_of_sample: w.out_of_sample,
            gap: w.gap,
            oos_net_pnl: w.oos_net_pnl,
        })
    }
}

/// Walk-forward: K folds, each optimized on its first `train` fraction and validated on the rest.
#[napi(ts_return_type = "Promise<WalkForwardOutput>", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn run_walk_forward(
    time: Float64Array,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
    options: BacktestOptions,
    grid: GridOptions,
    folds: u32,
    train: f64,
    control: &JobControl,
) -> napi::Result<AsyncTask<WalkForwardTask>> {
    let bars = TaskBars::from(Columns::new(time, open, high, low, close, volume)?);
    walk_forward_task(grid_task(bars, &options, &grid, control)?, folds, train)
}

/// `runWalkForward` on bars checked before (`CheckedBars`).
#[napi(ts_return_type = "Promise<WalkForwardOutput>", catch_unwind)]
pub fn run_walk_forward_on_checked(
    bars: &JsCheckedBars,
    options: BacktestOptions,
    grid: GridOptions,
    folds: u32,
    train: f64,
    control: &JobControl,
) -> napi::Result<AsyncTask<WalkForwardTask>> {
    let grid = grid_task(TaskBars::checked(bars), &options, &grid, control)?;
    walk_forward_task(grid, folds, train)
}

fn walk_forward_task(
    grid: GridTask,
    folds: u32,
    train: f64,
) -> napi::Result<AsyncTask<WalkForwardTask>> {
    Ok(AsyncTask::new(WalkForwardTask {
        grid,
        folds: folds as usize,
        train,
    }))
}
