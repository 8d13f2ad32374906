//! Signals against blocking calls, with tiny guests in WAT: a default action ends a process
//! blocked in any call at once; a handled signal runs the handler, then `poll` on descriptors
//! returns `EINTR` while a sleep or a read goes on.

use super::test_world::World;
use super::*;

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasix_32v1" "thread_sleep" (func $thread_sleep (param i64) (result i32)))
  (import "wasix_32v1" "callback_signal" (func $callback_signal (param i32 i32)))
  (global $got (mut i32) (i32.const 0))
  (data (i32.const 256) "on_signal")
  (func (export "on_signal") (param $sig i32) (global.set $got (local.get $sig)))
  (func $catch (call $callback_signal (i32.const 256) (i32.const 9)))
  ;; Exits with 100 + the call's errno, plus 50 if the handler ran.
  (func $end (param $errno i32)
    (call $proc_exit (i32.add (i32.add (i32.const 100) (local.get $errno))
      (i32.mul (i32.ne (global.get $got) (i32.const 0)) (i32.const 50)))))
"#;

fn guest(body: &str) -> Vec<u8> {
    let text = format!(r#"(module {PRELUDE} {body} (memory (export "memory") 2))"#);
    wat::parse_str(text).expect("valid wat")
}

/// `poll_oneoff` on stdin becoming readable (no timeout).
const POLL_STDIN: &str = r#"
  (func $wait (result i32)
    (i32.store8 (i32.const 520) (i32.const 1))
    (i32.store (i32.const 528) (i32.const 0))
    (call $poll (i32.const 512) (i32.const 640) (i32.const 1) (i32.const 700)))"#;

/// A blocking `fd_read` of stdin.
const READ_STDIN: &str = r#"
  (func $wait (result i32)
    (i32.store (i32.const 0) (i32.const 4096))
    (i32.store (i32.const 4) (i32.const 16))
    (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))"#;

/// A two-second `thread_sleep`.
const SLEEP: &str = r#"(func $wait (result i32) (call $thread_sleep (i64.const 2000000000)))"#;

fn program(wait: &str, handled: bool) -> Vec<u8> {
    let catch = if handled { "(call $catch)" } else { "" };
    guest(&format!(r#"{wait} (func (export "_start") {catch} (call $end (call $wait)))"#))
}

fn start(w: &mut World, program: Vec<u8>, pid1: bool) -> (Pid, Pipe) {
    let stdin = Pipe::new();
    let spec = SpawnSpec {
        program: program.into(),
        args: vec!["main".into()],
        env: Vec::new(),
        cwd: "/".into(),
        fs: w.fs.clone(),
        stdin: Stdio::Pipe(stdin.clone()),
        stdout: Stdio::Null,
        stderr: Stdio::Null,
    };
    let pid = w.k.spawn_with(spec, SpawnOptions { pid1, ..SpawnOptions::default() }).expect("spawn");
    (pid, stdin)
}

#[test]
fn a_default_action_ends_a_blocked_process_at_once() {
    for wait in [POLL_STDIN, READ_STDIN, SLEEP] {
        let mut w = World::new();
        let (pid, _stdin) = start(&mut w, program(wait, false), false);
        w.settle(10);
        assert_eq!(w.k.status(pid), Some(ProcStatus::Blocked));
        w.k.kill(pid, Signal::Term);
        assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(143)), "{wait}");
    }
}

#[test]
fn a_handled_signal_interrupts_poll_with_eintr() {
    let mut w = World::new();
    // As PID 1 too: a handler makes the signal deliverable.
    let (pid, _stdin) = start(&mut w, program(POLL_STDIN, true), true);
    w.settle(10);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Blocked));
    w.k.kill(pid, Signal::Term);
    w.settle(10);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(100 + 27 + 50)), "EINTR after the handler");
}

#[test]
fn a_handled_signal_lets_reads_and_sleeps_go_on() {
    let mut w = World::new();
    let (reader, stdin) = start(&mut w, program(READ_STDIN, true), false);
    let (sleeper, _) = start(&mut w, program(SLEEP, true), false);
    w.settle(10);
    w.k.kill(reader, Signal::Usr1);
    w.k.kill(sleeper, Signal::Usr1);
    w.settle(10);
    assert_eq!(w.k.status(reader), Some(ProcStatus::Blocked), "the read resumes after the handler");
    assert_eq!(w.k.status(sleeper), Some(ProcStatus::Blocked), "so does the sleep");
    stdin.write_all(b"x");
    w.clock.advance_micros(2_000_000);
    w.settle(10);
    assert_eq!(w.k.status(reader), Some(ProcStatus::Exited(150)));
    assert_eq!(w.k.status(sleeper), Some(ProcStatus::Exited(150)));
}
