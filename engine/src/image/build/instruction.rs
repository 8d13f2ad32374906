//! The typed Dockerfile: one variant per instruction, with its arguments as written. Words are
//! kept unexpanded (quotes, escapes and `$VAR` references included) because their value
//! depends on the `ARG`s and `ENV`s in force when the builder reaches them: the builder calls
//! [`Instruction::expanded`] (or [`super::expand`]) with those variables.

use std::time::Duration;

pub use super::heredoc::Heredoc;

/// A command in exec form (`["nginx", "-g", "daemon off;"]`, run as is) or shell form
/// (`nginx -g 'daemon off;'`, run by the stage's shell, `/bin/sh -c` by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellOrExec {
    /// The command line, given to the shell. An instruction without arguments has `""`.
    Shell(String),
    /// The program and its arguments.
    Exec(Vec<String>),
}

/// One `name[=default]` of an `ARG` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: String,
    /// The default value, if `=` was written (`ARG V=` has an empty default).
    pub default: Option<String>,
}

/// `RUN`: a command run in a container on top of the stage's file system; its changes become
/// a new layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub cmd: ShellOrExec,
    /// `--mount=...` values, as written (`type=cache,target=/root/.cache`).
    pub mounts: Vec<String>,
    /// `--network=default|none|host`, if given.
    pub network: Option<String>,
    /// `--security=sandbox|insecure`, if given.
    pub security: Option<String>,
    /// `--device=...` values, as written.
    pub devices: Vec<String>,
    /// Heredocs on the line (`RUN <<EOF`, `RUN python3 <<EOF`).
    pub heredocs: Vec<Heredoc>,
}

/// `COPY`: files from the build context (or another stage, or an image) into the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Source paths or patterns (`package*.json`), relative to the context.
    pub sources: Vec<String>,
    /// Inline sources (`COPY <<EOF /etc/motd`); the heredoc's name is the file name.
    pub heredocs: Vec<Heredoc>,
    pub dest: String,
    /// `--from=<stage name, stage index or image>`.
    pub from: Option<String>,
    /// `--chown=user:group`.
    pub chown: Option<String>,
    /// `--chmod=0755`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude=<pattern>` values.
    pub excludes: Vec<String>,
}

/// `ADD`: like `COPY`, plus URLs, git repositories and local tar archives (unpacked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Add {
    pub sources: Vec<String>,
    pub heredocs: Vec<Heredoc>,
    pub dest: String,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    /// `--checksum=sha256:...` for a remote source.
    pub checksum: Option<String>,
    /// `--keep-git-dir[=bool]`, if given.
    pub keep_git_dir: Option<bool>,
    /// `--unpack[=bool]`, if given.
    pub unpack: Option<bool>,
    pub excludes: Vec<String>,
}

/// `HEALTHCHECK`: how Docker checks that a container still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disables any check inherited from the base image.
    None,
    /// `HEALTHCHECK [--interval=30s ...] CMD <command>`. Durations and retries left out (or
    /// zero) mean Docker's defaults (30s, 30s, 0s, 5s, 3 retries).
    Cmd {
        /// The test; Docker stores the shell form as `CMD-SHELL`.
        test: ShellOrExec,
        interval: Option<Duration>,
        timeout: Option<Duration>,
        start_period: Option<Duration>,
        start_interval: Option<Duration>,
        retries: Option<u32>,
    },
}

/// One Dockerfile instruction (except `FROM`, which starts a [`super::Stage`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    Run(Run),
    /// `CMD`: the default command of containers made from the image.
    Cmd(ShellOrExec),
    /// `ENTRYPOINT`: the program containers run, `CMD` (or `docker run` arguments) as its args.
    Entrypoint(ShellOrExec),
    /// `ENV k=v k2="v 2"` or the legacy `ENV k v w` (value `v w`). Keys and values unexpanded.
    Env(Vec<(String, String)>),
    /// `ARG name[=default] ...`: build-time variables, settable with `--build-arg`.
    Arg(Vec<Arg>),
    /// `LABEL k=v ...`: image metadata.
    Label(Vec<(String, String)>),
    /// `MAINTAINER name` (deprecated in favour of a label).
    Maintainer(String),
    /// `EXPOSE 80 443/tcp`: ports the image documents (sorted, as BuildKit stores them).
    Expose(Vec<String>),
    /// `WORKDIR /app`: the working directory for what follows and for containers.
    Workdir(String),
    /// `USER name[:group]`.
    User(String),
    /// `VOLUME /data` or `VOLUME ["/data"]`: mount points that get an anonymous volume.
    Volume(Vec<String>),
    Copy(Copy),
    Add(Add),
    Healthcheck(Healthcheck),
    /// `SHELL ["/bin/bash", "-c"]`: the shell for later shell forms (JSON form only).
    Shell(Vec<String>),
    /// `STOPSIGNAL SIGQUIT`: the signal `docker stop` sends.
    StopSignal(String),
    /// `ONBUILD <instruction>`: a trigger run when the image is used as a base image.
    Onbuild {
        /// The trigger's text as the image config stores it (`RUN echo hi`).
        expression: String,
        trigger: Box<Instruction>,
    },
}

impl Instruction {
    /// The keyword, upper-case, as BuildKit shows it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::Run(_) => "RUN",
            Self::Cmd(_) => "CMD",
            Self::Entrypoint(_) => "ENTRYPOINT",
            Self::Env(_) => "ENV",
            Self::Arg(_) => "ARG",
            Self::Label(_) => "LABEL",
            Self::Maintainer(_) => "MAINTAINER",
            Self::Expose(_) => "EXPOSE",
            Self::Workdir(_) => "WORKDIR",
            Self::User(_) => "USER",
            Self::Volume(_) => "VOLUME",
            Self::Copy(_) => "COPY",
            Self::Add(_) => "ADD",
            Self::Healthcheck(_) => "HEALTHCHECK",
            Self::Shell(_) => "SHELL",
            Self::StopSignal(_) => "STOPSIGNAL",
            Self::Onbuild { .. } => "ONBUILD",
        }
    }
}
