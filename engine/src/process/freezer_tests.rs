//! Tests of frozen groups (`docker pause`): a frozen group's processes get no turns, their
//! sleeps end only once thawed, and signals other than SIGKILL wait for the thaw.

use super::test_world::World;
use super::*;
use crate::platform::Clock;

/// Sleeps 1 s (one `poll_oneoff` clock subscription), then prints `woke`.
const SLEEPER: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "woke\n")
  (func (export "_start")
    (i64.store (i32.const 256) (i64.const 7))
    (i32.store8 (i32.const 264) (i32.const 0))
    (i32.store (i32.const 272) (i32.const 1))
    (i64.store (i32.const 280) (i64.const 1000000000))
    (drop (call $poll (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

const SPIN: &str = r#"(module (memory (export "memory") 1) (func (export "_start") (loop br 0)))"#;

fn spawn_in(w: &mut World, wat_text: &str, group: GroupId) -> (Pid, Pipe) {
    let stdout = Pipe::new();
    let spec = SpawnSpec {
        program: wat::parse_str(wat_text).expect("valid wat").into(),
        args: vec!["prog".into()],
        env: Vec::new(),
        cwd: "/".into(),
        fs: w.fs.clone(),
        stdin: Stdio::Null,
        stdout: Stdio::Pipe(stdout.clone()),
        stderr: Stdio::Null,
    };
    let pid = w.k.spawn_with(spec, SpawnOptions { group, pid1: false }).expect("spawn");
    (pid, stdout)
}

#[test]
fn a_frozen_sleeper_wakes_only_after_the_thaw() {
    let mut w = World::new();
    let group = w.k.new_group();
    let (pid, out) = spawn_in(&mut w, SLEEPER, group);
    let wake = w.clock.monotonic_micros() + 1_000_000;
    assert_eq!(w.settle(10), RunOutcome::Waiting { wake_at_micros: Some(wake) });
    w.k.freeze_group(group);
    assert!(w.k.is_frozen(group));
    // Frozen: nothing to wake for, even once its timer has expired.
    assert_eq!(w.settle(10), RunOutcome::Waiting { wake_at_micros: None });
    w.clock.advance_micros(2_000_000);
    assert_eq!(w.settle(10), RunOutcome::Waiting { wake_at_micros: None });
    assert_eq!(w.k.status(pid), Some(ProcStatus::Blocked));
    assert!(out.drain().is_empty());
    w.k.thaw_group(group);
    assert_eq!(w.settle(10), RunOutcome::Idle);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)));
    assert_eq!(out.drain(), b"woke\n");
}

#[test]
fn a_frozen_spinner_gets_no_turns_and_only_sigkill_ends_it_before_the_thaw() {
    let mut w = World::new();
    let frozen = w.k.new_group();
    let (spinner, _) = spawn_in(&mut w, SPIN, frozen);
    assert_eq!(w.k.run(w.clock.monotonic_micros() + 1_000), RunOutcome::Busy);
    w.k.freeze_group(frozen);
    assert_eq!(w.settle(1), RunOutcome::Waiting { wake_at_micros: None });
    let cpu = w.k.processes(frozen).first().map(|p| p.cpu_micros);
    w.clock.advance_micros(1_000);
    w.settle(3);
    assert_eq!(w.k.processes(frozen).first().map(|p| p.cpu_micros), cpu, "no CPU while frozen");
    // SIGTERM waits for the thaw (the spinner has no handler: it would die of it).
    w.k.kill(spinner, Signal::Term);
    assert_eq!(w.k.status(spinner), Some(ProcStatus::Running));
    w.k.thaw_group(frozen);
    w.settle(3);
    assert_eq!(w.k.status(spinner), Some(ProcStatus::Exited(143)));
    // SIGKILL goes through the freezer.
    let (other, _) = spawn_in(&mut w, SPIN, frozen);
    w.k.freeze_group(frozen);
    w.k.kill(other, Signal::Kill);
    assert_eq!(w.k.status(other), Some(ProcStatus::Exited(137)));
}
