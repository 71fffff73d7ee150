//! The Whisper transformer in candle, loaded from CTranslate2 variables.
//!
//! Batch size is always one, so activations are 2-D `(positions, d_model)` and
//! attention works on `(heads, positions, head_dim)`. The decoder keeps a
//! self-attention key/value cache, and the cross-attention keys and values are
//! computed once per 30 s window; each decoding step then costs one position.
//!
//! CTranslate2 names (WhisperSpec): `encoder/conv{1,2}`, `encoder/layer_N/
//! self_attention/linear_0` (q, k and v fused, k without bias), `linear_1` (output),
//! `ffn/linear_{0,1}`, layer norms as `gamma`/`beta`, and in the decoder
//! `attention/linear_0` (cross q), `linear_1` (cross k and v fused), `linear_2`
//! (output). The output projection is tied to the token embeddings.

use crate::ct2::{Ct2Model, Variable};
use crate::kernels::{self, MATVEC_MAX_ROWS};
use candle_core::{DType, Result, Tensor};
use candle_nn::kv_cache::KvCache;
use candle_nn::ops::layer_norm;

/// LayerNorm epsilon used by Whisper (PyTorch's default).
const LN_EPS: f32 = 1e-5;

/// The sizes of a Whisper model, read from its weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims {
    pub n_mels: usize,
    pub d_model: usize,
    pub encoder_heads: usize,
    pub decoder_heads: usize,
    pub encoder_layers: usize,
    pub decoder_layers: usize,
    pub n_vocab: usize,
    /// Encoder positions (1500 for 30 s).
    pub n_audio_ctx: usize,
    /// Decoder positions (448).
    pub n_text_ctx: usize,
}

/// A dense layer; the weight is `(out, in)` as stored, in f32, or (decoder) in the
/// file's f16, which halves what each decoding step reads from memory.
#[derive(Debug, Clone)]
struct Linear {
    weight: Tensor,
    bias: Option<Tensor>,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        // A decoding step is one row: a matrix-vector product, bound by memory.
        let y = if x.dim(0)? <= MATVEC_MAX_ROWS {
            kernels::matvec(&x.contiguous()?, &self.weight)?
        } else {
            x.matmul(&self.weight.to_dtype(DType::F32)?.t()?)?
        };
        match &self.bias {
            Some(b) => y.broadcast_add(b),
            None => Ok(y),
        }
    }
}

#[derive(Debug, Clone)]
struct LayerNorm {
    gamma: Tensor,
    beta: Tensor,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        layer_norm(x, &self.gamma, &self.beta, LN_EPS)
    }
}

#[derive(Debug, Clone)]
struct Mlp {
    norm: LayerNorm,
    fc1: Linear,
    fc2: Linear,
}

impl Mlp {
    /// `x + fc2(gelu(fc1(norm(x))))`.
    fn residual(&self, x: &Tensor) -> Result<Tensor> {
        let h = kernels::gelu(&self.fc1.forward(&self.norm.forward(x)?)?)?;
        x + self.fc2.forward(&h)?
    }
}

#[derive(Debug, Clone)]
struct EncoderLayer {
    norm: LayerNorm,
    /// q, k and v fused; q rows pre-scaled by 1/sqrt(head_dim).
    qkv: Linear,
    out: Linear,
    mlp: Mlp,
}

#[derive(Debug, Clone)]
struct DecoderLayer {
    self_norm: LayerNorm,
    self_qkv: Linear,
    self_out: Linear,
    cross_norm: LayerNorm,
    /// Pre-scaled by 1/sqrt(head_dim).
    cross_q: Linear,
    /// k and v fused.
    cross_kv: Linear,
    cross_out: Linear,
    mlp: Mlp,
}

/// Whisper's encoder and decoder.
#[derive(Debug, Clone)]
pub struct Model {
    pub dims: Dims,
    conv1: (Tensor, Tensor),
    conv2: (Tensor, Tensor),
    encoder_pos: Tensor,
    encoder_layers: Vec<EncoderLayer>,
    encoder_norm: LayerNorm,
    embeddings: Tensor,
    decoder_pos: Tensor,
    decoder_layers: Vec<DecoderLayer>,
    decoder_norm: LayerNorm,
}

/// Cross-attention keys and values of one window, per decoder layer, each
/// `(heads, n_audio_ctx, head_dim)`.
#[derive(Debug, Clone)]
pub struct CrossKv {
    layers: Vec<(Tensor, Tensor)>,
}

/// The decoder's self-attention cache for one decoding pass.
#[derive(Debug, Clone)]
pub struct SelfKv {
    layers: Vec<KvCache>,
    len: usize,
}

/// Reads named variables with errors that say which one is wrong.
struct Vars<'a>(&'a Ct2Model);

impl Vars<'_> {
    /// A tensor widened to f32.
    fn tensor(&self, name: &str) -> std::result::Result<Tensor, String> {
        self.stored(name)?
            .to_dtype(DType::F32)
            .map_err(|e| format!("{name}: {e}"))
    }

    /// A tensor in the type it is stored in (f32 or f16).
    fn stored(&self, name: &str) -> std::result::Result<Tensor, String> {
        match self.0.get(name) {
            Some(Variable::Tensor(t)) => Ok(t.clone()),
            Some(Variable::Integer { dims }) => Err(format!(
                "{name} ({dims:?}) is quantised to integers; only float16/float32 weights are \
                 supported"
            )),
            Some(Variable::Scalar(_)) => Err(format!("{name} is a scalar, a tensor was expected")),
            None => Err(format!("{name} is missing")),
        }
    }

    fn tensor_of(&self, name: &str, dims: &[usize]) -> std::result::Result<Tensor, String> {
        self.checked(self.tensor(name)?, name, dims)
    }

    fn checked(
        &self,
        t: Tensor,
        name: &str,
        dims: &[usize],
    ) -> std::result::Result<Tensor, String> {
        if t.dims() != dims {
            return Err(format!(
                "{name} has shape {:?}, expected {dims:?}",
                t.dims()
            ));
        }
        Ok(t)
    }

    fn scalar(&self, name: &str) -> Option<f64> {
        match self.0.get(name) {
            Some(Variable::Scalar(v)) => Some(*v),
            _ => None,
        }
    }

    /// A dense layer; `stored` keeps the weight in the file's type (decoder layers,
    /// which run one row at a time), else it is widened to f32 (encoder layers, which
    /// run as matrix products).
    fn linear(
        &self,
        prefix: &str,
        out: usize,
        inp: usize,
        bias: bool,
        stored: bool,
    ) -> std::result::Result<Linear, String> {
        let name = format!("{prefix}/weight");
        let weight = if stored {
            self.stored(&name)?
        } else {
            self.tensor(&name)?
        };
        let weight = self.checked(weight, &name, &[out, inp])?;
        let bias = if bias {
            Some(self.tensor_of(&format!("{prefix}/bias"), &[out])?)
        } else {
            None
        };
        Ok(Linear { weight, bias })
    }

    fn norm(&self, prefix: &str, d: usize) -> std::result::Result<LayerNorm, String> {
        Ok(LayerNorm {
            gamma: self.tensor_of(&format!("{prefix}/gamma"), &[d])?,
            beta: self.tensor_of(&format!("{prefix}/beta"), &[d])?,
        })
    }

    fn mlp(&self, prefix: &str, d: usize, stored: bool) -> std::result::Result<Mlp, String> {
        let hidden = self
            .stored(&format!("{prefix}/linear_0/weight"))?
            .dims()
            .first()
            .copied()
            .unwrap_or(0);
        Ok(Mlp {
            norm: self.norm(&format!("{prefix}/layer_norm"), d)?,
            fc1: self.linear(&format!("{prefix}/linear_0"), hidden, d, true, stored)?,
            fc2: self.linear(&format!("{prefix}/linear_1"), d, hidden, true, stored)?,
        })
    }

    fn count_layers(&self, prefix: &str) -> usize {
        (0..)
            .take_while(|i| {
                self.0
                    .get(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
                    .is_some()
            })
            .count()
    }
}

/// Scales the first `rows` output rows of a layer (weight and bias): folds the
/// attention scale into the query projection.
fn scale_rows(l: &Linear, rows: usize, scale: f64) -> Result<Linear> {
    let scale_head = |t: &Tensor| -> Result<Tensor> {
        let n = t.dim(0)?;
        let head = (t.narrow(0, 0, rows)? * scale)?;
        if n == rows {
            Ok(head)
        } else {
            Tensor::cat(&[&head, &t.narrow(0, rows, n - rows)?], 0)
        }
    };
    Ok(Linear {
        weight: scale_head(&l.weight)?,
        bias: l.bias.as_ref().map(scale_head).transpose()?,
    })
}

/// Splits `(n, heads * head_dim)` into contiguous `(heads, n, head_dim)`.
fn split_heads(x: &Tensor, heads: usize) -> Result<Tensor> {
    let (n, d) = x.dims2()?;
    x.reshape((n, heads, d / heads))?
        .transpose(0, 1)?
        .contiguous()
}

/// Query rows per block of long attentions (the encoder's): a block's scores for one
/// head (500 x 1500 floats) stay in cache between the two products and the softmax.
const ATTENTION_BLOCK: usize = 500;

/// Scaled dot-product attention; `q` is already scaled. `k`, `v`:
/// `(heads, m, head_dim)`; `mask`: `(n, m)` added to the scores. Returns `(n, d)`.
fn attention(
    q: &Tensor,
    k: &Tensor,
    v: &Tensor,
    heads: usize,
    mask: Option<&Tensor>,
) -> Result<Tensor> {
    let (n, d) = q.dims2()?;
    let q = split_heads(q, heads)?;
    if n <= ATTENTION_BLOCK {
        let mut scores = q.matmul(&k.t()?)?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let probs = kernels::softmax_last_dim(&scores)?;
        return probs.matmul(v)?.transpose(0, 1)?.reshape((n, d));
    }
    let mut blocks = Vec::with_capacity(n.div_ceil(ATTENTION_BLOCK));
    for start in (0..n).step_by(ATTENTION_BLOCK) {
        let len = ATTENTION_BLOCK.min(n - start);
        let mut per_head = Vec::with_capacity(heads);
        for h in 0..heads {
            let qh = q.get(h)?.narrow(0, start, len)?;
            let mut scores = qh.matmul(&k.get(h)?.t()?)?;
            if let Some(mask) = mask {
                scores = scores.broadcast_add(&mask.narrow(0, start, len)?)?;
            }
            let probs = kernels::softmax_last_dim(&scores)?;
            per_head.push(probs.matmul(&v.get(h)?)?);
        }
        blocks.push(Tensor::cat(&per_head, 1)?);
    }
    Tensor::cat(&blocks, 0)
}

impl Model {
    /// Builds the model from a CTranslate2 `WhisperSpec`; the error names what is
    /// missing or inconsistent.
    pub fn from_ct2(m: &Ct2Model) -> std::result::Result<Self, String> {
        if m.spec != "WhisperSpec" {
            return Err(format!("model spec is {}, not WhisperSpec", m.spec));
        }
        let v = Vars(m);
        // Whisper is pre-norm with exact GELU (CTranslate2 activation code 3).
        if v.scalar("decoder/pre_norm").is_some_and(|x| x != 1.0) {
            return Err("decoder/pre_norm is off; Whisper is pre-norm".into());
        }
        if v.scalar("decoder/activation").is_some_and(|x| x != 3.0) {
            return Err("decoder/activation is not GELU".into());
        }
        if v.scalar("decoder/alibi").is_some_and(|x| x != 0.0)
            || v.scalar("decoder/scale_embeddings")
                .is_some_and(|x| x != 0.0)
        {
            return Err("decoder options (alibi, scaled embeddings) do not match Whisper".into());
        }
        let conv1_w = v.tensor("encoder/conv1/weight")?;
        let (d_model, n_mels, _) = conv1_w
            .dims3()
            .map_err(|_| "encoder/conv1/weight is not 3-D".to_string())?;
        let heads = |name: &str| -> std::result::Result<usize, String> {
            let h = v.scalar(name).ok_or_else(|| format!("{name} is missing"))?;
            if h < 1.0 || h.fract() != 0.0 || d_model % (h as usize) != 0 {
                return Err(format!("{name} = {h} does not divide d_model {d_model}"));
            }
            Ok(h as usize)
        };
        let encoder_heads = heads("encoder/num_heads")?;
        let decoder_heads = match v.scalar("decoder/num_heads") {
            Some(_) => heads("decoder/num_heads")?,
            None => encoder_heads,
        };
        // Kept as stored: the output projection reads it at every step.
        let embeddings = v.stored("decoder/embeddings/weight")?;
        let (n_vocab, d_emb) = embeddings
            .dims2()
            .map_err(|_| "decoder/embeddings/weight is not 2-D".to_string())?;
        if d_emb != d_model {
            return Err(format!(
                "embeddings are {d_emb} wide, the encoder {d_model}"
            ));
        }
        let encoder_pos = v.tensor("encoder/position_encodings/encodings")?;
        let decoder_pos = v.tensor("decoder/position_encodings/encodings")?;
        let n_audio_ctx = encoder_pos.dims().first().copied().unwrap_or(0);
        let n_text_ctx = decoder_pos.dims().first().copied().unwrap_or(0);
        if encoder_pos.dims() != [n_audio_ctx, d_model]
            || decoder_pos.dims() != [n_text_ctx, d_model]
        {
            return Err("position encodings do not match d_model".into());
        }
        let dims = Dims {
            n_mels,
            d_model,
            encoder_heads,
            decoder_heads,
            encoder_layers: v.count_layers("encoder"),
            decoder_layers: v.count_layers("decoder"),
            n_vocab,
            n_audio_ctx,
            n_text_ctx,
        };
        if dims.encoder_layers == 0 || dims.decoder_layers == 0 {
            return Err("no encoder or decoder layers found".into());
        }
        let d = d_model;
        let conv = |name: &str, inp: usize| -> std::result::Result<(Tensor, Tensor), String> {
            Ok((
                v.tensor_of(&format!("encoder/{name}/weight"), &[d, inp, 3])?,
                v.tensor_of(&format!("encoder/{name}/bias"), &[d])?
                    .reshape((1, d, 1))
                    .map_err(|e| e.to_string())?,
            ))
        };
        let conv1 = conv("conv1", n_mels)?;
        let conv2 = conv("conv2", d)?;
        let candle = |e: candle_core::Error| e.to_string();

        let mut encoder_layers = Vec::with_capacity(dims.encoder_layers);
        for i in 0..dims.encoder_layers {
            let p = format!("encoder/layer_{i}");
            let scale = 1.0 / ((d / encoder_heads) as f64).sqrt();
            let qkv = v.linear(
                &format!("{p}/self_attention/linear_0"),
                3 * d,
                d,
                true,
                false,
            )?;
            encoder_layers.push(EncoderLayer {
                norm: v.norm(&format!("{p}/self_attention/layer_norm"), d)?,
                qkv: scale_rows(&qkv, d, scale).map_err(candle)?,
                out: v.linear(&format!("{p}/self_attention/linear_1"), d, d, true, false)?,
                mlp: v.mlp(&format!("{p}/ffn"), d, false)?,
            });
        }
        let mut decoder_layers = Vec::with_capacity(dims.decoder_layers);
        for i in 0..dims.decoder_layers {
            let p = format!("decoder/layer_{i}");
            let scale = 1.0 / ((d / decoder_heads) as f64).sqrt();
            let qkv = v.linear(
                &format!("{p}/self_attention/linear_0"),
                3 * d,
                d,
                true,
                true,
            )?;
            let q = v.linear(&format!("{p}/attention/linear_0"), d, d, true, true)?;
            decoder_layers.push(DecoderLayer {
                self_norm: v.norm(&format!("{p}/self_attention/layer_norm"), d)?,
                self_qkv: scale_rows(&qkv, d, scale).map_err(candle)?,
                self_out: v.linear(&format!("{p}/self_attention/linear_1"), d, d, true, true)?,
                cross_norm: v.norm(&format!("{p}/attention/layer_norm"), d)?,
                cross_q: scale_rows(&q, d, scale).map_err(candle)?,
                // Run once per window over 1500 positions: a matrix product, in f32.
                cross_kv: v.linear(&format!("{p}/attention/linear_1"), 2 * d, d, true, false)?,
                cross_out: v.linear(&format!("{p}/attention/linear_2"), d, d, true, true)?,
                mlp: v.mlp(&format!("{p}/ffn"), d, true)?,
            });
        }
        // The projection is tied to the embeddings in every Whisper; a separate one
        // would be an unknown variant.
        if let Ok(proj) = v.stored("decoder/projection/weight")
            && proj.dims() != embeddings.dims()
        {
            return Err("decoder/projection/weight does not match the embeddings".into());
        }
        Ok(Self {
            dims,
            conv1,
            conv2,
            encoder_pos,
            encoder_layers,
            encoder_norm: v.norm("encoder/layer_norm", d)?,
            embeddings,
            decoder_pos,
            decoder_layers,
            decoder_norm: v.norm("decoder/layer_norm", d)?,
        })
    }

    /// Encodes one window of log-mel frames `(n_mels, 2 * n_audio_ctx)` into
    /// `(n_audio_ctx, d_model)`.
    pub fn encode(&self, mel: &Tensor) -> Result<Tensor> {
        let x = mel.unsqueeze(0)?;
        let x = x
            .conv1d(&self.conv1.0, 1, 1, 1, 1)?
            .broadcast_add(&self.conv1.1)?;
        let x = kernels::gelu(&x)?;
        let x = x
            .conv1d(&self.conv2.0, 1, 2, 1, 1)?
            .broadcast_add(&self.conv2.1)?;
        let x = kernels::gelu(&x)?;
        let mut x = (x.squeeze(0)?.t()? + &self.encoder_pos)?;
        let d = self.dims.d_model;
        let heads = self.dims.encoder_heads;
        for layer in &self.encoder_layers {
            let qkv = layer.qkv.forward(&layer.norm.forward(&x)?)?;
            let q = qkv.narrow(1, 0, d)?;
            let k = split_heads(&qkv.narrow(1, d, d)?, heads)?;
            let v = split_heads(&qkv.narrow(1, 2 * d, d)?, heads)?;
            let a = attention(&q, &k, &v, heads, None)?;
            x = (x + layer.out.forward(&a)?)?;
            x = layer.mlp.residual(&x)?;
        }
        self.encoder_norm.forward(&x)
    }

    /// The cross-attention keys and values of every decoder layer for one encoded
    /// window: computed once, used by every decoding step.
    pub fn cross_kv(&self, audio: &Tensor) -> Result<CrossKv> {
        let d = self.dims.d_model;
        let heads = self.dims.decoder_heads;
        let layers = self
            .decoder_layers
            .iter()
            .map(|l| {
                let kv = l.cross_kv.forward(audio)?;
                Ok((
                    split_heads(&kv.narrow(1, 0, d)?, heads)?,
                    split_heads(&kv.narrow(1, d, d)?, heads)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(CrossKv { layers })
    }

    /// An empty self-attention cache sized for the whole text context.
    pub fn new_cache(&self) -> SelfKv {
        SelfKv {
            layers: (0..self.dims.decoder_layers)
                .map(|_| KvCache::new(1, self.dims.n_text_ctx))
                .collect(),
            len: 0,
        }
    }

    /// Runs the decoder over `tokens` that follow the `cache.len()` positions already
    /// decoded; returns the final hidden states `(tokens.len(), d_model)`.
    pub fn decode(&self, tokens: &[u32], cross: &CrossKv, cache: &mut SelfKv) -> Result<Tensor> {
        let n = tokens.len();
        let past = cache.len;
        if past + n > self.dims.n_text_ctx {
            candle_core::bail!(
                "decoder context of {} positions exceeded",
                self.dims.n_text_ctx
            );
        }
        let device = self.embeddings.device();
        let ids = Tensor::new(tokens, device)?;
        let embedded = self.embeddings.embedding(&ids)?.to_dtype(DType::F32)?;
        let mut x = (embedded + self.decoder_pos.narrow(0, past, n)?)?;
        let mask = if n > 1 {
            let m: Vec<f32> = (0..n)
                .flat_map(|i| {
                    (0..past + n).map(move |j| if j > past + i { f32::NEG_INFINITY } else { 0.0 })
                })
                .collect();
            Some(Tensor::from_vec(m, (n, past + n), device)?)
        } else {
            None
        };
        let d = self.dims.d_model;
        let heads = self.dims.decoder_heads;
        for ((layer, kv), (ck, cv)) in self
            .decoder_layers
            .iter()
            .zip(cache.layers.iter_mut())
            .zip(&cross.layers)
        {
            let qkv = layer.self_qkv.forward(&layer.self_norm.forward(&x)?)?;
            let q = qkv.narrow(1, 0, d)?;
            let k = split_heads(&qkv.narrow(1, d, d)?, heads)?;
            let v = split_heads(&qkv.narrow(1, 2 * d, d)?, heads)?;
            let (k, v) = kv.append(&k, &v)?;
            let a = attention(&q, &k, &v, heads, mask.as_ref())?;
            x = (x + layer.self_out.forward(&a)?)?;

            let q = layer.cross_q.forward(&layer.cross_norm.forward(&x)?)?;
            let a = attention(&q, ck, cv, heads, None)?;
            x = (x + layer.cross_out.forward(&a)?)?;

            x = layer.mlp.residual(&x)?;
        }
        cache.len += n;
        self.decoder_norm.forward(&x)
    }

    /// Logits over the vocabulary for one row of decoder output.
    pub fn logits(&self, hidden: &Tensor, row: usize) -> Result<Vec<f32>> {
        let h = hidden.narrow(0, row, 1)?.contiguous()?;
        kernels::matvec(&h, &self.embeddings)?
            .squeeze(0)?
            .to_vec1::<f32>()
    }
}
