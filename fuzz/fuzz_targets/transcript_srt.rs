//! SRT: the input follows a first cue's number and timing line, so every run reaches the
//! cue parser (the input is that cue's text, then any further cues).
#![no_main]

use libfuzzer_sys::fuzz_target;
use talentd_core::transcript::parse_text;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    talentd_fuzz::check(parse_text(&format!(
        "1\n00:00:00,000 --> 00:00:01,000\n{body}"
    )));
});
