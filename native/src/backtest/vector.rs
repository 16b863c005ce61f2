//! The few vector operations the vector kernels need (the grid's lanes: one setting per lane; the single-run scan:
//! one bar per lane), over x86-64 vector registers: `V4` (AVX2, 4 lanes) and `V8` (AVX-512, 8 lanes). Every method
//! is `inline(always)` so it compiles into the caller, which must be a function enabling the matching CPU features
//! (the kernels' entry points check them at run time).
//!
//! Each operation is the IEEE operation on each lane, so a lane computes exactly what the scalar code computes.
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// A vector of f64 lanes and its lane mask.
pub trait Lanes: Copy {
    type Mask: Copy;
    const WIDTH: usize;
    fn splat(x: f64) -> Self;
    /// Lanes from `a[..WIDTH]`.
    fn load(a: &[f64]) -> Self;
    /// Lanes into `a[..WIDTH]`.
    fn store(self, a: &mut [f64]);
    /// Lanes `0..len` from `a[..len]` (`len` below WIDTH), the rest zero; nothing past `a[len - 1]` is read.
    fn load_first(a: &[f64], len: usize) -> Self;
    /// Lanes `0..len` into `a[..len]` (`len` below WIDTH); nothing past `a[len - 1]` is written.
    fn store_first(self, a: &mut [f64], len: usize);
    /// The mask of lanes `0..len` (`len` below WIDTH).
    fn first(len: usize) -> Self::Mask;
    /// The lanes as an array (lane 0 first; past WIDTH, zeros).
    #[inline(always)]
    fn to_array(self) -> [f64; 8] {
        let mut a = [0.0; 8];
        self.store(&mut a);
        a
    }
    /// Where each lane reads: the start of column `l` for lane `l` (`cols` has at least WIDTH columns).
    type Columns: Copy;
    fn columns(cols: &[&[f64]]) -> Self::Columns;
    /// Row `j` of each lane's column.
    ///
    /// # Safety
    /// `j` is below the length of every column given to `columns`, and those columns are still borrowed.
    unsafe fn gather(cols: Self::Columns, j: usize) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn abs(self) -> Self;
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    /// Round to the nearest integer, ties to even.
    fn round_even(self) -> Self;
    /// `if self > o { self } else { o }` per lane.
    fn max(self, o: Self) -> Self;
    /// `if self < o { self } else { o }` per lane.
    fn min(self, o: Self) -> Self;
    fn lt(self, o: Self) -> Self::Mask;
    fn le(self, o: Self) -> Self::Mask;
    fn gt(self, o: Self) -> Self::Mask;
    fn ge(self, o: Self) -> Self::Mask;
    /// Not equal (true for NaN).
    fn ne(self, o: Self) -> Self::Mask;
    /// `if m { a } else { b }` per lane.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    fn and(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// `a & !b`.
    fn and_not(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// One bit per lane, lane 0 lowest.
    fn bits(m: Self::Mask) -> u32;
    /// The mask with the lanes of the bits set in `b` (lane 0 lowest; bits past WIDTH ignored).
    fn from_bits(b: u32) -> Self::Mask;
    /// The largest lane, by halving (lanes hold no NaN; of equal lanes, such as 0 and -0, any one).
    fn max_lane(self) -> f64;
    /// The smallest lane, by halving (lanes hold no NaN; of equal lanes, any one).
    fn min_lane(self) -> f64;
}

/// Four lanes in an AVX2 register; masks are all-ones / all-zeros lanes.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub struct V4(__m256d);

// SAFETY (every block below): the kernel calls these only from functions compiled with AVX2 enabled, after
// checking the CPU has it; loads and stores are bounds-checked slices of at least four values.
#[cfg(target_arch = "x86_64")]
impl Lanes for V4 {
    type Mask = __m256d;
    const WIDTH: usize = 4;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        unsafe { V4(_mm256_set1_pd(x)) }
    }
    #[inline(always)]
    fn load(a: &[f64]) -> Self {
        let a = &a[..4];
        unsafe { V4(_mm256_loadu_pd(a.as_ptr())) }
    }
    #[inline(always)]
    fn store(self, a: &mut [f64]) {
        let a = &mut a[..4];
        unsafe { _mm256_storeu_pd(a.as_mut_ptr(), self.0) }
    }
    // Masked lanes are neither read nor written (VMASKMOVPD does not fault on them).
    #[inline(always)]
    fn load_first(a: &[f64], len: usize) -> Self {
        let a = &a[..len];
        unsafe {
            V4(_mm256_maskload_pd(
                a.as_ptr(),
                _mm256_castpd_si256(Self::first(len)),
            ))
        }
    }
    #[inline(always)]
    fn store_first(self, a: &mut [f64], len: usize) {
        let a = &mut a[..len];
        unsafe {
            _mm256_maskstore_pd(
                a.as_mut_ptr(),
                _mm256_castpd_si256(Self::first(len)),
                self.0,
            )
        }
    }
    #[inline(always)]
    fn first(len: usize) -> __m256d {
        unsafe {
            _mm256_castsi256_pd(_mm256_cmpgt_epi64(
                _mm256_set1_epi64x(len as i64),
                _mm256_set_epi64x(3, 2, 1, 0),
            ))
        }
    }
    type Columns = __m256i;
    #[inline(always)]
    fn columns(cols: &[&[f64]]) -> __m256i {
        let a = |l: usize| cols[l].as_ptr() as i64;
        unsafe { _mm256_set_epi64x(a(3), a(2), a(1), a(0)) }
    }
    #[inline(always)]
    unsafe fn gather(cols: __m256i, j: usize) -> Self {
        // Absolute addresses (column start + 8 j bytes) gathered from a null base.
        let at = _mm256_add_epi64(cols, _mm256_set1_epi64x((j * 8) as i64));
        V4(_mm256_i64gather_pd::<1>(std::ptr::null(), at))
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        unsafe { V4(_mm256_add_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        unsafe { V4(_mm256_sub_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        unsafe { V4(_mm256_mul_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        unsafe { V4(_mm256_div_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn abs(self) -> Self {
        unsafe { V4(_mm256_andnot_pd(_mm256_set1_pd(-0.0), self.0)) }
    }
    #[inline(always)]
    fn floor(self) -> Self {
        unsafe { V4(_mm256_floor_pd(self.0)) }
    }
    #[inline(always)]
    fn ceil(self) -> Self {
        unsafe { V4(_mm256_ceil_pd(self.0)) }
    }
    #[inline(always)]
    fn round_even(self) -> Self {
        unsafe {
            V4(_mm256_round_pd::<
                { _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC },
            >(self.0))
        }
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        // MAXPD returns the second operand unless the first is greater: exactly `if self > o { self } else { o }`.
        unsafe { V4(_mm256_max_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        unsafe { V4(_mm256_min_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn lt(self, o: Self) -> __m256d {
        unsafe { _mm256_cmp_pd::<_CMP_LT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn le(self, o: Self) -> __m256d {
        unsafe { _mm256_cmp_pd::<_CMP_LE_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn gt(self, o: Self) -> __m256d {
        unsafe { _mm256_cmp_pd::<_CMP_GT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn ge(self, o: Self) -> __m256d {
        unsafe { _mm256_cmp_pd::<_CMP_GE_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn ne(self, o: Self) -> __m256d {
        unsafe { _mm256_cmp_pd::<_CMP_NEQ_UQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn select(m: __m256d, a: Self, b: Self) -> Self {
        unsafe { V4(_mm256_blendv_pd(b.0, a.0, m)) }
    }
    #[inline(always)]
    fn and(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_and_pd(a, b) }
    }
    #[inline(always)]
    fn or(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_or_pd(a, b) }
    }
    #[inline(always)]
    fn and_not(a: __m256d, b: __m256d) -> __m256d {
        unsafe { _mm256_andnot_pd(b, a) }
    }
    #[inline(always)]
    fn from_bits(b: u32) -> __m256d {
        unsafe {
            let lane_bit = _mm256_set_epi64x(8, 4, 2, 1);
            let set = _mm256_and_si256(_mm256_set1_epi64x(b as i64), lane_bit);
            _mm256_castsi256_pd(_mm256_cmpeq_epi64(set, lane_bit))
        }
    }
    #[inline(always)]
    fn bits(m: __m256d) -> u32 {
        unsafe { _mm256_movemask_pd(m) as u32 }
    }
    #[inline(always)]
    fn max_lane(self) -> f64 {
        unsafe {
            let (lo, hi) = (
                _mm256_castpd256_pd128(self.0),
                _mm256_extractf128_pd::<1>(self.0),
            );
            let two = _mm_max_pd(lo, hi);
            _mm_cvtsd_f64(_mm_max_sd(two, _mm_unpackhi_pd(two, two)))
        }
    }
    #[inline(always)]
    fn min_lane(self) -> f64 {
        unsafe {
            let (lo, hi) = (
                _mm256_castpd256_pd128(self.0),
                _mm256_extractf128_pd::<1>(self.0),
            );
            let two = _mm_min_pd(lo, hi);
            _mm_cvtsd_f64(_mm_min_sd(two, _mm_unpackhi_pd(two, two)))
        }
    }
}

/// Eight lanes in an AVX-512 register; masks are mask registers.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub struct V8(__m512d);

// SAFETY (every block below): the kernel calls these only from functions compiled with AVX-512F and DQ enabled,
// after checking the CPU has them; loads and stores are bounds-checked slices of at least eight values.
#[cfg(target_arch = "x86_64")]
impl Lanes for V8 {
    type Mask = __mmask8;
    const WIDTH: usize = 8;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        unsafe { V8(_mm512_set1_pd(x)) }
    }
    #[inline(always)]
    fn load(a: &[f64]) -> Self {
        let a = &a[..8];
        unsafe { V8(_mm512_loadu_pd(a.as_ptr())) }
    }
    #[inline(always)]
    fn store(self, a: &mut [f64]) {
        let a = &mut a[..8];
        unsafe { _mm512_storeu_pd(a.as_mut_ptr(), self.0) }
    }
    // Masked lanes are neither read nor written (masked-off elements do not fault).
    #[inline(always)]
    fn load_first(a: &[f64], len: usize) -> Self {
        let a = &a[..len];
        unsafe { V8(_mm512_maskz_loadu_pd(Self::first(len), a.as_ptr())) }
    }
    #[inline(always)]
    fn store_first(self, a: &mut [f64], len: usize) {
        let a = &mut a[..len];
        unsafe { _mm512_mask_storeu_pd(a.as_mut_ptr(), Self::first(len), self.0) }
    }
    #[inline(always)]
    fn first(len: usize) -> __mmask8 {
        debug_assert!(len < 8);
        ((1u32 << len) - 1) as __mmask8
    }
    type Columns = __m512i;
    #[inline(always)]
    fn columns(cols: &[&[f64]]) -> __m512i {
        let a = |l: usize| cols[l].as_ptr() as i64;
        unsafe { _mm512_set_epi64(a(7), a(6), a(5), a(4), a(3), a(2), a(1), a(0)) }
    }
    #[inline(always)]
    unsafe fn gather(cols: __m512i, j: usize) -> Self {
        // Absolute addresses (column start + 8 j bytes) gathered from a null base.
        let at = _mm512_add_epi64(cols, _mm512_set1_epi64((j * 8) as i64));
        V8(_mm512_i64gather_pd::<1>(at, std::ptr::null()))
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        unsafe { V8(_mm512_add_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        unsafe { V8(_mm512_sub_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        unsafe { V8(_mm512_mul_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        unsafe { V8(_mm512_div_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn abs(self) -> Self {
        unsafe { V8(_mm512_abs_pd(self.0)) }
    }
    #[inline(always)]
    fn floor(self) -> Self {
        unsafe {
            V8(_mm512_roundscale_pd::<
                { _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC },
            >(self.0))
        }
    }
    #[inline(always)]
    fn ceil(self) -> Self {
        unsafe {
            V8(_mm512_roundscale_pd::<
                { _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC },
            >(self.0))
        }
    }
    #[inline(always)]
    fn round_even(self) -> Self {
        unsafe {
            V8(_mm512_roundscale_pd::<
                { _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC },
            >(self.0))
        }
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        // VMAXPD returns the second operand unless the first is greater: exactly `if self > o { self } else { o }`.
        unsafe { V8(_mm512_max_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        // VMINPD returns the second operand unless the first is less: exactly `if self < o { self } else { o }`.
        unsafe { V8(_mm512_min_pd(self.0, o.0)) }
    }
    #[inline(always)]
    fn lt(self, o: Self) -> __mmask8 {
        unsafe { _mm512_cmp_pd_mask::<_CMP_LT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn le(self, o: Self) -> __mmask8 {
        unsafe { _mm512_cmp_pd_mask::<_CMP_LE_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn gt(self, o: Self) -> __mmask8 {
        unsafe { _mm512_cmp_pd_mask::<_CMP_GT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn ge(self, o: Self) -> __mmask8 {
        unsafe { _mm512_cmp_pd_mask::<_CMP_GE_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn ne(self, o: Self) -> __mmask8 {
        unsafe { _mm512_cmp_pd_mask::<_CMP_NEQ_UQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn select(m: __mmask8, a: Self, b: Self) -> Self {
        unsafe { V8(_mm512_mask_blend_pd(m, b.0, a.0)) }
    }
    #[inline(always)]
    fn and(a: __mmask8, b: __mmask8) -> __mmask8 {
        a & b
    }
    #[inline(always)]
    fn or(a: __mmask8, b: __mmask8) -> __mmask8 {
        a | b
    }
    #[inline(always)]
    fn and_not(a: __mmask8, b: __mmask8) -> __mmask8 {
        a & !b
    }
    #[inline(always)]
    fn from_bits(b: u32) -> __mmask8 {
        b as __mmask8
    }
    #[inline(always)]
    fn bits(m: __mmask8) -> u32 {
        m as u32
    }
    #[inline(always)]
    fn max_lane(self) -> f64 {
        unsafe {
            let four = _mm256_max_pd(
                _mm512_castpd512_pd256(self.0),
                _mm512_extractf64x4_pd::<1>(self.0),
            );
            V4(four).max_lane()
        }
    }
    #[inline(always)]
    fn min_lane(self) -> f64 {
        unsafe {
            let four = _mm256_min_pd(
                _mm512_castpd512_pd256(self.0),
                _mm512_extractf64x4_pd::<1>(self.0),
            );
            V4(four).min_lane()
        }
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    /// The first `len` lanes are loaded and stored, and nothing past them (a wrong mask would write memory it was
    /// not given: here the guard values after the slice).
    fn first_lanes_only<V: Lanes>() {
        for len in 0..V::WIDTH {
            let src: Vec<f64> = (0..len).map(|i| i as f64 + 1.0).collect();
            let lanes = V::load_first(&src, len).to_array();
            assert_eq!(&lanes[..len], &src[..], "loaded, len {len}");
            assert!(
                lanes[len..V::WIDTH].iter().all(|&x| x == 0.0),
                "zero past len {len}"
            );
            let mut buf = vec![-1.0; len + 8];
            V::splat(7.0).store_first(&mut buf[..len], len);
            assert!(buf[..len].iter().all(|&x| x == 7.0), "stored, len {len}");
            assert!(
                buf[len..].iter().all(|&x| x == -1.0),
                "nothing past len {len}"
            );
            assert_eq!(V::bits(V::first(len)), (1 << len) - 1, "mask, len {len}");
        }
    }

    /// Every set of lanes as bits makes the mask of those lanes, and back (bits past the lanes are ignored).
    fn masks_from_bits<V: Lanes>() {
        let values: Vec<f64> = (0..V::WIDTH).map(|l| l as f64).collect();
        for b in 0..1u32 << V::WIDTH {
            let m = V::from_bits(b | 1 << V::WIDTH);
            assert_eq!(V::bits(m), b, "bits {b:b}");
            // The mask selects exactly those lanes.
            let picked = V::select(m, V::load(&values), V::splat(-1.0)).to_array();
            for (l, &x) in picked[..V::WIDTH].iter().enumerate() {
                let expected = if b & 1 << l != 0 { l as f64 } else { -1.0 };
                assert_eq!(x, expected, "bits {b:b}, lane {l}");
            }
        }
    }

    #[target_feature(enable = "avx2")]
    unsafe fn avx2() {
        first_lanes_only::<V4>();
        masks_from_bits::<V4>();
    }

    #[target_feature(enable = "avx512f,avx512dq,avx2")]
    unsafe fn avx512() {
        first_lanes_only::<V8>();
        masks_from_bits::<V8>();
    }

    #[test]
    fn masked_loads_and_stores_touch_the_first_lanes_only_and_masks_come_from_bits() {
        use crate::cpu::{vector_unit, VectorUnit};
        // SAFETY: each build runs only where the CPU has its features (an AVX-512 CPU has AVX2 too).
        match vector_unit() {
            VectorUnit::Baseline => eprintln!("skipped: this CPU has no AVX2"),
            VectorUnit::Avx2 => unsafe { avx2() },
            VectorUnit::Avx512 => unsafe {
                avx2();
                avx512();
            },
        }
    }
}
