//! Networking for the guest programs (curl, nc, nginx, redis...), with `std::net`'s API.
//!
//! On `wasm32-wasip1`, Rust's `std::net` cannot open sockets, so [`TcpStream`], [`TcpListener`]
//! and [`UdpSocket`] are our own types over the WASIX socket calls (`wasix_32v1.sock_*`) that the
//! engine implements (and real Wasmer too). Natively they *are* `std::net`'s, so the programs'
//! logic is unit-tested with real sockets on 127.0.0.1. Programs use only the methods both sides
//! have, plus [`poll`] (one thread, many sockets), [`resolve`] (the C library's resolver:
//! `/etc/hosts`, then DNS over UDP to `/etc/resolv.conf`'s nameserver) and [`icmp`].
//!
//! The engine contract (which calls, which `/proc/net` files) is in this crate's README.md.

pub use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4};

#[cfg(target_os = "wasi")]
mod wasi;
#[cfg(target_os = "wasi")]
pub use wasi::{TcpListener, TcpStream, UdpSocket};

#[cfg(not(target_os = "wasi"))]
pub use std::net::{TcpListener, TcpStream, UdpSocket};

pub mod dns;
pub mod http;
pub mod icmp;
pub mod poll;
pub mod resolve;
