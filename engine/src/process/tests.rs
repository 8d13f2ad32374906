//! Tests of the process runtime with tiny guests written in WAT: scheduling fairness, blocking
//! and waking, exit statuses, argv/env, sleeps, memory safety, files.

use super::*;
use crate::fs::Fs;
use crate::platform::{Clock, Entropy, ManualClock, SeededEntropy, SystemClock};
use std::cell::RefCell;
use std::rc::Rc;

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
"#;

/// A module from a body that follows the common imports and memory.
fn guest(body: &str) -> Rc<[u8]> {
    let text = format!(r#"(module {PRELUDE} {body} (memory (export "memory") 2))"#);
    wat::parse_str(text).expect("valid wat").into()
}

fn entropy() -> Rc<RefCell<dyn Entropy>> {
    Rc::new(RefCell::new(SeededEntropy::new(7)))
}

fn manual_kernel() -> (Kernel, ManualClock) {
    let clock = ManualClock::new(1_700_000_000_000);
    let mut k = Kernel::new(Rc::new(clock.clone()), entropy());
    // Debug builds interpret slowly: keep runs with spinning guests short.
    k.set_max_slices_per_run(8);
    (k, clock)
}

struct Io {
    stdin: Pipe,
    stdout: Pipe,
    stderr: Pipe,
}

fn spec(program: Rc<[u8]>, args: &[&str], fs: Fs) -> (SpawnSpec, Io) {
    let io = Io { stdin: Pipe::new(), stdout: Pipe::new(), stderr: Pipe::new() };
    let spec = SpawnSpec {
        program,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: vec!["A=1".into()],
        cwd: "/".into(),
        fs,
        stdin: Stdio::Pipe(io.stdin.clone()),
        stdout: Stdio::Pipe(io.stdout.clone()),
        stderr: Stdio::Pipe(io.stderr.clone()),
    };
    (spec, io)
}

fn spawn(k: &mut Kernel, program: Rc<[u8]>) -> (Pid, Io) {
    let (spec, io) = spec(program, &["prog"], Fs::new());
    (k.spawn(spec).expect("spawn"), io)
}

/// Runs with a generous deadline on a clock that does not move.
fn run_manual(k: &mut Kernel, clock: &ManualClock) -> RunOutcome {
    k.run(clock.monotonic_micros() + 1_000_000)
}

const SPIN: &str = r#"(func (export "_start") (loop br 0))"#;

/// Writes `len` bytes at `ptr` to `fd` (iovec at 0, nwritten at 8) and returns the errno.
const WRITE_FN: &str = r#"
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
"#;

fn printer_after(iterations: u32) -> Rc<[u8]> {
    guest(&format!(
        r#"{WRITE_FN}
        (data (i32.const 64) "hello\n")
        (func (export "_start") (local $i i32)
          (local.set $i (i32.const {iterations}))
          (block $done (loop $spin
            (br_if $done (i32.eqz (local.get $i)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $spin)))
          (drop (call $write (i32.const 1) (i32.const 64) (i32.const 6))))"#
    ))
}

#[test]
fn a_spinning_guest_does_not_starve_another() {
    let clock: Rc<dyn Clock> = Rc::new(SystemClock::default());
    let mut k = Kernel::new(clock.clone(), entropy());
    let (spinner, _) = spawn(&mut k, guest(SPIN));
    // Needs many slices of its own before printing.
    let (printer, io) = spawn(&mut k, printer_after(300_000));
    for _ in 0..2_000 {
        if k.status(printer) != Some(ProcStatus::Running) {
            break;
        }
        assert_eq!(k.run(clock.monotonic_micros() + 2_000), RunOutcome::Busy);
    }
    assert_eq!(k.status(printer), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"hello\n");
    assert!(io.stdout.at_eof(), "an exited process closes its stdout");
    assert_eq!(k.status(spinner), Some(ProcStatus::Running));
    assert_eq!(k.reap(printer), Some(0));
    assert_eq!(k.pids(), vec![spinner]);
}

#[test]
fn run_returns_at_the_deadline_and_after_bounded_slices() {
    let (mut k, clock) = manual_kernel();
    spawn(&mut k, guest(SPIN));
    // The manual clock never moves: the slice cap ends the call.
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Busy);
    // A past deadline still runs one slice, so every call makes progress.
    assert_eq!(k.run(0), RunOutcome::Busy);
}

const ECHO: &str = r#"
  (func (export "_start") (local $n i32)
    (loop $again
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const 1024))
      (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $n (i32.load (i32.const 8)))
      (if (i32.eqz (local.get $n)) (then (return)))
      (i32.store (i32.const 4) (local.get $n))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br $again)))
"#;

#[test]
fn a_reader_blocks_until_input_arrives_then_sees_eof() {
    let (mut k, clock) = manual_kernel();
    let (pid, io) = spawn(&mut k, guest(ECHO));
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Waiting { wake_at_micros: None });
    assert_eq!(k.status(pid), Some(ProcStatus::Blocked));
    io.stdin.write_all(b"ping\n");
    run_manual(&mut k, &clock);
    assert_eq!(io.stdout.drain(), b"ping\n");
    assert_eq!(k.status(pid), Some(ProcStatus::Blocked));
    io.stdin.write_all(b"a");
    io.stdin.write_all(b"b");
    io.stdin.close_write();
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Idle);
    assert_eq!(io.stdout.drain(), b"ab");
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));
}

#[test]
fn exit_codes_and_signals() {
    let (mut k, clock) = manual_kernel();
    let (exits, _) = spawn(&mut k, guest(r#"(func (export "_start") (call $proc_exit (i32.const 3)))"#));
    let (wraps, _) = spawn(&mut k, guest(r#"(func (export "_start") (call $proc_exit (i32.const 259)))"#));
    let (termed, _) = spawn(&mut k, guest(SPIN));
    let (killed, _) = spawn(&mut k, guest(SPIN));
    let (interrupted, io) = spawn(&mut k, guest(ECHO));
    run_manual(&mut k, &clock);
    assert_eq!(k.status(exits), Some(ProcStatus::Exited(3)));
    assert_eq!(k.status(wraps), Some(ProcStatus::Exited(3)));
    assert_eq!(k.status(interrupted), Some(ProcStatus::Blocked));
    k.kill(termed, Signal::Term);
    k.kill(killed, Signal::Kill);
    k.kill(interrupted, Signal::Int);
    assert_eq!(k.status(termed), Some(ProcStatus::Exited(143)));
    assert_eq!(k.status(killed), Some(ProcStatus::Exited(137)));
    assert_eq!(k.status(interrupted), Some(ProcStatus::Exited(130)));
    assert!(io.stdout.at_eof(), "the killed process's stdout is closed");
    assert_eq!(io.stdin.write(b"x"), None, "and nobody reads its stdin");
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Idle);
    assert_eq!(k.reap(killed), Some(137));
    assert_eq!(k.reap(killed), None);
}

#[test]
fn args_and_env_reach_the_guest() {
    let program = guest(
        r#"
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
        (func (export "_start")
          ;; argc at 16, argv buf size at 20; argv[] at 256, strings at 512
          (drop (call $args_sizes (i32.const 16) (i32.const 20)))
          (drop (call $args_get (i32.const 256) (i32.const 512)))
          ;; argv[1] runs to the end of the buffer (2 args): len = 512 + size - argv[1] - 1
          (i32.store (i32.const 32) (i32.load (i32.const 260)))
          (i32.store (i32.const 36)
            (i32.sub (i32.sub (i32.add (i32.const 512) (i32.load (i32.const 20)))
                              (i32.load (i32.const 260))) (i32.const 1)))
          ;; environ: one string at 1024, pointers at 768
          (drop (call $env_sizes (i32.const 16) (i32.const 20)))
          (drop (call $env_get (i32.const 768) (i32.const 1024)))
          (i32.store (i32.const 40) (i32.const 1024))
          (i32.store (i32.const 44) (i32.sub (i32.load (i32.const 20)) (i32.const 1)))
          (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 2) (i32.const 8))))"#,
    );
    let (mut k, clock) = manual_kernel();
    let (spec, io) = spec(program, &["echo", "world"], Fs::new());
    let pid = k.spawn(spec).unwrap();
    run_manual(&mut k, &clock);
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"worldA=1");
}

#[test]
fn sleep_blocks_until_the_clock_advances() {
    let program = guest(
        r#"
        (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
        (data (i32.const 64) "woke\n")
        (func (export "_start")
          ;; one clock subscription at 256: userdata 7, monotonic, 1 s relative
          (i64.store (i32.const 256) (i64.const 7))
          (i32.store8 (i32.const 264) (i32.const 0))
          (i32.store (i32.const 272) (i32.const 1))
          (i64.store (i32.const 280) (i64.const 1000000000))
          (i32.store16 (i32.const 296) (i32.const 0))
          (if (call $poll (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 16))
            (then (call $proc_exit (i32.const 1))))
          ;; one event, for userdata 7, no error
          (if (i32.ne (i32.load (i32.const 16)) (i32.const 1)) (then (call $proc_exit (i32.const 2))))
          (if (i64.ne (i64.load (i32.const 512)) (i64.const 7)) (then (call $proc_exit (i32.const 3))))
          (if (i32.load16_u (i32.const 520)) (then (call $proc_exit (i32.const 4))))
          (i32.store (i32.const 0) (i32.const 64))
          (i32.store (i32.const 4) (i32.const 5))
          (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#,
    );
    let (mut k, clock) = manual_kernel();
    clock.advance_micros(5);
    let (pid, io) = spawn(&mut k, program);
    let asleep = RunOutcome::Waiting { wake_at_micros: Some(1_000_005) };
    assert_eq!(run_manual(&mut k, &clock), asleep);
    assert_eq!(k.status(pid), Some(ProcStatus::Blocked));
    clock.advance_micros(999_999);
    assert_eq!(run_manual(&mut k, &clock), asleep);
    clock.advance_micros(1);
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Idle);
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"woke\n");
}

/// Polls stdin for reading with a 1 s timeout; exits with the first event's userdata (1 for
/// stdin, 2 for the timer).
const SELECT: &str = r#"
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (func (export "_start")
    (i64.store (i32.const 256) (i64.const 1))
    (i32.store8 (i32.const 264) (i32.const 1))
    (i32.store (i32.const 272) (i32.const 0))
    (i64.store (i32.const 304) (i64.const 2))
    (i32.store8 (i32.const 312) (i32.const 0))
    (i32.store (i32.const 320) (i32.const 1))
    (i64.store (i32.const 328) (i64.const 1000000000))
    (if (call $poll (i32.const 256) (i32.const 512) (i32.const 2) (i32.const 16))
      (then (call $proc_exit (i32.const 100))))
    (call $proc_exit (i32.wrap_i64 (i64.load (i32.const 512)))))
"#;

#[test]
fn poll_wakes_on_input_or_on_its_timeout() {
    let (mut k, clock) = manual_kernel();
    let (by_input, io) = spawn(&mut k, guest(SELECT));
    let (by_timer, _) = spawn(&mut k, guest(SELECT));
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Waiting { wake_at_micros: Some(1_000_000) });
    io.stdin.write_all(b"x");
    run_manual(&mut k, &clock);
    assert_eq!(k.status(by_input), Some(ProcStatus::Exited(1)));
    assert_eq!(k.status(by_timer), Some(ProcStatus::Blocked));
    clock.advance_micros(1_000_000);
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Idle);
    assert_eq!(k.status(by_timer), Some(ProcStatus::Exited(2)));
}

#[test]
fn bad_pointers_get_efault_and_a_trap_kills_only_its_process() {
    let (mut k, clock) = manual_kernel();
    // iovec buffer far out of bounds, then an iovec array out of bounds, then nwritten.
    let (efault, _) = spawn(
        &mut k,
        guest(&format!(
            r#"{WRITE_FN}
            (func (export "_start")
              (if (i32.ne (call $write (i32.const 1) (i32.const -16) (i32.const 100)) (i32.const 21))
                (then (call $proc_exit (i32.const 1))))
              (if (i32.ne (call $fd_write (i32.const 1) (i32.const -4) (i32.const 1) (i32.const 8)) (i32.const 21))
                (then (call $proc_exit (i32.const 2))))
              (if (i32.ne (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const -2)) (i32.const 21))
                (then (call $proc_exit (i32.const 3))))
              (if (i32.ne (call $fd_read (i32.const 0) (i32.const -4) (i32.const 1) (i32.const 8)) (i32.const 21))
                (then (call $proc_exit (i32.const 4))))
              (call $proc_exit (i32.const 21)))"#
        )),
    );
    let (trapper, trap_io) = spawn(&mut k, guest(r#"(func (export "_start") unreachable)"#));
    let (oob, _) = spawn(&mut k, guest(r#"(func (export "_start") (drop (i32.load (i32.const 200000))))"#));
    let (printer, io) = spawn(&mut k, printer_after(1000));
    run_manual(&mut k, &clock);
    assert_eq!(k.status(efault), Some(ProcStatus::Exited(21)));
    assert_eq!(k.status(trapper), Some(ProcStatus::Exited(134)));
    let diagnostic = String::from_utf8(trap_io.stderr.drain()).unwrap();
    assert!(diagnostic.starts_with("prog: terminated by SIGABRT"), "{diagnostic}");
    assert!(trap_io.stderr.at_eof());
    assert_eq!(k.status(oob), Some(ProcStatus::Exited(139)));
    assert_eq!(k.status(printer), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"hello\n");
}

/// Opens the path at 128 (length `len`) read-only, copies it to stdout; exits with the errno.
fn cat_guest(path: &str) -> Rc<[u8]> {
    guest(&format!(
        r#"
        (import "wasi_snapshot_preview1" "path_open"
          (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (data (i32.const 128) "{path}")
        (func (export "_start") (local $e i32) (local $fd i32) (local $n i32)
          (local.set $e (call $open (i32.const 3) (i32.const 1) (i32.const 128) (i32.const {len})
            (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))
          (if (local.get $e) (then (call $proc_exit (local.get $e))))
          (local.set $fd (i32.load (i32.const 16)))
          (loop $more
            (i32.store (i32.const 0) (i32.const 1024))
            (i32.store (i32.const 4) (i32.const 5))
            (local.set $e (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
            (if (local.get $e) (then (call $proc_exit (local.get $e))))
            (local.set $n (i32.load (i32.const 8)))
            (if (local.get $n) (then
              (i32.store (i32.const 4) (local.get $n))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (br $more)))))"#,
        len = path.len()
    ))
}

#[test]
fn a_guest_reads_a_file_through_path_open() {
    let fs = Fs::new();
    fs.write_file("/etc/greeting", b"bonjour le monde\n".to_vec(), 0o644).unwrap();
    let (mut k, clock) = manual_kernel();
    let (spec_ok, io) = spec(cat_guest("etc/greeting"), &["cat"], fs.clone());
    let ok = k.spawn(spec_ok).unwrap();
    let (spec_missing, _) = spec(cat_guest("etc/nope"), &["cat"], fs.clone());
    let missing = k.spawn(spec_missing).unwrap();
    let (spec_dir, _) = spec(cat_guest("etc"), &["cat"], fs);
    let dir = k.spawn(spec_dir).unwrap();
    run_manual(&mut k, &clock);
    assert_eq!(k.status(ok), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"bonjour le monde\n");
    assert_eq!(k.status(missing), Some(ProcStatus::Exited(44)));
    assert_eq!(k.status(dir), Some(ProcStatus::Exited(31)));
}

#[test]
fn a_full_pipe_blocks_the_writer_and_a_closed_one_raises_sigpipe() {
    // Writes 80 KiB (more than a pipe holds) in a loop until all is taken, then once more.
    let program = guest(&format!(
        r#"{WRITE_FN}
        (func (export "_start") (local $left i32) (local $at i32) (local $e i32)
          (local.set $left (i32.const 81920))
          (local.set $at (i32.const 1024))
          (block $done (loop $more
            (br_if $done (i32.eqz (local.get $left)))
            (local.set $e (call $write (i32.const 1) (local.get $at) (local.get $left)))
            (if (local.get $e) (then (call $proc_exit (local.get $e))))
            (local.set $at (i32.add (local.get $at) (i32.load (i32.const 8))))
            (local.set $left (i32.sub (local.get $left) (i32.load (i32.const 8))))
            (br $more)))
          (call $proc_exit (call $write (i32.const 1) (i32.const 1024) (i32.const 1))))"#
    ));
    let (mut k, clock) = manual_kernel();
    let (pid, io) = spawn(&mut k, program);
    run_manual(&mut k, &clock);
    assert_eq!(k.status(pid), Some(ProcStatus::Blocked));
    assert_eq!(io.stdout.len(), PIPE_CAPACITY);
    assert_eq!(io.stdout.drain().len(), PIPE_CAPACITY);
    run_manual(&mut k, &clock);
    assert_eq!(io.stdout.drain().len(), 81920 - PIPE_CAPACITY + 1);
    // The last one-byte write fits; the reader leaves before the next.
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));

    let (pid, io) = spawn(
        &mut k,
        guest(&format!(
            r#"{WRITE_FN} (func (export "_start")
               (call $proc_exit (call $write (i32.const 1) (i32.const 0) (i32.const 4))))"#
        )),
    );
    io.stdout.close_read();
    run_manual(&mut k, &clock);
    // SIGPIPE's default action kills the writer (128 + 13), as `yes | head -1` needs.
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(141)));
}

#[test]
fn null_stdio_reads_eof_and_swallows_writes() {
    let (mut k, clock) = manual_kernel();
    let (mut spec, _) = spec(guest(ECHO), &["cat"], Fs::new());
    spec.stdin = Stdio::Null;
    spec.stdout = Stdio::Null;
    let pid = k.spawn(spec).unwrap();
    assert_eq!(run_manual(&mut k, &clock), RunOutcome::Idle);
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));
}

#[test]
fn unknown_wasi_calls_link_as_enosys_and_other_modules_refuse() {
    let (mut k, clock) = manual_kernel();
    let (pid, _) = spawn(
        &mut k,
        guest(
            r#"(import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $rights (param i32 i64 i64) (result i32)))
               (func (export "_start")
                 (call $proc_exit (call $rights (i32.const 3) (i64.const 0) (i64.const 0))))"#,
        ),
    );
    run_manual(&mut k, &clock);
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(52)));

    let foreign = wat::parse_str(r#"(module (import "env" "f" (func)) (func (export "_start")))"#).unwrap();
    let (s, _) = spec(foreign.into(), &["x"], Fs::new());
    assert!(matches!(
        k.spawn(s),
        Err(ProcessError::UnknownImport { module, .. }) if module == "env"
    ));
    let (s, _) = spec(Rc::from(&b"echo hi\n"[..]), &["x"], Fs::new());
    let err = k.spawn(s).unwrap_err();
    assert_eq!(err.to_string(), "exec format error");
    // A `#!` script runs its interpreter, which this empty filesystem lacks (execve's ENOENT).
    let (s, _) = spec(Rc::from(&b"#!/bin/sh\necho hi\n"[..]), &["x"], Fs::new());
    assert_eq!(k.spawn(s).unwrap_err().to_string(), "no such file or directory");
    let (s, _) = spec(wat::parse_str("(module)").unwrap().into(), &["x"], Fs::new());
    assert!(matches!(k.spawn(s), Err(ProcessError::NoEntryPoint)));
}

#[test]
fn memory_growth_stops_at_the_limit() {
    let (mut k, clock) = manual_kernel();
    k.set_memory_limit(1024 * 1024);
    // 2 pages to start; 14 more fit in 1 MiB, 15 do not.
    let (pid, _) = spawn(
        &mut k,
        guest(
            r#"(func (export "_start")
                 (if (i32.ne (memory.grow (i32.const 15)) (i32.const -1)) (then (call $proc_exit (i32.const 1))))
                 (if (i32.ne (memory.grow (i32.const 14)) (i32.const 2)) (then (call $proc_exit (i32.const 2)))))"#,
        ),
    );
    run_manual(&mut k, &clock);
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(0)));
}

#[test]
fn the_wasi_linker_defines_every_name_once() {
    let engine = wasmi::Engine::default();
    assert!(wasi::linker(&engine).is_ok());
}

/// A Rust std guest built for wasm32-wasip1 (`cargo build --release --target wasm32-wasip1`,
/// `panic = "abort"`), given by path in `RUST_GUEST_WASM`. Its `main` prints
/// `args: {args:?}`, reads a line from stdin and prints `hello, {line}`, prints
/// `motd: {/etc/motd}`, sleeps 20 ms and prints `slept true`, writes "written by guest" to
/// /tmp/out.txt (creating /tmp), writes 100 000 bytes to stdout (more than a pipe holds), exits
/// with 7; with `panic` as argv[1] it panics instead.
#[test]
#[ignore = "needs RUST_GUEST_WASM=path/to/guest.wasm"]
fn a_rust_std_guest_runs() {
    let path = std::env::var("RUST_GUEST_WASM").expect("RUST_GUEST_WASM");
    let program: Rc<[u8]> = std::fs::read(path).expect("read guest").into();
    let fs = Fs::new();
    fs.write_file("/etc/motd", b"bienvenue\n".to_vec(), 0o644).unwrap();
    let clock: Rc<dyn Clock> = Rc::new(SystemClock::default());
    let mut k = Kernel::new(clock.clone(), entropy());
    let (spec, io) = spec(program.clone(), &["guest", "arg-one"], fs.clone());
    let t = clock.monotonic_micros();
    let pid = k.spawn(spec).unwrap();
    eprintln!("first spawn (compile + instantiate): {} µs", clock.monotonic_micros() - t);
    io.stdin.write_all(b"Ada\n");
    io.stdin.close_write();
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let outcome = k.run(clock.monotonic_micros() + 5_000);
        out.extend(io.stdout.drain());
        if outcome == RunOutcome::Idle {
            break;
        }
        if let RunOutcome::Waiting { .. } = outcome {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    let out = String::from_utf8(out).unwrap();
    let err = String::from_utf8(io.stderr.drain()).unwrap();
    eprintln!("stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(7)));
    assert!(out.contains("args: [\"guest\", \"arg-one\"]"), "{out}");
    assert!(out.contains("hello, Ada"), "{out}");
    assert!(out.contains("motd: bienvenue"), "{out}");
    assert!(out.contains("slept"), "{out}");
    assert_eq!(fs.read_file("/tmp/out.txt").unwrap(), b"written by guest");

    // A panic aborts: the message, then SIGABRT's status.
    let (panicking, io) = self::spec(program, &["guest", "panic"], fs);
    let t = clock.monotonic_micros();
    let pid = k.spawn(panicking).unwrap();
    eprintln!("second spawn (cached module): {} µs", clock.monotonic_micros() - t);
    io.stdin.close_write();
    while k.run(clock.monotonic_micros() + 5_000) != RunOutcome::Idle {
        io.stdout.drain();
    }
    assert_eq!(k.status(pid), Some(ProcStatus::Exited(134)));
    let err = String::from_utf8(io.stderr.drain()).unwrap();
    eprintln!("{err}");
    assert!(err.contains("panicked at") && err.contains("boom"), "{err}");
    assert!(err.contains("guest: terminated by SIGABRT"), "{err}");
}

/// Prints how long one fuel slice takes natively. Run with
/// `cargo test -p engine --release -- --ignored fuel_slice_timing --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn fuel_slice_timing() {
    let clock: Rc<dyn Clock> = Rc::new(SystemClock::default());
    let busy_loops = [
        ("empty loop", SPIN.to_string()),
        (
            "arithmetic and memory",
            r#"(func (export "_start") (local $i i32)
                 (loop $l
                   (i32.store (i32.and (local.get $i) (i32.const 0xfffc))
                     (i32.add (i32.load (i32.and (local.get $i) (i32.const 0xfffc))) (local.get $i)))
                   (local.set $i (i32.add (local.get $i) (i32.const 7)))
                   (br $l)))"#
                .to_string(),
        ),
    ];
    for (name, body) in busy_loops {
        let mut k = Kernel::new(clock.clone(), entropy());
        k.set_max_slices_per_run(u32::MAX);
        spawn(&mut k, guest(&body));
        let slices = 2_000u32;
        let start = clock.monotonic_micros();
        for _ in 0..slices {
            // A past deadline runs exactly one slice.
            k.run(0);
        }
        let per_slice = (clock.monotonic_micros() - start) as f64 / f64::from(slices);
        eprintln!("{name}: {per_slice:.1} µs per slice of {FUEL_SLICE} fuel");
    }
}

/// A process state without an instance, for calling system calls directly.
fn bare_state(fs: Fs) -> state::ProcState {
    let mut st = state::ProcState::new(
        1,
        1,
        vec!["t".into()],
        vec![],
        "/".into(),
        fs.clone(),
        Rc::new(ManualClock::new(5_000)),
        entropy(),
        wasmi::StoreLimits::default(),
    );
    st.set_fds(state::initial_fds(&fs, [Stdio::Null, Stdio::Null, Stdio::Null]));
    st
}

/// Puts `s` at `at` in `m` and returns (ptr, len).
fn put(m: &mut [u8], at: u32, s: &str) -> (u32, u32) {
    m[at as usize..at as usize + s.len()].copy_from_slice(s.as_bytes());
    (at, s.len() as u32)
}

#[test]
fn files_are_created_written_renamed_listed_and_removed() {
    use wasi::{fd, path};
    let fs = Fs::new();
    fs.mkdir_p("/data", 0o755).unwrap();
    let mut st = bare_state(fs.clone());
    let mut m = vec![0u8; 4096];
    // open("/data/a", O_CREAT|O_TRUNC, write) -> fd at 100
    let (p, l) = put(&mut m, 200, "data/a");
    let write = wasi::types::RIGHT_FD_WRITE;
    path::path_open(&mut st, &mut m, 3, 1, p, l, 1 | 8, write, 0, 100).unwrap();
    let a = u32::from_le_bytes(m[100..104].try_into().unwrap());
    assert_eq!(a, 4, "the lowest free descriptor");
    put(&mut m, 300, "salut");
    m[0..4].copy_from_slice(&300u32.to_le_bytes());
    m[4..8].copy_from_slice(&5u32.to_le_bytes());
    fd::fd_write(&mut st, &mut m, a, 0, 1, 8).unwrap();
    fd::fd_close(&mut st, a).unwrap();
    assert_eq!(fs.read_file("/data/a").unwrap(), b"salut");
    // Writing through a read-only descriptor is EBADF.
    path::path_open(&mut st, &mut m, 3, 1, p, l, 0, 2, 0, 100).unwrap();
    assert_eq!(fd::fd_write(&mut st, &mut m, a, 0, 1, 8), Err(blocked::Stop::Fail(errno::Errno::BADF)));
    fd::fd_close(&mut st, a).unwrap();

    let (old, old_len) = put(&mut m, 200, "data/a");
    let (new, new_len) = put(&mut m, 240, "data/b");
    path::path_rename(&mut st, &mut m, 3, old, old_len, 3, new, new_len).unwrap();
    let (link, link_len) = put(&mut m, 280, "data/l");
    let (target, target_len) = put(&mut m, 320, "b");
    path::path_symlink(&mut st, &mut m, target, target_len, 3, link, link_len).unwrap();
    assert_eq!(fs.read_file("/data/l").unwrap(), b"salut");
    assert_eq!(fs.read_dir("/data").unwrap(), vec!["b", "l"]);

    // fd_readdir lists ".", "..", "b", "l" with their types.
    let (d, d_len) = put(&mut m, 200, "data");
    path::path_open(&mut st, &mut m, 3, 1, d, d_len, 2, 0, 0, 100).unwrap();
    let dir = u32::from_le_bytes(m[100..104].try_into().unwrap());
    fd::fd_readdir(&mut st, &mut m, dir, 1024, 1024, 0, 16).unwrap();
    let used = u32::from_le_bytes(m[16..20].try_into().unwrap()) as usize;
    let mut names = Vec::new();
    let mut at = 1024;
    while at < 1024 + used {
        let len = u32::from_le_bytes(m[at + 16..at + 20].try_into().unwrap()) as usize;
        names.push((String::from_utf8(m[at + 24..at + 24 + len].to_vec()).unwrap(), m[at + 20]));
        at += 24 + len;
    }
    let expected = [(".", 3), ("..", 3), ("b", 4), ("l", 7)];
    let expected: Vec<(String, u8)> = expected.iter().map(|(n, t)| (n.to_string(), *t)).collect();
    assert_eq!(names, expected);

    // A tiny buffer holds part of the first entry: libc asks again with a bigger one.
    fd::fd_readdir(&mut st, &mut m, dir, 1024, 10, 0, 16).unwrap();
    assert_eq!(u32::from_le_bytes(m[16..20].try_into().unwrap()), 10);

    let (b, b_len) = put(&mut m, 200, "data/b");
    path::path_unlink_file(&mut st, &mut m, 3, b, b_len).unwrap();
    assert_eq!(path::path_remove_directory(&mut st, &mut m, 3, d, d_len), Err(errno::Errno::NOTEMPTY));
    assert_eq!(fs.read_file("/data/l"), Err(crate::fs::FsError::NotFound));
}
