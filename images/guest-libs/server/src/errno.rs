//! Linux's `(errno: message)` text for an I/O error, as nginx and Redis print it in their logs
//! (`bind() to 0.0.0.0:80 failed (98: Address already in use)`). WASI numbers its errors
//! differently, so the text is chosen from the error's kind, which both backends set.

use std::io::{self, ErrorKind};

/// `98: Address already in use`.
pub fn text(e: &io::Error) -> String {
    let (n, msg) = match e.kind() {
        ErrorKind::NotFound => (2, "No such file or directory"),
        ErrorKind::PermissionDenied => (13, "Permission denied"),
        ErrorKind::AddrInUse => (98, "Address already in use"),
        ErrorKind::AddrNotAvailable => (99, "Cannot assign requested address"),
        ErrorKind::NetworkUnreachable => (101, "Network is unreachable"),
        ErrorKind::ConnectionAborted => (103, "Software caused connection abort"),
        ErrorKind::ConnectionReset => (104, "Connection reset by peer"),
        ErrorKind::NotConnected => (107, "Transport endpoint is not connected"),
        ErrorKind::TimedOut => (110, "Connection timed out"),
        ErrorKind::ConnectionRefused => (111, "Connection refused"),
        ErrorKind::HostUnreachable => (113, "No route to host"),
        ErrorKind::BrokenPipe => (32, "Broken pipe"),
        ErrorKind::IsADirectory => (21, "Is a directory"),
        ErrorKind::NotADirectory => (20, "Not a directory"),
        ErrorKind::AlreadyExists => (17, "File exists"),
        ErrorKind::InvalidInput => (22, "Invalid argument"),
        ErrorKind::Unsupported => (95, "Operation not supported"),
        _ => match e.raw_os_error() {
            Some(n) => return format!("{n}: {e}"),
            None => (5, "Input/output error"),
        },
    };
    format!("{n}: {msg}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn kinds_print_as_linux_numbers_and_messages() {
        let e = std::net::TcpStream::connect("127.0.0.1:1").unwrap_err();
        assert_eq!(super::text(&e), "111: Connection refused");
        let e = std::fs::File::open("/nonexistent/x").unwrap_err();
        assert_eq!(super::text(&e), "2: No such file or directory");
    }
}
