//! Scripts as programs, as Linux's `execve` runs them (`binfmt_script`): a file starting with
//! `#!interpreter [arg]` runs the interpreter with `[arg,] script-path, args...`. That is how a
//! container whose entrypoint is `/docker-entrypoint.sh` (the nginx, httpd and redis images)
//! starts: its first process is `/bin/sh /docker-entrypoint.sh nginx -g 'daemon off;'`.

use super::state::normalize;
use super::{ProcessError, SpawnSpec};
use crate::fs::NodeKind;

/// The longest `#!` line the kernel reads (Linux: `BINPRM_BUF_SIZE`).
const MAX_LINE: usize = 256;
const WASM_MAGIC: &[u8] = b"\0asm";

/// `spec` itself for a WebAssembly program; for a `#!` script, the spec that runs its
/// interpreter on it.
pub(crate) fn interpret(spec: SpawnSpec) -> Result<SpawnSpec, ProcessError> {
    if !spec.program.starts_with(b"#!") {
        return Ok(spec);
    }
    let head = &spec.program[2..spec.program.len().min(MAX_LINE)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let line = line.trim();
    let (interp, arg) = match line.split_once([' ', '\t']) {
        Some((i, a)) => (i.to_string(), Some(a.trim().to_string()).filter(|a| !a.is_empty())),
        None => (line.to_string(), None),
    };
    if interp.is_empty() {
        return Err(ProcessError::ExecFormat("empty #! line".into()));
    }
    let arg0 = spec.args.first().cloned().unwrap_or_default();
    let script = script_path(&spec, &arg0);
    let interp_path = normalize(&spec.cwd, &interp);
    let program = match spec.fs.lookup(&interp_path, true).map(|n| n.borrow().kind.clone()) {
        Ok(NodeKind::File(data)) if data.starts_with(WASM_MAGIC) => data,
        Ok(_) => return Err(ProcessError::ExecFormat(format!("{interp}: not a WebAssembly interpreter"))),
        Err(_) => return Err(ProcessError::NoInterpreter(interp)),
    };
    let mut args = vec![interp];
    args.extend(arg);
    args.push(script);
    args.extend(spec.args.into_iter().skip(1));
    Ok(SpawnSpec { program: program.into(), args, ..spec })
}

/// Where the script is: `argv[0]` if it has a slash, else the first match in `PATH`.
fn script_path(spec: &SpawnSpec, arg0: &str) -> String {
    if arg0.contains('/') {
        return arg0.to_string();
    }
    let path = spec.env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or("/usr/local/bin:/usr/bin:/bin");
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| normalize(&spec.cwd, &format!("{d}/{arg0}")))
        .find(|p| spec.fs.lookup(p, true).is_ok())
        .unwrap_or_else(|| arg0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Fs;
    use crate::process::Stdio;

    fn spec(fs: &Fs, program: &[u8], args: &[&str]) -> SpawnSpec {
        SpawnSpec {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: vec!["PATH=/usr/local/bin:/bin".into()],
            cwd: "/".into(),
            fs: fs.clone(),
            stdin: Stdio::Null,
            stdout: Stdio::Null,
            stderr: Stdio::Null,
        }
    }

    #[test]
    fn a_script_runs_its_interpreter_with_its_path_and_arguments() {
        let fs = Fs::new();
        fs.mkdir_p("/bin", 0o755).unwrap();
        fs.mkdir_p("/usr/local/bin", 0o755).unwrap();
        fs.write_file("/bin/sh", b"\0asm\x01\0\0\0".to_vec(), 0o755).unwrap();
        let script = b"#!/bin/sh -e\nexec httpd\n";
        fs.write_file("/usr/local/bin/httpd-foreground", script.to_vec(), 0o755).unwrap();
        let s = interpret(spec(&fs, script, &["httpd-foreground", "-X"])).unwrap();
        assert_eq!(s.args, ["/bin/sh", "-e", "/usr/local/bin/httpd-foreground", "-X"]);
        assert!(s.program.starts_with(WASM_MAGIC));
        let s = interpret(spec(&fs, b"#!/bin/sh\n", &["/docker-entrypoint.sh", "nginx"])).unwrap();
        assert_eq!(s.args, ["/bin/sh", "/docker-entrypoint.sh", "nginx"]);
        let wasm = interpret(spec(&fs, b"\0asm\x01\0\0\0", &["x"])).unwrap();
        assert_eq!(wasm.args, ["x"]);
        let err = interpret(spec(&fs, b"#!/bin/bash\n", &["/x.sh"])).unwrap_err();
        assert_eq!(err.to_string(), "no such file or directory");
    }
}
