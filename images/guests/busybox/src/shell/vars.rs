//! Builtins about variables and parameters: `export`, `readonly`, `unset`, `set`, `shift`,
//! `read`, `local`, `let`, `getopts`, and the internal `__bbsh_state` that restores a parent
//! shell's special parameters in a subshell process.

use super::arith;
use super::ast::is_name;
use super::state::{quote, OPTION_NAMES};
use super::{Flow, Shell, R};

impl Shell {
    pub(super) fn var_builtin(&mut self, argv: &[String]) -> Option<R> {
        let args = &argv[1..];
        Some(match argv[0].as_str() {
            "export" => self.export(args, false),
            "readonly" => self.export(args, true),
            "unset" => self.unset(args),
            "set" => self.set(args),
            "shift" => {
                let n = match args.first().map(|a| a.parse::<usize>()) {
                    None => 1,
                    Some(Ok(n)) => n,
                    Some(Err(_)) => {
                        self.error(&format!("shift: Illegal number: {}", args[0]));
                        return Some(Err(Flow::Error(2)));
                    }
                };
                if n > self.params.len() {
                    self.error("shift: can't shift that many");
                    return Some(Ok(1));
                }
                self.params.drain(..n);
                Ok(0)
            }
            "read" => self.read(args),
            "local" => self.local(args),
            "let" => {
                let mut last = 0;
                for a in args {
                    match arith::eval(a, self) {
                        Ok(v) => last = v,
                        Err(e) => return Some(Err(self.fatal(&format!("let: {e}"), 2))),
                    }
                }
                Ok(i32::from(last == 0))
            }
            "getopts" => self.getopts(args),
            "__bbsh_state" => self.restore_special(args),
            _ => return None,
        })
    }

    fn export(&mut self, args: &[String], readonly: bool) -> R {
        let word = if readonly { "readonly" } else { "export" };
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            let mut out = String::new();
            for (k, v) in &self.vars {
                if (readonly && v.readonly) || (!readonly && v.exported) {
                    out.push_str(&format!("{word} {k}={}\n", quote(&v.value)));
                }
            }
            self.out(out.as_bytes())?;
            return Ok(0);
        }
        for a in names {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (a.as_str(), None),
            };
            if !is_name(name) {
                self.error(&format!("{word}: {name}: bad variable name"));
                return Err(Flow::Error(2));
            }
            if let Some(v) = value {
                if let Err(e) = self.set_var(name, v) {
                    return Err(self.fatal(&e, 2));
                }
            }
            let var = self.vars.entry(name.to_string()).or_default();
            if readonly {
                var.readonly = true;
            } else {
                var.exported = true;
            }
        }
        Ok(0)
    }

    fn unset(&mut self, args: &[String]) -> R {
        let mut funcs = false;
        for a in args {
            match a.as_str() {
                "-f" => funcs = true,
                "-v" => funcs = false,
                name if funcs => {
                    self.funcs.remove(name);
                }
                name => {
                    if let Err(e) = self.unset_var(name) {
                        self.error(&format!("unset: {e}"));
                        return Ok(1);
                    }
                }
            }
        }
        Ok(0)
    }

    fn set(&mut self, args: &[String]) -> R {
        if args.is_empty() {
            let mut out = String::new();
            for (k, v) in &self.vars {
                out.push_str(&format!("{k}={}\n", quote(&v.value)));
            }
            self.out(out.as_bytes())?;
            return Ok(0);
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" {
                self.params = args[i + 1..].to_vec();
                return Ok(0);
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) if !f.is_empty() => (true, f),
                (_, Some(f)) if !f.is_empty() => (false, f),
                (Some(_), _) => {
                    // A lone `-` ends options (and turns off -x -v).
                    self.params = args[i + 1..].to_vec();
                    return Ok(0);
                }
                _ => break,
            };
            for c in flags.chars() {
                if c == 'o' {
                    i += 1;
                    match args.get(i) {
                        None => {
                            let mut out = String::new();
                            for (l, n) in OPTION_NAMES {
                                let v = self.opts.flag(l).is_some_and(|f| *f);
                                out.push_str(&format!("{n:<16}{}\n", if v { "on" } else { "off" }));
                            }
                            self.out(out.as_bytes())?;
                        }
                        Some(name) => {
                            let letter = OPTION_NAMES.iter().find(|(_, n)| n == name).map(|(l, _)| *l);
                            match letter.and_then(|l| self.opts.flag(l)) {
                                Some(f) => *f = on,
                                None if name == "pipefail" => {}
                                None => {
                                    self.error(&format!("set: illegal option -o {name}"));
                                    return Err(Flow::Error(2));
                                }
                            }
                        }
                    }
                    continue;
                }
                match self.opts.flag(c) {
                    Some(f) => *f = on,
                    None if c == 'm' || c == 'b' || c == 'h' => {}
                    None => {
                        self.error(&format!("set: illegal option -{c}"));
                        return Err(Flow::Error(2));
                    }
                }
            }
            i += 1;
        }
        if i < args.len() {
            self.params = args[i..].to_vec();
        }
        Ok(0)
    }

    /// Reads one line from descriptor 0, a byte at a time (so nothing after it is consumed).
    pub fn read_line_fd0(&mut self) -> Option<String> {
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match self.io.read(0, &mut b) {
                Ok(1) => {
                    line.push(b[0]);
                    if b[0] == b'\n' {
                        break;
                    }
                }
                _ => {
                    if line.is_empty() {
                        return None;
                    }
                    break;
                }
            }
        }
        Some(String::from_utf8_lossy(&line).into_owned())
    }

    fn read(&mut self, args: &[String]) -> R {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-r" => raw = true,
                "-s" => {}
                "-p" => {
                    i += 1;
                    if let Some(p) = args.get(i) {
                        let _ = self.io.write(2, p.as_bytes());
                    }
                }
                s if s.starts_with('-') && names.is_empty() && s.len() > 1 => {
                    for c in s[1..].chars() {
                        if c == 'r' {
                            raw = true;
                        }
                    }
                }
                _ => names.push(a.clone()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".to_string());
        }
        let mut text = String::new();
        let mut eof = true;
        while let Some(line) = self.read_line_fd0() {
            let complete = line.ends_with('\n');
            let body = line.strip_suffix('\n').unwrap_or(&line);
            if !raw && body.ends_with('\\') && complete && !body.ends_with("\\\\") {
                text.push_str(&body[..body.len() - 1]);
                continue;
            }
            text.push_str(body);
            eof = !complete;
            break;
        }
        // Backslash removal, remembering which characters were escaped (not separators).
        let mut chars: Vec<(char, bool)> = Vec::new();
        let mut it = text.chars();
        while let Some(c) = it.next() {
            if c == '\\' && !raw {
                if let Some(n) = it.next() {
                    chars.push((n, true));
                }
            } else {
                chars.push((c, false));
            }
        }
        let ifs: Vec<char> = self.get("IFS").unwrap_or(" \t\n").chars().collect();
        let is_sep = |c: &(char, bool)| !c.1 && ifs.contains(&c.0);
        let is_ws = |c: &(char, bool)| is_sep(c) && matches!(c.0, ' ' | '\t' | '\n');
        let mut pos = 0;
        while pos < chars.len() && is_ws(&chars[pos]) {
            pos += 1;
        }
        for (k, name) in names.iter().enumerate() {
            let value: String = if k + 1 == names.len() {
                let mut end = chars.len();
                while end > pos && is_ws(&chars[end - 1]) {
                    end -= 1;
                }
                chars[pos..end].iter().map(|c| c.0).collect()
            } else {
                let start = pos;
                while pos < chars.len() && !is_sep(&chars[pos]) {
                    pos += 1;
                }
                let v = chars[start..pos].iter().map(|c| c.0).collect();
                while pos < chars.len() && is_ws(&chars[pos]) {
                    pos += 1;
                }
                if pos < chars.len() && is_sep(&chars[pos]) {
                    pos += 1;
                    while pos < chars.len() && is_ws(&chars[pos]) {
                        pos += 1;
                    }
                }
                v
            };
            if let Err(e) = self.set_var(name, value) {
                return Err(self.fatal(&format!("read: {e}"), 2));
            }
        }
        Ok(i32::from(eof))
    }

    fn local(&mut self, args: &[String]) -> R {
        if self.frames.is_empty() {
            self.error("local: not in a function");
            return Ok(1);
        }
        for a in args {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            let old = self.vars.get(&name).cloned();
            if let Some(frame) = self.frames.last_mut() {
                if !frame.iter().any(|(n, _)| *n == name) {
                    frame.push((name.clone(), old));
                }
            }
            if let Some(v) = value {
                if let Err(e) = self.set_var(&name, v) {
                    return Err(self.fatal(&e, 2));
                }
            }
        }
        Ok(0)
    }

    fn getopts(&mut self, args: &[String]) -> R {
        let (Some(spec), Some(var)) = (args.first(), args.get(1)) else {
            self.error("getopts: usage: getopts optstring var [arg...]");
            return Ok(2);
        };
        let list: Vec<String> = if args.len() > 2 { args[2..].to_vec() } else { self.params.clone() };
        let optind: usize = self.get("OPTIND").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
        let sub: usize = self.get("__bbsh_optpos").and_then(|v| v.parse().ok()).unwrap_or(1);
        let silent = spec.starts_with(':');
        let Some(arg) = list.get(optind - 1) else {
            let _ = self.set_var(var, "?".into());
            return Ok(1);
        };
        if arg == "--" || !arg.starts_with('-') || arg == "-" {
            if arg == "--" {
                let _ = self.set_var("OPTIND", (optind + 1).to_string());
            }
            let _ = self.set_var(var, "?".into());
            return Ok(1);
        }
        let chars: Vec<char> = arg.chars().collect();
        let c = chars.get(sub).copied().unwrap_or('?');
        let (mut next_ind, mut next_sub) = if sub + 1 < chars.len() { (optind, sub + 1) } else { (optind + 1, 1) };
        let pos = spec.find(c).filter(|_| c != ':');
        self.vars.remove("OPTARG");
        let result = match pos {
            None => {
                if silent {
                    let _ = self.set_var("OPTARG", c.to_string());
                } else {
                    self.error(&format!("illegal option -- {c}"));
                }
                "?".to_string()
            }
            Some(p) if spec[p + c.len_utf8()..].starts_with(':') => {
                let value = if sub + 1 < chars.len() {
                    Some(chars[sub + 1..].iter().collect::<String>())
                } else {
                    list.get(optind).cloned().inspect(|_| next_ind = optind + 2)
                };
                next_sub = 1;
                if sub + 1 < chars.len() {
                    next_ind = optind + 1;
                }
                match value {
                    Some(v) => {
                        let _ = self.set_var("OPTARG", v);
                        c.to_string()
                    }
                    None => {
                        next_ind = optind + 1;
                        if silent {
                            let _ = self.set_var("OPTARG", c.to_string());
                            ":".to_string()
                        } else {
                            self.error(&format!("option requires an argument -- {c}"));
                            "?".to_string()
                        }
                    }
                }
            }
            Some(_) => c.to_string(),
        };
        let _ = self.set_var("OPTIND", next_ind.to_string());
        let _ = self.set_var("__bbsh_optpos", next_sub.to_string());
        let _ = self.set_var(var, result);
        Ok(0)
    }

    /// `__bbsh_state PID STATUS BGPID OPTIONS ARG0 SCRIPT`, from a parent's serialized state.
    fn restore_special(&mut self, args: &[String]) -> R {
        if !self.restoring {
            self.error("__bbsh_state: not found");
            return Ok(127);
        }
        if let Some(pid) = args.first().and_then(|p| p.parse().ok()) {
            self.pid = pid;
        }
        if let Some(s) = args.get(1).and_then(|p| p.parse().ok()) {
            self.status = s;
        }
        self.last_bg = args.get(2).and_then(|p| p.parse().ok());
        if let Some(letters) = args.get(3) {
            for c in letters.chars() {
                if let Some(f) = self.opts.flag(c) {
                    *f = true;
                }
            }
        }
        if let Some(a0) = args.get(4) {
            self.arg0 = a0.clone();
        }
        self.script = args.get(5).filter(|s| !s.is_empty()).cloned();
        Ok(self.status)
    }
}
