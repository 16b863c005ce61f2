use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use super::{ensure_disjoint, invalid, out_slice};
use crate::sim::{PriceWalk, PriceWalkParams};

#[napi(object)]
pub struct PriceWalkOptions {
    pub seed: Option<f64>,
    pub start_price: Option<f64>,
    /// Epoch seconds UTC of the first bar's start.
    pub start_time: Option<f64>,
    pub bar_seconds: Option<f64>,
    pub steps_per_bar: Option<u32>,
}

#[napi(object)]
pub struct NativeBar {
    /// Bar start, epoch seconds UTC.
    pub time: f64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

impl From<crate::sim::Bar> for NativeBar {
    fn from(b: crate::sim::Bar) -> Self {
        NativeBar {
            time: b.time as f64,
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume: b.volume,
        }
    }
}

fn params(o: &PriceWalkOptions) -> napi::Result<PriceWalkParams> {
    let d = PriceWalkParams::default();
    let int = |v: Option<f64>, name: &str, dflt: i64| -> napi::Result<i64> {
        match v {
            None => Ok(dflt),
            Some(x) if x.is_finite() && x.fract() == 0.0 => Ok(x as i64),
            Some(x) => Err(invalid(format!("{name} must be a whole number, got {x}"))),
        }
    };
    let seed = int(o.seed, "seed", d.seed as i64)?;
    if seed < 0 {
        return Err(invalid(format!(
            "seed must be zero or positive, got {seed}"
        )));
    }
    Ok(PriceWalkParams {
        seed: seed as u64,
        start_price: o.start_price.unwrap_or(d.start_price),
        start_time: int(o.start_time, "startTime", d.start_time)?,
        bar_seconds: int(o.bar_seconds, "barSeconds", d.bar_seconds)?,
        steps_per_bar: o.steps_per_bar.unwrap_or(d.steps_per_bar),
    })
}

/// Seeded random walk on the MES tick grid, one bar at a time (the live simulation feed uses this).
#[napi(js_name = "PriceWalk")]
pub struct JsPriceWalk {
    inner: PriceWalk,
}

#[napi]
impl JsPriceWalk {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: PriceWalkOptions) -> napi::Result<Self> {
        Ok(Self {
            inner: PriceWalk::new(&params(&options)?).map_err(invalid)?,
        })
    }

    #[napi(catch_unwind)]
    pub fn next_bar(&mut self) -> NativeBar {
        self.inner.next_bar().into()
    }

    /// Fill caller-allocated columns (all the same length) with the next bars.
    #[napi(catch_unwind)]
    pub fn fill(
        &mut self,
        mut time: Float64Array,
        mut open: Float64Array,
        mut high: Float64Array,
        mut low: Float64Array,
        mut close: Float64Array,
        mut volume: Float64Array,
    ) -> napi::Result<()> {
        fill_columns(
            [
                &mut time,
                &mut open,
                &mut high,
                &mut low,
                &mut close,
                &mut volume,
            ],
            || self.inner.next_bar(),
        )
    }
}

#[napi(object)]
pub struct MarketSimOptions {
    pub seed: Option<f64>,
    /// bull | bear | sideways | volatile | switching (default switching)
    pub regime: Option<String>,
    pub bar_seconds: Option<f64>,
    /// Epoch seconds UTC; the first bar starts at the first open session at or after it.
    pub start_time: Option<f64>,
    pub start_price: Option<f64>,
}

/// The seeded market simulator (GARCH volatility, regimes, CME session hours), one bar at a time or in columns.
#[napi(js_name = "MarketSim")]
pub struct JsMarketSim {
    inner: crate::sim::MarketSim,
}

#[napi]
impl JsMarketSim {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: MarketSimOptions) -> napi::Result<Self> {
        let d = PriceWalkParams::default();
        let whole = |v: Option<f64>, name: &str, dflt: i64| -> napi::Result<i64> {
            match v {
                None => Ok(dflt),
                Some(x) if x.is_finite() && x.fract() == 0.0 && x >= 0.0 => Ok(x as i64),
                Some(x) => Err(invalid(format!("{name} must be a whole number, got {x}"))),
            }
        };
        let regime = options
            .regime
            .as_deref()
            .unwrap_or("switching")
            .parse()
            .map_err(invalid)?;
        let params = crate::sim::MarketSimParams {
            seed: whole(options.seed, "seed", 1)? as u64,
            regime,
            bar_seconds: whole(options.bar_seconds, "barSeconds", 60)?,
            start_time: whole(options.start_time, "startTime", d.start_time)?,
            start_price: options.start_price.unwrap_or(d.start_price),
        };
        Ok(Self {
            inner: crate::sim::MarketSim::new(&params).map_err(invalid)?,
        })
    }

    #[napi(catch_unwind)]
    pub fn next_bar(&mut self) -> NativeBar {
        self.inner.next_bar().into()
    }

    /// Fill caller-allocated columns (all the same length) with the next bars.
    #[napi(catch_unwind)]
    pub fn fill(
        &mut self,
        mut time: Float64Array,
        mut open: Float64Array,
        mut high: Float64Array,
        mut low: Float64Array,
        mut close: Float64Array,
        mut volume: Float64Array,
    ) -> napi::Result<()> {
        fill_columns(
            [
                &mut time,
                &mut open,
                &mut high,
                &mut low,
                &mut close,
                &mut volume,
            ],
            || self.inner.next_bar(),
        )
    }
}

/// Fills six caller-allocated columns (same length, no overlap) with bars from `next`.
fn fill_columns(
    cols: [&mut Float64Array; 6],
    mut next: impl FnMut() -> crate::sim::Bar,
) -> napi::Result<()> {
    let n = cols[0].len();
    if cols.iter().any(|c| c.len() != n) {
        return Err(invalid("all bar columns must have the same length"));
    }
    let [t, o, h, l, c, v] = cols.map(out_slice);
    let all: [&[f64]; 6] = [t, o, h, l, c, v];
    for i in 0..6 {
        for j in i + 1..6 {
            ensure_disjoint(all[i], all[j])?;
        }
    }
    for i in 0..n {
        let b = next();
        (t[i], o[i], h[i], l[i], c[i], v[i]) =
            (b.time as f64, b.open, b.high, b.low, b.close, b.volume);
    }
    Ok(())
}
