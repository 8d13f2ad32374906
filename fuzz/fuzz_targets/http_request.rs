//! HTTP requests as the nginx and httpd guests receive them (`guest_http::request::parse`, on
//! top of httparse): any bytes must give a request, "need more", or an error with a status,
//! never a panic. A parsed request must parse the same from exactly the bytes it said it took,
//! and the path helpers must keep a URI inside the root.

#![no_main]

use guest_http::request::{normalize_path, parse, percent_decode, Limits, Parsed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { head: 4096, line: 1024, body: 4096 };
    let Ok(parsed) = parse(data, &limits) else {
        return;
    };
    let Parsed::Done(request, used) = parsed else {
        return;
    };
    assert!(used > 0 && used <= data.len());
    assert_eq!(parse(&data[..used], &limits), Ok(Parsed::Done(request.clone(), used)));
    let _ = (request.host_name(), request.wants_keep_alive(), request.request_line(), request.query());
    if let Some(decoded) = percent_decode(request.path()) {
        if let Some(path) = normalize_path(&decoded) {
            assert!(path.starts_with('/'), "{path:?}");
            assert!(!path.split('/').any(|seg| seg == ".." || seg == "."), "{path:?}");
            assert!(!path.contains("//"), "{path:?}");
        }
    }
});
