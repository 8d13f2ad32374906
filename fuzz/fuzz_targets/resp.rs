//! Redis's wire format as the redis guests read it: requests (arrays of bulk strings or inline
//! lines), replies (`redis-cli`), and the quoting of inline commands. No input may panic; what
//! parses must take no more than it was given, and a request encoded again must parse back to
//! the same arguments.

#![no_main]

use guest_redis::resp::{command, parse_reply, parse_request, split_args};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some((args, used))) = parse_request(data) {
        assert!(used > 0 && used <= data.len());
        let wire = command(&args);
        assert_eq!(parse_request(&wire), Ok(Some((args, wire.len()))));
    }
    if let Ok(Some((reply, used))) = parse_reply(data) {
        assert!(used <= data.len());
        let wire = reply.to_bytes();
        assert_eq!(parse_reply(&wire), Ok(Some((reply, wire.len()))));
    }
    let _ = split_args(data);
});
