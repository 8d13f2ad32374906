//! The package managers of the playground's Linux images, in one multicall program:
//!
//! - `apk` ([`apk`]): Alpine's. `apk add`, `del`, `update`, `info`, `search`, `list`.
//! - `apt-get`, `apt`, `apt-cache` and `dpkg` ([`apt`]): Debian's and Ubuntu's. `apt-get update`,
//!   `install`, `remove`, `purge`, `autoremove`, `clean`; `apt list`, `apt show`;
//!   `apt-cache search`, `show`, `policy`; `dpkg -l`, `-L`, `-s`, `-S`.
//!
//! They work as the real ones do: the repositories named in the image's configuration
//! (`/etc/apk/repositories`, `/etc/apt/sources.list(.d)`) are fetched over HTTP from the
//! distributions' mirror host names, which the playground's network answers (see the engine's
//! `network::mirror`); packages are real archives whose files are unpacked into the container's
//! filesystem, and the installed state is kept in the real database files
//! (`/lib/apk/db/installed`, `/var/lib/dpkg/status`), so `docker diff` and image sizes show them.
//! TLS is out of scope: an `https://` repository is fetched over plain HTTP on port 80.
//!
//! Everything goes through a [`Ctx`]: the filesystem root, the output streams, standard input
//! (the `[Y/n]` questions), whether stdout is a terminal, the clock, and the network ([`net::Net`]),
//! so the tools are tested natively against an in-memory or loopback mirror.

pub mod apk;
pub mod apt;
pub mod archive;
pub mod net;
pub mod sys;
pub mod version;

pub use sys::Ctx;

/// Runs the tool named by `args[0]` (its basename).
pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let name = args.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("pkg");
    let rest = args.get(1..).unwrap_or(&[]);
    match name {
        "apk" => apk::main(rest, ctx),
        "apt-get" => apt::apt_get(rest, ctx),
        "apt" => apt::apt(rest, ctx),
        "apt-cache" => apt::apt_cache(rest, ctx),
        "dpkg" => apt::dpkg(rest, ctx),
        other => {
            ctx.eprintln(&format!(
                "{other}: unknown program (this binary runs as apk, apt-get, apt, apt-cache or dpkg)"
            ));
            127
        }
    }
}
