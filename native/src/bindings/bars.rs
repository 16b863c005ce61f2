//! The bars a napi call reads: the caller's arrays, read in place on the worker thread and checked by the run, or
//! `CheckedBars`, a data set copied and checked once for many runs.
use std::sync::Arc;

use napi::bindgen_prelude::{Float64Array, ObjectFinalize};
use napi::Env;
use napi_derive::napi;

use super::invalid;
use crate::backtest::{BarColumns, BarSeries, CheckedBars};

/// The six bar columns of a call, held by an async task and read as slices on the worker thread (no copy).
pub(crate) struct Columns([Float64Array; 6]);

impl Columns {
    pub(crate) fn new(
        time: Float64Array,
        open: Float64Array,
        high: Float64Array,
        low: Float64Array,
        close: Float64Array,
        volume: Float64Array,
    ) -> napi::Result<Self> {
        let c = Self([time, open, high, low, close, volume]);
        c.view()?;
        Ok(c)
    }

    pub(crate) fn view(&self) -> napi::Result<BarColumns<'_>> {
        let [t, o, h, l, c, v] = &self.0;
        BarColumns::new(t, o, h, l, c, v).map_err(invalid)
    }

    pub(crate) fn slices(&self) -> impl Iterator<Item = &[f64]> {
        self.0.iter().map(|a| &a[..])
    }
}

/// Bars checked once and held natively (a copy; later changes to the arrays do not reach it): backtests on them
/// (`runBacktestOnChecked`) do not check them again. For a data set loaded once and run many times.
#[napi(js_name = "CheckedBars", custom_finalize)]
pub struct JsCheckedBars(Arc<CheckedBars>);

/// The bytes a copy of `n` bars holds (six columns of f64).
fn held_bytes(n: usize) -> i64 {
    (n * 6 * std::mem::size_of::<f64>()) as i64
}

#[napi]
impl JsCheckedBars {
    /// The columns copied and checked; throws naming the first bad bar (as a backtest would).
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        time: Float64Array,
        open: Float64Array,
        high: Float64Array,
        low: Float64Array,
        close: Float64Array,
        volume: Float64Array,
    ) -> napi::Result<Self> {
        let cols = Columns::new(time, open, high, low, close, volume)?;
        let bars = CheckedBars::new(cols.view()?).map_err(invalid)?;
        // Told to V8, which otherwise sees a small object and may keep tens of megabytes alive long after it is
        // dropped.
        env.adjust_external_memory(held_bytes(bars.len()))?;
        Ok(Self(Arc::new(bars)))
    }

    /// The number of bars.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.0.len() as u32
    }
}

impl ObjectFinalize for JsCheckedBars {
    fn finalize(self, env: Env) -> napi::Result<()> {
        env.adjust_external_memory(-held_bytes(self.0.len()))?;
        Ok(())
    }
}

/// A run's bars: the caller's arrays, read in place and checked by the run, or bars checked before.
pub(crate) enum TaskBars {
    Js(Box<Columns>),
    Checked(Arc<CheckedBars>),
}

impl From<Columns> for TaskBars {
    fn from(c: Columns) -> Self {
        Self::Js(Box::new(c))
    }
}

impl TaskBars {
    pub(crate) fn checked(bars: &JsCheckedBars) -> Self {
        Self::Checked(Arc::clone(&bars.0))
    }

    pub(crate) fn len(&self) -> napi::Result<usize> {
        Ok(match self {
            Self::Js(c) => c.view()?.len(),
            Self::Checked(c) => c.len(),
        })
    }

    /// The caller's arrays, which may share memory with an output (checked bars are memory of their own).
    pub(crate) fn js_arrays(&self) -> impl Iterator<Item = &[f64]> {
        let js = match self {
            Self::Js(c) => Some(c),
            Self::Checked(_) => None,
        };
        js.into_iter().flat_map(|c| c.slices())
    }
}

/// `$body` with `$b` bound to a `TaskBars`' bars as a `BarSeries` (of either kind); `?` on a mismatch of the
/// caller's columns.
macro_rules! with_bars {
    ($bars:expr, |$b:ident| $body:expr) => {
        match $bars {
            $crate::bindings::bars::TaskBars::Js(c) => {
                let $b = c.view()?;
                $body
            }
            $crate::bindings::bars::TaskBars::Checked(c) => {
                let $b = c.view();
                $body
            }
        }
    };
}
pub(crate) use with_bars;
