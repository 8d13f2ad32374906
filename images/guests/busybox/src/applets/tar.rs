//! `tar`: creates (`c`), lists (`t`) and extracts (`x`) archives, as `docker cp`-style
//! workflows and Dockerfiles use it: `tar -czf site.tgz site/`, `tar xzf site.tgz -C /srv`.
//! Archives are ustar with GNU long names (the `tar` crate); `-z` compresses with gzip, and
//! extraction recognizes gzip by its magic bytes even without `-z`, as BusyBox does.

use super::usage_error;
use crate::sys;
use crate::util::{err, errstr, opts};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

struct Job {
    file: Option<String>,
    gzip: bool,
    verbose: bool,
    dir: Option<String>,
}

pub fn main(args: &[String]) -> i32 {
    let mut args: Vec<String> = args[1..].to_vec();
    // Old style: the first word is a bundle of letters without a dash (`tar xzf f.tgz`).
    if let Some(first) = args.first_mut() {
        if !first.starts_with('-') {
            first.insert(0, '-');
        }
    }
    let o = match opts::parse(&args, "ctxzvf:C:oO") {
        Ok(o) => o,
        Err(e) => return usage_error("tar", &e),
    };
    let modes: Vec<char> = ['c', 't', 'x'].into_iter().filter(|m| o.has(*m)).collect();
    let job = Job {
        file: o.value('f').map(str::to_string),
        gzip: o.has('z'),
        verbose: o.has('v'),
        dir: o.value('C').map(str::to_string),
    };
    let result = match modes.as_slice() {
        ['c'] if o.operands.is_empty() => {
            err("tar", "empty archive");
            return 1;
        }
        ['c'] => create(&job, &o.operands),
        ['t'] => read_archive(&job, false, o.has('v')),
        ['x'] => read_archive(&job, true, o.has('O')),
        _ => return usage_error("tar", "exactly one of 'c', 'x' or 't' must be specified"),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            err("tar", e);
            1
        }
    }
}

fn create(job: &Job, paths: &[String]) -> Result<i32, String> {
    if let Some(d) = &job.dir {
        sys::chdir(Path::new(d)).map_err(|e| format!("can't change directory to '{d}': {}", errstr(&e)))?;
    }
    let to_stdout = job.file.as_deref().is_none_or(|f| f == "-");
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    let mut status = 0;
    for p in paths {
        let name = p.trim_start_matches('/');
        if name.len() != p.len() {
            err("tar", "removing leading '/' from member names");
        }
        if let Err(e) = add(&mut builder, Path::new(p), name, job.verbose && !to_stdout, job.verbose && to_stdout) {
            err("tar", format_args!("{p}: {}", errstr(&e)));
            status = 1;
        }
    }
    let data = builder.into_inner().map_err(|e| errstr(&e))?;
    let data = if job.gzip {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&data).map_err(|e| errstr(&e))?;
        gz.finish().map_err(|e| errstr(&e))?
    } else {
        data
    };
    match job.file.as_deref() {
        None | Some("-") => sys::write_all(1, &data).map_err(|e| errstr(&e))?,
        Some(f) => std::fs::write(f, &data).map_err(|e| format!("can't open '{f}': {}", errstr(&e)))?,
    }
    Ok(status)
}

/// Adds `path` (recursively) under the member name `name`.
fn add(b: &mut tar::Builder<Vec<u8>>, path: &Path, name: &str, verbose: bool, verbose_stderr: bool) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    let mode = sys::mode_info(path, false).map(|m| m.mode & 0o7777).unwrap_or(0o644);
    let mtime =
        meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    let mut h = tar::Header::new_ustar();
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    let shown = if meta.is_dir() { format!("{}/", name.trim_end_matches('/')) } else { name.to_string() };
    if verbose {
        println!("{shown}");
    } else if verbose_stderr {
        eprintln!("{shown}");
    }
    if meta.file_type().is_symlink() {
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        let target = std::fs::read_link(path)?;
        b.append_link(&mut h, name, target)?;
    } else if meta.is_dir() {
        h.set_entry_type(tar::EntryType::Directory);
        h.set_size(0);
        b.append_data(&mut h, &shown, io::empty())?;
        let mut children: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for c in children {
            let child = c.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            add(b, &c, &format!("{}/{child}", name.trim_end_matches('/')), verbose, verbose_stderr)?;
        }
    } else {
        let data = std::fs::read(path)?;
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, data.as_slice())?;
    }
    Ok(())
}

/// The archive's bytes, gunzipped when they are gzip.
fn input(job: &Job) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    match job.file.as_deref() {
        None | Some("-") => {
            io::stdin().read_to_end(&mut data).map_err(|e| errstr(&e))?;
        }
        Some(f) => data = std::fs::read(f).map_err(|e| format!("can't open '{f}': {}", errstr(&e)))?,
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data.as_slice())
            .read_to_end(&mut out)
            .map_err(|_| "corrupted data".to_string())?;
        return Ok(out);
    }
    if job.gzip {
        return Err("invalid magic".into());
    }
    Ok(data)
}

/// Lists (`extract` false) or extracts the archive; `flag` is `-v` for a list, `-O` (to
/// stdout) for an extraction.
fn read_archive(job: &Job, extract: bool, flag: bool) -> Result<i32, String> {
    let data = input(job)?;
    if let Some(d) = &job.dir {
        sys::chdir(Path::new(d)).map_err(|e| format!("can't change directory to '{d}': {}", errstr(&e)))?;
    }
    let mut archive = tar::Archive::new(data.as_slice());
    let entries = archive.entries().map_err(|e| errstr(&e))?;
    let mut out = io::stdout().lock();
    for entry in entries {
        let mut entry = entry.map_err(|_| "short read".to_string())?;
        let name = entry.path().map_err(|e| errstr(&e))?.to_string_lossy().into_owned();
        let h = entry.header().clone();
        if !extract {
            if flag {
                let _ = writeln!(out, "{}", long_line(&h, &name, entry.link_name().ok().flatten()));
            } else {
                let _ = writeln!(out, "{name}");
            }
            continue;
        }
        if job.verbose {
            let _ = writeln!(out, "{name}");
        }
        if flag {
            let mut buf = Vec::new();
            entry.read_to_end(&mut buf).map_err(|e| errstr(&e))?;
            let _ = out.write_all(&buf);
            continue;
        }
        let rel = name.trim_start_matches('/');
        if rel.split('/').any(|c| c == "..") {
            err("tar", format_args!("skipping unsafe path '{name}'"));
            continue;
        }
        if rel.is_empty() {
            continue;
        }
        unpack(&mut entry, &h, Path::new(rel)).map_err(|e| format!("can't create '{rel}': {}", errstr(&e)))?;
    }
    let _ = out.flush();
    Ok(0)
}

fn unpack(entry: &mut tar::Entry<&[u8]>, h: &tar::Header, path: &Path) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mode = h.mode().unwrap_or(0o644) & 0o7777;
    match h.entry_type() {
        tar::EntryType::Directory => {
            std::fs::create_dir_all(path)?;
            let _ = sys::chmod(path, mode);
        }
        tar::EntryType::Symlink => {
            let target = entry.link_name()?.ok_or_else(|| io::Error::other("bad link"))?.into_owned();
            let _ = std::fs::remove_file(path);
            sys::symlink(&target, path)?;
        }
        tar::EntryType::Link => {
            let target = entry.link_name()?.ok_or_else(|| io::Error::other("bad link"))?.into_owned();
            let _ = std::fs::remove_file(path);
            std::fs::hard_link(target, path)?;
        }
        _ => {
            let mut data = Vec::new();
            entry.read_to_end(&mut data)?;
            std::fs::write(path, data)?;
            let _ = sys::chmod(path, mode);
        }
    }
    Ok(())
}

/// `tar -tv`'s line: mode, owner, size, date, name (and `-> target` for a link).
fn long_line(h: &tar::Header, name: &str, link: Option<std::borrow::Cow<'_, Path>>) -> String {
    let kind = match h.entry_type() {
        tar::EntryType::Directory => 'd',
        tar::EntryType::Symlink => 'l',
        _ => '-',
    };
    let mode = h.mode().unwrap_or(0);
    let bits: String = (0..9)
        .map(|i| {
            let on = mode & (0o400 >> i) != 0;
            if on {
                ['r', 'w', 'x'][i % 3]
            } else {
                '-'
            }
        })
        .collect();
    let owner =
        format!("{}/{}", h.username().ok().flatten().unwrap_or("0"), h.groupname().ok().flatten().unwrap_or("0"));
    let owner = if owner == "/" { format!("{}/{}", h.uid().unwrap_or(0), h.gid().unwrap_or(0)) } else { owner };
    let when = super::sysinfo::strftime("%Y-%m-%d %H:%M:%S", i64::try_from(h.mtime().unwrap_or(0)).unwrap_or(0), 0);
    let target = link.map(|l| format!(" -> {}", l.display())).unwrap_or_default();
    format!("{kind}{bits} {owner} {:>9} {when} {name}{target}", h.size().unwrap_or(0))
}
