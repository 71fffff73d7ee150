//! JSON segments, `[...]` or `{"segments": [...]}`, deserialised and validated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use talentd_core::transcript::Transcript;

fuzz_target!(|data: &[u8]| {
    if let Some(result) = talentd_fuzz::parse_json(data) {
        talentd_fuzz::check(result);
    }
    if let Ok(t) = serde_json::from_slice::<Transcript>(data) {
        talentd_fuzz::check(t.validated());
    }
});
