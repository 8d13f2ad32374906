//! The grammar: tokens from `lexer.rs` into the tree of `ast.rs`, following the POSIX shell
//! grammar (lists, and-or, pipelines, compound commands, functions, redirections).
//!
//! Errors read like BusyBox ash: `syntax error: unexpected "fi"`,
//! `syntax error: unexpected end of file (expecting "done")`. Parsing never panics: any input
//! either yields a tree or an error (see the fuzz test below).

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::*;
use super::lexer::{PResult, ParseError, Parser, Tok};

const RESERVED_END: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

impl Parser {
    /// Parses the whole input.
    pub fn parse_all(&mut self) -> PResult<List> {
        let mut all = Vec::new();
        while let Some(mut l) = self.parse_next()? {
            all.append(&mut l);
        }
        Ok(all)
    }

    /// Parses the next complete command (one line, or more for compound commands).
    /// Returns None at the end of the input.
    pub fn parse_next(&mut self) -> PResult<Option<List>> {
        loop {
            match self.peek()? {
                Tok::Newline => {
                    self.next()?;
                }
                Tok::Eof => return Ok(None),
                _ => break,
            }
        }
        let mut list = Vec::new();
        loop {
            let and_or = self.and_or()?;
            let background = match self.peek()? {
                Tok::Op("&") => {
                    self.next()?;
                    true
                }
                Tok::Op(";") => {
                    self.next()?;
                    false
                }
                _ => false,
            };
            list.push(Item { and_or, background });
            let (newline, eof) = match self.peek()? {
                Tok::Newline => (true, false),
                Tok::Eof => (false, true),
                _ => (false, false),
            };
            if newline {
                self.next()?;
                return Ok(Some(list));
            }
            if eof {
                return Ok(Some(list));
            }
            if self.at_list_end()? {
                let t = self.next()?;
                return Err(unexpected(&t));
            }
        }
    }

    /// True when the next token ends a list: a closing keyword, `)`, `;;`, or end of input.
    fn at_list_end(&mut self) -> PResult<bool> {
        Ok(match self.peek()? {
            Tok::Op(")") | Tok::Op(";;") | Tok::Eof => true,
            Tok::Word(w) => literal(w).is_some_and(|l| RESERVED_END.contains(&l.as_str())),
            _ => false,
        })
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    /// A list inside a compound command, up to (not including) one of `ends` or `)`/`;;`.
    pub(super) fn compound_list(&mut self, ends: &[&str]) -> PResult<List> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.at_list_end()? {
                let _ = ends;
                return Ok(list);
            }
            let and_or = self.and_or()?;
            let mut background = false;
            match self.peek()? {
                Tok::Op("&") => {
                    self.next()?;
                    background = true;
                }
                Tok::Op(";") | Tok::Newline => {
                    self.next()?;
                }
                _ => {}
            }
            list.push(Item { and_or, background });
        }
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let is_and = match self.peek()? {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => return Ok(AndOr { first, rest }),
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((is_and, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let mut negate = false;
        while let Tok::Word(w) = self.peek()? {
            if literal(w).as_deref() == Some("!") {
                self.next()?;
                negate = !negate;
            } else {
                break;
            }
        }
        let mut cmds = vec![self.command()?];
        while matches!(self.peek()?, Tok::Op("|")) {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        Ok(Pipeline { negate, cmds })
    }

    fn expect_word(&mut self, kw: &str) -> PResult<()> {
        let t = self.next()?;
        match &t {
            Tok::Word(w) if literal(w).as_deref() == Some(kw) => Ok(()),
            Tok::Eof => Err(self.eof_expecting(kw)),
            _ => Err(unexpected(&t)),
        }
    }

    fn eof_expecting(&self, what: &str) -> ParseError {
        let msg = format!("syntax error: unexpected end of file (expecting \"{what}\")");
        if self.final_input {
            ParseError::new(msg)
        } else {
            ParseError { msg, incomplete: true }
        }
    }

    /// A compound list that must not be empty, ended by the keyword `end`.
    fn body(&mut self, end: &str) -> PResult<List> {
        let list = self.compound_list(&[end])?;
        if list.is_empty() {
            let t = self.next()?;
            return Err(match t {
                Tok::Eof => self.eof_expecting(end),
                t => unexpected(&t),
            });
        }
        Ok(list)
    }

    fn command(&mut self) -> PResult<Command> {
        if self.depth > 200 {
            return Err(ParseError::new("syntax error: nesting too deep"));
        }
        let tok = self.peek()?.clone();
        let kw = match &tok {
            Tok::Word(w) => literal(w),
            Tok::Op("(") => Some("(".to_string()),
            Tok::Op(o) if !o.starts_with('<') && !o.starts_with('>') => {
                self.next()?;
                return Err(unexpected(&tok));
            }
            Tok::Newline | Tok::Eof => {
                self.next()?;
                return Err(match tok {
                    Tok::Eof if !self.final_input => {
                        ParseError { msg: "syntax error: unexpected end of file".into(), incomplete: true }
                    }
                    _ => unexpected(&tok),
                });
            }
            _ => None,
        };
        let compound = match kw.as_deref() {
            Some("if" | "while" | "until" | "for" | "case" | "{" | "(") => {
                self.next()?;
                self.depth += 1;
                let c = self.compound(kw.as_deref().unwrap_or(""));
                self.depth -= 1;
                Some(c?)
            }
            Some(k) if RESERVED_END.contains(&k) || k == "in" => {
                self.next()?;
                return Err(unexpected(&tok));
            }
            Some("function") => {
                self.next()?;
                let name = match self.next()? {
                    Tok::Word(w) => literal(&w).filter(|n| !n.is_empty()),
                    t => return Err(unexpected(&t)),
                };
                let Some(name) = name else {
                    return Err(ParseError::new("syntax error: bad function name"));
                };
                if matches!(self.peek()?, Tok::Op("(")) {
                    self.next()?;
                    match self.next()? {
                        Tok::Op(")") => {}
                        t => return Err(unexpected(&t)),
                    }
                }
                return self.function_body(name);
            }
            _ => None,
        };
        if let Some(c) = compound {
            let redirs = self.redirects()?;
            return Ok(Command::Compound(c, redirs));
        }
        self.simple()
    }

    fn function_body(&mut self, name: String) -> PResult<Command> {
        self.skip_newlines()?;
        let body = self.command()?;
        if !matches!(body, Command::Compound(..)) {
            return Err(ParseError::new("syntax error: bad function body"));
        }
        Ok(Command::FuncDef(name, Rc::new(body)))
    }

    fn compound(&mut self, kw: &str) -> PResult<Compound> {
        Ok(match kw {
            "{" => {
                let l = self.body("}")?;
                self.expect_word("}")?;
                Compound::Brace(l)
            }
            "(" => {
                let l = self.compound_list(&[])?;
                match self.next()? {
                    Tok::Op(")") if !l.is_empty() => {}
                    Tok::Eof => return Err(self.eof_expecting(")")),
                    t => return Err(unexpected(&t)),
                }
                Compound::Subshell(l)
            }
            "if" => {
                let mut arms = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.body("then")?;
                    self.expect_word("then")?;
                    let then = self.body("fi")?;
                    arms.push((cond, then));
                    let t = self.next()?;
                    match &t {
                        Tok::Word(w) => match literal(w).as_deref() {
                            Some("elif") => continue,
                            Some("else") => {
                                otherwise = Some(self.body("fi")?);
                                self.expect_word("fi")?;
                                break;
                            }
                            Some("fi") => break,
                            _ => return Err(unexpected(&t)),
                        },
                        Tok::Eof => return Err(self.eof_expecting("fi")),
                        _ => return Err(unexpected(&t)),
                    }
                }
                Compound::If { arms, otherwise }
            }
            "while" | "until" => {
                let cond = self.body("do")?;
                self.expect_word("do")?;
                let body = self.body("done")?;
                self.expect_word("done")?;
                Compound::Loop { until: kw == "until", cond, body }
            }
            "for" => {
                let var = match self.next()? {
                    Tok::Word(w) => match literal(&w) {
                        Some(n) if is_name(&n) => n,
                        _ => return Err(ParseError::new("syntax error: bad for loop variable")),
                    },
                    Tok::Eof => return Err(self.eof_expecting("do")),
                    t => return Err(unexpected(&t)),
                };
                self.skip_newlines()?;
                let mut words = None;
                if let Tok::Word(w) = self.peek()? {
                    if literal(w).as_deref() == Some("in") {
                        self.next()?;
                        let mut list = Vec::new();
                        loop {
                            match self.next()? {
                                Tok::Word(w) => list.push(w),
                                Tok::Op(";") | Tok::Newline => break,
                                Tok::Eof => return Err(self.eof_expecting("do")),
                                t => return Err(unexpected(&t)),
                            }
                        }
                        words = Some(list);
                    }
                }
                if matches!(self.peek()?, Tok::Op(";")) {
                    self.next()?;
                }
                self.skip_newlines()?;
                self.expect_word("do")?;
                let body = self.body("done")?;
                self.expect_word("done")?;
                Compound::For { var, words, body }
            }
            _ => self.case()?,
        })
    }

    fn case(&mut self) -> PResult<Compound> {
        let word = match self.next()? {
            Tok::Word(w) => w,
            Tok::Eof => return Err(self.eof_expecting("in")),
            t => return Err(unexpected(&t)),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            let t = self.next()?;
            let mut patterns = Vec::new();
            let first = match t {
                Tok::Word(w) if literal(&w).as_deref() == Some("esac") => break,
                Tok::Op("(") => match self.next()? {
                    Tok::Word(w) => w,
                    t => return Err(unexpected(&t)),
                },
                Tok::Word(w) => w,
                Tok::Eof => return Err(self.eof_expecting("esac")),
                t => return Err(unexpected(&t)),
            };
            patterns.push(first);
            loop {
                match self.next()? {
                    Tok::Op("|") => match self.next()? {
                        Tok::Word(w) => patterns.push(w),
                        t => return Err(unexpected(&t)),
                    },
                    Tok::Op(")") => break,
                    Tok::Eof => return Err(self.eof_expecting(")")),
                    t => return Err(unexpected(&t)),
                }
            }
            let body = self.compound_list(&["esac"])?;
            arms.push(CaseArm { patterns, body });
            match self.next()? {
                Tok::Op(";;") => {}
                Tok::Word(w) if literal(&w).as_deref() == Some("esac") => break,
                Tok::Eof => return Err(self.eof_expecting("esac")),
                t => return Err(unexpected(&t)),
            }
        }
        Ok(Compound::Case { word, arms })
    }

    fn redirects(&mut self) -> PResult<Vec<Redir>> {
        let mut v = Vec::new();
        while let Some(r) = self.redirect()? {
            v.push(r);
        }
        Ok(v)
    }

    /// A redirection at the current token, if there is one.
    fn redirect(&mut self) -> PResult<Option<Redir>> {
        let fd = match self.peek()? {
            Tok::IoNumber(n) => {
                let n = *n;
                self.next()?;
                Some(n)
            }
            Tok::Op(o) if o.starts_with('<') || o.starts_with('>') => None,
            _ => return Ok(None),
        };
        let op = match self.next()? {
            Tok::Op(o) if o.starts_with('<') || o.starts_with('>') => o,
            t => return Err(unexpected(&t)),
        };
        // `<<-` is `<<` followed by `-` glued to the delimiter.
        let strip = op == "<<" && self.src.get(self.pos) == Some(&'-');
        if strip {
            self.pos += 1;
        }
        let target = match self.next()? {
            Tok::Word(w) => w,
            Tok::Eof if !self.final_input => {
                return Err(ParseError { msg: "syntax error: unexpected end of file".into(), incomplete: true })
            }
            t => return Err(unexpected(&t)),
        };
        let kind = match op {
            "<" => RedirKind::In(target),
            ">" => RedirKind::Out(target),
            ">|" => RedirKind::Clobber(target),
            ">>" => RedirKind::Append(target),
            "<>" => RedirKind::ReadWrite(target),
            "<&" => RedirKind::DupIn(target),
            ">&" => RedirKind::DupOut(target),
            _ => {
                let (delim, quoted) = delimiter(&target);
                if delim.contains('\n') || (!quoted && delim.contains('\\')) {
                    // No line can ever match it (bash would read to the end of the input).
                    return Err(ParseError::new("syntax error: bad here-document delimiter"));
                }
                let doc = Rc::new(HereDoc { delim, strip_tabs: strip, quoted, body: RefCell::new(Vec::new()) });
                self.pending.push(doc.clone());
                RedirKind::HereDoc(doc)
            }
        };
        Ok(Some(Redir { fd, kind }))
    }

    fn simple(&mut self) -> PResult<Command> {
        let line = self.line;
        let mut cmd = Simple { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            if let Some(r) = self.redirect()? {
                cmd.redirs.push(r);
                continue;
            }
            let Tok::Word(_) = self.peek()? else {
                break;
            };
            let Tok::Word(w) = self.next()? else {
                break;
            };
            if cmd.words.is_empty() {
                if let Some((name, value)) = assignment(&w) {
                    cmd.assigns.push((name, value));
                    continue;
                }
                if let Some(lit) = literal(&w) {
                    if self.expand_alias(&lit) {
                        continue;
                    }
                    if cmd.assigns.is_empty() && cmd.redirs.is_empty() && is_func_name(&lit) {
                        if let Tok::Op("(") = self.peek()? {
                            self.next()?;
                            match self.next()? {
                                Tok::Op(")") => return self.function_body(lit),
                                t => return Err(unexpected(&t)),
                            }
                        }
                    }
                }
            }
            cmd.words.push(w);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            let t = self.next()?;
            return Err(unexpected(&t));
        }
        Ok(Command::Simple(cmd))
    }
}

fn is_func_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "_-.:".contains(c))
}

pub(super) fn unexpected(t: &Tok) -> ParseError {
    let incomplete = matches!(t, Tok::Eof);
    ParseError { msg: format!("syntax error: unexpected {}", t.describe()), incomplete }
}

/// `NAME=value` at the start of a simple command: (name, value word).
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut value = Vec::new();
    let rest = &first[eq + 1..];
    if let Some(user) = rest.strip_prefix('~').filter(|r| r.is_empty() || r.starts_with('/')) {
        value.push(Part::Tilde(String::new()));
        if !user.is_empty() {
            value.push(Part::Lit(user.to_string()));
        }
    } else if !rest.is_empty() {
        value.push(Part::Lit(rest.to_string()));
    }
    value.extend(w[1..].iter().cloned());
    Some((name.to_string(), value))
}

/// The here-doc delimiter text and whether any of it was quoted.
fn delimiter(w: &Word) -> (String, bool) {
    let mut s = String::new();
    let mut quoted = false;
    fn walk(parts: &[Part], s: &mut String, quoted: &mut bool) {
        for p in parts {
            match p {
                Part::Lit(t) => s.push_str(t),
                Part::Quoted(t) => {
                    *quoted = true;
                    s.push_str(t);
                }
                Part::Double(inner) => {
                    *quoted = true;
                    walk(inner, s, quoted);
                }
                Part::Tilde(u) => {
                    s.push('~');
                    s.push_str(u);
                }
                other => s.push_str(&super::unparse::word(std::slice::from_ref(other))),
            }
        }
    }
    walk(w, &mut s, &mut quoted);
    (s, quoted)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn parse(s: &str) -> PResult<List> {
        Parser::new(s, Rc::new(BTreeMap::new())).parse_all()
    }

    #[test]
    fn parses_common_constructs() {
        for ok in [
            "echo hi | grep h && echo yes || echo no; echo done &",
            "if true; then echo a; elif false; then echo b; else echo c; fi",
            "for i in 1 2 3; do echo $i; done",
            "while read x; do echo \"$x\"; done < file",
            "case $x in a|b) echo ab;; *) echo other;; esac",
            "f() { echo \"$@\"; }; f 1 2",
            "x=$(echo $(echo nested)) y=`echo old` z=$((1 + 2 * 3))",
            "cat <<EOF\nhello $USER\nEOF\n",
            "cat <<-'EOF'\n\tliteral $x\n\tEOF\n",
            "echo ${x:-default} ${#x} ${x#*/} ${x%%.*} ${x/a/b}",
            "(cd /tmp && ls) 2>/dev/null >&2",
            "! false",
            "x=$(case a in a) echo yes;; esac)",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
    }

    #[test]
    fn errors_like_ash() {
        assert_eq!(parse("fi").unwrap_err().msg, "syntax error: unexpected \"fi\"");
        assert_eq!(parse("echo )").unwrap_err().msg, "syntax error: unexpected \")\"");
        assert_eq!(
            parse("if true; then echo").unwrap_err().msg,
            "syntax error: unexpected end of file (expecting \"fi\")"
        );
        assert_eq!(parse("echo 'abc").unwrap_err().msg, "syntax error: unterminated quoted string");
        assert_eq!(parse("do").unwrap_err().msg, "syntax error: unexpected \"do\"");
    }

    #[test]
    fn heredoc_body_is_read() {
        let l = parse("cat <<EOF\nline1\nEOF\necho after").unwrap();
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn garbage_never_panics() {
        // A deterministic pseudo-random generator over shell-significant characters.
        let alphabet: Vec<char> = "ab1 \t\n;&|<>()'\"\\$`{}[]*?#=~!-+%/:,.ifthenfidoesacwhile".chars().collect();
        let words = [
            "if", "then", "fi", "case", "esac", "in", "do", "done", "for", "while", "$((", "$(", "${", "<<EOF\n",
            "EOF\n", "((", "))", "`", "function", "{", "}",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..4000 {
            let len = (rnd() % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                if rnd() % 4 == 0 {
                    s.push_str(words[(rnd() % words.len() as u64) as usize]);
                } else {
                    s.push(alphabet[(rnd() % alphabet.len() as u64) as usize]);
                }
            }
            let _ = parse(&s);
            let mut p = Parser::new(&s, Rc::new(BTreeMap::new()));
            p.final_input = false;
            let _ = p.parse_all();
        }
    }
}
