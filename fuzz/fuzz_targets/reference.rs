//! Image references (`nginx`, `localhost:5000/app:1.0`, `ubuntu@sha256:...`): parsing, and
//! printing what was parsed, must never panic.
//!
//! The printed (familiar) form must also parse back to the same reference: this target found
//! `library/a/b:6` printing as `a/b:6` (another repository), since fixed.

#![no_main]

use engine::image::Reference;
use libfuzzer_sys::fuzz_target;

const ROUND_TRIP: bool = true;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(reference) = Reference::parse(text) else {
        return;
    };
    let shown = reference.to_string();
    let again = Reference::parse(&shown);
    if ROUND_TRIP {
        assert_eq!(
            again.as_ref(),
            Ok(&reference),
            "{text:?} printed as {shown:?}"
        );
    }
    let _ = reference.clone().with_default_tag().familiar_name();
});
