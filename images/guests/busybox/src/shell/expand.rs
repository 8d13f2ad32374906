//! Word expansion, in POSIX order: tilde, parameters, command substitution and arithmetic, then
//! field splitting on `$IFS` (unquoted results only), then pathname expansion (globbing), then
//! quote removal. Each expanded character remembers whether it was quoted, which decides whether
//! it can be a wildcard.

use super::arith;
use super::ast::{Param, ParamOp, Part, Word};
use super::{Flow, Shell};
use crate::util::pattern::Pattern;

/// One field being built: characters with their "quoted" mark.
#[derive(Default, Clone, Debug)]
pub struct Field {
    pub chars: Vec<(char, bool)>,
    /// Exists even if empty (it contained quotes).
    started: bool,
}

impl Field {
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.0).collect()
    }
}

struct Builder {
    fields: Vec<Field>,
    cur: Field,
    ifs: Vec<char>,
    split: bool,
    after_ws: bool,
}

impl Builder {
    fn new(ifs: &str, split: bool) -> Self {
        Builder { fields: Vec::new(), cur: Field::default(), ifs: ifs.chars().collect(), split, after_ws: false }
    }

    fn push(&mut self, s: &str, quoted: bool) {
        self.after_ws = false;
        if quoted || !s.is_empty() {
            self.cur.started = true;
        }
        self.cur.chars.extend(s.chars().map(|c| (c, quoted)));
    }

    /// The result of an unquoted expansion: split on IFS when splitting applies.
    fn push_unquoted(&mut self, s: &str) {
        if !self.split {
            self.push(s, false);
            return;
        }
        for c in s.chars() {
            if self.ifs.contains(&c) {
                if c == ' ' || c == '\t' || c == '\n' {
                    if self.cur.started {
                        self.end_field();
                        self.after_ws = true;
                    }
                } else {
                    if !self.after_ws {
                        self.end_field_forced();
                    }
                    self.after_ws = false;
                }
            } else {
                self.after_ws = false;
                self.cur.chars.push((c, false));
                self.cur.started = true;
            }
        }
    }

    fn end_field(&mut self) {
        let f = std::mem::take(&mut self.cur);
        if f.started {
            self.fields.push(f);
        }
    }

    fn end_field_forced(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.fields.push(f);
    }

    fn finish(mut self) -> Vec<Field> {
        self.end_field();
        self.fields
    }
}

impl arith::Vars for Shell {
    fn get_var(&self, name: &str) -> Option<String> {
        self.lookup(name)
    }
    fn set_var_arith(&mut self, name: &str, value: i64) -> Result<(), String> {
        self.set_var(name, value.to_string())
    }
}

impl Shell {
    /// A parameter's value: special parameters, positional parameters, variables.
    pub fn lookup(&self, name: &str) -> Option<String> {
        Some(match name {
            "?" => self.status.to_string(),
            "$" => self.pid.to_string(),
            "!" => return self.last_bg.map(|p| p.to_string()),
            "#" => self.params.len().to_string(),
            "-" => {
                let mut o = self.opts;
                let mut s = o.letters();
                if self.interactive {
                    s.push('i');
                }
                s
            }
            "0" => self.arg0.clone(),
            "@" | "*" => self.params.join(" "),
            "LINENO" => self.lineno.to_string(),
            "RANDOM" => {
                let t = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0);
                ((t ^ (t >> 15) ^ self.pid) % 32768).to_string()
            }
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                return self.params.get(i.checked_sub(1)?).cloned();
            }
            n => return self.get(n).map(str::to_string),
        })
    }

    /// Expands words into fields (splitting and globbing): command arguments, `for` lists.
    pub fn expand_words(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let mut out = Vec::new();
        for w in words {
            let ifs = self.get("IFS").unwrap_or(" \t\n").to_string();
            let mut b = Builder::new(&ifs, true);
            self.parts(w, false, &mut b)?;
            for f in b.finish() {
                let magic = !self.opts.noglob && f.chars.iter().any(|(c, q)| !q && matches!(c, '*' | '?' | '['));
                match magic.then(|| glob(&f.chars)).flatten() {
                    Some(matches) => out.extend(matches),
                    None => out.push(f.text()),
                }
            }
        }
        Ok(out)
    }

    /// Expands a word into one string (no splitting, no globbing): assignments, redirections.
    pub fn expand_string(&mut self, w: &Word) -> Result<String, Flow> {
        Ok(self.expand_field(w)?.text())
    }

    /// Expands a word into one field that keeps the quoted marks (for patterns).
    fn expand_field(&mut self, w: &Word) -> Result<Field, Flow> {
        let mut b = Builder::new(" ", false);
        self.parts(w, false, &mut b)?;
        let mut fields = b.finish();
        if fields.len() == 1 {
            return Ok(fields.remove(0));
        }
        let mut f = Field::default();
        for (i, x) in fields.into_iter().enumerate() {
            if i > 0 {
                f.chars.push((' ', true));
            }
            f.chars.extend(x.chars);
        }
        Ok(f)
    }

    /// Expands a word into a wildcard pattern (quoted characters match literally).
    pub fn expand_pattern(&mut self, w: &Word) -> Result<Pattern, Flow> {
        Ok(Pattern::new(&self.expand_field(w)?.chars))
    }

    fn parts(&mut self, w: &[Part], quoted: bool, b: &mut Builder) -> Result<(), Flow> {
        for p in w {
            self.part(p, quoted, b)?;
        }
        Ok(())
    }

    fn part(&mut self, p: &Part, quoted: bool, b: &mut Builder) -> Result<(), Flow> {
        match p {
            Part::Lit(s) => b.push(s, quoted),
            Part::Quoted(s) => b.push(s, true),
            Part::Double(inner) => {
                let only_at = matches!(inner.as_slice(), [Part::Param(p)] if p.name == "@" && p.op == ParamOp::Plain);
                if !(only_at && self.params.is_empty()) {
                    b.push("", true);
                }
                self.parts(inner, true, b)?;
            }
            Part::Tilde(user) => {
                let home = if user.is_empty() { self.get("HOME").map(str::to_string) } else { home_of(user) };
                match home {
                    Some(h) => b.push(&h, true),
                    None => b.push(&format!("~{user}"), quoted),
                }
            }
            Part::Param(param) => self.param(param, quoted, b)?,
            Part::Command(list) => {
                let out = self.command_subst(list)?;
                if quoted {
                    b.push(&out, true);
                } else {
                    b.push_unquoted(&out);
                }
            }
            Part::Arith(parts) => {
                let mut sb = Builder::new(" ", false);
                self.parts(parts, true, &mut sb)?;
                let text: String = sb.finish().iter().map(Field::text).collect::<Vec<_>>().join(" ");
                match arith::eval(&text, self) {
                    Ok(v) => b.push(&v.to_string(), quoted),
                    Err(e) => return Err(self.fatal(&format!("{text}: {e}"), 2)),
                }
            }
        }
        Ok(())
    }

    /// Reports an expansion error: the command fails, a non-interactive shell exits.
    pub fn fatal(&mut self, msg: &str, status: i32) -> Flow {
        self.error(msg);
        Flow::Error(status)
    }

    fn param(&mut self, p: &Param, quoted: bool, b: &mut Builder) -> Result<(), Flow> {
        let name = p.name.as_str();
        if (name == "@" || name == "*") && matches!(p.op, ParamOp::Plain) {
            let params = self.params.clone();
            if quoted && name == "*" {
                let sep = self.get("IFS").map_or(Some(' '), |s| s.chars().next());
                let sep = sep.map(String::from).unwrap_or_default();
                b.push(&params.join(&sep), true);
            } else if quoted || !b.split {
                for (i, v) in params.iter().enumerate() {
                    if i > 0 {
                        if b.split || quoted {
                            b.end_field_forced();
                        } else {
                            b.push(" ", false);
                        }
                    }
                    b.push(v, quoted);
                }
            } else {
                for (i, v) in params.iter().enumerate() {
                    if i > 0 {
                        b.end_field();
                    }
                    b.push_unquoted(v);
                }
            }
            return Ok(());
        }
        let value = self.lookup(name);
        let set = match &value {
            Some(v) => !(p.colon && v.is_empty()),
            None => false,
        };
        let emit = |b: &mut Builder, s: &str| {
            if quoted {
                b.push(s, true)
            } else {
                b.push_unquoted(s)
            }
        };
        let needs_value = matches!(
            p.op,
            ParamOp::Plain
                | ParamOp::Length
                | ParamOp::TrimPrefix(_)
                | ParamOp::TrimSuffix(_)
                | ParamOp::Substring
                | ParamOp::Replace(_)
        );
        if needs_value && value.is_none() && self.opts.nounset && name != "@" && name != "*" {
            return Err(self.fatal(&format!("{name}: parameter not set"), 2));
        }
        let v = value.clone().unwrap_or_default();
        match p.op {
            ParamOp::Plain => emit(b, &v),
            ParamOp::Length => {
                let n = if name == "@" || name == "*" { self.params.len() } else { v.chars().count() };
                b.push(&n.to_string(), quoted);
            }
            ParamOp::Default => {
                if set {
                    emit(b, &v);
                } else {
                    self.parts(&p.word, quoted, b)?;
                }
            }
            ParamOp::Alt => {
                if set {
                    self.parts(&p.word, quoted, b)?;
                }
            }
            ParamOp::Assign => {
                if set {
                    emit(b, &v);
                } else {
                    let nv = self.expand_string(&p.word)?;
                    if let Err(e) = self.set_var(name, nv.clone()) {
                        return Err(self.fatal(&e, 2));
                    }
                    emit(b, &nv);
                }
            }
            ParamOp::Error => {
                if set {
                    emit(b, &v);
                } else {
                    let msg = self.expand_string(&p.word)?;
                    let msg = if msg.is_empty() {
                        if p.colon { "parameter null or not set" } else { "parameter not set" }.to_string()
                    } else {
                        msg
                    };
                    return Err(self.fatal(&format!("{name}: {msg}"), 2));
                }
            }
            ParamOp::TrimPrefix(longest) | ParamOp::TrimSuffix(longest) => {
                let pat = self.expand_pattern(&p.word)?;
                let chars: Vec<char> = v.chars().collect();
                let n = chars.len();
                let prefix = matches!(p.op, ParamOp::TrimPrefix(_));
                let mut result = v.clone();
                let lens: Vec<usize> = if longest { (0..=n).rev().collect() } else { (0..=n).collect() };
                for len in lens {
                    let hit =
                        if prefix { pat.matches_chars(&chars[..len]) } else { pat.matches_chars(&chars[n - len..]) };
                    if hit {
                        result = if prefix { chars[len..].iter().collect() } else { chars[..n - len].iter().collect() };
                        break;
                    }
                }
                emit(b, &result);
            }
            ParamOp::Substring => {
                let chars: Vec<char> = v.chars().collect();
                let off_text = self.expand_string(&p.word)?;
                let off = arith::eval(&off_text, self).map_err(|e| self.fatal(&e, 2))?;
                let n = chars.len() as i64;
                let start = if off < 0 { (n + off).max(0) } else { off.min(n) };
                let len = match &p.word2 {
                    Some(w) => {
                        let t = self.expand_string(w)?;
                        let l = arith::eval(&t, self).map_err(|e| self.fatal(&e, 2))?;
                        if l < 0 {
                            (n - start + l).max(0)
                        } else {
                            l
                        }
                    }
                    None => n - start,
                };
                let end = (start + len).min(n);
                let s: String = chars[start as usize..end.max(start) as usize].iter().collect();
                emit(b, &s);
            }
            ParamOp::Replace(all) => {
                let mut word = p.word.clone();
                let mut anchor = None;
                if let Some(Part::Lit(first)) = word.first_mut() {
                    if let Some(rest) = first.strip_prefix('#') {
                        anchor = Some('#');
                        *first = rest.to_string();
                    } else if let Some(rest) = first.strip_prefix('%') {
                        anchor = Some('%');
                        *first = rest.to_string();
                    }
                }
                let pat = self.expand_pattern(&word)?;
                let rep = match &p.word2 {
                    Some(w) => self.expand_string(w)?,
                    None => String::new(),
                };
                emit(b, &replace(&v, &pat, &rep, all, anchor));
            }
        }
        Ok(())
    }
}

/// `${v/pat/rep}`: longest match at each position, first or all occurrences.
fn replace(v: &str, pat: &Pattern, rep: &str, all: bool, anchor: Option<char>) -> String {
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    let mut out = String::new();
    let mut i = 0;
    let mut done = false;
    while i <= n {
        if !done && (anchor != Some('#') || i == 0) {
            let found = (i..=n).rev().find(|&e| {
                (anchor != Some('%') || e == n) && (e > i || pat.matches("")) && pat.matches_chars(&chars[i..e])
            });
            if let Some(e) = found {
                out.push_str(rep);
                if !all {
                    done = true;
                }
                if e > i {
                    i = e;
                    continue;
                }
            }
        }
        if i < n {
            out.push(chars[i]);
        }
        i += 1;
    }
    out
}

/// The home directory of a user, from `/etc/passwd`.
fn home_of(user: &str) -> Option<String> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&user)).then(|| f.get(5).map(|s| s.to_string())).flatten()
    })
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Pathname expansion of one field; None when nothing matches.
fn glob(chars: &[(char, bool)]) -> Option<Vec<String>> {
    let absolute = chars.first().map(|c| c.0) == Some('/');
    let comps: Vec<&[(char, bool)]> = chars.split(|c| c.0 == '/').collect();
    let mut paths = vec![if absolute { "/".to_string() } else { String::new() }];
    let mut any_magic = false;
    for (i, comp) in comps.iter().enumerate() {
        if comp.is_empty() {
            if i > 0 && i + 1 == comps.len() {
                paths = paths.into_iter().map(|p| format!("{p}/")).collect();
            }
            continue;
        }
        let pat = Pattern::new(comp);
        if !pat.has_magic() {
            let lit = pat.literal();
            paths = paths.into_iter().map(|p| join(&p, &lit)).collect();
            continue;
        }
        any_magic = true;
        let dot_ok = comp.first().map(|c| c.0) == Some('.');
        let mut next = Vec::new();
        for p in &paths {
            let dir = if p.is_empty() { "." } else { p.as_str() };
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .filter(|n| dot_ok || !n.starts_with('.'))
                .filter(|n| pat.matches(n))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|n| join(p, &n)));
        }
        paths = next;
        if paths.is_empty() {
            return None;
        }
    }
    if !any_magic {
        return None;
    }
    paths.retain(|p| std::fs::symlink_metadata(p).is_ok());
    if paths.is_empty() {
        None
    } else {
        paths.sort();
        Some(paths)
    }
}
