//! sed scripts to commands: addresses (line numbers, `$`, `/re/`, `\cREc`, `first~step`, ranges
//! `a,b` and `a,+N`), the commands and their arguments, and `s///` replacements (`&`, `\1`..`\9`).

use regex::Regex;

use crate::util;

#[derive(Clone)]
pub(super) enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>),
    Step(usize, usize),
}

pub(super) enum Addr2 {
    Addr(Addr),
    Plus(usize),
}

pub(super) enum Rep {
    Lit(String),
    Group(usize),
}

pub(super) enum Kind {
    Block(usize),
    EndBlock,
    Subst { re: Option<Regex>, rep: Vec<Rep>, global: bool, nth: usize, print: bool, write: Option<String> },
    Simple(char),
    Text(char, String),
    Translate(Vec<(char, char)>),
    Branch(char, String),
    Label,
    File(char, String),
    Quit(char, i32),
}

pub(super) struct Cmd {
    pub(super) a1: Option<Addr>,
    pub(super) a2: Option<Addr2>,
    pub(super) negate: bool,
    pub(super) kind: Kind,
    pub(super) active: bool,
    pub(super) end_line: usize,
}

struct Parser<'a> {
    s: Vec<char>,
    i: usize,
    extended: bool,
    _p: std::marker::PhantomData<&'a ()>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }
    /// Text up to an unescaped `delim` (the delimiter is consumed).
    fn delimited(&mut self, delim: char, regex: bool) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(format!("unterminated {}", if regex { "address regex" } else { "`s' command" }));
            };
            self.i += 1;
            if c == delim {
                return Ok(out);
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == delim => {
                        out.push(n);
                        self.i += 1;
                    }
                    Some('n') if regex => {
                        out.push_str("\\n");
                        self.i += 1;
                    }
                    Some(n) => {
                        out.push('\\');
                        out.push(n);
                        self.i += 1;
                    }
                    None => out.push('\\'),
                }
            } else if c == '\n' && regex {
                return Err("unterminated address regex".into());
            } else {
                out.push(c);
            }
        }
    }
    fn regex(&self, pat: &str, icase: bool) -> Result<Option<Regex>, String> {
        if pat.is_empty() {
            return Ok(None);
        }
        util::regex::compile(pat, self.extended, icase).map(Some)
    }
    fn number(&mut self) -> Option<usize> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.s[start..self.i].iter().collect::<String>().parse().ok()
    }
    fn addr(&mut self) -> Result<Option<Addr>, String> {
        match self.peek() {
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some(c) if c.is_ascii_digit() => {
                let n = self.number().unwrap_or(0);
                if self.peek() == Some('~') {
                    self.i += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(Addr::Line(n)))
            }
            Some('/') | Some('\\') => {
                let delim = if self.peek() == Some('\\') {
                    self.i += 1;
                    self.peek().ok_or("unexpected end")?
                } else {
                    '/'
                };
                self.i += 1;
                let pat = self.delimited(delim, true)?;
                let icase = self.peek() == Some('I');
                if icase {
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.regex(&pat, icase)?)))
            }
            _ => Ok(None),
        }
    }
    /// The rest of the line (for a/i/c and file names), GNU one-line form or `a\` form.
    fn text_arg(&mut self) -> String {
        self.skip_ws();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            }
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == '\\' {
                match self.peek() {
                    Some('\n') => {
                        out.push('\n');
                        self.i += 1;
                    }
                    Some(n) => {
                        out.push(n);
                        self.i += 1;
                    }
                    None => {}
                }
                continue;
            }
            if c == '\n' {
                break;
            }
            out.push(c);
        }
        out
    }
    fn label(&mut self) -> String {
        self.skip_ws();
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' || c == ';' || c == '}' {
                break;
            }
            out.push(c);
            self.i += 1;
        }
        out.trim().to_string()
    }
}

fn replacement(s: &str) -> Vec<Rep> {
    let mut v = Vec::new();
    let mut lit = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '&' => {
                v.push(Rep::Lit(std::mem::take(&mut lit)));
                v.push(Rep::Group(0));
            }
            '\\' => match it.next() {
                Some(d @ '0'..='9') => {
                    v.push(Rep::Lit(std::mem::take(&mut lit)));
                    v.push(Rep::Group(d as usize - '0' as usize));
                }
                Some('n') => lit.push('\n'),
                Some('t') => lit.push('\t'),
                Some(o) => lit.push(o),
                None => lit.push('\\'),
            },
            _ => lit.push(c),
        }
    }
    v.push(Rep::Lit(lit));
    v
}

pub(super) fn parse(script: &str, extended: bool) -> Result<Vec<Cmd>, String> {
    let mut p = Parser { s: script.chars().collect(), i: 0, extended, _p: std::marker::PhantomData };
    let mut cmds: Vec<Cmd> = Vec::new();
    let mut blocks = Vec::new();
    loop {
        while matches!(p.peek(), Some(' ' | '\t' | '\n' | ';')) {
            p.i += 1;
        }
        let Some(_) = p.peek() else { break };
        if p.peek() == Some('#') {
            while p.peek().is_some_and(|c| c != '\n') {
                p.i += 1;
            }
            continue;
        }
        let a1 = p.addr()?;
        let mut a2 = None;
        if a1.is_some() && p.peek() == Some(',') {
            p.i += 1;
            if p.peek() == Some('+') {
                p.i += 1;
                a2 = Some(Addr2::Plus(p.number().unwrap_or(0)));
            } else {
                a2 = Some(Addr2::Addr(p.addr()?.ok_or("unexpected ','")?));
            }
        }
        p.skip_ws();
        let mut negate = false;
        while p.peek() == Some('!') {
            negate = true;
            p.i += 1;
            p.skip_ws();
        }
        let Some(c) = p.peek() else {
            return Err("missing command".into());
        };
        p.i += 1;
        let kind = match c {
            '{' => {
                blocks.push(cmds.len());
                Kind::Block(0)
            }
            '}' => {
                let open = blocks.pop().ok_or("unexpected '}'")?;
                let end = cmds.len();
                if let Kind::Block(e) = &mut cmds[open].kind {
                    *e = end;
                }
                Kind::EndBlock
            }
            's' => {
                let delim = p.peek().ok_or("unterminated `s' command")?;
                p.i += 1;
                let pat = p.delimited(delim, true)?;
                let rep = p.delimited(delim, false)?;
                let (mut global, mut nth, mut print, mut icase, mut write) = (false, 1, false, false, None);
                while let Some(f) = p.peek() {
                    match f {
                        'g' => global = true,
                        'p' => print = true,
                        'i' | 'I' => icase = true,
                        'w' => {
                            p.i += 1;
                            write = Some(p.text_arg());
                            break;
                        }
                        d if d.is_ascii_digit() => {
                            nth = p.number().unwrap_or(1).max(1);
                            continue;
                        }
                        _ => break,
                    }
                    p.i += 1;
                }
                Kind::Subst { re: p.regex(&pat, icase)?, rep: replacement(&rep), global, nth, print, write }
            }
            'y' => {
                let delim = p.peek().ok_or("unterminated `y' command")?;
                p.i += 1;
                let a: Vec<char> = p.delimited(delim, false)?.chars().collect();
                let b: Vec<char> = p.delimited(delim, false)?.chars().collect();
                if a.len() != b.len() {
                    return Err("strings for `y' command are different lengths".into());
                }
                Kind::Translate(a.into_iter().zip(b).collect())
            }
            'a' | 'i' | 'c' => Kind::Text(c, p.text_arg()),
            'b' | 't' | 'T' => Kind::Branch(c, p.label()),
            ':' => {
                let l = p.label();
                Kind::Branch(':', l)
            }
            'r' | 'w' => Kind::File(c, p.text_arg()),
            'q' | 'Q' => {
                p.skip_ws();
                Kind::Quit(c, p.number().unwrap_or(0) as i32)
            }
            'd' | 'D' | 'p' | 'P' | 'n' | 'N' | '=' | 'h' | 'H' | 'g' | 'G' | 'x' | 'l' | 'z' => Kind::Simple(c),
            other => return Err(format!("unsupported command {other}")),
        };
        let kind = match kind {
            Kind::Branch(':', l) => {
                cmds.push(Cmd {
                    a1: None,
                    a2: None,
                    negate: false,
                    kind: Kind::Branch(':', l),
                    active: false,
                    end_line: 0,
                });
                continue;
            }
            k => k,
        };
        cmds.push(Cmd { a1, a2, negate, kind, active: false, end_line: 0 });
    }
    if !blocks.is_empty() {
        return Err("unmatched '{'".into());
    }
    let _ = Kind::Label;
    Ok(cmds)
}
