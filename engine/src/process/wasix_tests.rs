//! Tests of the WASIX process calls with tiny guests in WAT: spawning and joining children,
//! pipelines and end of file, redirections, the working directory, process limits, signals,
//! `exec`, terminals.

use super::test_world::World;
use super::*;
use crate::platform::Clock;

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasix_32v1" "proc_spawn3" (func $proc_spawn3
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "proc_exec3" (func $proc_exec3
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "proc_join" (func $proc_join (param i32 i32 i32) (result i32)))
  (import "wasix_32v1" "proc_signal" (func $proc_signal (param i32 i32) (result i32)))
  (import "wasix_32v1" "proc_id" (func $proc_id (param i32) (result i32)))
  (import "wasix_32v1" "proc_parent" (func $proc_parent (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_pipe" (func $fd_pipe (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_dup" (func $fd_dup (param i32 i32) (result i32)))
  (import "wasix_32v1" "chdir" (func $chdir (param i32 i32) (result i32)))
  (import "wasix_32v1" "getcwd" (func $getcwd (param i32 i32) (result i32)))
  (import "wasix_32v1" "thread_sleep" (func $thread_sleep (param i64) (result i32)))
  (import "wasix_32v1" "callback_signal" (func $callback_signal (param i32 i32)))
 (import "wasix_32v1" "proc_raise_interval" (func $proc_raise_interval (param i32 i64 i32) (result i32)))
  (import "wasix_32v1" "sock_pair" (func $sock_pair (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))

  ;; Writes `len` bytes at `ptr` to `fd` (iovec at 0, count at 8); the errno.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))

  ;; proc_spawn3 with the caller's environment and no PATH search; the pid goes to 16.
  (func $spawn (param $name i32) (param $nlen i32) (param $argv i32) (param $argc i32)
               (param $ops i32) (param $nops i32) (result i32)
    (call $proc_spawn3 (local.get $name) (local.get $nlen) (local.get $argv) (local.get $argc)
      (i32.const 0) (i32.const 0) (local.get $ops) (local.get $nops)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 16)))

  ;; proc_join on one pid: option_pid at 32, join_status at 48 (tag; code u16 at 50; signal at 52).
  (func $join (param $pid i32) (result i32)
    (i32.store8 (i32.const 32) (i32.const 1))
    (i32.store (i32.const 36) (local.get $pid))
    (call $proc_join (i32.const 32) (i32.const 0) (i32.const 48)))

  ;; A proc_spawn_fd_op record at `at`.
  (func $op (param $at i32) (param $cmd i32) (param $fd i32) (param $src i32)
    (memory.fill (local.get $at) (i32.const 0) (i32.const 56))
    (i32.store8 (local.get $at) (local.get $cmd))
    (i32.store offset=4 (local.get $at) (local.get $fd))
    (i32.store offset=8 (local.get $at) (local.get $src)))
"#;

fn guest(body: &str) -> Vec<u8> {
    let text = format!(r#"(module {PRELUDE} {body} (memory (export "memory") 2))"#);
    wat::parse_str(text).expect("valid wat")
}

/// Writes "child\n" and exits with 7.
fn child() -> Vec<u8> {
    guest(
        r#"(data (i32.const 256) "child\n")
        (func (export "_start")
          (drop (call $write (i32.const 1) (i32.const 256) (i32.const 6)))
          (call $proc_exit (i32.const 7)))"#,
    )
}

/// Copies stdin to stdout until end of file.
fn cat() -> Vec<u8> {
    guest(
        r#"(func (export "_start") (local $n i32)
          (loop $again
            (i32.store (i32.const 0) (i32.const 4096))
            (i32.store (i32.const 4) (i32.const 1024))
            (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (local.set $n (i32.load (i32.const 8)))
            (if (i32.eqz (local.get $n)) (then (return)))
            (drop (call $write (i32.const 1) (i32.const 4096) (local.get $n)))
            (br $again)))"#,
    )
}

fn spin() -> Vec<u8> {
    guest(r#"(func (export "_start") (loop br 0))"#)
}

fn world() -> World {
    let w = World::new();
    let fs = &w.fs;
    fs.mkdir_p("/bin", 0o755).unwrap();
    fs.mkdir_p("/srv/www", 0o755).unwrap();
    fs.write_file("/bin/child", child(), 0o755).unwrap();
    fs.write_file("/bin/cat", cat(), 0o755).unwrap();
    fs.write_file("/bin/spin", spin(), 0o755).unwrap();
    fs.write_file("/bin/script", b"#!/bin/sh\necho hi\n".to_vec(), 0o755).unwrap();
    w
}

struct Io {
    stdin: Pipe,
    stdout: Pipe,
}

impl World {
    fn spec(&self, program: Vec<u8>, cwd: &str) -> (SpawnSpec, Io) {
        let io = Io { stdin: Pipe::new(), stdout: Pipe::new() };
        let spec = SpawnSpec {
            program: program.into(),
            args: vec!["main".into()],
            env: vec!["PATH=/bin".into()],
            cwd: cwd.into(),
            fs: self.fs.clone(),
            stdin: Stdio::Pipe(io.stdin.clone()),
            stdout: Stdio::Pipe(io.stdout.clone()),
            stderr: Stdio::Pipe(io.stdout.clone()),
        };
        (spec, io)
    }

    fn start(&mut self, program: Vec<u8>) -> (Pid, Io) {
        let (spec, io) = self.spec(program, "/");
        (self.k.spawn(spec).expect("spawn"), io)
    }
}

/// Spawns the program named at 256 (`len` bytes, NUL-terminated), joins it and exits with
/// `tag * 100 + code-or-signal`; a failing spawn exits with 100 + errno... see the body.
fn spawner(name: &str) -> Vec<u8> {
    guest(&format!(
        r#"(data (i32.const 256) "{name}\00")
        (func (export "_start") (local $e i32)
          (i32.store (i32.const 200) (i32.const 256))
          (local.set $e (call $spawn (i32.const 256) (i32.const {len}) (i32.const 200) (i32.const 1)
                                     (i32.const 0) (i32.const 0)))
          (if (local.get $e) (then (call $proc_exit (i32.add (i32.const 100) (local.get $e)))))
          (local.set $e (call $join (i32.load (i32.const 16))))
          (if (local.get $e) (then (call $proc_exit (i32.const 99))))
          (call $proc_exit (i32.add
            (i32.mul (i32.load8_u (i32.const 48)) (i32.const 10))
            (i32.add (i32.load16_u (i32.const 50)) (i32.load8_u (i32.const 52))))))"#,
        len = name.len()
    ))
}

#[test]
fn a_guest_spawns_a_child_and_joins_it() {
    let mut w = world();
    let (pid, io) = w.start(spawner("/bin/child"));
    assert_eq!(w.settle(20), RunOutcome::Idle);
    // Joined normally (tag 1) with code 7; the child wrote to the stdout it inherited.
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(17)));
    assert_eq!(io.stdout.drain(), b"child\n");
    assert_eq!(w.k.pids(), vec![pid], "the joined child is reaped");
    assert!(io.stdout.at_eof(), "every holder of the stdout pipe is gone");
}

#[test]
fn spawn_errors_are_errnos() {
    let mut w = world();
    let (missing, _) = w.start(spawner("/bin/nope"));
    let (script, _) = w.start(spawner("/bin/script"));
    let (dir, _) = w.start(spawner("/srv"));
    w.settle(20);
    assert_eq!(w.k.status(missing), Some(ProcStatus::Exited(144)), "ENOENT");
    assert_eq!(w.k.status(script), Some(ProcStatus::Exited(145)), "ENOEXEC");
    assert_eq!(w.k.status(dir), Some(ProcStatus::Exited(102)), "EACCES");
}

#[test]
fn a_symlinked_program_keeps_its_argv0_and_knows_its_parent() {
    let mut w = world();
    // Exits with its parent's pid; prints argv[0].
    let who = guest(
        r#"(func (export "_start")
          (drop (call $args_get (i32.const 300) (i32.const 400)))
          (drop (call $write (i32.const 1) (i32.const 400) (i32.const 2)))
          (drop (call $proc_id (i32.const 64)))
          (drop (call $proc_parent (i32.load (i32.const 64)) (i32.const 68)))
          (call $proc_exit (i32.load (i32.const 68))))"#,
    );
    w.fs.write_file("/bin/who", who, 0o755).unwrap();
    w.fs.insert("/bin/sh", crate::fs::Node::symlink("who")).unwrap();
    let (pid, io) = w.start(spawner("/bin/sh"));
    w.settle(20);
    assert_eq!(io.stdout.drain(), b"/b", "argv[0] as given, not the link's target");
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(10 + pid.0 as i32)));
}

#[test]
fn a_pipeline_sees_end_of_file_when_the_writer_exits() {
    let mut w = world();
    let producer = guest(
        r#"(data (i32.const 256) "hello\n")
        (func (export "_start")
          (drop (call $write (i32.const 1) (i32.const 256) (i32.const 6))))"#,
    );
    w.fs.write_file("/bin/producer", producer, 0o755).unwrap();
    // producer | cat, then joins both and exits with cat's status.
    let shell = guest(
        r#"(data (i32.const 256) "/bin/producer\00")
        (data (i32.const 280) "/bin/cat\00")
        (func (export "_start") (local $r i32) (local $w i32) (local $p1 i32) (local $p2 i32)
          (drop (call $fd_pipe (i32.const 64) (i32.const 68)))
          (local.set $r (i32.load (i32.const 64)))
          (local.set $w (i32.load (i32.const 68)))
          (call $op (i32.const 1024) (i32.const 1) (i32.const 1) (local.get $w))
          (call $op (i32.const 1080) (i32.const 0) (local.get $r) (i32.const 0))
          (call $op (i32.const 1136) (i32.const 0) (local.get $w) (i32.const 0))
          (i32.store (i32.const 200) (i32.const 256))
          (if (call $spawn (i32.const 256) (i32.const 13) (i32.const 200) (i32.const 1)
                           (i32.const 1024) (i32.const 3))
            (then (call $proc_exit (i32.const 90))))
          (local.set $p1 (i32.load (i32.const 16)))
          (call $op (i32.const 1024) (i32.const 1) (i32.const 0) (local.get $r))
          (i32.store (i32.const 200) (i32.const 280))
          (if (call $spawn (i32.const 280) (i32.const 8) (i32.const 200) (i32.const 1)
                           (i32.const 1024) (i32.const 3))
            (then (call $proc_exit (i32.const 91))))
          (local.set $p2 (i32.load (i32.const 16)))
          (drop (call $fd_close (local.get $r)))
          (drop (call $fd_close (local.get $w)))
          (drop (call $join (local.get $p1)))
          (drop (call $join (local.get $p2)))
          (call $proc_exit (i32.add (i32.const 40) (i32.load16_u (i32.const 50)))))"#,
    );
    let (pid, io) = w.start(shell);
    assert_eq!(w.settle(50), RunOutcome::Idle);
    assert_eq!(io.stdout.drain(), b"hello\n");
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(40)));
}

#[test]
fn a_child_blocked_on_a_pipe_someone_still_holds_waits() {
    let mut w = world();
    // The parent keeps the write end open (cat's copy is closed) and joins cat: both wait,
    // nobody spins.
    let shell = guest(
        r#"(data (i32.const 280) "/bin/cat\00")
        (func (export "_start") (local $r i32)
          (drop (call $fd_pipe (i32.const 64) (i32.const 68)))
          (local.set $r (i32.load (i32.const 64)))
          (call $op (i32.const 1024) (i32.const 1) (i32.const 0) (local.get $r))
          (call $op (i32.const 1080) (i32.const 0) (i32.load (i32.const 68)) (i32.const 0))
          (i32.store (i32.const 200) (i32.const 280))
          (drop (call $spawn (i32.const 280) (i32.const 8) (i32.const 200) (i32.const 1)
                             (i32.const 1024) (i32.const 2)))
          (drop (call $join (i32.load (i32.const 16)))))"#,
    );
    let (pid, _io) = w.start(shell);
    assert_eq!(w.settle(20), RunOutcome::Waiting { wake_at_micros: None });
    assert_eq!(w.k.status(pid), Some(ProcStatus::Blocked));
    let child = Pid(pid.0 + 1);
    assert_eq!(w.k.parent(child), Some(pid));
    assert_eq!(w.k.command(child), Some("/bin/cat"));
    // Killing the parent drops its write end: the orphan sees end of file, exits, and leaves
    // no zombie behind.
    w.k.kill(pid, Signal::Kill);
    assert_eq!(w.settle(20), RunOutcome::Idle);
    assert_eq!(w.k.pids(), vec![pid]);
}

#[test]
fn redirections_open_files_and_dup_shares_the_stream() {
    let mut w = world();
    // child > /out.txt (an `open` fd op), then a dup of stdout written through.
    let shell = guest(
        r#"(data (i32.const 256) "/bin/child\00")
        (data (i32.const 280) "/out.txt")
        (data (i32.const 300) "dup\n")
        (func (export "_start")
          (call $op (i32.const 1024) (i32.const 2) (i32.const 1) (i32.const 0))
          (i32.store offset=12 (i32.const 1024) (i32.const 280))
          (i32.store offset=16 (i32.const 1024) (i32.const 8))
          (i32.store16 offset=24 (i32.const 1024) (i32.const 9))
          (i64.store offset=32 (i32.const 1024) (i64.const 64))
          (i32.store (i32.const 200) (i32.const 256))
          (drop (call $spawn (i32.const 256) (i32.const 10) (i32.const 200) (i32.const 1)
                             (i32.const 1024) (i32.const 1)))
          (drop (call $join (i32.load (i32.const 16))))
          (drop (call $fd_dup (i32.const 1) (i32.const 64)))
          (drop (call $fd_close (i32.const 1)))
          (drop (call $write (i32.load (i32.const 64)) (i32.const 300) (i32.const 4))))"#,
    );
    let (pid, io) = w.start(shell);
    w.settle(20);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)));
    assert_eq!(w.fs.read_file("/out.txt").unwrap(), b"child\n");
    assert_eq!(io.stdout.drain(), b"dup\n");
}

#[test]
fn the_working_directory_is_inherited_and_changed_with_chdir() {
    let mut w = world();
    let pwd = guest(
        r#"(func (export "_start")
          (i32.store (i32.const 64) (i32.const 100))
          (drop (call $getcwd (i32.const 400) (i32.const 64)))
          (i32.store8 (i32.add (i32.const 400) (i32.load (i32.const 64))) (i32.const 10))
          (drop (call $write (i32.const 1) (i32.const 400)
                             (i32.add (i32.load (i32.const 64)) (i32.const 1)))))"#,
    );
    w.fs.write_file("/srv/www/pwd", pwd.clone(), 0o755).unwrap();
    let shell = guest(
        r#"(data (i32.const 256) "./pwd\00")
        (data (i32.const 280) "www")
        (data (i32.const 290) "nowhere")
        (func (export "_start")
          (i32.store (i32.const 64) (i32.const 100))
          (drop (call $getcwd (i32.const 400) (i32.const 64)))
          (drop (call $write (i32.const 1) (i32.const 400) (i32.load (i32.const 64))))
          (if (i32.ne (call $chdir (i32.const 290) (i32.const 7)) (i32.const 44))
            (then (call $proc_exit (i32.const 1))))
          (drop (call $chdir (i32.const 280) (i32.const 3)))
          (i32.store (i32.const 200) (i32.const 256))
          (drop (call $spawn (i32.const 256) (i32.const 5) (i32.const 200) (i32.const 1)
                             (i32.const 0) (i32.const 0)))
          (drop (call $join (i32.load (i32.const 16)))))"#,
    );
    let (spec, io) = w.spec(shell, "/srv/");
    let pid = w.k.spawn(spec).unwrap();
    w.settle(20);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)));
    assert_eq!(io.stdout.drain(), b"/srv/srv/www\n");
}

#[test]
fn a_fork_bomb_hits_the_group_limit_and_others_keep_running() {
    let mut w = world();
    let bomb = guest(
        r#"(data (i32.const 256) "/bin/bomb\00")
        (data (i32.const 300) "E")
        (func (export "_start") (local $e i32)
          (i32.store (i32.const 200) (i32.const 256))
          (loop $more
            (local.set $e (call $spawn (i32.const 256) (i32.const 9) (i32.const 200) (i32.const 1)
                                       (i32.const 0) (i32.const 0)))
            (br_if $more (i32.eqz (local.get $e))))
          (if (i32.eq (local.get $e) (i32.const 6))
            (then (drop (call $write (i32.const 1) (i32.const 300) (i32.const 1)))))
          (drop (call $thread_sleep (i64.const 1000000000000000)))
          (call $proc_exit (local.get $e)))"#,
    );
    w.fs.write_file("/bin/bomb", bomb.clone(), 0o755).unwrap();
    let (spinner, _) = w.start(spin());
    let group = w.k.new_group();
    w.k.set_pids_limit(group, 10);
    let (spec, io) = w.spec(bomb.clone(), "/");
    let bomb_pid = w.k.spawn_with(spec, SpawnOptions { group, pid1: true }).unwrap();
    for _ in 0..40 {
        assert_eq!(w.k.run(0), RunOutcome::Busy, "the spinner always can run");
    }
    assert_eq!(w.k.group_size(group), 10);
    assert_eq!(io.stdout.drain(), b"EEEEEEEEEE", "every one of them got EAGAIN");
    assert_eq!(w.k.status(spinner), Some(ProcStatus::Running));
    let (spec, _) = w.spec(bomb, "/");
    let refused = w.k.spawn_with(spec, SpawnOptions { group, pid1: false });
    assert!(matches!(refused, Err(ProcessError::TooManyProcesses)));
    w.k.kill_group(group, Signal::Kill);
    assert_eq!(w.k.status(bomb_pid), Some(ProcStatus::Exited(137)));
    assert_eq!(w.k.reap(bomb_pid), Some(137));
    assert_eq!(w.k.group_size(group), 0, "orphans leave no zombies");
}

#[test]
fn a_parent_kills_its_child_and_learns_the_signal() {
    let mut w = world();
    let shell = guest(
        r#"(data (i32.const 256) "/bin/spin\00")
        (func (export "_start") (local $pid i32)
          (i32.store (i32.const 200) (i32.const 256))
          (drop (call $spawn (i32.const 256) (i32.const 9) (i32.const 200) (i32.const 1)
                             (i32.const 0) (i32.const 0)))
          (local.set $pid (i32.load (i32.const 16)))
          (drop (call $thread_sleep (i64.const 5000000)))
          (if (call $proc_signal (local.get $pid) (i32.const 15)) (then (call $proc_exit (i32.const 1))))
          (if (i32.ne (call $proc_signal (i32.const 4242) (i32.const 15)) (i32.const 71))
            (then (call $proc_exit (i32.const 2))))
          (drop (call $join (local.get $pid)))
          (call $proc_exit (i32.add (i32.mul (i32.load8_u (i32.const 48)) (i32.const 100))
                                    (i32.load8_u (i32.const 52)))))"#,
    );
    let (pid, _) = w.start(shell);
    w.settle(3);
    assert_eq!(w.k.status(Pid(pid.0 + 1)), Some(ProcStatus::Running));
    w.clock.advance_micros(10_000);
    w.settle(20);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(215)));
}

#[test]
fn pid_1_ignores_term_and_int_but_not_kill() {
    let mut w = world();
    let (spec, _) = w.spec(spin(), "/");
    let pid = w.k.spawn_with(spec, SpawnOptions { pid1: true, ..SpawnOptions::default() }).unwrap();
    w.k.run(0);
    w.k.kill(pid, Signal::Term);
    w.k.kill(pid, Signal::Int);
    w.k.run(0);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Running));
    w.k.kill(pid, Signal::Kill);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(137)));
}

#[test]
fn a_registered_handler_catches_signals_even_as_pid_1() {
    let mut w = world();
    let program = guest(
        r#"(global $got (mut i32) (i32.const 0))
        (data (i32.const 256) "on_signal")
        (func (export "on_signal") (param $sig i32) (global.set $got (local.get $sig)))
        (func (export "_start")
          (call $callback_signal (i32.const 256) (i32.const 9))
          (loop $wait (br_if $wait (i32.eqz (global.get $got))))
          (call $proc_exit (i32.add (i32.const 100) (global.get $got))))"#,
    );
    let (spec, _) = w.spec(program, "/");
    let pid = w.k.spawn_with(spec, SpawnOptions { pid1: true, ..SpawnOptions::default() }).unwrap();
    w.k.run(0);
    w.k.kill(pid, Signal::Term);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Running), "handled later");
    w.settle(10);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(115)));
}

#[test]
fn exec_replaces_the_image_in_the_same_process() {
    let mut w = world();
    let execer = |name: &str| {
        guest(&format!(
            r#"(data (i32.const 256) "{name}")
            (data (i32.const 300) "child")
            (func (export "_start")
              (call $proc_exit (i32.add (i32.const 100)
                (call $proc_exec3 (i32.const 256) (i32.const {len}) (i32.const 300) (i32.const 5)
                                  (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 0)))))"#,
            len = name.len()
        ))
    };
    let (pid, io) = w.start(execer("child"));
    let (missing, _) = w.start(execer("nope"));
    w.settle(20);
    assert_eq!(io.stdout.drain(), b"child\n", "found on the PATH");
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(7)));
    assert_eq!(w.k.status(missing), Some(ProcStatus::Exited(144)));
}

#[test]
fn unimplemented_wasix_imports_return_enosys() {
    let mut w = world();
    let program = guest(
        r#"(func (export "_start")
          (call $proc_exit (call $sock_pair (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 4))))"#,
    );
    let (pid, _) = w.start(program);
    w.settle(5);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(52)));
}

#[test]
fn a_terminal_is_a_character_device_with_echo_and_ctrl_c() {
    let mut w = world();
    // Reads a line and writes it back; exits with fd 0's file type.
    let program = guest(
        r#"(func (export "_start") (local $n i32)
          (drop (call $fd_fdstat_get (i32.const 0) (i32.const 64)))
          (i32.store (i32.const 16) (i32.const 4096))
          (i32.store (i32.const 20) (i32.const 100))
          (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
          (drop (call $write (i32.const 1) (i32.const 4096) (i32.load (i32.const 24))))
          (call $proc_exit (i32.load8_u (i32.const 64))))"#,
    );
    let tty = Tty::new(80, 24);
    let spec = |program: Vec<u8>| {
        let (mut spec, _) = w.spec(program, "/");
        spec.stdin = Stdio::Tty(tty.clone());
        spec.stdout = Stdio::Tty(tty.clone());
        spec.stderr = Stdio::Tty(tty.clone());
        spec
    };
    let (s1, s2) = (spec(program), spec(cat()));
    let reader = w.k.spawn(s1).unwrap();
    w.settle(5);
    assert_eq!(w.k.status(reader), Some(ProcStatus::Blocked));
    tty.input(b"hi\r");
    w.settle(5);
    assert_eq!(tty.take_output(), b"hi\r\nhi\r\n", "the echo, then the program's output");
    assert_eq!(w.k.status(reader), Some(ProcStatus::Exited(2)));
    let cat_pid = w.k.spawn(s2).unwrap();
    w.settle(5);
    tty.input(b"partial\x03");
    w.settle(5);
    assert_eq!(w.k.status(cat_pid), Some(ProcStatus::Exited(130)));
    assert_eq!(tty.take_output(), b"partial^C\r\n");
}

#[test]
fn an_interval_timer_raises_its_signal() {
    let mut w = world();
    // SIGALRM in 1 ms, then a long sleep: the alarm's default action ends it (128 + 14).
    let program = guest(
        r#"(func (export "_start")
          (drop (call $proc_raise_interval (i32.const 14) (i64.const 1000000) (i32.const 0)))
          (drop (call $thread_sleep (i64.const 1000000000))))"#,
    );
    let (pid, _) = w.start(program);
    let now = w.clock.monotonic_micros();
    assert_eq!(w.settle(5), RunOutcome::Waiting { wake_at_micros: Some(now + 1_000) });
    w.clock.advance_micros(1_000);
    w.settle(5);
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(142)));
}

/// Runs the userland's BusyBox (path in `BUSYBOX_WASM`): `sh -c 'echo a | cat'`.
#[test]
#[ignore = "needs a BusyBox build: BUSYBOX_WASM=path/to/guest-busybox.wasm"]
fn busybox_shell_runs_a_pipeline() {
    let Ok(path) = std::env::var("BUSYBOX_WASM") else {
        return;
    };
    let bytes = std::fs::read(path).expect("read BUSYBOX_WASM");
    let mut w = world();
    w.fs.write_file("/bin/busybox", bytes.clone(), 0o755).unwrap();
    for applet in ["sh", "cat", "echo"] {
        w.fs.remove(&format!("/bin/{applet}")).ok();
        w.fs.insert(&format!("/bin/{applet}"), crate::fs::Node::symlink("busybox")).unwrap();
    }
    let (mut spec, io) = w.spec(bytes, "/");
    spec.args = ["sh", "-c", "echo a | cat"].map(String::from).to_vec();
    io.stdin.close_write();
    let pid = w.k.spawn(spec).unwrap();
    for _ in 0..2000 {
        if w.settle(10) == RunOutcome::Idle {
            break;
        }
    }
    let out = String::from_utf8_lossy(&io.stdout.drain()).into_owned();
    assert_eq!(out, "a\n");
    assert_eq!(w.k.status(pid), Some(ProcStatus::Exited(0)));
}

#[test]
fn ctrl_c_reaches_children_whatever_their_redirections() {
    let mut w = world();
    // Spawns /bin/spin with fds 0-2 closed, then joins it.
    let shell = guest(
        r#"(data (i32.const 256) "/bin/spin\00")
        (func (export "_start")
          (call $op (i32.const 1024) (i32.const 0) (i32.const 0) (i32.const 0))
          (call $op (i32.const 1080) (i32.const 0) (i32.const 1) (i32.const 0))
          (call $op (i32.const 1136) (i32.const 0) (i32.const 2) (i32.const 0))
          (i32.store (i32.const 200) (i32.const 256))
          (drop (call $spawn (i32.const 256) (i32.const 9) (i32.const 200) (i32.const 1)
                             (i32.const 1024) (i32.const 3)))
          (drop (call $join (i32.load (i32.const 16))))
          (call $proc_exit (i32.load8_u (i32.const 52))))"#,
    );
    let tty = Tty::new(80, 24);
    let (mut spec, _) = w.spec(shell, "/");
    spec.stdin = Stdio::Tty(tty.clone());
    spec.stdout = Stdio::Tty(tty.clone());
    let shell = w.k.spawn_with(spec, SpawnOptions { pid1: true, ..SpawnOptions::default() }).unwrap();
    w.k.run(0);
    w.k.run(0);
    let child = Pid(shell.0 + 1);
    assert_eq!(w.k.status(child), Some(ProcStatus::Running));
    tty.input(b"\x03");
    w.settle(5);
    // The child dies of SIGINT; PID 1 ignored it and reports how its child ended.
    assert_eq!(w.k.status(shell), Some(ProcStatus::Exited(2)));
}
