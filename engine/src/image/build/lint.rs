//! Build checks: BuildKit's lint rules that can be decided from the Dockerfile's text alone.
//! `docker build` prints them after the build, as
//! ` 1 warning found (use docker --debug to expand):` followed by
//! ` - MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 2)`.
//! A `# check=skip=Rule1,Rule2` (or `skip=all`) directive turns rules off.

use super::instruction::{Healthcheck, Instruction, ShellOrExec};
use super::node::Node;
use super::parse::Parsed;
use std::fmt;

/// One lint warning, on the line of the instruction it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// BuildKit's rule name: `JSONArgsRecommended`.
    pub rule: &'static str,
    /// The rule's message for this instruction.
    pub message: String,
    /// 1-based line.
    pub line: usize,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (line {})", self.rule, self.message, self.line)
    }
}

/// The block `docker build` prints after a build with warnings (empty if there are none).
pub fn render_warnings(warnings: &[Warning]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let plural = if warnings.len() == 1 { "" } else { "s" };
    let mut out = format!(" {} warning{plural} found (use docker --debug to expand):\n", warnings.len());
    for w in warnings {
        out.push_str(&format!(" - {w}\n"));
    }
    out
}

/// One instruction line as the checks see it.
pub(crate) struct LintLine<'a> {
    pub node: &'a Node,
    pub parsed: &'a Parsed,
    pub line: usize,
    /// Where a continuation with a blank line ended, if it had one.
    pub empty_continuation: Option<usize>,
}

#[derive(Default)]
struct Checks {
    warnings: Vec<Warning>,
}

impl Checks {
    fn warn(&mut self, rule: &'static str, message: String, line: usize) {
        self.warnings.push(Warning { rule, message, line });
    }
}

fn is_one_case(s: &str) -> bool {
    s == s.to_lowercase() || s == s.to_uppercase()
}

/// Secret-looking names: a word (between `_`) such as `password`, `token`, `key`.
fn looks_secret(name: &str) -> bool {
    const DENY: &[&str] =
        &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
    const ALLOW: &[&str] = &["public", "file", "version"];
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    has(DENY) && !has(ALLOW)
}

/// Runs every check, in the order BuildKit runs them.
pub(crate) fn check(lines: &[LintLine<'_>], skip: &[String]) -> Vec<Warning> {
    let mut c = Checks::default();
    for l in lines {
        if let Some(end) = l.empty_continuation {
            c.warn("NoEmptyContinuation", "Empty continuation line".into(), end);
        }
    }
    parse_phase(&mut c, lines);
    stage_names(&mut c, lines);
    casing(&mut c, lines);
    dispatch_phase(&mut c, lines);
    if skip.iter().any(|s| s == "all") {
        return Vec::new();
    }
    c.warnings.retain(|w| !skip.iter().any(|s| s == w.rule));
    c.warnings
}

/// The rules run while each line is parsed.
fn parse_phase(c: &mut Checks, lines: &[LintLine<'_>]) {
    for l in lines {
        let node = l.node;
        match node.command.to_ascii_lowercase().as_str() {
            "maintainer" => c.warn(
                "MaintainerDeprecated",
                "Maintainer instruction is deprecated in favor of using label".into(),
                l.line,
            ),
            "from" if node.args.len() >= 3 => {
                let (keyword, name) = (&node.args[1], &node.args[2]);
                if node.args.len() == 3 && *name != name.to_lowercase() {
                    let message = format!("Stage name '{name}' should be lowercase");
                    c.warn("StageNameCasing", message, l.line);
                }
                let cmd = &node.command;
                let mismatch = if *cmd == cmd.to_lowercase() {
                    *keyword != keyword.to_lowercase()
                } else if *cmd == cmd.to_uppercase() {
                    *keyword != keyword.to_uppercase()
                } else {
                    false
                };
                if mismatch {
                    let message = format!("'{keyword}' and '{cmd}' keywords' casing do not match");
                    c.warn("FromAsCasing", message, l.line);
                }
            }
            _ => {}
        }
    }
}

fn stage_names(c: &mut Checks, lines: &[LintLine<'_>]) {
    let mut seen = std::collections::HashSet::new();
    for l in lines {
        let Parsed::From(from) = l.parsed else {
            continue;
        };
        let Some(name) = from.name.as_deref() else {
            continue;
        };
        if name == "context" || name == "scratch" {
            let message = format!("Stage name should not use the same name as reserved stage \"{name}\"");
            c.warn("ReservedStageName", message, l.line);
        }
        if !seen.insert(name) {
            let message = format!("Duplicate stage name \"{name}\", stage names should be unique");
            c.warn("DuplicateStageName", message, l.line);
        }
    }
}

/// The lines that belong to stages (global `ARG`s before the first `FROM` do not).
fn in_stages<'a, 'b>(lines: &'b [LintLine<'a>]) -> &'b [LintLine<'a>] {
    let first = lines.iter().position(|l| matches!(l.parsed, Parsed::From(_))).unwrap_or(lines.len());
    &lines[first..]
}

fn casing(c: &mut Checks, lines: &[LintLine<'_>]) {
    let lines = in_stages(lines);
    let (mut lower, mut upper) = (0, 0);
    for l in lines {
        let cmd = &l.node.command;
        if is_one_case(cmd) {
            if *cmd == cmd.to_lowercase() {
                lower += 1;
            } else {
                upper += 1;
            }
        }
    }
    let majority_lower = lower > upper;
    for l in lines {
        let cmd = &l.node.command;
        let wrong = if majority_lower {
            (*cmd != cmd.to_lowercase()).then_some("lowercase")
        } else {
            (*cmd != cmd.to_uppercase()).then_some("uppercase")
        };
        if let Some(case) = wrong {
            let message = format!("Command '{cmd}' should match the case of the command majority ({case})");
            c.warn("ConsistentInstructionCasing", message, l.line);
        }
    }
}

/// State per stage while "dispatching" its instructions.
#[derive(Default)]
struct StageState {
    shell_set: bool,
    workdir_set: bool,
    cmd: Option<usize>,
    entrypoint: Option<usize>,
    healthcheck: Option<usize>,
}

fn used_once(c: &mut Checks, slot: &mut Option<usize>, name: &str, line: usize) {
    if let Some(previous) = slot.replace(line) {
        let message = format!(
            "Multiple {name} instructions should not be used in the same stage because only the last one will be used"
        );
        c.warn("MultipleInstructionsDisallowed", message, previous);
    }
}

fn dispatch_phase(c: &mut Checks, lines: &[LintLine<'_>]) {
    let mut st = StageState::default();
    for l in in_stages(lines) {
        let name = l.node.command.as_str();
        let line = l.line;
        let instruction = match l.parsed {
            Parsed::From(_) => {
                st = StageState::default();
                continue;
            }
            Parsed::Instruction(i) => i,
        };
        match instruction {
            Instruction::Env(pairs) | Instruction::Label(pairs) => {
                let is_env = matches!(instruction, Instruction::Env(_));
                let legacy = l.node.args.chunks(3).any(|kv| kv.get(2).is_some_and(String::is_empty));
                if legacy {
                    let message =
                        format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format");
                    c.warn("LegacyKeyValueFormat", message, line);
                }
                if is_env {
                    for (key, _) in pairs.iter().filter(|(k, _)| looks_secret(k)) {
                        secret(c, "ENV", key, line);
                    }
                }
            }
            Instruction::Arg(args) => {
                for arg in args.iter().filter(|a| looks_secret(&a.name)) {
                    secret(c, "ARG", &arg.name, line);
                }
            }
            Instruction::Workdir(path) => {
                if !st.workdir_set && !path.starts_with('/') && !path.contains('$') {
                    let message = format!(
                        "Relative workdir {} can have unexpected results if the base image changes",
                        super::error::go_quote(path)
                    );
                    c.warn("WorkdirRelativePath", message, line);
                }
                st.workdir_set = true;
            }
            Instruction::Shell(_) => st.shell_set = true,
            Instruction::Cmd(cmd) | Instruction::Entrypoint(cmd) => {
                let slot = if matches!(instruction, Instruction::Cmd(_)) { &mut st.cmd } else { &mut st.entrypoint };
                used_once(c, slot, name, line);
                if matches!(cmd, ShellOrExec::Shell(_)) && !st.shell_set {
                    let message = format!(
                        "JSON arguments recommended for {name} to prevent unintended behavior related to OS signals"
                    );
                    c.warn("JSONArgsRecommended", message, line);
                }
            }
            Instruction::Healthcheck(Healthcheck::None | Healthcheck::Cmd { .. }) => {
                used_once(c, &mut st.healthcheck, name, line);
            }
            _ => {}
        }
    }
}

fn secret(c: &mut Checks, instruction: &str, key: &str, line: usize) {
    let message = format!(
        "Do not use ARG or ENV instructions for sensitive data ({instruction} {})",
        super::error::go_quote(key)
    );
    c.warn("SecretsUsedInArgOrEnv", message, line);
}
