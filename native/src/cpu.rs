//! The vector unit this CPU offers, checked at run time so one build runs on every x86-64 machine: kernels with
//! builds for wider vectors pick them by this, and the target features those builds enable are exactly the ones
//! checked here.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorUnit {
    /// AVX-512F and DQ (and AVX2): 8 f64 lanes.
    Avx512,
    /// AVX2: 4 f64 lanes.
    Avx2,
    /// Neither (or not x86-64): the portable build.
    Baseline,
}

pub fn vector_unit() -> VectorUnit {
    #[cfg(target_arch = "x86_64")]
    {
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        if avx2
            && std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
        {
            return VectorUnit::Avx512;
        }
        if avx2 {
            return VectorUnit::Avx2;
        }
    }
    VectorUnit::Baseline
}
