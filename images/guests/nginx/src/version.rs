//! The version this nginx reports (`nginx -v`, the `Server` header, error pages), stamped per
//! image tag when the catalog is built (see `guest_server::stamp`).

static VERSION: [u8; guest_server::stamp::SIZE] = guest_server::stamp::field(b"PLAYGROUND-STAMP:nginx-version=1.27.4");

/// `1.27.4`.
pub fn get() -> &'static str {
    guest_server::stamp::read(&VERSION)
}

/// `nginx/1.27.4`, as the `Server` header and error pages print it.
pub fn server() -> String {
    format!("nginx/{}", get())
}
