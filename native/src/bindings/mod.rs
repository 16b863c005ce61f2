//! The napi surface. Only this module knows about JavaScript; it validates arguments, converts errors to
//! `Error`s with plain messages, and calls the pure-Rust kernels.
pub mod backtest;
pub mod bars;
pub mod calendar;
pub mod engine;
pub mod indicators;
pub mod optimize;
pub mod sim;

pub(crate) fn invalid(msg: impl Into<String>) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, msg.into())
}

/// Mutable view of a caller-allocated output array.
///
/// SAFETY: napi calls run on the JS thread, which is blocked for the duration of a synchronous call, so nothing
/// else can touch the buffer while Rust writes to it. The caller must not pass an output that overlaps an input;
/// `ensure_disjoint` checks that before the view is used.
pub(crate) fn out_slice(out: &mut napi::bindgen_prelude::Float64Array) -> &mut [f64] {
    unsafe { out.as_mut() }
}

/// Refuse an output array that shares memory with an input (that would alias `&[f64]` and `&mut [f64]`).
pub(crate) fn ensure_disjoint(input: &[f64], out: &[f64]) -> napi::Result<()> {
    let (a0, a1) = (
        input.as_ptr() as usize,
        input.as_ptr() as usize + std::mem::size_of_val(input),
    );
    let (b0, b1) = (
        out.as_ptr() as usize,
        out.as_ptr() as usize + std::mem::size_of_val(out),
    );
    if !input.is_empty() && !out.is_empty() && a0 < b1 && b0 < a1 {
        return Err(invalid(
            "the output array must not share memory with the input array",
        ));
    }
    Ok(())
}
