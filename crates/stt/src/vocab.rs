//! Whisper's vocabulary: the BPE tokenizer for text, and the special tokens
//! (start of transcript, languages, tasks, no-speech, timestamps) found by name.

use serde::Deserialize;
use std::path::Path;
use tokenizers::Tokenizer;

/// Timestamp tokens: `<|0.00|>` to `<|30.00|>` in steps of 0.02 s.
pub const TIMESTAMP_TOKENS: usize = 1501;

/// The parts of CTranslate2's `config.json` used here.
#[derive(Debug, Default, Deserialize)]
struct Ct2Config {
    #[serde(default)]
    lang_ids: Vec<i64>,
    #[serde(default)]
    suppress_ids: Vec<i64>,
    #[serde(default)]
    suppress_ids_begin: Vec<i64>,
}

/// Tokenizer and special token ids of one model.
pub struct Vocab {
    tokenizer: Tokenizer,
    /// `<|endoftext|>`.
    pub eot: u32,
    /// `<|startoftranscript|>`.
    pub sot: u32,
    /// `<|transcribe|>`.
    pub transcribe: u32,
    /// `<|nospeech|>` (named `<|nocaptions|>` in older vocabularies).
    pub no_speech: u32,
    /// `<|notimestamps|>`; the timestamps follow it.
    pub no_timestamps: u32,
    /// `<|0.00|>`.
    pub timestamp_begin: u32,
    /// Language codes and their tokens, e.g. `("ru", <|ru|>)`.
    pub languages: Vec<(String, u32)>,
    /// Tokens never sampled (`suppress_ids` of config.json).
    pub suppress: Vec<u32>,
    /// Tokens not sampled first (`suppress_ids_begin`: a blank and end of text).
    pub suppress_begin: Vec<u32>,
    /// Size of the model's vocabulary, timestamps included.
    pub n_vocab: usize,
}

impl Vocab {
    /// Loads `tokenizer.json` and `config.json` from a model folder and checks that
    /// they agree with a model of `n_vocab` tokens.
    pub fn load(dir: &Path, n_vocab: usize) -> Result<Self, String> {
        let tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| format!("tokenizer.json: {e}"))?;
        let config = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| format!("config.json: {e}"))?;
        let config: Ct2Config =
            serde_json::from_str(&config).map_err(|e| format!("config.json: {e}"))?;

        let id = |names: &[&str]| -> Result<u32, String> {
            names
                .iter()
                .find_map(|n| tokenizer.token_to_id(n))
                .ok_or_else(|| format!("tokenizer.json has no {} token", names[0]))
        };
        let eot = id(&["<|endoftext|>"])?;
        let sot = id(&["<|startoftranscript|>"])?;
        let transcribe = id(&["<|transcribe|>"])?;
        let no_speech = id(&["<|nospeech|>", "<|nocaptions|>"])?;
        let no_timestamps = id(&["<|notimestamps|>"])?;
        let timestamp_begin = no_timestamps + 1;
        if timestamp_begin as usize + TIMESTAMP_TOKENS != n_vocab {
            return Err(format!(
                "the model has {n_vocab} tokens but the tokenizer implies {}",
                timestamp_begin as usize + TIMESTAMP_TOKENS
            ));
        }

        let valid = |v: i64| u32::try_from(v).ok().filter(|&t| (t as usize) < n_vocab);
        let lang_ids: Vec<u32> = if config.lang_ids.is_empty() {
            (sot + 1..transcribe).collect()
        } else {
            config.lang_ids.iter().filter_map(|&v| valid(v)).collect()
        };
        let languages = lang_ids
            .into_iter()
            .filter_map(|t| {
                let name = tokenizer.id_to_token(t)?;
                let code = name.strip_prefix("<|")?.strip_suffix("|>")?;
                let is_code = !code.is_empty()
                    && code.len() <= 8
                    && code.chars().all(|c| c.is_ascii_lowercase() || c == '-');
                is_code.then(|| (code.to_string(), t))
            })
            .collect();

        Ok(Self {
            tokenizer,
            eot,
            sot,
            transcribe,
            no_speech,
            no_timestamps,
            timestamp_begin,
            languages,
            suppress: config
                .suppress_ids
                .iter()
                .filter_map(|&v| valid(v))
                .collect(),
            suppress_begin: config
                .suppress_ids_begin
                .iter()
                .filter_map(|&v| valid(v))
                .collect(),
            n_vocab,
        })
    }

    /// The token of a language code (`en`, `ru`, ...), if the model knows it.
    pub fn language_token(&self, code: &str) -> Option<u32> {
        self.languages
            .iter()
            .find(|(c, _)| c == code)
            .map(|&(_, t)| t)
    }

    /// The code of a language token.
    pub fn language_code(&self, token: u32) -> Option<&str> {
        self.languages
            .iter()
            .find(|&&(_, t)| t == token)
            .map(|(c, _)| c.as_str())
    }

    /// Text of a run of text tokens (special tokens are dropped).
    pub fn decode_text(&self, tokens: &[u32]) -> Result<String, String> {
        let text: Vec<u32> = tokens.iter().copied().filter(|&t| t < self.eot).collect();
        self.tokenizer
            .decode(&text, true)
            .map_err(|e| format!("tokenizer: {e}"))
    }
}
