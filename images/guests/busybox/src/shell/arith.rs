//! Arithmetic expansion `$((...))`: C-like integer expressions on 64-bit signed values, with
//! variables (read and assigned), as POSIX and ash define them. Used by `let` too.

/// Access to shell variables during evaluation.
pub trait Vars {
    fn get_var(&self, name: &str) -> Option<String>;
    fn set_var_arith(&mut self, name: &str, value: i64) -> Result<(), String>;
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: [&str; 35] = [
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=",
    "++", "--", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?", ":",
];

fn syntax() -> String {
    "arithmetic syntax error".to_string()
}

fn tokenize(s: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '#') {
                i += 1;
            }
            let text: String = c[start..i].iter().collect();
            out.push(T::Num(parse_number(&text).ok_or_else(syntax)?));
        } else if ch == '_' || ch.is_ascii_alphabetic() {
            let start = i;
            while i < c.len() && (c[i] == '_' || c[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(T::Name(c[start..i].iter().collect()));
        } else if ch == '(' || ch == ')' || ch == '=' && c.get(i + 1) != Some(&'=') {
            out.push(T::Op(match ch {
                '(' => "(",
                ')' => ")",
                _ => "=",
            }));
            i += 1;
        } else {
            let op = OPS
                .iter()
                .find(|op| op.chars().enumerate().all(|(k, oc)| c.get(i + k) == Some(&oc)))
                .ok_or_else(syntax)?;
            out.push(T::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

/// Decimal, `0x` hex, leading-0 octal, or `base#digits`.
pub fn parse_number(s: &str) -> Option<i64> {
    if let Some((b, d)) = s.split_once('#') {
        let base: u32 = b.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(d, base).ok();
    }
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16).ok();
    }
    if s.len() > 1 && s.starts_with('0') {
        return i64::from_str_radix(&s[1..], 8).ok();
    }
    s.parse().ok()
}

struct Eval<'a> {
    toks: Vec<T>,
    pos: usize,
    vars: &'a mut dyn Vars,
    /// Depth of short-circuited branches: no side effects, no errors for division.
    skip: usize,
}

/// Evaluates an expression; an empty expression is 0.
pub fn eval(expr: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    let toks = tokenize(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval { toks, pos: 0, vars, skip: 0 };
    let v = e.assign()?;
    if e.pos != e.toks.len() {
        return Err(syntax());
    }
    Ok(v)
}

fn binary_prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

impl Eval<'_> {
    fn peek(&self) -> Option<&T> {
        self.toks.get(self.pos)
    }

    fn var(&mut self, name: &str) -> Result<i64, String> {
        let v = self.vars.get_var(name).unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            return Ok(0);
        }
        parse_number(v).map_or_else(|| eval_nested(v, self.vars), Ok)
    }

    fn store(&mut self, name: &str, v: i64) -> Result<(), String> {
        if self.skip == 0 {
            self.vars.set_var_arith(name, v)?;
        }
        Ok(())
    }

    fn assign(&mut self) -> Result<i64, String> {
        if let (Some(T::Name(n)), Some(T::Op(op))) = (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            let (n, op) = (n.clone(), *op);
            if op == "=" || (op.ends_with('=') && op.len() >= 2 && !["==", "!=", "<=", ">="].contains(&op)) {
                self.pos += 2;
                let rhs = self.assign()?;
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.var(&n)?;
                    self.apply(&op[..op.len() - 1], cur, rhs)?
                };
                self.store(&n, v)?;
                return Ok(v);
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let c = self.binary(1)?;
        if self.peek() == Some(&T::Op("?")) {
            self.pos += 1;
            if c == 0 {
                self.skip += 1;
            }
            let a = self.assign()?;
            if c == 0 {
                self.skip -= 1;
            }
            if self.peek() != Some(&T::Op(":")) {
                return Err(syntax());
            }
            self.pos += 1;
            if c != 0 {
                self.skip += 1;
            }
            let b = self.assign()?;
            if c != 0 {
                self.skip -= 1;
            }
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn apply(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    if self.skip > 0 {
                        return Ok(0);
                    }
                    return Err("divide by zero".to_string());
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "**" => {
                if b < 0 {
                    return Err("exponent less than 0".to_string());
                }
                a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX))
            }
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => return Err(syntax()),
        })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut lhs = self.unary()?;
        loop {
            let Some(T::Op(op)) = self.peek() else {
                return Ok(lhs);
            };
            let op = *op;
            let Some(prec) = binary_prec(op) else {
                return Ok(lhs);
            };
            if prec < min {
                return Ok(lhs);
            }
            self.pos += 1;
            if op == "&&" || op == "||" {
                let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
                if short {
                    self.skip += 1;
                }
                let rhs = self.binary(prec + 1)?;
                if short {
                    self.skip -= 1;
                }
                lhs = if op == "&&" { i64::from(lhs != 0 && rhs != 0) } else { i64::from(lhs != 0 || rhs != 0) };
                continue;
            }
            let next = if op == "**" { prec } else { prec + 1 };
            let rhs = self.binary(next)?;
            lhs = self.apply(op, lhs, rhs)?;
        }
    }

    fn unary(&mut self) -> Result<i64, String> {
        let Some(t) = self.peek().cloned() else {
            return Err(syntax());
        };
        self.pos += 1;
        match t {
            T::Num(n) => Ok(n),
            T::Name(n) => match self.peek() {
                Some(T::Op(op @ ("++" | "--"))) => {
                    let op = *op;
                    self.pos += 1;
                    let v = self.var(&n)?;
                    self.store(&n, if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) })?;
                    Ok(v)
                }
                _ => self.var(&n),
            },
            T::Op("(") => {
                let v = self.assign()?;
                if self.peek() != Some(&T::Op(")")) {
                    return Err(syntax());
                }
                self.pos += 1;
                Ok(v)
            }
            T::Op(op @ ("++" | "--")) => {
                let Some(T::Name(n)) = self.peek().cloned() else {
                    return Err(syntax());
                };
                self.pos += 1;
                let v = self.var(&n)?;
                let v = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                self.store(&n, v)?;
                Ok(v)
            }
            T::Op("-") => Ok(self.unary()?.wrapping_neg()),
            T::Op("+") => self.unary(),
            T::Op("!") => Ok(i64::from(self.unary()? == 0)),
            T::Op("~") => Ok(!self.unary()?),
            _ => Err(syntax()),
        }
    }
}

fn eval_nested(text: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    thread_local!(static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
    let d = DEPTH.with(|d| d.get());
    if d > 20 {
        return Err("expression recursion loop detected".to_string());
    }
    DEPTH.with(|x| x.set(d + 1));
    let r = eval(text, vars);
    DEPTH.with(|x| x.set(d));
    r
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    struct M(BTreeMap<String, String>);
    impl Vars for M {
        fn get_var(&self, n: &str) -> Option<String> {
            self.0.get(n).cloned()
        }
        fn set_var_arith(&mut self, n: &str, v: i64) -> Result<(), String> {
            self.0.insert(n.into(), v.to_string());
            Ok(())
        }
    }

    #[test]
    fn expressions() {
        let mut m = M(BTreeMap::new());
        m.0.insert("x".into(), "5".into());
        assert_eq!(eval("1 + 2 * 3", &mut m), Ok(7));
        assert_eq!(eval("(1 + 2) * 3", &mut m), Ok(9));
        assert_eq!(eval("x * 2", &mut m), Ok(10));
        assert_eq!(eval("x += 1", &mut m), Ok(6));
        assert_eq!(m.0["x"], "6");
        assert_eq!(eval("x++", &mut m), Ok(6));
        assert_eq!(eval("x", &mut m), Ok(7));
        assert_eq!(eval("2 ** 10", &mut m), Ok(1024));
        assert_eq!(eval("7 % 3 == 1 && 0x10 == 16", &mut m), Ok(1));
        assert_eq!(eval("1 ? 2 : 3", &mut m), Ok(2));
        assert_eq!(eval("-3 / 2", &mut m), Ok(-1));
        assert_eq!(eval("010", &mut m), Ok(8));
        assert_eq!(eval("1 / 0", &mut m), Err("divide by zero".into()));
        assert!(eval("1 +", &mut m).is_err());
        assert_eq!(eval("0 && 1/0", &mut m), Ok(0));
    }
}
