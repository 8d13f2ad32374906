//! `docker save`, `docker load` and `docker export`: images and container filesystems as tar
//! files on the host. Like Docker, they refuse to write a binary archive to the terminal: use
//! `-o FILE` (or a redirection).

use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Spec, Task};
use crate::daemon::Daemon;
use crate::host::absolute;
use crate::image::{build_layer, tree_entries};

const SAVE: Spec = Spec {
    name: "docker save",
    usage: "docker save [OPTIONS] IMAGE [IMAGE...]",
    description: "Save one or more images to a tar archive (streamed to STDOUT by default)",
    aliases: "docker image save, docker save",
    flags: &[Flag::value("output", Some('o'), "string", "Write to a file, instead of STDOUT")],
    arity: Arity::AtLeast(1),
    interspersed: true,
};

const LOAD: Spec = Spec {
    name: "docker load",
    usage: "docker load [OPTIONS]",
    description: "Load an image from a tar archive or STDIN",
    aliases: "docker image load, docker load",
    flags: &[
        Flag::value("input", Some('i'), "string", "Read from tar archive file, instead of STDIN"),
        Flag::bool("quiet", Some('q'), "Suppress the load output"),
    ],
    arity: Arity::None,
    interspersed: true,
};

const EXPORT: Spec = Spec {
    name: "docker export",
    usage: "docker export [OPTIONS] CONTAINER",
    description: "Export a container's filesystem as a tar archive",
    aliases: "docker container export, docker export",
    flags: &[Flag::value("output", Some('o'), "string", "Write to a file, instead of STDOUT")],
    arity: Arity::Exactly(1),
    interspersed: true,
};

const TO_TERMINAL: &str = "cowardly refusing to save to a terminal. Use the -o flag or redirect\n";

/// Writes `bytes` to the host file `path`, worded like Go's errors on failure.
fn write_host(daemon: &Daemon, cwd: &str, path: &str, bytes: Vec<u8>) -> Result<(), String> {
    let full = absolute(cwd, path);
    daemon
        .host_fs
        .write_file(&full, bytes, 0o644)
        .map_err(|e| format!("open {full}: {}", e.to_string().to_lowercase()))?;
    crate::host::give_to_learner(&daemon.host_fs, &full);
    Ok(())
}

pub fn save(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&SAVE, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let Some(output) = m.value("output") else {
        return Finished::fail(TO_TERMINAL, 1);
    };
    let mut chosen = Vec::new();
    for name in &m.args {
        match daemon.find_image(name) {
            // Saving by name records that name; saving by ID records none.
            Ok(image) => {
                let tags = match crate::image::Reference::parse(name) {
                    Ok(r) if image.repo_tags.contains(&r.clone().with_default_tag().to_string()) => {
                        vec![r.with_default_tag().to_string()]
                    }
                    _ => Vec::new(),
                };
                chosen.push((image.clone(), tags));
            }
            Err(e) => return Finished::fail(daemon_error(&e), 1),
        }
    }
    let refs: Vec<_> = chosen.iter().map(|(i, t)| (i, t.clone())).collect();
    let bytes = match crate::image::save(&daemon.images, &refs, daemon.now_ms() / 1000) {
        Ok(b) => b,
        Err(e) => return Finished::fail(daemon_error(&e.into()), 1),
    };
    match write_host(daemon, &daemon.client_cwd, output, bytes) {
        Ok(()) => Finished::out(""),
        Err(e) => Finished::fail(format!("failed to save image: {e}\n"), 1),
    }
}

pub fn load(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&LOAD, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let Some(input) = m.value("input") else {
        return Finished::fail("requested load from stdin, but stdin is empty\n", 1);
    };
    let path = absolute(&daemon.client_cwd, input);
    let bytes = match daemon.host_fs.read_file(&path) {
        Ok(b) => b,
        Err(e) => return Finished::fail(format!("open {path}: {}\n", e.to_string().to_lowercase()), 1),
    };
    match crate::image::load(&mut daemon.images, &bytes) {
        Ok(loaded) if m.flag("quiet") => {
            let _ = loaded;
            Finished::out("")
        }
        Ok(loaded) => {
            let mut out = String::new();
            for (id, tags) in loaded {
                if tags.is_empty() {
                    out.push_str(&format!("Loaded image ID: {id}\n"));
                }
                for t in tags {
                    out.push_str(&format!("Loaded image: {t}\n"));
                }
            }
            Finished::out(out)
        }
        Err(e) => Finished::fail(daemon_error(&e.into()), 1),
    }
}

pub fn export(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&EXPORT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let Some(c) = daemon.containers.find(&m.args[0]) else {
        return Finished::fail(daemon_error(&crate::Error::NoSuchContainer(m.args[0].clone())), 1);
    };
    let Some(output) = m.value("output") else {
        return Finished::fail(TO_TERMINAL, 1);
    };
    let tar = tree_entries(&c.fs, "/", "")
        .map_err(|e| e.to_string())
        .and_then(|entries| build_layer(&entries, daemon.now_ms() / 1000).map_err(|e| e.to_string()));
    match tar.and_then(|bytes| write_host(daemon, &daemon.client_cwd, output, bytes)) {
        Ok(()) => Finished::out(""),
        Err(e) => Finished::fail(format!("{e}\n"), 1),
    }
}
