//! WebVTT: the input follows a `WEBVTT` header, so every run reaches the cue parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use talentd_core::transcript::parse_text;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    talentd_fuzz::check(parse_text(&format!("WEBVTT\n\n{body}")));
});
