//! Tests of the process's view of files: mounts of /proc and /dev, volumes and bind mounts.

use super::*;
use crate::fs::{Fs, Node};
use crate::platform::{ManualClock, SeededEntropy};
use std::cell::RefCell;

fn state(fs: Fs) -> ProcState {
    ProcState::new(
        7,
        3,
        vec!["sh".into()],
        vec![],
        "/".into(),
        fs,
        Rc::new(ManualClock::new(0)),
        Rc::new(RefCell::new(SeededEntropy::new(1))),
        wasmi::StoreLimitsBuilder::new().build(),
    )
}

#[test]
fn proc_needs_the_kernel_and_dev_does_not() {
    let fs = Fs::new();
    fs.mkdir_p("/etc", 0o755).unwrap();
    fs.insert("/etc/mtab", Node::symlink("../proc/mounts")).unwrap();
    let st = state(fs);
    assert_eq!(locate(&st, None, "/proc/self/status", true).err(), Some(Miss::NeedsKernel));
    assert_eq!(locate(&st, None, "/etc/mtab", true).err(), Some(Miss::NeedsKernel));
    assert!(matches!(locate(&st, None, "/etc/mtab", false), Ok(Place::Fs { .. })));
    assert!(matches!(
        locate(&st, None, "/dev/null", true),
        Ok(Place::Dev { node: devfs::Node::Device(Device::Null), .. })
    ));
    assert!(matches!(locate(&st, None, "/dev", true), Ok(Place::Dev { node: devfs::Node::Dir, fs: None, .. })));
    assert_eq!(locate(&st, None, "/dev/stdout", true).err(), Some(Miss::NeedsKernel), "via /proc/self/fd");
    assert_eq!(locate(&st, None, "/dev/shm", true).err(), Some(Miss::Errno(Errno::NOENT)));
    assert_eq!(locate(&st, None, "/nope", true).err(), Some(Miss::Errno(Errno::NOENT)));
}

#[test]
fn devices_stat_as_character_devices_and_dev_merges_the_image() {
    let fs = Fs::new();
    fs.mkdir_p("/dev/shm", 0o1777).unwrap();
    fs.write_file("/dev/null", b"not a device".to_vec(), 0o644).unwrap();
    let st = state(fs);
    let null = locate(&st, None, "/dev/null", true).unwrap();
    assert_eq!(null.stat(&st).unwrap().filetype, types::FILETYPE_CHARACTER_DEVICE);
    assert_eq!(null.mode(&st).unwrap().mode, 0o020666);
    assert!(matches!(null.open_virtual(&st, true, true, false), Ok(Fd::Null)));
    let tty = locate(&st, None, "/dev/tty", true).unwrap();
    assert_eq!(tty.open_virtual(&st, true, false, false).err(), Some(Errno::NXIO), "no terminal");
    assert!(matches!(locate(&st, None, "/dev/shm", true), Ok(Place::Fs { .. })));
    let Ok(Fd::VDir { entries, .. }) = locate(&st, None, "/dev", true).unwrap().open_virtual(&st, true, false, true)
    else {
        panic!("not a directory");
    };
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "null").count(), 1);
    assert!(names.contains(&"shm") && names.contains(&"urandom") && names.contains(&"stdin"));
    assert_eq!(check_mutable(&st, "/dev/null"), Err(Errno::PERM));
    assert_eq!(check_mutable(&st, "/dev/shm/x"), Ok(()));
    assert_eq!(check_mutable(&st, "/proc/x"), Err(Errno::ACCES));
    assert_eq!(check_mutable(&st, "/proc/sys/kernel/hostname"), Err(Errno::ROFS));
    assert_eq!(check_mutable(&st, "/proc"), Err(Errno::BUSY));
    assert_eq!(check_mutable(&st, "/tmp/x"), Ok(()));
}

#[test]
fn mounts_refuse_writes_when_read_only_and_renames_across() {
    use crate::fs::{Mount, MountTable};
    let fs = Fs::new();
    fs.mkdir_p("/data", 0o755).unwrap();
    fs.mkdir_p("/conf", 0o755).unwrap();
    fs.mkdir_p("/tmp", 0o755).unwrap();
    let mount = |target: &str, read_only| Mount {
        target: target.into(),
        root: Node::dir(0o755),
        read_only,
        source: "/dev/sda1".into(),
        fstype: "ext4".into(),
        options: "relatime".into(),
    };
    let mut table = MountTable::new();
    table.push(mount("/data", false));
    table.push(mount("/conf", true));
    let st = state(fs.with_mounts(table));
    assert_eq!(check_mutable(&st, "/data/x"), Ok(()));
    assert_eq!(check_mutable(&st, "/conf/x"), Err(Errno::ROFS));
    assert_eq!(check_mutable(&st, "/data"), Err(Errno::BUSY), "a mount point stays");
    assert_eq!(check_writable(&st, "/conf"), Err(Errno::ROFS));
    assert_eq!(check_attributes(&st, "/conf"), Err(Errno::ROFS));
    assert_eq!(check_attributes(&st, "/data"), Ok(()));
    assert_eq!(check_same_mount(&st, "/data/a", "/data/b"), Ok(()));
    assert_eq!(check_same_mount(&st, "/data/a", "/tmp/a"), Err(Errno::XDEV));
    assert_eq!(check_same_mount(&st, "/tmp/a", "/b"), Ok(()));
}
