//! The Redis version these programs report, stamped per image tag when the catalog is built.

static VERSION: [u8; guest_server::stamp::SIZE] = guest_server::stamp::field(b"PLAYGROUND-STAMP:redis-version=7.4.2");

/// `7.4.2`.
pub fn get() -> &'static str {
    guest_server::stamp::read(&VERSION)
}
