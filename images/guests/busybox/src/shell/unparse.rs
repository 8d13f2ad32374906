//! The syntax tree back to shell source. Re-parsing the output gives the same tree.
//!
//! Without `fork`, a subshell that must run concurrently (a pipeline element that is a builtin
//! or a compound command, a background job) is a new `sh` process: it receives the command as
//! source text made here, and the parent's functions the same way (see `state.rs`). `type` also
//! uses it to show a function.

use std::rc::Rc;

use super::ast::*;

/// Words that are reserved at the start of a command.
const RESERVED: [&str; 16] =
    ["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}", "!"];

#[derive(Default)]
struct Out {
    s: String,
    pending: Vec<Rc<HereDoc>>,
}

impl Out {
    /// Ends the current line, writing any here-document bodies that follow it.
    fn newline(&mut self) {
        self.s.push('\n');
        for doc in std::mem::take(&mut self.pending) {
            let (body, delim) = heredoc_text(&doc);
            self.s.push_str(&body);
            self.s.push_str(&delim);
            self.s.push('\n');
        }
    }
}

/// A here-document's body as source (ending with a newline), and a delimiter that no line of
/// it equals: the original one unless a nested here-document printed inside a command
/// substitution of the body happens to use it.
fn heredoc_text(doc: &HereDoc) -> (String, String) {
    let parts = doc.body.borrow();
    let mut body = String::new();
    if doc.quoted {
        for p in parts.iter() {
            if let Part::Quoted(t) = p {
                body.push_str(t);
            }
        }
    } else {
        heredoc_parts(&parts, &mut body);
    }
    // A body cut short by the end of the input may lack its last newline; the delimiter must
    // start a line of its own.
    if !body.is_empty() && !body.ends_with('\n') {
        body.push('\n');
    }
    let mut delim = doc.delim.clone();
    while body.lines().any(|l| l == delim) {
        delim.push('_');
    }
    (body, delim)
}

/// A whole list, one command per line.
pub fn list(l: &List) -> String {
    let mut o = Out::default();
    list_into(l, &mut o);
    o.s
}

/// One command (used for function bodies and pipeline elements).
pub fn command(c: &Command) -> String {
    let mut o = Out::default();
    cmd(c, &mut o);
    if !o.pending.is_empty() {
        o.newline();
    }
    o.s
}

/// One word.
pub fn word(w: &[Part]) -> String {
    let mut s = String::new();
    word_into(w, &mut s);
    s
}

fn list_into(l: &List, o: &mut Out) {
    for item in l {
        and_or(&item.and_or, o);
        if item.background {
            o.s.push_str(" &");
        }
        o.newline();
    }
}

fn and_or(a: &AndOr, o: &mut Out) {
    pipeline(&a.first, o);
    for (is_and, p) in &a.rest {
        o.s.push_str(if *is_and { " && " } else { " || " });
        pipeline(p, o);
    }
}

fn pipeline(p: &Pipeline, o: &mut Out) {
    if p.negate {
        o.s.push_str("! ");
    }
    for (i, c) in p.cmds.iter().enumerate() {
        if i > 0 {
            o.s.push_str(" | ");
        }
        cmd(c, o);
    }
}

fn cmd(c: &Command, o: &mut Out) {
    match c {
        Command::Simple(s) => {
            let mut first = true;
            let mut sep = |o: &mut Out| {
                if !first {
                    o.s.push(' ');
                }
                first = false;
            };
            for (name, value) in &s.assigns {
                sep(o);
                o.s.push_str(name);
                o.s.push('=');
                word_into(value, &mut o.s);
            }
            for (i, w) in s.words.iter().enumerate() {
                sep(o);
                // A command word that reads as a reserved word (`<f do`: redirections are
                // printed last) is escaped, which keeps it a plain word.
                if i == 0 && s.assigns.is_empty() {
                    if let [Part::Lit(t)] = w.as_slice() {
                        if RESERVED.contains(&t.as_str()) {
                            o.s.push('\\');
                        }
                    }
                }
                word_into(w, &mut o.s);
            }
            for r in &s.redirs {
                sep(o);
                redir(r, o);
            }
        }
        Command::Compound(c, redirs) => {
            compound(c, o);
            for r in redirs {
                o.s.push(' ');
                redir(r, o);
            }
        }
        Command::FuncDef(name, body) => {
            o.s.push_str(name);
            o.s.push_str("() ");
            cmd(body, o);
        }
    }
}

fn compound(c: &Compound, o: &mut Out) {
    match c {
        Compound::Brace(l) => {
            o.s.push('{');
            o.newline();
            list_into(l, o);
            o.s.push('}');
        }
        Compound::Subshell(l) => {
            o.s.push('(');
            o.newline();
            list_into(l, o);
            o.s.push(')');
        }
        Compound::If { arms, otherwise } => {
            for (i, (cond, body)) in arms.iter().enumerate() {
                o.s.push_str(if i == 0 { "if " } else { "elif " });
                list_into(cond, o);
                o.s.push_str("then");
                o.newline();
                list_into(body, o);
            }
            if let Some(e) = otherwise {
                o.s.push_str("else");
                o.newline();
                list_into(e, o);
            }
            o.s.push_str("fi");
        }
        Compound::Loop { until, cond, body } => {
            o.s.push_str(if *until { "until " } else { "while " });
            list_into(cond, o);
            o.s.push_str("do");
            o.newline();
            list_into(body, o);
            o.s.push_str("done");
        }
        Compound::For { var, words, body } => {
            o.s.push_str("for ");
            o.s.push_str(var);
            if let Some(ws) = words {
                o.s.push_str(" in");
                for w in ws {
                    o.s.push(' ');
                    word_into(w, &mut o.s);
                }
            }
            o.newline();
            o.s.push_str("do");
            o.newline();
            list_into(body, o);
            o.s.push_str("done");
        }
        Compound::Case { word, arms } => {
            o.s.push_str("case ");
            word_into(word, &mut o.s);
            o.s.push_str(" in");
            o.newline();
            for arm in arms {
                o.s.push('(');
                for (i, p) in arm.patterns.iter().enumerate() {
                    if i > 0 {
                        o.s.push('|');
                    }
                    word_into(p, &mut o.s);
                }
                o.s.push(')');
                o.newline();
                list_into(&arm.body, o);
                o.s.push_str(";;");
                o.newline();
            }
            o.s.push_str("esac");
        }
    }
}

fn redir(r: &Redir, o: &mut Out) {
    if let Some(fd) = r.fd {
        o.s.push_str(&fd.to_string());
    }
    let (op, w) = match &r.kind {
        RedirKind::In(w) => ("<", w),
        RedirKind::Out(w) => (">", w),
        RedirKind::Clobber(w) => (">|", w),
        RedirKind::Append(w) => (">>", w),
        RedirKind::ReadWrite(w) => ("<>", w),
        RedirKind::DupIn(w) => ("<&", w),
        RedirKind::DupOut(w) => (">&", w),
        RedirKind::HereDoc(doc) => {
            o.s.push_str("<<");
            let (_, delim) = heredoc_text(doc);
            if doc.quoted {
                single_quote(&delim, &mut o.s);
            } else {
                o.s.push_str(&delim);
            }
            o.pending.push(doc.clone());
            return;
        }
    };
    o.s.push_str(op);
    word_into(w, &mut o.s);
}

/// Quoted text: in single quotes, with each `'` as `\'` between quoted runs, and a lone
/// character (other than a newline) as `\c`, the way the parser reads it back, so printing a
/// re-parsed tree gives the same text again.
fn single_quote(t: &str, s: &mut String) {
    if t.is_empty() {
        s.push_str("''");
        return;
    }
    for (i, run) in t.split('\'').enumerate() {
        if i > 0 {
            s.push_str("\\'");
        }
        let mut chars = run.chars();
        match (chars.next(), chars.next()) {
            (None, _) => {}
            (Some(c), None) if c != '\n' => {
                s.push('\\');
                s.push(c);
            }
            _ => {
                s.push('\'');
                s.push_str(run);
                s.push('\'');
            }
        }
    }
}

fn word_into(w: &[Part], s: &mut String) {
    for p in w {
        match p {
            Part::Lit(t) => {
                for c in t.chars() {
                    if matches!(c, '$' | '`' | '\'' | '"' | '\\' | '}') || (c == '~' && s.is_empty()) {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
            Part::Quoted(t) => single_quote(t, s),
            Part::Double(inner) => {
                s.push('"');
                dq_parts(inner, s);
                s.push('"');
            }
            Part::Tilde(u) => {
                s.push('~');
                s.push_str(u);
            }
            other => expansion(other, s),
        }
    }
}

fn dq_parts(parts: &[Part], s: &mut String) {
    for p in parts {
        match p {
            Part::Lit(t) | Part::Quoted(t) => {
                for c in t.chars() {
                    if matches!(c, '$' | '`' | '"' | '\\') {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
            Part::Double(inner) => dq_parts(inner, s),
            Part::Tilde(u) => {
                s.push('~');
                s.push_str(u);
            }
            other => expansion(other, s),
        }
    }
}

fn heredoc_parts(parts: &[Part], s: &mut String) {
    for p in parts {
        match p {
            Part::Lit(t) => s.push_str(t),
            Part::Quoted(t) => {
                for c in t.chars() {
                    if matches!(c, '$' | '`' | '\\') {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
            Part::Double(inner) => heredoc_parts(inner, s),
            Part::Tilde(u) => {
                s.push('~');
                s.push_str(u);
            }
            other => expansion(other, s),
        }
    }
}

fn expansion(p: &Part, s: &mut String) {
    match p {
        Part::Param(param) => {
            s.push_str("${");
            if param.op == ParamOp::Length {
                s.push('#');
            }
            s.push_str(&param.name);
            let op = match param.op {
                ParamOp::Plain | ParamOp::Length => "",
                ParamOp::Default => "-",
                ParamOp::Assign => "=",
                ParamOp::Error => "?",
                ParamOp::Alt => "+",
                ParamOp::TrimPrefix(false) => "#",
                ParamOp::TrimPrefix(true) => "##",
                ParamOp::TrimSuffix(false) => "%",
                ParamOp::TrimSuffix(true) => "%%",
                ParamOp::Substring => ":",
                ParamOp::Replace(false) => "/",
                ParamOp::Replace(true) => "//",
            };
            if param.colon {
                s.push(':');
            }
            s.push_str(op);
            if !matches!(param.op, ParamOp::Plain | ParamOp::Length) {
                word_into(&param.word, s);
                if let Some(w2) = &param.word2 {
                    s.push(if param.op == ParamOp::Substring { ':' } else { '/' });
                    word_into(w2, s);
                }
            }
            s.push('}');
        }
        Part::Command(l) => {
            s.push_str("$(");
            s.push_str(&list(l));
            s.push(')');
        }
        Part::Arith(parts) => {
            s.push_str("$((");
            heredoc_parts(parts, s);
            s.push_str("))");
        }
        _ => {}
    }
}
