//! CPU kernels for the operations candle runs slowly in this model, as candle custom
//! ops: exact (erf) GELU, softmax over the last dimension, and matrix-vector products
//! for the decoder's one-token steps.
//!
//! candle evaluates `exp` and `erf` one scalar at a time, and its general matmul has a
//! high fixed cost for a single row. These loops are written so that the compiler
//! vectorises them (independent accumulators, no branches), are compiled for AVX2/FMA
//! when the CPU has it (via `pulp`'s runtime dispatch), and are split over the cores
//! with rayon.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, DType, Layout, Result, Shape, Tensor};
use half::f16;
use pulp::{Simd, WithSimd};
use rayon::prelude::*;

/// Elements below which a kernel runs on one thread.
const PAR_MIN_ELEMENTS: usize = 1 << 15;
/// Output rows per parallel task of a matrix-vector product.
const GEMV_ROWS_PER_TASK: usize = 256;
/// At most this many input rows go through [`matvec`]; more use candle's matmul.
pub const MATVEC_MAX_ROWS: usize = 4;

/// Runs a kernel compiled for the best instruction set the CPU offers. The kernel's
/// body must be `#[inline(always)]` all the way down, so that it is compiled inside
/// pulp's function with those target features enabled.
macro_rules! simd_kernel {
    ($name:ident { $($field:ident: $ty:ty),* $(,)? } => $body:block) => {
        struct $name<'a> {
            $($field: $ty,)*
            _life: std::marker::PhantomData<&'a ()>,
        }
        impl WithSimd for $name<'_> {
            type Output = ();
            #[inline(always)]
            fn with_simd<S: Simd>(self, _simd: S) {
                let Self { $($field,)* .. } = self;
                $body
            }
        }
    };
}

fn contiguous_f32<'a>(storage: &'a CpuStorage, layout: &Layout, op: &str) -> Result<&'a [f32]> {
    let Some((start, end)) = layout.contiguous_offsets() else {
        candle_core::bail!("{op}: input must be contiguous")
    };
    Ok(&storage.as_slice::<f32>()?[start..end])
}

/// `erf` with a rational approximation (the one Eigen and XNNPACK use), accurate to a
/// few ulp in f32.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10_f32;
    p = p * x2 + 2.770_681_4e-8;
    p = p * x2 + -2.101_024e-6;
    p = p * x2 + -5.692_506_4e-5;
    p = p * x2 + -7.349_906_3e-4;
    p = p * x2 + -2.954_6e-3;
    p = p * x2 + -1.609_603_3e-2;
    let mut q = -1.456_607_2e-5_f32;
    q = q * x2 + -2.133_740_6e-4;
    q = q * x2 + -1.682_827e-3;
    q = q * x2 + -7.373_329e-3;
    q = q * x2 + -1.426_474e-2;
    x * p / q
}

/// `exp` by range reduction to `[-ln2/2, ln2/2]` and a degree-6 polynomial (Cephes'
/// `expf`), branch-free so that it vectorises; relative error about 2e-7. Inputs below
/// -87 give (almost) zero, which is what softmax needs for masked scores.
#[inline(always)]
fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits.
    const MAGIC: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * LOG2E + MAGIC;
    let n = t - MAGIC;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut y = 1.987_569_1e-4_f32;
    y = y * r + 1.398_199_9e-3;
    y = y * r + 8.333_452e-3;
    y = y * r + 4.166_579_6e-2;
    y = y * r + 1.666_666_5e-1;
    y = y * r + 0.5;
    y = y * r * r + r + 1.0;
    let k = t.to_bits() as i32 - MAGIC.to_bits() as i32;
    y * f32::from_bits(((k + 127) << 23) as u32)
}

simd_kernel!(GeluKernel { out: &'a mut [f32], x: &'a [f32] } => {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = 0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2));
    }
});

fn gelu_slice(out: &mut [f32], x: &[f32]) {
    pulp::Arch::new().dispatch(GeluKernel {
        out,
        x,
        _life: std::marker::PhantomData,
    });
}

simd_kernel!(SoftmaxKernel { out: &'a mut [f32], x: &'a [f32], row: usize } => {
    for (o, x) in out.chunks_exact_mut(row).zip(x.chunks_exact(row)) {
        let max = max_of(x);
        // Separate passes: a map and two reductions with independent lanes, each of
        // which vectorises.
        for (o, &v) in o.iter_mut().zip(x) {
            *o = exp(v - max);
        }
        let scale = 1.0 / sum_of(o);
        for o in o.iter_mut() {
            *o *= scale;
        }
    }
});

fn softmax_rows(out: &mut [f32], x: &[f32], row: usize) {
    pulp::Arch::new().dispatch(SoftmaxKernel {
        out,
        x,
        row,
        _life: std::marker::PhantomData,
    });
}

#[inline(always)]
fn max_of(x: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; 16];
    let chunks = x.chunks_exact(16);
    let mut max = chunks
        .remainder()
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    for c in chunks {
        for k in 0..16 {
            acc[k] = if c[k] > acc[k] { c[k] } else { acc[k] };
        }
    }
    for a in acc {
        max = max.max(a);
    }
    max
}

#[inline(always)]
fn sum_of(x: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let chunks = x.chunks_exact(16);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for k in 0..16 {
            acc[k] += c[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Dot product with 16 independent accumulators (vectorisable without reassociation).
#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let ca = a.chunks_exact(16);
    let cb = b.chunks_exact(16);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..16 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// An IEEE half-precision value to f32, branch-free so that it vectorises (the
/// weights hold no infinities or NaNs, which are not kept).
#[inline(always)]
fn f16_to_f32(h: u16) -> f32 {
    let h = u32::from(h);
    let bits = (h & 0x7fff) << 13;
    let normal = f32::from_bits(bits + (112 << 23));
    // Subnormals: renormalise by subtracting the implicit bit.
    let subnormal = f32::from_bits(bits + (113 << 23)) - f32::from_bits(113 << 23);
    let v = if bits & 0x0f80_0000 == 0 {
        subnormal
    } else {
        normal
    };
    f32::from_bits(v.to_bits() | ((h & 0x8000) << 16))
}

/// Dot product of half-precision weights with f32 values.
#[inline(always)]
fn dot_f16(a: &[f16], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let ca = a.chunks_exact(16);
    let cb = b.chunks_exact(16);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| f16_to_f32(x.to_bits()) * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..16 {
            acc[k] += f16_to_f32(x[k].to_bits()) * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

simd_kernel!(GemvKernel { out: &'a mut [f32], w: &'a [f32], x: &'a [f32], cols: usize } => {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(cols)) {
        *o = dot(row, x);
    }
});

simd_kernel!(GemvF16Kernel { out: &'a mut [f32], w: &'a [f16], x: &'a [f32], cols: usize } => {
    for (o, row) in out.iter_mut().zip(w.chunks_exact(cols)) {
        *o = dot_f16(row, x);
    }
});

fn gemv_rows(out: &mut [f32], w: &[f32], x: &[f32], cols: usize) {
    pulp::Arch::new().dispatch(GemvKernel {
        out,
        w,
        x,
        cols,
        _life: std::marker::PhantomData,
    });
}

fn gemv_rows_f16(out: &mut [f32], w: &[f16], x: &[f32], cols: usize) {
    pulp::Arch::new().dispatch(GemvF16Kernel {
        out,
        w,
        x,
        cols,
        _life: std::marker::PhantomData,
    });
}

/// Exact GELU, `0.5 x (1 + erf(x / sqrt 2))`, as Whisper uses.
struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "stt-gelu"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(storage, layout, "gelu")?;
        let mut out = vec![0f32; x.len()];
        if x.len() < PAR_MIN_ELEMENTS {
            gelu_slice(&mut out, x);
        } else {
            let chunk = x.len().div_ceil(rayon::current_num_threads() * 4);
            out.par_chunks_mut(chunk)
                .zip(x.par_chunks(chunk))
                .for_each(|(o, x)| gelu_slice(o, x));
        }
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Softmax over the last dimension.
struct Softmax;

impl CustomOp1 for Softmax {
    fn name(&self) -> &'static str {
        "stt-softmax"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(storage, layout, "softmax")?;
        let row = layout.dims().last().copied().unwrap_or(1).max(1);
        let mut out = vec![0f32; x.len()];
        if x.len() < PAR_MIN_ELEMENTS {
            softmax_rows(&mut out, x, row);
        } else {
            let rows_per_task = (x.len() / row)
                .div_ceil(rayon::current_num_threads() * 4)
                .max(1);
            out.par_chunks_mut(rows_per_task * row)
                .zip(x.par_chunks(rows_per_task * row))
                .for_each(|(o, x)| softmax_rows(o, x, row));
        }
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// `x w^T` for a few rows of `x` `(m, in)` and a weight `(out, in)` in f32 or f16:
/// memory-bound, so each weight row is read once per input row, split over the cores.
struct MatVec;

impl CustomOp2 for MatVec {
    fn name(&self) -> &'static str {
        "stt-matvec"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(s1, l1, "matvec")?;
        let (m, k) = l1.shape().dims2()?;
        let (n, k2) = l2.shape().dims2()?;
        if k != k2 {
            candle_core::bail!("matvec: {m}x{k} by ({n}x{k2})^T");
        }
        let Some((start, end)) = l2.contiguous_offsets() else {
            candle_core::bail!("matvec: the weight must be contiguous")
        };
        let mut out = vec![0f32; m * n];
        let parallel = n * k >= PAR_MIN_ELEMENTS;
        for (o, x) in out.chunks_exact_mut(n).zip(x.chunks_exact(k)) {
            match s2 {
                CpuStorage::F32(w) => {
                    let w = &w[start..end];
                    if parallel {
                        o.par_chunks_mut(GEMV_ROWS_PER_TASK)
                            .zip(w.par_chunks(GEMV_ROWS_PER_TASK * k))
                            .for_each(|(o, w)| gemv_rows(o, w, x, k));
                    } else {
                        gemv_rows(o, w, x, k);
                    }
                }
                CpuStorage::F16(w) => {
                    let w = &w[start..end];
                    if parallel {
                        o.par_chunks_mut(GEMV_ROWS_PER_TASK)
                            .zip(w.par_chunks(GEMV_ROWS_PER_TASK * k))
                            .for_each(|(o, w)| gemv_rows_f16(o, w, x, k));
                    } else {
                        gemv_rows_f16(o, w, x, k);
                    }
                }
                _ => candle_core::bail!("matvec: weights must be f32 or f16"),
            }
        }
        Ok((CpuStorage::F32(out), Shape::from((m, n))))
    }
}

/// Exact GELU of a contiguous f32 tensor.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    x.apply_op1_no_bwd(&Gelu)
}

/// Softmax over the last dimension of a contiguous f32 tensor.
pub fn softmax_last_dim(x: &Tensor) -> Result<Tensor> {
    x.apply_op1_no_bwd(&Softmax)
}

/// `x w^T` for a contiguous f32 `x` of at most a few rows and a contiguous f32 or
/// f16 `w`.
pub fn matvec(x: &Tensor, w: &Tensor) -> Result<Tensor> {
    if x.dtype() != DType::F32 {
        candle_core::bail!("matvec: input of {:?}", x.dtype());
    }
    x.apply_op2_no_bwd(w, &MatVec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn erf_and_exp_are_accurate() {
        for i in -2000..=2000 {
            let x = i as f32 / 400.0;
            let want = candle_core::cpu::erf::erf_f64(f64::from(x));
            assert!(
                (f64::from(erf(x)) - want).abs() < 1e-6,
                "erf({x}) = {}, not {want}",
                erf(x)
            );
        }
        for i in -870..=880 {
            let x = i as f32 / 10.0;
            let want = f64::from(x).exp();
            let got = f64::from(exp(x));
            assert!(
                ((got - want) / want).abs() < 1e-6,
                "exp({x}) = {got}, not {want}"
            );
        }
        assert!(exp(f32::NEG_INFINITY) < 1e-37);
    }

    #[test]
    fn ops_match_candle() -> Result<()> {
        let d = Device::Cpu;
        let x = (Tensor::randn(0f32, 3.0, (300, 257), &d)? - 0.5)?;
        let max_diff = |a: &Tensor, b: &Tensor| -> Result<f32> {
            (a - b)?.abs()?.flatten_all()?.max(0)?.to_scalar::<f32>()
        };
        assert!(max_diff(&gelu(&x)?, &x.gelu_erf()?)? < 1e-5);
        let small = x.narrow(0, 0, 3)?.contiguous()?;
        assert!(max_diff(&gelu(&small)?, &small.gelu_erf()?)? < 1e-5);
        assert!(
            max_diff(
                &softmax_last_dim(&x)?,
                &candle_nn::ops::softmax_last_dim(&x)?
            )? < 1e-6
        );
        let w = Tensor::randn(0f32, 1.0, (1000, 257), &d)?;
        let w16 = w.to_dtype(DType::F16)?;
        let w16_as_f32 = w16.to_dtype(DType::F32)?;
        for rows in [1, 3] {
            let v = x.narrow(0, 0, rows)?.contiguous()?;
            let want = v.matmul(&w.t()?)?;
            assert!(max_diff(&matvec(&v, &w)?, &want)? < 1e-3);
            let want = v.matmul(&w16_as_f32.t()?)?;
            assert!(max_diff(&matvec(&v, &w16)?, &want)? < 1e-3);
        }
        // Tiny, zero, negative and subnormal halves convert exactly.
        for v in [
            0.0f32, -0.0, 1.0, -2.5, 6.1e-5, 3.0e-6, -5.96e-8, 65504.0, -0.333,
        ] {
            let h = f16::from_f32(v);
            assert_eq!(
                f16_to_f32(h.to_bits()).to_bits(),
                h.to_f32().to_bits(),
                "{v}"
            );
        }
        Ok(())
    }
}
