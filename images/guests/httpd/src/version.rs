//! The version this httpd reports, stamped per image tag when the catalog is built.

static VERSION: [u8; guest_server::stamp::SIZE] = guest_server::stamp::field(b"PLAYGROUND-STAMP:httpd-version=2.4.63");

/// `2.4.63`.
pub fn get() -> &'static str {
    guest_server::stamp::read(&VERSION)
}
