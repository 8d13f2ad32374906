//! The syntax tree of a shell program, as produced by the parser and walked by the executor.
//!
//! A script is a sequence of complete commands ([`List`]); each is a chain of and-or lists of
//! pipelines of commands. Words keep their quoting structure ([`Part`]) because quoting decides
//! expansion: field splitting and globbing only apply to unquoted parts.

use std::cell::RefCell;
use std::rc::Rc;

/// Commands separated by `;`, `&` or newlines.
pub type List = Vec<Item>;

/// One and-or list, run in the background when followed by `&`.
#[derive(Clone, Debug)]
pub struct Item {
    pub and_or: AndOr,
    pub background: bool,
}

/// `p1 && p2 || p3`: `rest` holds (is `&&`, pipeline).
#[derive(Clone, Debug)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(bool, Pipeline)>,
}

/// `[!] c1 | c2 | ...`
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub negate: bool,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Debug)]
pub enum Command {
    Simple(Simple),
    Compound(Compound, Vec<Redir>),
    FuncDef(String, Rc<Command>),
}

/// `VAR=x cmd arg... >redir`; `line` is where it starts, for error messages.
#[derive(Clone, Debug)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: usize,
}

#[derive(Clone, Debug)]
pub enum Compound {
    Brace(List),
    Subshell(List),
    If { arms: Vec<(List, List)>, otherwise: Option<List> },
    Loop { until: bool, cond: List, body: List },
    For { var: String, words: Option<Vec<Word>>, body: List },
    Case { word: Word, arms: Vec<CaseArm> },
}

#[derive(Clone, Debug)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
}

/// A redirection; `fd` is the explicit descriptor number (`2>`), if any.
#[derive(Clone, Debug)]
pub struct Redir {
    pub fd: Option<u32>,
    pub kind: RedirKind,
}

#[derive(Clone, Debug)]
pub enum RedirKind {
    /// `<`
    In(Word),
    /// `>`
    Out(Word),
    /// `>|`
    Clobber(Word),
    /// `>>`
    Append(Word),
    /// `<>`
    ReadWrite(Word),
    /// `<&`
    DupIn(Word),
    /// `>&`
    DupOut(Word),
    /// `<<` and `<<-`
    HereDoc(Rc<HereDoc>),
}

impl RedirKind {
    /// The descriptor a redirection applies to when none is written.
    pub fn default_fd(&self) -> u32 {
        match self {
            RedirKind::In(_) | RedirKind::ReadWrite(_) | RedirKind::DupIn(_) => 0,
            RedirKind::HereDoc(_) => 0,
            _ => 1,
        }
    }
}

/// A here-document; the body is filled in once the lines after the command are read.
#[derive(Debug)]
pub struct HereDoc {
    pub delim: String,
    pub strip_tabs: bool,
    /// A quoted delimiter: the body is taken literally, without expansion.
    pub quoted: bool,
    pub body: RefCell<Word>,
}

pub type Word = Vec<Part>;

#[derive(Clone, Debug)]
pub enum Part {
    /// Unquoted text: subject to field splitting (when expanded) and globbing.
    Lit(String),
    /// Single-quoted or backslash-escaped text.
    Quoted(String),
    /// `"..."`
    Double(Vec<Part>),
    /// `$x`, `${x...}`
    Param(Box<Param>),
    /// `$(...)` or `` `...` ``
    Command(Rc<List>),
    /// `$((...))`: the expression text after expansion is evaluated.
    Arith(Vec<Part>),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

/// A parameter expansion `${name<op>word}`.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
    /// The `:` form (`${x:-y}`): also applies when the value is empty.
    pub colon: bool,
    pub word: Word,
    /// Second operand: length of `${x:off:len}`, replacement of `${x/pat/rep}`.
    pub word2: Option<Word>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${x-y}`
    Default,
    /// `${x=y}`
    Assign,
    /// `${x?y}`
    Error,
    /// `${x+y}`
    Alt,
    /// `${x#p}` (false) and `${x##p}` (true)
    TrimPrefix(bool),
    /// `${x%p}` and `${x%%p}`
    TrimSuffix(bool),
    /// `${x:off}` / `${x:off:len}`
    Substring,
    /// `${x/p/r}` (false) and `${x//p/r}` (true)
    Replace(bool),
}

/// The literal text of a word made only of unquoted text (keywords, names, aliases).
pub fn literal(word: &Word) -> Option<String> {
    let mut s = String::new();
    for p in word {
        match p {
            Part::Lit(t) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}

/// True for a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(f) if f == '_' || f.is_ascii_alphabetic())
        && c.all(|x| x == '_' || x.is_ascii_alphanumeric())
}
