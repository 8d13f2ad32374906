//! Processes: what runs inside a container. Each process is a WebAssembly module built for WASI
//! preview 1 (`wasm32-wasip1`), run by the `wasmi` interpreter in its own store. The kernel here
//! schedules them on the page's single thread:
//!
//! - preemption: every process runs with a fuel slice; when the slice is used up the call returns
//!   a resumable "out of fuel" state and the next process gets its turn;
//! - blocking: a host call that would block (reading an empty pipe, sleeping) returns a resumable
//!   host trap; the process sleeps until its wake condition holds, then the call is completed and
//!   the guest resumes as if it had never stopped.
//!
//! So a container spinning in `while true; do :; done` never freezes the page or starves others.
//!
//! Public contract used by the rest of the engine (containers, CLI):
//! `Kernel::new`, `Kernel::spawn(SpawnSpec)`, `Kernel::run(deadline)`, `Kernel::status`,
//! `Kernel::kill`, `Kernel::reap`, and `Pipe` for stdio.

mod pipe;

pub use pipe::Pipe;
