//! The container shell's parser (`sh` in images/guests/busybox): any text either parses or
//! fails with a syntax error, and a parsed tree printed back as source (`type f`, `set` show
//! functions that way) parses again to the same text. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = guest_busybox::fuzz_shell_parser(&text);
});
