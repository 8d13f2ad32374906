//! What a daemon needs beyond sockets, shared by the server programs of the catalog (`nginx`,
//! `httpd`, `redis-server`): catching signals (`nginx -s reload` sends `SIGHUP`, `docker stop`
//! sends `SIGTERM` or the image's `StopSignal`), its own pid (for `/var/run/nginx.pid` and log
//! prefixes), the clock in the formats their logs print, and buffered reads and writes on
//! non-blocking sockets for one-threaded event loops.
//!
//! Guests have no threads: a server waits on all its sockets at once with
//! [`guest_net::poll::poll`], with a timeout so that it also notices the signals its handler
//! recorded (a handled signal also ends a `poll_oneoff` waiting on descriptors with `EINTR`).

pub mod clock;
pub mod errno;
pub mod io;
pub mod signals;
pub mod stamp;
mod sys;

pub use sys::{isatty, pid};
