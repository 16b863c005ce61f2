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

/// An epoch-seconds argument in whole seconds; refused, naming `what`, when it is not a number or outside the
/// calendar's range (where the calendar would answer for 1970, or not at all).
pub(crate) fn epoch_secs(t: f64, what: &str) -> napi::Result<i64> {
    crate::calendar::supported_secs(t, what).map_err(invalid)
}

/// `f` with a panic (a bug in the core) turned into an error for the caller: a panic on a worker thread would
/// otherwise abort the whole process, the app with it. Nothing `f` wrote is kept by the caller on an error.
pub(crate) fn unpanicked<T>(f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    caught(f).unwrap_or_else(|why| {
        Err(napi::Error::from_reason(format!(
            "internal error in the native core ({why}); the run was abandoned. Please report it with the data \
             that caused it."
        )))
    })
}

/// What `f` returns, or the message of its panic.
fn caught<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
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

// No napi values here: the test binary has no Node to link them against.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_results_pass_through() {
        assert_eq!(caught(|| 7), Ok(7));
        assert_eq!(caught(|| Err::<(), _>("bad bar")), Ok(Err("bad bar")));
        assert_eq!(
            caught(|| -> () { panic!("index 9 out of bounds") }),
            Err("index 9 out of bounds".to_string())
        );
        assert_eq!(
            caught(|| -> () { panic!("bar {}", 3) }),
            Err("bar 3".to_string())
        );
    }
}
