//! `sed [-nEr] [-i[SUF]] [-e SCRIPT]... [-f FILE] [SCRIPT] [FILE]...`: the stream editor.
//! Commands: `s///[gpNi w]`, `d D p P n N q Q a i c y = h H g G x b t T : { } ! l r w z`;
//! addresses: line numbers, `$`, `/re/`, `\cREc`, `first~step`, ranges `a,b` and `a,+N`.

use std::io::Write;

use regex::Regex;

use crate::util::{self, err, errstr};

mod script;

use script::{parse, Addr, Addr2, Cmd, Kind, Rep};

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
            s if s.starts_with("--") => {
                return super::usage_error("sed", &format!("unrecognized option '{s}'"));
            }
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.chars().skip(1).find(|c| !"nErsief".contains(*c)).unwrap_or('-');
                return super::usage_error("sed", &format!("invalid option -- '{bad}'"));
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
