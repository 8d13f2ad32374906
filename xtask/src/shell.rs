//! `cargo xtask shell`: the browser's host shell on this terminal. Lines from stdin go to the
//! engine; its output goes to stdout. Piped input gives a transcript (each command shown after
//! the prompt, as the browser's screen shows it), so
//! `printf 'docker run hello-world\ndocker ps -a\n' | cargo xtask shell` prints what the page would.
//! With `--state FILE` the session is restored from FILE (if it exists) and saved into it when
//! the input ends, as the page keeps it across reloads.

use engine::platform::{DirBlobSource, FileStorage, Platform, Storage, StoragePoll};
use engine::{Activity, Engine, TerminalMode};
use std::io::{IsTerminal, Read, Write};
use std::sync::mpsc;

/// The tick budget, as in the page.
const TICK_MICROS: u64 = 8_000;

pub fn shell(args: &[String]) -> crate::Result {
    let mut storage = match args {
        [] => None,
        [flag, file] if flag == "--state" => Some(FileStorage::new(file)),
        _ => return Err("usage: cargo xtask shell [--state FILE]".into()),
    };
    if !crate::catalog_dir().join("index.json").exists() {
        crate::setup::images()?;
    }
    let tty = std::io::stdin().is_terminal();
    let mode = if tty { TerminalMode::Line } else { TerminalMode::Transcript };
    let platform = Platform::native(Box::new(DirBlobSource::new(crate::catalog_dir())));
    let saved = match storage.as_mut().map(|s| s.poll_load()) {
        Some(StoragePoll::Ready(stored)) => stored.current,
        Some(StoragePoll::Failed(e)) => return Err(e.to_string()),
        Some(StoragePoll::Pending) | None => None,
    };
    let mut engine = match saved {
        Some(snapshot) => Engine::restore(platform, mode, &snapshot)
            .map_err(|e| format!("cannot restore {}: {e} (move it away to start afresh)", args[1]))?,
        None => Engine::new(platform, mode),
    };
    let (tx, rx) = mpsc::channel::<Option<Vec<u8>>>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 4096];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(None);
                    return;
                }
                Ok(n) => {
                    if tx.send(Some(buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut stdout = std::io::stdout();
    let mut eof = false;
    // Piped input is typed a line at a time, when the shell (or a command) waits for it, so the
    // output interleaves as on a screen.
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let activity = engine.tick(TICK_MICROS);
        stdout.write_all(&engine.take_output()).map_err(|e| e.to_string())?;
        stdout.flush().map_err(|e| e.to_string())?;
        let waiting = activity != Activity::Busy && engine.awaiting_input();
        if waiting {
            if let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                engine.write_input(&line);
                continue;
            }
            if eof && engine.at_prompt() {
                if tty {
                    println!();
                }
                if let Some(storage) = &mut storage {
                    storage.start_save(&engine.snapshot().map_err(|e| e.to_string())?);
                    if let StoragePoll::Failed(e) = storage.poll_writes() {
                        return Err(e.to_string());
                    }
                }
                return Ok(());
            }
        }
        let wait = match activity {
            Activity::Busy => std::time::Duration::ZERO,
            Activity::Waiting => std::time::Duration::from_millis(2),
            Activity::Idle => std::time::Duration::from_millis(if eof { 1 } else { 20 }),
        };
        match rx.recv_timeout(wait) {
            Ok(Some(bytes)) if tty => engine.write_input(&bytes),
            Ok(Some(bytes)) => pending.extend(bytes),
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                if !eof && !pending.is_empty() && !pending.ends_with(b"\n") {
                    pending.push(b'\n');
                }
                eof = true;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}
