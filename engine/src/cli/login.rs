//! `docker login` and `docker logout`: credentials for a registry, checked by the daemon and kept
//! by the client in `~/.docker/config.json` (see [`super::config_file`]). Without `-u`/`-p`,
//! login asks on the terminal, `Username: ` then `Password: ` with echo off, as Docker's client
//! does once its web-based login is out of reach (there is no browser sign-in in the
//! playground). `--password-stdin` reads the password from a pipe; `-p` works with Docker's
//! warning.

use super::config_file;
use super::{daemon_error, parse_or_task, Arity, Finished, Flag, Input, Io, Spec, Step, Task};
use crate::daemon::Daemon;
use crate::engine::Activity;
use crate::image::{Credentials, INDEX_SERVER};

const LOGIN: Spec = Spec {
    name: "docker login",
    usage: "docker login [OPTIONS] [SERVER]",
    description: "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
    aliases: "",
    flags: &[
        Flag::value("password", Some('p'), "string", "Password or Personal Access Token (PAT)"),
        Flag::bool("password-stdin", None, "Take the Password or Personal Access Token (PAT) from stdin"),
        Flag::value("username", Some('u'), "string", "Username"),
    ],
    arity: Arity::AtMost(1),
    interspersed: true,
};

const LOGOUT: Spec = Spec {
    name: "docker logout",
    usage: "docker logout [SERVER]",
    description: "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
    aliases: "",
    flags: &[],
    arity: Arity::AtMost(1),
    interspersed: true,
};

const REGISTER_SUGGEST: &str = "Log in with your Docker ID or email address to push and pull images from Docker Hub. \
If you don't have a Docker ID, head over to https://hub.docker.com/ to create one.";
const PAT_SUGGEST: &str = "You can log in with your password or a Personal Access Token (PAT). Using a limited-scope \
PAT grants better security and is required for organizations using SSO. Learn more at https://docs.docker.com/go/access-tokens/";

/// Docker's `tui` note (`i Info → ...`), in color on a terminal.
fn note(io: &Io, text: &str) -> String {
    let header = if io.interactive {
        "\x1b[1m\x1b[106m\x1b[30mi\x1b[0m\x1b[0m \x1b[96mInfo → \x1b[0m\x1b[0m"
    } else {
        " Info -> "
    };
    let mut out = format!("\n{header}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(9));
        }
        if io.interactive {
            out.push_str(&format!("\x1b[3m{line}\x1b[0m\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    out
}

/// The client's key for a server argument: Docker Hub's index, or `host[:port]`.
fn server_key(arg: Option<&str>) -> String {
    match arg {
        None | Some("docker.io") => INDEX_SERVER.to_string(),
        Some(s) => {
            let host = s.split_once("://").map_or(s, |(_, rest)| rest);
            host.split('/').next().unwrap_or(host).to_string()
        }
    }
}

enum Stage {
    /// `--password-stdin`: reading stdin to its end.
    Stdin(Vec<u8>),
    Start,
    Username,
    Password,
    /// The password is in: the newline its prompt needs is on screen before anything else.
    LoggingIn,
}

struct LoginTask {
    server: String,
    user: String,
    password: String,
    /// The user name of stored credentials that did not work: the prompt offers it.
    default_user: String,
    stage: Stage,
    /// The terminal's echo setting to restore after the password prompt.
    echo: Option<(crate::process::Tty, bool)>,
}

impl LoginTask {
    fn hub(&self) -> bool {
        self.server == INDEX_SERVER
    }

    fn restore_echo(&mut self) {
        if let Some((tty, echo)) = self.echo.take() {
            let mut mode = tty.mode();
            mode.echo = echo;
            tty.set_mode(mode);
        }
    }

    /// Asks for what is missing, or logs in.
    fn next(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        if self.user.is_empty() {
            if self.hub() {
                io.out(format!("{REGISTER_SUGGEST}\n{PAT_SUGGEST}\n\n"));
            }
            io.out(if self.default_user.is_empty() {
                "Username: ".to_string()
            } else {
                format!("Username ({}): ", self.default_user)
            });
            self.stage = Stage::Username;
            return Step::Pending(Activity::Idle);
        }
        if self.password.trim().is_empty() {
            if let Some(tty) = io.terminal.clone() {
                let mut mode = tty.mode();
                self.echo = Some((tty.clone(), mode.echo));
                mode.echo = false;
                tty.set_mode(mode);
            }
            if self.hub() {
                io.err(note(
                    io,
                    "A Personal Access Token (PAT) can be used instead.\nTo create a PAT, visit \x1b[4mhttps://app.docker.com/settings\x1b[0m\n\n",
                ));
            }
            io.out("Password: ");
            self.stage = Stage::Password;
            return Step::Pending(Activity::Idle);
        }
        self.login(daemon, io)
    }

    fn login(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        if let Err(e) = daemon.registry_login(&self.server, &self.user, &self.password) {
            io.err(daemon_error(&e));
            return Step::Done(1);
        }
        let creds = Credentials { username: self.user.clone(), password: self.password.clone() };
        match config_file::store(daemon, &self.server, &creds) {
            Ok(true) => io.err(format!(
                "\nWARNING! Your credentials are stored unencrypted in '{}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n",
                config_file::path()
            )),
            Ok(false) => {}
            Err(e) => {
                io.err(format!("Error saving credentials: {e}\n"));
                return Step::Done(1);
            }
        }
        io.out("Login Succeeded\n");
        Step::Done(0)
    }

    /// Tries the stored credentials when no user or password was given.
    fn start(&mut self, daemon: &mut Daemon, io: &mut Io) -> Step {
        if self.user.is_empty() && self.password.is_empty() {
            if let Some(stored) = config_file::credentials(daemon, &self.server) {
                io.err(format!("Authenticating with existing credentials... [Username: {}]\n", stored.username));
                io.err(note(io, "To login with a different account, run 'docker logout' followed by 'docker login'"));
                io.err("\n\n");
                match daemon.registry_login(&self.server, &stored.username, &stored.password) {
                    Ok(()) => {
                        io.out("Login Succeeded\n");
                        return Step::Done(0);
                    }
                    Err(crate::Error::Registry(crate::image::RegistryError::IncorrectLogin)) => {
                        io.err("Stored credentials invalid or expired\n")
                    }
                    Err(e) => io.err(format!("Login did not succeed, error: {}", daemon_error(&e))),
                }
                self.default_user = stored.username;
            }
        }
        if (self.user.is_empty() || self.password.is_empty()) && !io.interactive {
            io.err("Error: Cannot perform an interactive login from a non TTY device\n");
            return Step::Done(1);
        }
        if self.hub() && self.user.is_empty() && self.password.is_empty() {
            io.err("Failed to start web-based login - falling back to command line login...\n\n");
        }
        self.next(daemon, io)
    }
}

impl Task for LoginTask {
    fn poll(&mut self, daemon: &mut Daemon, io: &mut Io, _deadline: u64) -> Step {
        match &mut self.stage {
            Stage::Stdin(buf) => loop {
                match io.read() {
                    Some(Input::Data(d)) => buf.extend(d),
                    Some(Input::Eof) => {
                        let text = String::from_utf8_lossy(buf).into_owned();
                        let text = text.strip_suffix('\n').unwrap_or(&text);
                        self.password = text.strip_suffix('\r').unwrap_or(text).to_string();
                        self.stage = Stage::Start;
                        return self.start(daemon, io);
                    }
                    None => return Step::Pending(Activity::Idle),
                }
            },
            Stage::Start => self.start(daemon, io),
            Stage::Username => match io.read_line() {
                None => Step::Pending(Activity::Idle),
                Some(input) => {
                    let typed = match input {
                        Input::Data(d) => String::from_utf8_lossy(&d).trim().to_string(),
                        Input::Eof => String::new(),
                    };
                    self.user = if typed.is_empty() { self.default_user.clone() } else { typed };
                    if self.user.is_empty() {
                        io.err("Error: Non-null Username Required\n");
                        return Step::Done(1);
                    }
                    self.next(daemon, io)
                }
            },
            Stage::Password => match io.read_line() {
                None => Step::Pending(Activity::Idle),
                Some(input) => {
                    self.restore_echo();
                    io.out("\n");
                    self.password = match input {
                        Input::Data(d) => String::from_utf8_lossy(&d).trim().to_string(),
                        Input::Eof => String::new(),
                    };
                    if self.password.is_empty() {
                        io.err("Error: Password Required\n");
                        return Step::Done(1);
                    }
                    self.stage = Stage::LoggingIn;
                    Step::Pending(Activity::Busy)
                }
            },
            Stage::LoggingIn => self.login(daemon, io),
        }
    }

    fn interrupt(&mut self, _daemon: &mut Daemon) -> bool {
        self.restore_echo();
        true
    }
}

pub fn login(args: &[String], _daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&LOGIN, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let (user, password) = (m.value("username"), m.value("password"));
    let stdin = m.flag("password-stdin");
    let fail = |msg: &str| Finished::fail(format!("{msg}\n"), 1);
    if stdin && password.is_some() {
        return fail("conflicting options: cannot specify both --password and --password-stdin");
    }
    if stdin && user.is_none() {
        return fail("the --password-stdin option requires --username to be set");
    }
    if user == Some("") {
        return fail("username is empty");
    }
    if password == Some("") {
        return fail("password is empty");
    }
    let mut warning = String::new();
    if password.is_some() {
        warning.push_str("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
    }
    let task = LoginTask {
        server: server_key(m.args.first().map(String::as_str)),
        user: user.unwrap_or_default().trim().to_string(),
        password: password.unwrap_or_default().to_string(),
        default_user: String::new(),
        stage: if stdin { Stage::Stdin(Vec::new()) } else { Stage::Start },
        echo: None,
    };
    Box::new(super::Prefixed { text: warning, to_stderr: true, inner: task })
}

pub fn logout(args: &[String], daemon: &mut Daemon) -> Box<dyn Task> {
    let m = match parse_or_task(&LOGOUT, args) {
        Ok(m) => m,
        Err(task) => return task,
    };
    let key = server_key(m.args.first().map(String::as_str));
    let mut out = format!("Removing login credentials for {key}\n");
    if let Err(e) = config_file::erase(daemon, &key) {
        out = format!("{out}WARNING: could not erase credentials:\n{key}: {e}\n");
    }
    Finished::out(out)
}
