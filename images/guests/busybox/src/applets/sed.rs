//! `sed [-nEr] [-i[SUF]] [-e SCRIPT]... [-f FILE] [SCRIPT] [FILE]...`: the stream editor.
//! Commands: `s///[gpNi w]`, `d D p P n N q Q a i c y = h H g G x b t T : { } ! l r w z`;
//! addresses: line numbers, `$`, `/re/`, `\cREc`, `first~step`, ranges `a,b` and `a,+N`.

use std::io::Write;

use regex::Regex;

use crate::util::{self, err, errstr};

#[derive(Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>),
    Step(usize, usize),
}

enum Addr2 {
    Addr(Addr),
    Plus(usize),
}

enum Rep {
    Lit(String),
    Group(usize),
}

enum Kind {
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

struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr2>,
    negate: bool,
    kind: Kind,
    active: bool,
    end_line: usize,
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

fn parse(script: &str, extended: bool) -> Result<Vec<Cmd>, String> {
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

struct Sed {
    cmds: Vec<Cmd>,
    quiet: bool,
    last_re: Option<Regex>,
    hold: String,
    line: usize,
    quit: Option<i32>,
}

impl Sed {
    fn matches(&mut self, a: &Addr, ps: &str, last: bool) -> bool {
        match a {
            Addr::Line(n) => self.line == *n,
            Addr::Last => last,
            Addr::Step(f, s) => {
                if *s == 0 {
                    self.line == *f
                } else {
                    self.line >= *f && (self.line - f).is_multiple_of(*s)
                }
            }
            Addr::Re(re) => {
                if let Some(r) = re {
                    self.last_re = Some(r.clone());
                }
                self.last_re.as_ref().is_some_and(|r| r.is_match(ps))
            }
        }
    }

    fn selected(&mut self, idx: usize, ps: &str, last: bool) -> bool {
        let (a1, a2) = (self.cmds[idx].a1.clone(), self.cmds[idx].a2.is_some());
        let hit = match (a1, a2) {
            (None, _) => true,
            (Some(a), false) => self.matches(&a, ps, last),
            (Some(a), true) => {
                if self.cmds[idx].active {
                    let end = match &self.cmds[idx].a2 {
                        Some(Addr2::Plus(_)) => self.line >= self.cmds[idx].end_line,
                        Some(Addr2::Addr(Addr::Line(n))) => self.line >= *n,
                        Some(Addr2::Addr(b)) => {
                            let b = b.clone();
                            self.matches(&b, ps, last)
                        }
                        None => true,
                    };
                    if end {
                        self.cmds[idx].active = false;
                    }
                    true
                } else if self.matches(&a, ps, last) {
                    let (active, end_line) = match &self.cmds[idx].a2 {
                        Some(Addr2::Plus(n)) => (*n > 0, self.line + n),
                        Some(Addr2::Addr(Addr::Line(n))) => (*n > self.line, 0),
                        _ => (true, 0),
                    };
                    self.cmds[idx].active = active;
                    self.cmds[idx].end_line = end_line;
                    true
                } else {
                    false
                }
            }
        };
        hit != self.cmds[idx].negate
    }

    fn subst(&mut self, idx: usize, ps: &mut String) -> bool {
        let Kind::Subst { re, rep, global, nth, .. } = &self.cmds[idx].kind else {
            return false;
        };
        if let Some(r) = re {
            self.last_re = Some(r.clone());
        }
        let Some(re) = self.last_re.clone() else {
            return false;
        };
        let mut out = String::new();
        let mut last = 0;
        let mut count = 0;
        let mut did = false;
        for caps in re.captures_iter(ps) {
            let Some(m) = caps.get(0) else { continue };
            count += 1;
            if count < *nth {
                continue;
            }
            out.push_str(&ps[last..m.start()]);
            for r in rep {
                match r {
                    Rep::Lit(s) => out.push_str(s),
                    Rep::Group(g) => out.push_str(caps.get(*g).map_or("", |x| x.as_str())),
                }
            }
            last = m.end();
            did = true;
            if !*global {
                break;
            }
        }
        if did {
            out.push_str(&ps[last..]);
            *ps = out;
        }
        did
    }
}

/// Runs the script over one input stream; `files` are read in order.
fn run(sed: &mut Sed, input: &mut dyn std::io::BufRead, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut next: Option<String> = None;
    let read = |input: &mut dyn std::io::BufRead, buf: &mut Vec<u8>| -> Option<String> {
        match util::read_line(input, buf) {
            Ok(true) => {
                let s = String::from_utf8_lossy(buf).into_owned();
                Some(s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
            }
            _ => None,
        }
    };
    let mut cur = read(input, &mut buf);
    while let Some(mut ps) = cur.take() {
        next = next.take().or_else(|| read(input, &mut buf));
        sed.line += 1;
        let mut append = String::new();
        let mut tflag = false;
        let mut pc = 0;
        let mut delete = false;
        let mut restart = false;
        while pc < sed.cmds.len() {
            let last = next.is_none();
            if !sed.selected(pc, &ps, last) {
                if let Kind::Block(end) = sed.cmds[pc].kind {
                    pc = end + 1;
                    continue;
                }
                pc += 1;
                continue;
            }
            match &sed.cmds[pc].kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::Subst { print, write, .. } => {
                    let (print, write) = (*print, write.clone());
                    if sed.subst(pc, &mut ps) {
                        tflag = true;
                        if print {
                            writeln!(out, "{ps}")?;
                        }
                        if let Some(w) = write {
                            let mut f = std::fs::OpenOptions::new().append(true).create(true).open(w)?;
                            writeln!(f, "{ps}")?;
                        }
                    }
                }
                Kind::Translate(map) => {
                    ps = ps.chars().map(|c| map.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b)).collect();
                }
                Kind::Text(c, t) => match c {
                    'a' => {
                        append.push_str(t);
                        append.push('\n');
                    }
                    'i' => writeln!(out, "{t}")?,
                    _ => {
                        let range_mid = sed.cmds[pc].a2.is_some() && sed.cmds[pc].active;
                        if !range_mid {
                            writeln!(out, "{t}")?;
                        }
                        delete = true;
                        break;
                    }
                },
                Kind::File(c, f) => {
                    if *c == 'r' {
                        if let Ok(t) = std::fs::read_to_string(f) {
                            append.push_str(&t);
                        }
                    } else if let Ok(mut file) = std::fs::OpenOptions::new().append(true).create(true).open(f) {
                        writeln!(file, "{ps}")?;
                    }
                }
                Kind::Quit(c, code) => {
                    sed.quit = Some(*code);
                    if *c == 'Q' {
                        delete = true;
                    }
                    break;
                }
                Kind::Branch(kind, label) => {
                    let jump = match kind {
                        'b' => true,
                        't' => std::mem::take(&mut tflag),
                        'T' => !std::mem::take(&mut tflag),
                        _ => false,
                    };
                    if jump {
                        if label.is_empty() {
                            break;
                        }
                        let target =
                            sed.cmds.iter().position(|c| matches!(&c.kind, Kind::Branch(':', l) if l == label));
                        match target {
                            Some(t) => {
                                pc = t + 1;
                                continue;
                            }
                            None => break,
                        }
                    }
                }
                Kind::Simple(c) => match c {
                    'd' => {
                        delete = true;
                        break;
                    }
                    'D' => match ps.find('\n') {
                        Some(i) => {
                            ps = ps[i + 1..].to_string();
                            restart = true;
                            break;
                        }
                        None => {
                            delete = true;
                            break;
                        }
                    },
                    'p' => writeln!(out, "{ps}")?,
                    'P' => writeln!(out, "{}", ps.split('\n').next().unwrap_or(""))?,
                    '=' => writeln!(out, "{}", sed.line)?,
                    'l' => writeln!(out, "{}$", ps.escape_default())?,
                    'z' => ps.clear(),
                    'h' => sed.hold = ps.clone(),
                    'H' => {
                        sed.hold.push('\n');
                        sed.hold.push_str(&ps);
                    }
                    'g' => ps = sed.hold.clone(),
                    'G' => {
                        ps.push('\n');
                        ps.push_str(&sed.hold);
                    }
                    'x' => std::mem::swap(&mut ps, &mut sed.hold),
                    'n' | 'N' => {
                        let Some(n) = next.take() else {
                            if *c == 'N' && !sed.quiet {
                                // GNU prints the pattern space when N hits the end.
                            }
                            break;
                        };
                        if *c == 'n' {
                            if !sed.quiet {
                                writeln!(out, "{ps}")?;
                            }
                            ps = n;
                        } else {
                            ps.push('\n');
                            ps.push_str(&n);
                        }
                        sed.line += 1;
                        next = read(input, &mut buf);
                    }
                    _ => {}
                },
            }
            pc += 1;
        }
        if !delete && !sed.quiet {
            writeln!(out, "{ps}")?;
        }
        out.write_all(append.as_bytes())?;
        if sed.quit.is_some() {
            return Ok(());
        }
        if restart {
            cur = Some(ps);
            sed.line -= 1;
            continue;
        }
        cur = next.take();
    }
    Ok(())
}

pub fn main(args: &[String]) -> i32 {
    let mut scripts = Vec::new();
    let mut files = Vec::new();
    let (mut quiet, mut extended, mut in_place, mut separate) = (false, false, None::<String>, false);
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-s" => separate = true,
            "-e" | "-f" => {
                let Some(v) = args.get(i) else {
                    return super::usage_error("sed", &format!("option requires an argument -- '{}'", &a[1..]));
                };
                i += 1;
                if a == "-e" {
                    scripts.push(v.clone());
                } else {
                    match std::fs::read_to_string(v) {
                        Ok(t) => scripts.push(t),
                        Err(e) => {
                            err("sed", format_args!("can't open '{v}': {}", errstr(&e)));
                            return 1;
                        }
                    }
                }
            }
            s if s.starts_with("-i") => in_place = Some(s[2..].to_string()),
            s if s.starts_with("-e") => scripts.push(s[2..].to_string()),
            s if s.starts_with('-') && s.len() > 1 && s.chars().skip(1).all(|c| "nErs".contains(c)) => {
                quiet |= s.contains('n');
                extended |= s.contains('E') || s.contains('r');
            }
            "--" => {
                files.extend(args[i..].iter().cloned());
                break;
            }
            _ => files.push(a.clone()),
        }
    }
    if scripts.is_empty() {
        if files.is_empty() {
            super::usage("sed");
            return 1;
        }
        scripts.push(files.remove(0));
    }
    let cmds = match parse(&scripts.join("\n"), extended) {
        Ok(c) => c,
        Err(e) => {
            err("sed", e);
            return 1;
        }
    };
    let mut sed = Sed { cmds, quiet, last_re: None, hold: String::new(), line: 0, quit: None };
    let mut status = 0;
    if let Some(suffix) = in_place {
        for f in &files {
            let data = match std::fs::read(f) {
                Ok(d) => d,
                Err(e) => {
                    err("sed", format_args!("can't open '{f}': {}", errstr(&e)));
                    status = 4;
                    continue;
                }
            };
            let mut out = Vec::new();
            sed.line = 0;
            sed.quit = None;
            for c in sed.cmds.iter_mut() {
                c.active = false;
            }
            let _ = run(&mut sed, &mut &data[..], &mut out);
            if !suffix.is_empty() {
                let _ = std::fs::write(format!("{f}{suffix}"), &data);
            }
            if let Err(e) = std::fs::write(f, &out) {
                err("sed", format_args!("can't write '{f}': {}", errstr(&e)));
                status = 4;
            }
        }
        return status;
    }
    let _ = separate;
    let mut out = util::stdout();
    let files = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut all: Vec<u8> = Vec::new();
    let mut inputs: Vec<Box<dyn std::io::BufRead>> = Vec::new();
    for f in &files {
        match util::open_input(f) {
            Ok(r) => inputs.push(r),
            Err(e) => {
                err("sed", format_args!("can't open '{f}': {}", errstr(&e)));
                status = 2;
            }
        }
    }
    // Several files form one stream (so `$` is the last line of the last file).
    let mut chained: Box<dyn std::io::BufRead> = Box::new(std::io::empty());
    for r in inputs {
        chained = Box::new(std::io::BufReader::new(std::io::Read::chain(chained, r)));
    }
    let r = run(&mut sed, &mut chained, &mut out);
    all.clear();
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return 141;
        }
    }
    let code = util::finish(&mut out, "sed", status);
    sed.quit.unwrap_or(code)
}
