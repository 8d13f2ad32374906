//! Tests of the `/proc` generators.
use super::*;

struct Fake {
    me: u32,
    procs: Vec<Process>,
}

fn proc(pid: u32, ppid: u32, argv: &[&str], state: ProcessState) -> Process {
    Process {
        pid,
        ppid,
        comm: argv[0].rsplit('/').next().unwrap_or("").to_string(),
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec!["PATH=/bin".into(), "HOSTNAME=web".into()],
        cwd: "/srv".into(),
        state,
        uid: 1000,
        gid: 100,
        groups: vec![100, 10],
        cpu_micros: 1_234_000,
        start_micros: 2_000_000,
        memory_bytes: 1 << 20,
        tty: false,
        sig_pending: 0,
        sig_ignored: 1 << 12,
        sig_caught: 0,
    }
}

impl ProcSource for Fake {
    fn me(&self) -> u32 {
        self.me
    }
    fn pids(&self) -> Vec<u32> {
        self.procs.iter().map(|p| p.pid).collect()
    }
    fn process(&self, pid: u32) -> Option<Process> {
        self.procs.iter().find(|p| p.pid == pid).cloned()
    }
    fn system(&self) -> System {
        System {
            hostname: "web".into(),
            uptime_micros: 3_723_450_000,
            idle_micros: 3_000_000_000,
            mem_total_bytes: 64 << 20,
            mem_used_bytes: 3 << 20,
            load: [0.5, 0.25, 0.0],
            runnable: 1,
            total: 2,
            last_pid: 2,
        }
    }
    fn mounts(&self, _sizes: bool) -> Vec<Mount> {
        vec![Mount {
            source: "overlay".into(),
            target: "/".into(),
            fstype: "overlay".into(),
            options: "rw,relatime".into(),
            block_size: 4096,
            blocks: 1000,
            free: 900,
            avail: 900,
        }]
    }
}

fn fake() -> Fake {
    Fake {
        me: 2,
        procs: vec![
            proc(1, 0, &["/bin/sh", "-c", "sleep 1; ps"], ProcessState::Sleeping),
            proc(2, 1, &["ps"], ProcessState::Running),
        ],
    }
}

fn text(src: &dyn ProcSource, path: &str) -> String {
    match lookup(src, path, true) {
        Ok(Found::Node(Node { content: Content::File(bytes), .. })) => String::from_utf8(bytes).unwrap(),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn the_root_lists_files_and_the_namespace_pids() {
    let f = fake();
    let Ok(Found::Node(Node { content: Content::Dir(entries), mode: 0o555, .. })) = lookup(&f, "", true) else {
        panic!("not a directory");
    };
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert!(names.contains(&"meminfo") && names.contains(&"self") && names.contains(&"sys"));
    assert_eq!(&names[names.len() - 2..], ["1", "2"]);
    assert_eq!(lookup(&f, "3/stat", true), Err(Errno::NOENT), "not in the namespace");
    assert_eq!(lookup(&f, "01", true), Err(Errno::NOENT));
    assert_eq!(lookup(&f, "nope", true), Err(Errno::NOENT));
    assert_eq!(lookup(&f, "meminfo/x", true), Err(Errno::NOTDIR));
}

#[test]
fn self_is_a_link_to_the_readers_pid() {
    let f = fake();
    assert_eq!(lookup(&f, "self", false).unwrap(), Found::Node(Node::root(Content::Link("2".into()))));
    assert_eq!(lookup(&f, "self/status", true).unwrap(), Found::Redirect("/proc/2/status".into()));
    assert_eq!(lookup(&f, "1/cwd/etc", true).unwrap(), Found::Redirect("/srv/etc".into()));
    assert_eq!(lookup(&f, "1/root", true).unwrap(), Found::Redirect("/".into()));
    assert!(matches!(lookup(&f, "2/fd/1", true), Ok(Found::Node(Node { content: Content::Fd(1), .. }))));
    assert_eq!(lookup(&f, "1/fd", true), Err(Errno::NOENT), "only the reader's own descriptors");
}

#[test]
fn stat_has_the_52_fields_ps_reads() {
    let f = fake();
    let line = text(&f, "1/stat");
    assert!(line.starts_with("1 (sh) S 0 1 1 0 -1 4194560 0 0 0 0 123 0 0 0 20 0 1 0 200 1048576 256 "), "{line}");
    assert_eq!(line.split_whitespace().count(), 52);
    assert!(line.ends_with(" 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), "{line}");
    assert_eq!(text(&f, "1/cmdline"), "/bin/sh\0-c\0sleep 1; ps\0");
    assert_eq!(text(&f, "1/comm"), "sh\n");
    assert_eq!(text(&f, "2/environ"), "PATH=/bin\0HOSTNAME=web\0");
    assert_eq!(text(&f, "2/statm"), "256 256 0 0 0 256 0\n");
}

#[test]
fn status_gives_the_ids_and_the_state() {
    let f = fake();
    let s = text(&f, "2/status");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(&lines[..3], ["Name:\tps", "Umask:\t0022", "State:\tR (running)"]);
    assert!(lines.contains(&"PPid:\t1"));
    assert!(lines.contains(&"Uid:\t1000\t1000\t1000\t1000"));
    assert!(lines.contains(&"Gid:\t100\t100\t100\t100"));
    assert!(lines.contains(&"Groups:\t100 10 "));
    assert!(lines.contains(&"VmRSS:\t    1024 kB"));
    assert!(lines.contains(&"SigIgn:\t0000000000001000"));
    assert!(lines.contains(&"CapEff:\t0000000000000000"), "not root");
}

#[test]
fn zombies_keep_their_name_but_lose_their_memory() {
    let mut f = fake();
    f.procs[1].state = ProcessState::Zombie;
    assert_eq!(text(&f, "2/cmdline"), "");
    assert!(text(&f, "2/stat").starts_with("2 (ps) Z 1 "));
    assert!(!text(&f, "2/status").contains("VmRSS"));
}

#[test]
fn machine_files_in_linux_formats() {
    let f = fake();
    let mem = text(&f, "meminfo");
    assert!(mem.starts_with("MemTotal:          65536 kB\nMemFree:           62464 kB\nMemAvailable:      62464 kB\n"));
    assert!(mem.contains("SwapTotal:             0 kB\n"));
    assert_eq!(text(&f, "uptime"), "3723.45 3000.00\n");
    assert_eq!(text(&f, "loadavg"), "0.50 0.25 0.00 1/2 2\n");
    assert!(text(&f, "cpuinfo").starts_with("processor\t: 0\nvendor_id\t: WebAssembly\n"));
    assert_eq!(text(&f, "cpuinfo").matches("processor").count(), 1);
    assert_eq!(text(&f, "mounts"), "overlay / overlay rw,relatime 0 0\n");
    assert_eq!(text(&f, "2/mounts"), "overlay / overlay rw,relatime 0 0\n");
    assert_eq!(text(&f, "statfs"), "/ 4096 1000 900 900\n");
    assert!(text(&f, "version").starts_with("Linux version 6.6.0-playground "));
}

#[test]
fn sys_kernel_names_the_system() {
    let f = fake();
    assert_eq!(text(&f, "sys/kernel/ostype"), "Linux\n");
    assert_eq!(text(&f, "sys/kernel/osrelease"), "6.6.0-playground\n");
    assert_eq!(text(&f, "sys/kernel/hostname"), "web\n");
    assert_eq!(text(&f, "sys/kernel/arch"), "wasm32\n");
    assert_eq!(lookup(&f, "sys/kernel/nope", true), Err(Errno::NOENT));
    assert_eq!(write_error("sys/kernel/hostname"), Errno::ROFS);
    assert_eq!(write_error("1/status"), Errno::ACCES);
}
