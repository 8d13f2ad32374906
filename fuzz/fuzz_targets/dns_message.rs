//! DNS messages as the guests' resolver, `nslookup` and `dig` read them from the network:
//! decoding any bytes must never panic, and a decoded message must encode and decode back to
//! itself (names, record data and flags survive the trip).

#![no_main]

use guest_net::dns::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = Message::decode(data) else {
        return;
    };
    let bytes = message.encode().expect("a decoded message encodes");
    assert_eq!(Message::decode(&bytes).as_ref(), Ok(&message), "{data:?} re-encoded as {bytes:?}");
});
