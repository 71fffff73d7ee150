//! Reader for CTranslate2's `model.bin` (binary format version 6).
//!
//! The layout, all little-endian: `u32` format version, the spec name (a string),
//! `u32` spec revision, `u32` variable count, then per variable its name, `u8` rank,
//! `u32` dims, `u8` data type, `u32` byte count and the raw data; then `u32` alias
//! count and pairs of (alias, variable name). A string is a `u16` length (the trailing
//! NUL included) and its bytes.
//!
//! Tensors are read one at a time, so the whole file is never held in memory: f16 and
//! f32 tensors keep their type (the model decides what to widen), bf16 becomes f32.
//! Scalars (flags, head counts) are kept as numbers.

use candle_core::{DType, Device, Tensor};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// The only binary format version read (what CTranslate2 3.x and 4.x write).
const FORMAT_VERSION: u32 = 6;

/// Upper bounds that catch a corrupt header before it asks for absurd allocations.
const MAX_VARIABLES: u32 = 100_000;
const MAX_RANK: u8 = 8;

/// Why a `model.bin` could not be read; the caller names the file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Ct2Error {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
    #[error("tensor {name}: {source}")]
    Tensor {
        name: String,
        source: candle_core::Error,
    },
}

/// One variable of the file.
#[derive(Debug, Clone)]
pub(crate) enum Variable {
    /// A float tensor of rank 1 or more, in f32 or f16.
    Tensor(Tensor),
    /// A rank-0 value (an integer flag or count, or a float), widened to f64.
    Scalar(f64),
    /// A tensor of integers (e.g. int8 quantised weights), kept only by shape.
    Integer { dims: Vec<usize> },
}

/// The variables of a CTranslate2 model, by name, aliases resolved.
#[derive(Debug)]
pub(crate) struct Ct2Model {
    /// The model spec, e.g. `WhisperSpec`.
    pub spec: String,
    /// The spec's revision number.
    #[allow(dead_code)] // read by the tests; kept for error messages to come
    pub revision: u32,
    variables: HashMap<String, Variable>,
    aliases: HashMap<String, String>,
}

/// The element types CTranslate2 writes, by their code in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataType {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl DataType {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }
}

/// A reader that knows how many bytes are left, so that a corrupt length fails
/// cleanly instead of allocating gigabytes.
struct Cursor<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Cursor<R> {
    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, Ct2Error> {
        if n as u64 > self.remaining {
            return Err(Ct2Error::Format(format!(
                "truncated: {n} bytes wanted, {} left",
                self.remaining
            )));
        }
        let mut buf = vec![0u8; n];
        self.inner.read_exact(&mut buf)?;
        self.remaining -= n as u64;
        Ok(buf)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Ct2Error> {
        if (N as u64) > self.remaining {
            return Err(Ct2Error::Format("truncated".into()));
        }
        let mut buf = [0u8; N];
        self.inner.read_exact(&mut buf)?;
        self.remaining -= N as u64;
        Ok(buf)
    }

    fn u8(&mut self) -> Result<u8, Ct2Error> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, Ct2Error> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, Ct2Error> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn string(&mut self) -> Result<String, Ct2Error> {
        let len = usize::from(self.u16()?);
        let mut bytes = self.bytes(len)?;
        // The stored length counts a trailing NUL.
        if bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes).map_err(|_| Ct2Error::Format("a name is not UTF-8".into()))
    }
}

impl Ct2Model {
    /// Reads a `model.bin` file.
    pub fn read(path: &Path) -> Result<Self, Ct2Error> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Self::from_reader(BufReader::with_capacity(1 << 20, file), len)
    }

    /// Reads a model from `len` bytes of `reader`.
    pub fn from_reader(reader: impl Read, len: u64) -> Result<Self, Ct2Error> {
        let mut r = Cursor {
            inner: reader,
            remaining: len,
        };
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(Ct2Error::Format(format!(
                "binary format version {version} is not supported (expected {FORMAT_VERSION})"
            )));
        }
        let spec = r.string()?;
        let revision = r.u32()?;
        let count = r.u32()?;
        if count > MAX_VARIABLES {
            return Err(Ct2Error::Format(format!(
                "{count} variables is implausible"
            )));
        }

        let mut variables = HashMap::with_capacity(count as usize);
        for _ in 0..count {
            let name = r.string()?;
            let rank = r.u8()?;
            if rank > MAX_RANK {
                return Err(Ct2Error::Format(format!(
                    "{name}: rank {rank} is implausible"
                )));
            }
            let mut dims = Vec::with_capacity(usize::from(rank));
            for _ in 0..rank {
                dims.push(r.u32()? as usize);
            }
            let code = r.u8()?;
            let dtype = DataType::from_code(code)
                .ok_or_else(|| Ct2Error::Format(format!("{name}: unknown data type {code}")))?;
            let byte_len = r.u32()? as usize;
            let elements = dims
                .iter()
                .try_fold(1usize, |acc, &d| acc.checked_mul(d))
                .ok_or_else(|| Ct2Error::Format(format!("{name}: shape overflows")))?;
            if elements.checked_mul(dtype.size()) != Some(byte_len) {
                return Err(Ct2Error::Format(format!(
                    "{name}: {byte_len} bytes do not hold {dims:?} of {dtype:?}"
                )));
            }
            let data = r.bytes(byte_len)?;
            let value = decode_variable(&name, &dims, dtype, &data)?;
            variables.insert(name, value);
        }

        // Older files may end right after the variables.
        let mut aliases = HashMap::new();
        if r.remaining > 0 {
            let count = r.u32()?;
            if count > MAX_VARIABLES {
                return Err(Ct2Error::Format(format!("{count} aliases is implausible")));
            }
            for _ in 0..count {
                let alias = r.string()?;
                let target = r.string()?;
                aliases.insert(alias, target);
            }
        }
        Ok(Self {
            spec,
            revision,
            variables,
            aliases,
        })
    }

    /// A variable by name, following an alias (e.g. a projection tied to the
    /// embeddings).
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.get(name).or_else(|| {
            self.aliases
                .get(name)
                .and_then(|target| self.variables.get(target))
        })
    }

    /// The names of all variables and aliases, sorted.
    #[cfg(test)]
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .variables
            .keys()
            .chain(self.aliases.keys())
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names
    }
}

fn decode_variable(
    name: &str,
    dims: &[usize],
    dtype: DataType,
    data: &[u8],
) -> Result<Variable, Ct2Error> {
    if dims.is_empty() {
        let value = match dtype {
            DataType::I8 => f64::from(data[0] as i8),
            DataType::I16 => f64::from(i16::from_le_bytes([data[0], data[1]])),
            DataType::I32 => f64::from(i32::from_le_bytes([data[0], data[1], data[2], data[3]])),
            DataType::F32 => f64::from(f32::from_le_bytes([data[0], data[1], data[2], data[3]])),
            DataType::F16 | DataType::Bf16 => {
                let t = float_tensor(name, &[1], dtype, data)?;
                let v = t
                    .to_dtype(DType::F32)
                    .and_then(|t| t.to_vec1::<f32>())
                    .map_err(|source| Ct2Error::Tensor {
                        name: name.to_string(),
                        source,
                    })?;
                f64::from(v[0])
            }
        };
        return Ok(Variable::Scalar(value));
    }
    match dtype {
        DataType::F32 | DataType::F16 | DataType::Bf16 => {
            Ok(Variable::Tensor(float_tensor(name, dims, dtype, data)?))
        }
        DataType::I8 | DataType::I16 | DataType::I32 => Ok(Variable::Integer {
            dims: dims.to_vec(),
        }),
    }
}

fn float_tensor(
    name: &str,
    dims: &[usize],
    dtype: DataType,
    data: &[u8],
) -> Result<Tensor, Ct2Error> {
    let candle_dtype = match dtype {
        DataType::F16 => DType::F16,
        DataType::Bf16 => DType::BF16,
        _ => DType::F32,
    };
    Tensor::from_raw_buffer(data, candle_dtype, dims, &Device::Cpu)
        .and_then(|t| match candle_dtype {
            DType::BF16 => t.to_dtype(DType::F32),
            _ => Ok(t),
        })
        .map_err(|source| Ct2Error::Tensor {
            name: name.to_string(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    fn variable(out: &mut Vec<u8>, name: &str, dims: &[u32], dtype: u8, data: &[u8]) {
        string(out, name);
        out.push(dims.len() as u8);
        for d in dims {
            out.extend_from_slice(&d.to_le_bytes());
        }
        out.push(dtype);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }

    /// A small file in the layout CTranslate2's `model_spec.py` writes.
    fn sample() -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        string(&mut out, "WhisperSpec");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&4u32.to_le_bytes());
        // fp16 1.0, -2.0, 0.5, 65504 (the largest fp16).
        let f16: Vec<u8> = [0x3c00u16, 0xc000, 0x3800, 0x7bff]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        variable(&mut out, "emb/weight", &[2, 2], 4, &f16);
        let f32s: Vec<u8> = [0.25f32, -1.5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        variable(&mut out, "ln/gamma", &[2], 0, &f32s);
        variable(&mut out, "enc/num_heads", &[], 2, &8i16.to_le_bytes());
        variable(&mut out, "dec/pre_norm", &[], 1, &[1]);
        out.extend_from_slice(&1u32.to_le_bytes());
        string(&mut out, "proj/weight");
        string(&mut out, "emb/weight");
        out
    }

    #[test]
    fn reads_tensors_scalars_and_aliases() {
        let bytes = sample();
        let m = Ct2Model::from_reader(bytes.as_slice(), bytes.len() as u64).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        assert_eq!(m.revision, 3);
        let Some(Variable::Tensor(t)) = m.get("emb/weight") else {
            panic!("emb/weight is not a tensor")
        };
        assert_eq!(t.dims(), &[2, 2]);
        assert_eq!(t.dtype(), DType::F16);
        assert_eq!(
            t.to_dtype(DType::F32).unwrap().to_vec2::<f32>().unwrap(),
            vec![vec![1.0, -2.0], vec![0.5, 65504.0]]
        );
        let Some(Variable::Tensor(g)) = m.get("ln/gamma") else {
            panic!("ln/gamma is not a tensor")
        };
        assert_eq!(g.to_vec1::<f32>().unwrap(), vec![0.25, -1.5]);
        assert!(matches!(m.get("enc/num_heads"), Some(Variable::Scalar(v)) if *v == 8.0));
        assert!(matches!(m.get("dec/pre_norm"), Some(Variable::Scalar(v)) if *v == 1.0));
        let Some(Variable::Tensor(p)) = m.get("proj/weight") else {
            panic!("the alias does not resolve")
        };
        assert_eq!(p.dims(), &[2, 2]);
        assert!(m.get("missing").is_none());
        assert_eq!(m.names().len(), 5);
    }

    #[test]
    fn rejects_bad_files() {
        let bytes = sample();
        // Truncated anywhere inside a tensor.
        let cut = &bytes[..40];
        assert!(Ct2Model::from_reader(cut, cut.len() as u64).is_err());
        // Another format version.
        let mut other = bytes.clone();
        other[0] = 5;
        let err = Ct2Model::from_reader(other.as_slice(), other.len() as u64).unwrap_err();
        assert!(err.to_string().contains("version 5"), "{err}");
        // A byte count that does not match the shape.
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        string(&mut out, "S");
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        variable(&mut out, "x", &[3], 4, &[0, 0, 0, 0]);
        let err = Ct2Model::from_reader(out.as_slice(), out.len() as u64).unwrap_err();
        assert!(err.to_string().contains("do not hold"), "{err}");
        // A length that runs past the end of the file does not allocate it.
        let mut huge = Vec::new();
        huge.extend_from_slice(&6u32.to_le_bytes());
        huge.extend_from_slice(&u16::MAX.to_le_bytes());
        assert!(Ct2Model::from_reader(huge.as_slice(), huge.len() as u64).is_err());
    }
}
