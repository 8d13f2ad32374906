//! awk source to a tree: recursive descent over the tokens of [`super::lex`] following awk's
//! grammar (patterns, actions, statements, expressions with awk's precedence, implicit
//! concatenation).

use regex::Regex;

pub use super::lex::{lex, Tok, KEYWORDS};

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    Re(Regex),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    Assign(Option<char>, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    In(Vec<Expr>, String),
    Incr(bool, f64, Box<Expr>),
    Call(String, Vec<Expr>),
    Getline(Option<Box<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(bool, Expr)>),
    Printf(Vec<Expr>, Option<(bool, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    All,
    Begin,
    End,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    pub action: Option<Vec<Stmt>>,
}

pub struct Parser {
    t: Vec<Tok>,
    i: usize,
    /// Inside `print` arguments: `>` is a redirection, not a comparison.
    no_gt: bool,
    no_in: bool,
}

type PR<T> = Result<T, String>;

impl Parser {
    pub fn new(t: Vec<Tok>) -> Self {
        Parser { t, i: 0, no_gt: false, no_in: false }
    }
    fn peek(&self) -> &Tok {
        self.t.get(self.i).unwrap_or(&Tok::Eof)
    }
    fn is(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == k)
    }
    fn eat(&mut self, op: &str) -> bool {
        if self.is(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, op: &str) -> PR<()> {
        if self.eat(op) {
            Ok(())
        } else {
            Err(format!("syntax error: expected '{op}' near {:?}", self.peek()))
        }
    }
    fn newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.i += 1;
        }
    }
    fn terminators(&mut self) {
        while matches!(self.peek(), Tok::Newline) || self.is(";") {
            self.i += 1;
        }
    }

    pub fn program(&mut self) -> PR<Vec<Rule>> {
        let mut rules = Vec::new();
        loop {
            self.terminators();
            if matches!(self.peek(), Tok::Eof) {
                return Ok(rules);
            }
            let pattern = if self.is_kw("BEGIN") {
                self.i += 1;
                Pattern::Begin
            } else if self.is_kw("END") {
                self.i += 1;
                Pattern::End
            } else if self.is("{") {
                Pattern::All
            } else {
                let a = self.expr()?;
                if self.eat(",") {
                    self.newlines();
                    Pattern::Range(a, self.expr()?)
                } else {
                    Pattern::Expr(a)
                }
            };
            let action = if self.is("{") { Some(self.block()?) } else { None };
            if action.is_none() && matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err("syntax error: BEGIN/END need an action".into());
            }
            rules.push(Rule { pattern, action });
        }
    }

    fn block(&mut self) -> PR<Vec<Stmt>> {
        self.expect("{")?;
        let mut v = Vec::new();
        loop {
            self.terminators();
            if self.eat("}") {
                return Ok(v);
            }
            if matches!(self.peek(), Tok::Eof) {
                return Err("syntax error: missing '}'".into());
            }
            v.push(self.stmt()?);
        }
    }

    fn simple_or_block(&mut self) -> PR<Stmt> {
        self.newlines();
        if self.eat(";") {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn end_simple(&mut self) -> PR<()> {
        if self.eat(";") || matches!(self.peek(), Tok::Newline) || self.is("}") || matches!(self.peek(), Tok::Eof) {
            return Ok(());
        }
        Err(format!("syntax error near {:?}", self.peek()))
    }

    fn stmt(&mut self) -> PR<Stmt> {
        if self.is("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let kw = match self.peek() {
            Tok::Name(n) => n.clone(),
            _ => String::new(),
        };
        match kw.as_str() {
            "if" => {
                self.i += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                let then = self.simple_or_block()?;
                let save = self.i;
                self.terminators();
                if self.is_kw("else") {
                    self.i += 1;
                    let e = self.simple_or_block()?;
                    return Ok(Stmt::If(c, Box::new(then), Some(Box::new(e))));
                }
                self.i = save;
                Ok(Stmt::If(c, Box::new(then), None))
            }
            "while" => {
                self.i += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                if self.eat(";") {
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::While(c, Box::new(self.simple_or_block()?)))
            }
            "do" => {
                self.i += 1;
                let body = self.simple_or_block()?;
                self.terminators();
                if !self.is_kw("while") {
                    return Err("syntax error: expected while".into());
                }
                self.i += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(body), c))
            }
            "for" => {
                self.i += 1;
                self.expect("(")?;
                if let (Tok::Name(v), Tok::Name(kw), Tok::Name(arr)) = (
                    self.peek().clone(),
                    self.t.get(self.i + 1).cloned().unwrap_or(Tok::Eof),
                    self.t.get(self.i + 2).cloned().unwrap_or(Tok::Eof),
                ) {
                    if kw == "in" && matches!(self.t.get(self.i + 3), Some(Tok::Op(")"))) {
                        self.i += 4;
                        return Ok(Stmt::ForIn(v, arr, Box::new(self.simple_or_block()?)));
                    }
                }
                let init = if self.is(";") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect(";")?;
                self.newlines();
                let cond = if self.is(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                self.newlines();
                let step = if self.is(")") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect(")")?;
                if self.eat(";") {
                    return Ok(Stmt::For(init, cond, step, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::For(init, cond, step, Box::new(self.simple_or_block()?)))
            }
            "next" | "break" | "continue" => {
                self.i += 1;
                self.end_simple()?;
                Ok(match kw.as_str() {
                    "next" => Stmt::Next,
                    "break" => Stmt::Break,
                    _ => Stmt::Continue,
                })
            }
            "exit" => {
                self.i += 1;
                let e = if self.is(";") || self.is("}") || matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.end_simple()?;
                Ok(Stmt::Exit(e))
            }
            "delete" => {
                self.i += 1;
                let Tok::Name(arr) = self.peek().clone() else {
                    return Err("syntax error: delete needs an array".into());
                };
                self.i += 1;
                let idx = if self.eat("[") {
                    let v = self.expr_list()?;
                    self.expect("]")?;
                    Some(v)
                } else {
                    None
                };
                self.end_simple()?;
                Ok(Stmt::Delete(arr, idx))
            }
            "print" | "printf" => {
                self.i += 1;
                self.no_gt = true;
                let args = if self.is(";")
                    || self.is("}")
                    || self.is(">")
                    || self.is(">>")
                    || self.is("|")
                    || matches!(self.peek(), Tok::Newline | Tok::Eof)
                {
                    Vec::new()
                } else if self.is("(") {
                    // `print (a, b)` or `print (a)(b)`.
                    let save = self.i;
                    self.i += 1;
                    let list = self.expr_list();
                    if list.is_ok()
                        && self.eat(")")
                        && (self.is(";")
                            || self.is("}")
                            || self.is(">")
                            || self.is(">>")
                            || matches!(self.peek(), Tok::Newline | Tok::Eof))
                    {
                        list?
                    } else {
                        self.i = save;
                        self.expr_list()?
                    }
                } else {
                    self.expr_list()?
                };
                self.no_gt = false;
                let redir = if self.eat(">") {
                    Some((false, self.concat()?))
                } else if self.eat(">>") {
                    Some((true, self.concat()?))
                } else {
                    None
                };
                self.end_simple()?;
                Ok(if kw == "print" { Stmt::Print(args, redir) } else { Stmt::Printf(args, redir) })
            }
            _ => {
                let e = self.expr()?;
                self.end_simple()?;
                Ok(Stmt::Expr(e))
            }
        }
    }

    fn expr_list(&mut self) -> PR<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat(",") {
            self.newlines();
            v.push(self.expr()?);
        }
        Ok(v)
    }

    pub fn expr(&mut self) -> PR<Expr> {
        self.ternary()
    }

    fn ternary(&mut self) -> PR<Expr> {
        let c = self.or()?;
        if self.eat("?") {
            self.newlines();
            let a = self.ternary()?;
            self.newlines();
            self.expect(":")?;
            self.newlines();
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        if let Tok::Op(op) = self.peek().clone() {
            let aop = match op {
                "=" => Some(None),
                "+=" | "-=" | "*=" | "/=" | "%=" | "^=" => op.chars().next().map(Some),
                _ => None,
            };
            if let Some(aop) = aop {
                if matches!(c, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                    self.i += 1;
                    self.newlines();
                    let rhs = self.ternary()?;
                    return Ok(Expr::Assign(aop, Box::new(c), Box::new(rhs)));
                }
            }
        }
        Ok(c)
    }

    fn or(&mut self) -> PR<Expr> {
        let mut l = self.and()?;
        while self.eat("||") {
            self.newlines();
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> PR<Expr> {
        let mut l = self.in_expr()?;
        while self.eat("&&") {
            self.newlines();
            l = Expr::And(Box::new(l), Box::new(self.in_expr()?));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> PR<Expr> {
        let mut l = self.matching()?;
        while !self.no_in && self.is_kw("in") {
            self.i += 1;
            let Tok::Name(arr) = self.peek().clone() else {
                return Err("syntax error: in needs an array".into());
            };
            self.i += 1;
            l = Expr::In(vec![l], arr);
        }
        Ok(l)
    }

    fn matching(&mut self) -> PR<Expr> {
        let mut l = self.comparison()?;
        loop {
            let neg = if self.eat("~") {
                false
            } else if self.eat("!~") {
                true
            } else {
                return Ok(l);
            };
            l = Expr::Match(neg, Box::new(l), Box::new(self.comparison()?));
        }
    }

    fn comparison(&mut self) -> PR<Expr> {
        let l = self.concat()?;
        let op = match self.peek() {
            Tok::Op(o @ ("<" | "<=" | "==" | "!=" | ">=")) => *o,
            Tok::Op(">") if !self.no_gt => ">",
            _ => return Ok(l),
        };
        self.i += 1;
        Ok(Expr::Bin(op, Box::new(l), Box::new(self.concat()?)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_) | Tok::Str(_) | Tok::Re(_) | Tok::Func(_) => true,
            Tok::Name(n) => !KEYWORDS.contains(&n.as_str()) || n == "getline",
            Tok::Op(o) => matches!(*o, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self) -> PR<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is_kw("in") {
            let r = self.additive()?;
            l = Expr::Bin("concat", Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> PR<Expr> {
        let mut l = self.multiplicative()?;
        loop {
            let op = if self.is("+") {
                "+"
            } else if self.is("-") {
                "-"
            } else {
                return Ok(l);
            };
            self.i += 1;
            l = Expr::Bin(op, Box::new(l), Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> PR<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op(o @ ("*" | "/" | "%")) => *o,
                _ => return Ok(l),
            };
            self.i += 1;
            l = Expr::Bin(op, Box::new(l), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> PR<Expr> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return Ok(Expr::Bin("+", Box::new(Expr::Num(0.0)), Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> PR<Expr> {
        let base = self.postfix()?;
        if self.eat("^") {
            let exp = self.unary()?;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PR<Expr> {
        if self.eat("++") || {
            self.is("--") && {
                self.i += 1;
                true
            }
        } {
            let delta = if matches!(self.t.get(self.i - 1), Some(Tok::Op("++"))) { 1.0 } else { -1.0 };
            let lv = self.primary()?;
            return Ok(Expr::Incr(true, delta, Box::new(lv)));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if self.eat("++") {
                return Ok(Expr::Incr(false, 1.0, Box::new(e)));
            }
            if self.eat("--") {
                return Ok(Expr::Incr(false, -1.0, Box::new(e)));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> PR<Expr> {
        let t = self.peek().clone();
        self.i += 1;
        Ok(match t {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Re(r) => Expr::Re(crate::util::regex::compile(&r, true, false)?),
            Tok::Op("$") => Expr::Field(Box::new(self.postfix_operand()?)),
            Tok::Op("(") => {
                let save_gt = std::mem::replace(&mut self.no_gt, false);
                let first = self.expr()?;
                if self.eat(",") {
                    let mut keys = vec![first];
                    keys.extend(self.expr_list()?);
                    self.expect(")")?;
                    self.no_gt = save_gt;
                    if !self.is_kw("in") {
                        return Err("syntax error: expected 'in'".into());
                    }
                    self.i += 1;
                    let Tok::Name(arr) = self.peek().clone() else {
                        return Err("syntax error".into());
                    };
                    self.i += 1;
                    return Ok(Expr::In(keys, arr));
                }
                self.expect(")")?;
                self.no_gt = save_gt;
                first
            }
            Tok::Func(name) => {
                self.expect("(")?;
                let save = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                let args = if self.is(")") { Vec::new() } else { self.expr_list()? };
                (self.no_gt, self.no_in) = save;
                self.expect(")")?;
                Expr::Call(name, args)
            }
            Tok::Name(n) if n == "getline" => {
                let target = if matches!(self.peek(), Tok::Name(_) | Tok::Op("$")) {
                    Some(Box::new(self.primary()?))
                } else {
                    None
                };
                Expr::Getline(target)
            }
            Tok::Name(n) if n == "length" => Expr::Call(n, Vec::new()),
            Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => {
                if self.eat("[") {
                    let idx = self.expr_list()?;
                    self.expect("]")?;
                    Expr::Index(n, idx)
                } else {
                    Expr::Var(n)
                }
            }
            other => return Err(format!("syntax error: unexpected {other:?}")),
        })
    }

    /// The operand of `$`: a primary with `++`/`--` but no binary operators.
    fn postfix_operand(&mut self) -> PR<Expr> {
        if self.is("-") {
            self.i += 1;
            return Ok(Expr::Neg(Box::new(self.primary()?)));
        }
        if self.is("++") || self.is("--") {
            return self.postfix();
        }
        self.primary()
    }
}
