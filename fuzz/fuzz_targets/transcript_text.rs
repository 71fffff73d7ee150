//! Any text into `parse_text`: as UTF-8 when it is, and always decoded lossily (what an
//! upload of arbitrary bytes becomes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use talentd_core::transcript::parse_text;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        talentd_fuzz::check(parse_text(s));
    }
    talentd_fuzz::check(parse_text(&String::from_utf8_lossy(data)));
});
