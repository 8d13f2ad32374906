//! Starting programs from applets and the shell: `$PATH` search and how a file is run
//! (`#!` scripts through their interpreter, plain text through `sh`, modules directly).

use crate::sys::{self, SpawnFd};

/// The first executable `name` in `path` (a name with `/` is taken as is).
pub fn find_in_path(name: &str, path: &str) -> Option<String> {
    if name.contains('/') {
        return std::fs::metadata(name).ok().filter(|m| m.is_file()).map(|_| name.to_string());
    }
    for dir in path.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let cand = format!("{}/{name}", dir.trim_end_matches('/'));
        if let Ok(m) = std::fs::metadata(&cand) {
            if m.is_file() && executable(&m) {
                return Some(cand);
            }
        }
    }
    None
}

#[cfg(unix)]
fn executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_: &std::fs::Metadata) -> bool {
    true
}

/// What running the file `path` with `argv` really starts (`execve`'s view): a `#!` script's
/// interpreter with the script's path, `sh` for a text file without `#!`, or the file itself.
pub fn program_argv(path: &str, argv: &[String]) -> Result<(String, Vec<String>), (i32, String)> {
    use std::io::Read;
    if !may_execute(path) {
        return Err((126, "Permission denied".to_string()));
    }
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).map_err(|e| (126, super::errstr(&e)))?;
    let head = &head[..n];
    let binary = head.starts_with(b"\0asm") || head.starts_with(b"\x7fELF");
    Ok(if head.starts_with(b"#!") {
        let line = head[2..].split(|&b| b == b'\n').next().unwrap_or(&[]);
        let line = String::from_utf8_lossy(line);
        let mut it = line.trim().splitn(2, [' ', '\t']);
        let interp = it.next().unwrap_or("").to_string();
        if interp.is_empty() {
            return Err((126, "Exec format error".to_string()));
        }
        let mut a = vec![interp.clone()];
        if let Some(arg) = it.next().map(str::trim).filter(|s| !s.is_empty()) {
            a.push(arg.to_string());
        }
        a.push(path.to_string());
        a.extend(argv.iter().skip(1).cloned());
        (interp, a)
    } else if binary {
        (path.to_string(), argv.to_vec())
    } else {
        let mut a = vec!["sh".to_string(), path.to_string()];
        a.extend(argv.iter().skip(1).cloned());
        (sys::shell_path(), a)
    })
}

/// Whether this process may run the file `path` (`execve`'s permission check, which a script
/// run through its interpreter needs too): an `x` bit of the owner, group or others class that
/// applies; root needs any `x` bit. Unknown modes are left to the open that follows.
fn may_execute(path: &str) -> bool {
    let Ok(info) = sys::mode_info(std::path::Path::new(path), true) else { return true };
    let Ok(ids) = sys::procfs::ids() else { return info.mode & 0o111 != 0 };
    let bits = if ids.euid == 0 {
        info.mode | (info.mode >> 3) | (info.mode >> 6)
    } else if info.uid == ids.euid {
        info.mode >> 6
    } else if info.gid == ids.egid || ids.groups.contains(&info.gid) {
        info.mode >> 3
    } else {
        info.mode
    };
    bits & 1 != 0
}

/// Spawns a program file (see [`program_argv`]). Errors carry the shell's exit status (126 or
/// 127) and message.
pub fn spawn_program(path: &str, argv: &[String], env: &[String], fds: &[SpawnFd]) -> Result<u32, (i32, String)> {
    let (prog, args) = program_argv(path, argv)?;
    sys::spawn(&prog, &args, env, fds).map_err(|e| {
        let msg = super::errstr(&e);
        if e.kind() == std::io::ErrorKind::NotFound {
            (127, msg)
        } else {
            (126, msg)
        }
    })
}

/// Runs `argv` (searched in `$PATH`) with this process's stdio and environment; waits.
/// Errors are reported like BusyBox: `applet: can't execute 'x': No such file or directory`.
pub fn run(applet: &str, argv: &[String]) -> i32 {
    let env: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
    run_with_env(applet, argv, &env)
}

/// Like [`run`] with an explicit environment (`KEY=value`); `$PATH` is taken from it.
pub fn run_with_env(applet: &str, argv: &[String], env: &[String]) -> i32 {
    let path = env
        .iter()
        .find_map(|kv| kv.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .to_string();
    let Some(prog) = find_in_path(&argv[0], &path) else {
        super::err(applet, format_args!("can't execute '{}': No such file or directory", argv[0]));
        return 127;
    };
    let fds: Vec<SpawnFd> = (0..3).map(|i| SpawnFd { target: i, source: Some(i) }).collect();
    match spawn_program(&prog, argv, env, &fds) {
        Ok(pid) => sys::wait(pid).unwrap_or(127),
        Err((status, msg)) => {
            super::err(applet, format_args!("can't execute '{}': {msg}", argv[0]));
            status
        }
    }
}
