//! Tests of PID namespaces, `/proc` and `/dev` as guests see them: tiny guests in WAT, then the
//! userland's real BusyBox (`ps`, `id`, `uname`, `free`, `hostname`...) when it has been built.

use super::test_world::World;
use super::*;
use crate::fs::Node;
use crate::platform::Clock;
use errno::Errno;

const PRELUDE: &str = r#"
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open
    (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasix_32v1" "proc_spawn3" (func $proc_spawn3
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "proc_join" (func $proc_join (param i32 i32 i32) (result i32)))
  (import "wasix_32v1" "proc_signal" (func $proc_signal (param i32 i32) (result i32)))
  (import "wasix_32v1" "proc_id" (func $proc_id (param i32) (result i32)))
  (import "wasix_32v1" "proc_parent" (func $proc_parent (param i32 i32) (result i32)))
  (import "wasix_32v1" "thread_sleep" (func $thread_sleep (param i64) (result i32)))

  ;; Writes `len` bytes at `ptr` to `fd` (iovec at 0, count at 8); the errno.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
"#;

fn guest(body: &str) -> Vec<u8> {
    wat::parse_str(format!(r#"(module {PRELUDE} {body} (memory (export "memory") 2))"#)).expect("valid wat")
}

/// Copies the file at `path` (relative to "/") to stdout; exits with the errno that stopped it.
fn cat(path: &str) -> Vec<u8> {
    guest(&format!(
        r#"(data (i32.const 256) "{path}")
        (func (export "_start") (local $fd i32) (local $n i32) (local $e i32)
          (local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.const {len})
                          (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 64)))
          (if (local.get $e) (then (call $proc_exit (local.get $e))))
          (local.set $fd (i32.load (i32.const 64)))
          (loop $again
            (i32.store (i32.const 16) (i32.const 4096))
            (i32.store (i32.const 20) (i32.const 8192))
            (local.set $e (call $fd_read (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)))
            (if (local.get $e) (then (call $proc_exit (local.get $e))))
            (local.set $n (i32.load (i32.const 24)))
            (if (i32.eqz (local.get $n)) (then (call $proc_exit (i32.const 0))))
            (drop (call $write (i32.const 1) (i32.const 4096) (local.get $n)))
            (br $again)))"#,
        len = path.len()
    ))
}

/// Opens `path` for writing (created, truncated) and writes "x"; exits with the errno.
fn write_to(path: &str) -> Vec<u8> {
    guest(&format!(
        r#"(data (i32.const 256) "{path}")
        (data (i32.const 512) "x")
        (func (export "_start") (local $e i32)
          (local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.const {len})
                          (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 64)))
          (if (local.get $e) (then (call $proc_exit (local.get $e))))
          (call $proc_exit (call $write (i32.load (i32.const 64)) (i32.const 512) (i32.const 1))))"#,
        len = path.len()
    ))
}

/// Writes its pid and its parent's (4 bytes each) and exits.
fn whoami() -> Vec<u8> {
    guest(
        r#"(func (export "_start")
          (drop (call $proc_id (i32.const 64)))
          (drop (call $proc_parent (i32.load (i32.const 64)) (i32.const 68)))
          (drop (call $write (i32.const 1) (i32.const 64) (i32.const 8))))"#,
    )
}

/// Spawns /bin/whoami, reports (4 bytes each) its own pid, the child's pid, the child's parent,
/// `kill(3, 0)` and `kill(2, 0)`, then joins the child and sleeps a second.
fn parent() -> Vec<u8> {
    guest(
        r#"(data (i32.const 256) "/bin/whoami\00")
        (func (export "_start")
          (drop (call $proc_id (i32.const 64)))
          (i32.store (i32.const 200) (i32.const 256))
          (drop (call $proc_spawn3 (i32.const 256) (i32.const 11) (i32.const 200) (i32.const 1)
            (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
            (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 68)))
          (drop (call $proc_parent (i32.load (i32.const 68)) (i32.const 72)))
          (i32.store (i32.const 76) (call $proc_signal (i32.const 3) (i32.const 0)))
          (i32.store (i32.const 80) (call $proc_signal (i32.const 2) (i32.const 0)))
          (drop (call $write (i32.const 1) (i32.const 64) (i32.const 20)))
          (i32.store8 (i32.const 32) (i32.const 1))
          (i32.store (i32.const 36) (i32.load (i32.const 68)))
          (drop (call $proc_join (i32.const 32) (i32.const 0) (i32.const 48)))
          (drop (call $thread_sleep (i64.const 1000000000))))"#,
    )
}

/// Sleeps (for ever, with the tests' manual clock).
fn sleeper() -> Vec<u8> {
    guest(r#"(func (export "_start") (drop (call $thread_sleep (i64.const 1000000000000))))"#)
}

fn world() -> World {
    let w = World::new();
    let fs = &w.fs;
    fs.mkdir_p("/etc", 0o755).unwrap();
    fs.write_file("/bin/whoami", whoami(), 0o755).unwrap();
    fs.insert("/etc/mtab", Node::symlink("../proc/mounts")).unwrap();
    w
}

impl World {
    /// Starts `program` in `group` (its stdout and stderr into the returned pipe).
    fn start_in(&mut self, group: GroupId, argv0: &str, program: Vec<u8>) -> (Pid, Pipe) {
        let out = Pipe::new();
        let stdin = Pipe::new();
        stdin.close_write();
        let spec = SpawnSpec {
            program: program.into(),
            args: vec![argv0.to_string()],
            env: vec!["PATH=/bin".into()],
            cwd: "/".into(),
            fs: self.fs.clone(),
            stdin: Stdio::Pipe(stdin),
            stdout: Stdio::Pipe(out.clone()),
            stderr: Stdio::Pipe(out.clone()),
        };
        (self.k.spawn_with(spec, SpawnOptions { group, pid1: true }).expect("spawn"), out)
    }

    /// A container: a group with a host name, a user and a memory limit.
    fn container(&mut self, hostname: &str, uid: u32) -> GroupId {
        let group = self.k.new_group();
        let info = GroupInfo {
            hostname: hostname.into(),
            uid,
            gid: uid,
            groups: vec![],
            memory_limit_bytes: Some(64 << 20),
            ..GroupInfo::default()
        };
        self.k.set_group_info(group, info);
        group
    }

    /// Runs `program` in `group` to its end: (exit status, output).
    fn run(&mut self, group: GroupId, program: Vec<u8>) -> (i32, String) {
        let (pid, out) = self.start_in(group, "main", program);
        self.settle(2000);
        let status = match self.k.status(pid) {
            Some(ProcStatus::Exited(code)) => code,
            other => panic!("still {other:?}"),
        };
        self.k.reap(pid);
        (status, String::from_utf8_lossy(&out.drain()).into_owned())
    }
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

#[test]
fn each_container_numbers_its_processes_from_1() {
    let mut w = world();
    let other = w.container("other", 0);
    let (sleeper, _) = w.start_in(other, "sleep", sleeper());
    let web = w.container("web", 0);
    let (main, out) = w.start_in(web, "main", parent());
    w.settle(50);
    let child = Pid(main.0 + 1);
    let bytes = out.drain();
    // The parent: pid 1, its child 2 (whose parent is 1); 3 is no process of its own (the
    // sleeper of the other container has global pid 1, its own namespace's 1), 2 is.
    assert_eq!(words(&bytes[..20]), [1, 2, 1, Errno::SRCH.code() as u32, 0]);
    assert_eq!(words(&bytes[20..]), [2, 1], "the child sees itself as 2, its parent as 1");
    assert_eq!(w.k.namespaced_pid(sleeper), Some(1));
    assert_eq!(w.k.namespaced_pid(main), Some(1));
    assert_ne!(sleeper, main, "global pids stay distinct");
    assert_eq!(w.k.status(child), None, "joined and reaped");
    let top = w.k.processes(web);
    assert_eq!(top.len(), 1);
    assert_eq!((top[0].pid, top[0].ns_pid, top[0].ppid), (main, 1, None));
    assert_eq!(top[0].argv, ["main"]);
    assert_eq!(top[0].state, ProcessState::Sleeping);
    assert!(top[0].memory_bytes >= 2 * 65536, "two pages at least");
    assert_eq!(w.k.processes(other)[0].state, ProcessState::Sleeping);
    assert_eq!(w.k.group_info(web).hostname, "web");
}

#[test]
fn proc_shows_the_container_to_itself() {
    let mut w = world();
    let other = w.container("other", 0);
    w.start_in(other, "sleep", sleeper());
    let web = w.container("web", 1000);
    let (code, status) = w.run(web, cat("proc/self/status"));
    assert_eq!(code, 0);
    assert!(status.starts_with("Name:\tmain\nUmask:\t0022\nState:\tR (running)\n"), "{status}");
    assert!(status.contains("\nPid:\t1\n") && status.contains("\nPPid:\t0\n"), "{status}");
    assert!(status.contains("\nUid:\t1000\t1000\t1000\t1000\n"), "{status}");
    assert_eq!(w.run(web, cat("proc/sys/kernel/hostname")), (0, "web\n".into()));
    assert_eq!(w.run(web, cat("proc/sys/kernel/ostype")), (0, "Linux\n".into()));
    let (_, meminfo) = w.run(web, cat("proc/meminfo"));
    assert!(meminfo.starts_with("MemTotal:          65536 kB\n"), "{meminfo}");
    // Pids go on increasing: this is the container's fifth process.
    let (_, stat) = w.run(web, cat("proc/self/stat"));
    assert!(stat.starts_with("5 (main) R 0 "), "{stat}");
    let (_, mounts) = w.run(web, cat("etc/mtab"));
    assert!(mounts.starts_with("overlay / overlay "), "through a link into /proc: {mounts}");
    // The container's pid 1 has exited; the other container's pid 1 is not for it to see.
    assert_eq!(w.run(web, cat("proc/1/status")).0, Errno::NOENT.code());
    assert_eq!(w.run(web, write_to("proc/sys/kernel/hostname")).0, Errno::ROFS.code());
    assert_eq!(w.run(web, write_to("proc/1/status")).0, Errno::ACCES.code());
    assert_eq!(w.run(web, write_to("proc/new")).0, Errno::ACCES.code());
}

#[test]
fn dev_has_devices_even_without_a_dev_folder() {
    let mut w = world();
    let web = w.container("web", 0);
    assert_eq!(w.run(web, cat("dev/null")), (0, String::new()));
    assert_eq!(w.run(web, write_to("dev/null")), (0, String::new()));
    assert_eq!(w.run(web, write_to("dev/full")).0, Errno::NOSPC.code());
    assert_eq!(w.run(web, write_to("dev/zero")).0, 0);
    assert_eq!(w.run(web, cat("dev/tty")).0, Errno::NXIO.code(), "no terminal");
    assert_eq!(w.run(web, cat("dev/nope")).0, Errno::NOENT.code());
    assert!(w.fs.lookup("/dev", true).is_err(), "nothing was created in the image");
}

/// The userland's BusyBox, if it has been built (`cargo xtask images` builds it).
fn busybox() -> Option<Vec<u8>> {
    let path = std::env::var("BUSYBOX_WASM").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/wasm32-wasip1/release/busybox.wasm")
    });
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!("skipped: no BusyBox at {} ({e}); `cargo xtask images` builds it", path.display());
            None
        }
    }
}

#[test]
fn busybox_sees_its_container_through_proc() {
    let Some(bytes) = busybox() else {
        return;
    };
    let mut w = world();
    w.fs.write_file("/bin/busybox", bytes, 0o755).unwrap();
    for applet in ["sh", "echo", "ps", "id", "uname", "free", "hostname", "cat", "head", "ls", "whoami", "df", "test"] {
        w.fs.insert(&format!("/bin/{applet}"), Node::symlink("busybox")).unwrap();
    }
    w.fs.write_file("/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n".to_vec(), 0o644).unwrap();
    w.fs.write_file("/etc/group", b"root:x:0:root\n".to_vec(), 0o644).unwrap();
    // Another container's process, started first: global pid 1, invisible in "web".
    let other = w.container("other", 0);
    w.start_in(other, "sleep", sleeper());
    let web = w.container("web", 0);
    let script = "echo $$; ps; id; whoami; uname -a; free; hostname; cat /proc/self/status | head -3; \
                  echo x > /dev/null; test -c /dev/null && echo chardev; ls /proc; df; \
                  echo piped | cat /dev/stdin; cd /proc/sys/kernel && cat ostype; ls /";
    let out = Pipe::new();
    let stdin = Pipe::new();
    stdin.close_write();
    let spec = SpawnSpec {
        program: w.fs.read_file("/bin/busybox").unwrap().into(),
        args: ["sh", "-c", script].map(String::from).to_vec(),
        env: vec!["PATH=/bin".into()],
        cwd: "/".into(),
        fs: w.fs.clone(),
        stdin: Stdio::Pipe(stdin),
        stdout: Stdio::Pipe(out.clone()),
        stderr: Stdio::Pipe(out.clone()),
    };
    let sh = w.k.spawn_with(spec, SpawnOptions { group: web, pid1: true }).unwrap();
    let mut text = String::new();
    for _ in 0..20_000 {
        w.k.run(w.clock.monotonic_micros() + 1_000_000);
        text.push_str(&String::from_utf8_lossy(&out.drain()));
        if matches!(w.k.status(sh), Some(ProcStatus::Exited(_))) {
            break;
        }
    }
    text.push_str(&String::from_utf8_lossy(&out.drain()));
    assert_eq!(w.k.status(sh), Some(ProcStatus::Exited(0)), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let expect = |line: &str| assert!(lines.contains(&line), "no line {line:?} in:\n{text}");
    assert_eq!(lines[0], "1", "$$ is PID 1: {text}");
    assert_eq!(lines[1], "PID   USER     TIME  COMMAND");
    assert!(lines[2].starts_with("    1 root      0:00 sh -c echo $$; ps;"), "{text}");
    assert_eq!(lines[3], "    2 root      0:00 ps", "only the container's processes: {text}");
    expect("uid=0(root) gid=0(root) groups=0(root)");
    expect("root");
    expect(&format!("Linux web {} {} wasm32 GNU/Linux", procfs::OSRELEASE, procfs::VERSION));
    let mem = lines.iter().find(|l| l.starts_with("Mem:")).unwrap_or_else(|| panic!("no free output: {text}"));
    assert_eq!(mem.split_whitespace().nth(1), Some("65536"), "the memory limit: {mem}");
    expect("web");
    expect("Name:\tcat");
    expect("Umask:\t0022");
    expect("State:\tR (running)");
    expect("chardev");
    for entry in ["1", "self", "meminfo", "mounts", "sys", "uptime"] {
        expect(entry);
    }
    let df = lines.iter().find(|l| l.starts_with("overlay ")).unwrap_or_else(|| panic!("no df output: {text}"));
    assert!(df.ends_with("% /"), "{df}");
    expect("piped");
    expect("Linux");
    // The mount points are there, though the image has no such folders.
    expect("dev");
    expect("proc");
}
