//! Tokens and words: the character-level half of the parser.
//!
//! Shell tokenizing depends on context (quotes nest, `$(...)` contains whole programs, here-doc
//! bodies follow the next newline), so the lexer and the grammar share one [`Parser`] value:
//! this file turns characters into [`Tok`]ens and [`Word`]s, `parser.rs` builds the tree.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::ast::{HereDoc, Param, ParamOp, Part, Word};

/// A syntax error; `incomplete` when the input ended inside a construct (more lines may fix it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub msg: String,
    pub incomplete: bool,
}

impl ParseError {
    pub fn new(msg: impl Into<String>) -> Self {
        ParseError { msg: msg.into(), incomplete: false }
    }
    fn eof(msg: impl Into<String>) -> Self {
        ParseError { msg: msg.into(), incomplete: true }
    }
}

pub type PResult<T> = Result<T, ParseError>;

#[derive(Clone, Debug)]
pub enum Tok {
    Word(Word),
    IoNumber(u32),
    Op(&'static str),
    Newline,
    Eof,
}

impl Tok {
    /// How the token appears in `unexpected ...` messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("\"{}\"", super::unparse::word(w)),
            Tok::IoNumber(n) => format!("\"{n}\""),
            Tok::Op(o) => format!("\"{o}\""),
            Tok::Newline => "newline".to_string(),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

const OPS: [&str; 16] = ["&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", "&", "|", ";", "<", ">", "(", ")"];

/// Where a run of word characters ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// A plain word: blanks and operator characters.
    Word,
    /// Inside `"..."`.
    DQuote,
    /// The word of `${x-word}`: an unquoted `}`.
    Brace,
    /// The pattern of `${x/pat/rep}`: `/` or `}`.
    BraceSlash,
    /// The offset of `${x:off:len}`: `:` or `}`.
    BraceColon,
    /// A here-doc body or arithmetic text: only the end of input.
    End,
}

pub struct Parser {
    pub(super) src: Vec<char>,
    pub(super) pos: usize,
    pub(super) line: usize,
    pub(super) peeked: Option<Tok>,
    pub(super) pending: Vec<Rc<HereDoc>>,
    pub(super) aliases: Rc<BTreeMap<String, String>>,
    /// Aliases being expanded (no recursion), with the position where each expansion ends.
    pub(super) expanding: Vec<(String, usize)>,
    /// True when no more input will come: EOF inside a here-doc is accepted.
    pub(super) final_input: bool,
    pub(super) depth: usize,
}

impl Parser {
    pub fn new(src: &str, aliases: Rc<BTreeMap<String, String>>) -> Self {
        Parser {
            src: src.chars().collect(),
            pos: 0,
            line: 1,
            peeked: None,
            pending: Vec::new(),
            aliases,
            expanding: Vec::new(),
            final_input: true,
            depth: 0,
        }
    }

    fn at(&self, off: usize) -> Option<char> {
        self.src.get(self.pos + off).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.src.get(self.pos).copied()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn eof_error(&self, what: &str) -> ParseError {
        if self.final_input {
            ParseError::new(format!("syntax error: {what}"))
        } else {
            ParseError::eof(format!("syntax error: {what}"))
        }
    }

    pub fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            let t = self.scan()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.get_or_insert(Tok::Eof))
    }

    pub fn next(&mut self) -> PResult<Tok> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.scan(),
        }
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.at(0) {
                Some(' ') | Some('\t') | Some('\r') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while let Some(c) = self.at(0) {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn scan(&mut self) -> PResult<Tok> {
        self.skip_blanks();
        while let Some((_, end)) = self.expanding.last() {
            if self.pos >= *end {
                self.expanding.pop();
            } else {
                break;
            }
        }
        let Some(c) = self.at(0) else {
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.bump();
            self.read_heredocs()?;
            return Ok(Tok::Newline);
        }
        for op in OPS {
            if op.chars().enumerate().all(|(i, oc)| self.at(i) == Some(oc)) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        if c.is_ascii_digit() {
            let mut n = 0;
            while self.at(n).is_some_and(|d| d.is_ascii_digit()) {
                n += 1;
            }
            if matches!(self.at(n), Some('<') | Some('>')) {
                let digits: String = self.src[self.pos..self.pos + n].iter().collect();
                if let Ok(v) = digits.parse() {
                    self.pos += n;
                    return Ok(Tok::IoNumber(v));
                }
            }
        }
        Ok(Tok::Word(self.word()?))
    }

    /// Reads one word at the current position.
    fn word(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        if self.at(0) == Some('~') {
            let mut n = 1;
            while let Some(c) = self.at(n) {
                if c == '/' || is_word_end(c) {
                    break;
                }
                if !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
                    n = 0;
                    break;
                }
                n += 1;
            }
            if n > 0 {
                let user: String = self.src[self.pos + 1..self.pos + n].iter().collect();
                self.pos += n;
                parts.push(Part::Tilde(user));
            }
        }
        self.parts(Stop::Word, false, &mut parts)?;
        Ok(parts)
    }

    fn stops(&self, c: char, stop: Stop) -> bool {
        match stop {
            Stop::Word => is_word_end(c),
            Stop::DQuote => c == '"',
            Stop::Brace => c == '}',
            Stop::BraceSlash => c == '/' || c == '}',
            Stop::BraceColon => c == ':' || c == '}',
            Stop::End => false,
        }
    }

    /// Reads word parts until `stop`. `dq`: double-quote rules (here-docs, `"..."`).
    fn parts(&mut self, stop: Stop, dq: bool, out: &mut Vec<Part>) -> PResult<()> {
        let heredoc = dq && stop == Stop::End;
        let mut lit = String::new();
        let flush = |lit: &mut String, out: &mut Vec<Part>, quoted: bool| {
            if !lit.is_empty() {
                let s = std::mem::take(lit);
                out.push(if quoted { Part::Quoted(s) } else { Part::Lit(s) });
            }
        };
        loop {
            let Some(c) = self.at(0) else {
                flush(&mut lit, out, dq);
                return match stop {
                    Stop::Word | Stop::End => Ok(()),
                    Stop::DQuote => Err(self.eof_error("unterminated quoted string")),
                    _ => Err(self.eof_error("missing '}'")),
                };
            };
            if self.stops(c, stop) {
                flush(&mut lit, out, dq);
                return Ok(());
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        None => lit.push('\\'),
                        Some('\n') => {}
                        Some(n) if dq && !matches!(n, '$' | '`' | '\\') && (heredoc || n != '"') => {
                            lit.push('\\');
                            lit.push(n);
                        }
                        Some(n) => {
                            flush(&mut lit, out, dq);
                            out.push(Part::Quoted(n.to_string()));
                        }
                    }
                }
                '\'' if !dq => {
                    flush(&mut lit, out, false);
                    self.bump();
                    let mut s = String::new();
                    loop {
                        match self.bump() {
                            None => return Err(self.eof_error("unterminated quoted string")),
                            Some('\'') => break,
                            Some(x) => s.push(x),
                        }
                    }
                    out.push(Part::Quoted(s));
                }
                '"' if !dq => {
                    flush(&mut lit, out, false);
                    self.bump();
                    let mut inner = Vec::new();
                    self.parts(Stop::DQuote, true, &mut inner)?;
                    self.bump();
                    out.push(Part::Double(inner));
                }
                '$' => {
                    flush(&mut lit, out, dq);
                    match self.dollar(dq)? {
                        Some(p) => out.push(p),
                        None => lit.push('$'),
                    }
                }
                '`' => {
                    flush(&mut lit, out, dq);
                    self.bump();
                    out.push(self.backquote()?);
                }
                _ => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
    }

    /// After `$`: an expansion, or None for a literal dollar sign.
    fn dollar(&mut self, dq: bool) -> PResult<Option<Part>> {
        let next = self.at(1);
        match next {
            Some('{') => {
                self.pos += 2;
                Ok(Some(self.brace_param()?))
            }
            Some('(') if self.at(2) == Some('(') => {
                if let Some(end) = self.arith_end(self.pos + 3) {
                    let text: String = self.src[self.pos + 3..end].iter().collect();
                    self.line += text.matches('\n').count();
                    self.pos = end + 2;
                    let mut sub = Parser::new(&text, self.aliases.clone());
                    sub.depth = self.depth + 1;
                    let mut parts = Vec::new();
                    sub.parts(Stop::End, true, &mut parts)?;
                    return Ok(Some(Part::Arith(parts)));
                }
                self.pos += 2;
                Ok(Some(Part::Command(Rc::new(self.substitution()?))))
            }
            Some('(') => {
                self.pos += 2;
                Ok(Some(Part::Command(Rc::new(self.substitution()?))))
            }
            Some('\'') if !dq => {
                self.pos += 2;
                Ok(Some(Part::Quoted(self.ansi_c()?)))
            }
            Some(c) if "@*#?-$!".contains(c) || c.is_ascii_digit() => {
                self.pos += 2;
                Ok(Some(simple_param(c.to_string())))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self.at(0).filter(|c| *c == '_' || c.is_ascii_alphanumeric()) {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Some(simple_param(name)))
            }
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }

    /// The index of the `))` closing an arithmetic expansion whose text starts at `from`.
    fn arith_end(&self, from: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = from;
        while i < self.src.len() {
            match self.src[i] {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    return (self.src.get(i + 1) == Some(&')')).then_some(i);
                }
                ')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The program inside `$(...)`, up to and including the closing parenthesis.
    fn substitution(&mut self) -> PResult<super::ast::List> {
        if self.depth > 100 {
            return Err(ParseError::new("syntax error: nesting too deep"));
        }
        self.depth += 1;
        let saved = self.peeked.take();
        // Here-documents opened before `$(` on the same line start after that line's newline,
        // not after a newline inside the substitution (as bash reads them).
        let outer_docs = std::mem::take(&mut self.pending);
        let list = self.compound_list(&[]);
        self.pending = outer_docs;
        let list = list?;
        match self.next()? {
            Tok::Op(")") => {}
            Tok::Eof => return Err(self.eof_error("unexpected end of file (expecting \")\")")),
            t => return Err(ParseError::new(format!("syntax error: unexpected {}", t.describe()))),
        }
        self.peeked = saved;
        self.depth -= 1;
        Ok(list)
    }

    /// `` `...` ``: the text up to the closing backquote, unescaped, parsed as a program.
    fn backquote(&mut self) -> PResult<Part> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(self.eof_error("unterminated quoted string")),
                Some('`') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('$' | '`' | '\\')) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                    None => return Err(self.eof_error("unterminated quoted string")),
                },
                Some(c) => text.push(c),
            }
        }
        if self.depth > 100 {
            return Err(ParseError::new("syntax error: nesting too deep"));
        }
        let mut sub = Parser::new(&text, self.aliases.clone());
        sub.depth = self.depth + 1;
        let list = sub.parse_all()?;
        Ok(Part::Command(Rc::new(list)))
    }

    /// `$'...'` with C escapes.
    fn ansi_c(&mut self) -> PResult<String> {
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(self.eof_error("unterminated quoted string")),
                Some('\'') => return Ok(s),
                Some('\\') => {
                    let c = self.bump().unwrap_or('\\');
                    s.push(match c {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'a' => '\x07',
                        'b' => '\x08',
                        'e' | 'E' => '\x1b',
                        'f' => '\x0c',
                        'v' => '\x0b',
                        '0'..='7' => {
                            let mut v = c.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.at(0).and_then(|d| d.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            char::from_u32(v).unwrap_or('?')
                        }
                        'x' => {
                            let mut v = 0;
                            for _ in 0..2 {
                                match self.at(0).and_then(|d| d.to_digit(16)) {
                                    Some(d) => {
                                        v = v * 16 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            char::from_u32(v).unwrap_or('?')
                        }
                        other => other,
                    });
                }
                Some(c) => s.push(c),
            }
        }
    }

    /// After `${`: name, operator and words, through the closing `}`.
    fn brace_param(&mut self) -> PResult<Part> {
        let bad = || ParseError::new("syntax error: bad substitution");
        let mut length = false;
        if self.at(0) == Some('#') && !matches!(self.at(1), Some('}') | None) {
            length = true;
            self.pos += 1;
        }
        let mut name = String::new();
        match self.at(0) {
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                while let Some(c) = self.at(0).filter(|c| *c == '_' || c.is_ascii_alphanumeric()) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.at(0).filter(char::is_ascii_digit) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if "@*#?-$!".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            None => return Err(self.eof_error("missing '}'")),
            _ => return Err(bad()),
        }
        let mut param = Param { name, op: ParamOp::Plain, colon: false, word: Vec::new(), word2: None };
        if length {
            if self.bump() != Some('}') {
                return Err(bad());
            }
            param.op = ParamOp::Length;
            return Ok(Part::Param(Box::new(param)));
        }
        let Some(c) = self.bump() else {
            return Err(self.eof_error("missing '}'"));
        };
        if c == '}' {
            return Ok(Part::Param(Box::new(param)));
        }
        let two = |p: &mut Self, c: char| {
            if p.at(0) == Some(c) {
                p.pos += 1;
                true
            } else {
                false
            }
        };
        let mut stop = Stop::Brace;
        param.op = match c {
            ':' => match self.at(0) {
                Some(o @ ('-' | '=' | '?' | '+')) => {
                    self.pos += 1;
                    param.colon = true;
                    op_of(o)
                }
                _ => {
                    stop = Stop::BraceColon;
                    ParamOp::Substring
                }
            },
            '-' | '=' | '?' | '+' => op_of(c),
            '#' => ParamOp::TrimPrefix(two(self, '#')),
            '%' => ParamOp::TrimSuffix(two(self, '%')),
            '/' => {
                stop = Stop::BraceSlash;
                ParamOp::Replace(two(self, '/'))
            }
            _ => return Err(bad()),
        };
        let mut word = Vec::new();
        self.parts(stop, false, &mut word)?;
        param.word = word;
        if stop != Stop::Brace && self.at(0) != Some('}') {
            self.bump();
            let mut w2 = Vec::new();
            self.parts(Stop::Brace, false, &mut w2)?;
            param.word2 = Some(w2);
        }
        if self.bump() != Some('}') {
            return Err(self.eof_error("missing '}'"));
        }
        Ok(Part::Param(Box::new(param)))
    }

    /// Reads the whole input as here-document text (expansions, no quotes): prompts.
    pub fn heredoc_parts(&mut self, out: &mut Vec<Part>) -> PResult<()> {
        self.parts(Stop::End, true, out)
    }

    /// Reads the bodies of the here-documents whose operators were on the line just ended.
    fn read_heredocs(&mut self) -> PResult<()> {
        for doc in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.src.len() {
                let start = self.pos;
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let mut line: String = self.src[start..self.pos].iter().collect();
                let had_newline = self.at(0) == Some('\n');
                if had_newline {
                    self.pos += 1;
                    self.line += 1;
                }
                if doc.strip_tabs {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == doc.delim {
                    found = true;
                    break;
                }
                body.push_str(&line);
                if had_newline {
                    body.push('\n');
                }
            }
            if !found && !self.final_input {
                return Err(ParseError::eof("here-document not terminated"));
            }
            let word = if doc.quoted {
                vec![Part::Quoted(body)]
            } else {
                let mut sub = Parser::new(&body, self.aliases.clone());
                sub.depth = self.depth + 1;
                let mut parts = Vec::new();
                sub.parts(Stop::End, true, &mut parts)?;
                parts
            };
            *doc.body.borrow_mut() = word;
        }
        Ok(())
    }

    /// Replaces the just-read command word with its alias text, if it is an alias.
    pub(super) fn expand_alias(&mut self, name: &str) -> bool {
        if self.expanding.iter().any(|(n, _)| n == name) || self.expanding.len() > 50 {
            return false;
        }
        let Some(value) = self.aliases.get(name) else {
            return false;
        };
        let text: Vec<char> = value.chars().collect();
        let at = self.pos;
        self.src.splice(at..at, text.iter().copied());
        for (_, end) in self.expanding.iter_mut() {
            *end += text.len();
        }
        self.expanding.push((name.to_string(), at + text.len()));
        true
    }
}

fn is_word_end(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
}

fn op_of(c: char) -> ParamOp {
    match c {
        '-' => ParamOp::Default,
        '=' => ParamOp::Assign,
        '?' => ParamOp::Error,
        _ => ParamOp::Alt,
    }
}

fn simple_param(name: String) -> Part {
    Part::Param(Box::new(Param { name, op: ParamOp::Plain, colon: false, word: Vec::new(), word2: None }))
}
