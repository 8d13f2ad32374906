//! awk's built-in functions (`length substr index split sub gsub match sprintf tolower toupper
//! int sqrt exp log sin cos atan2 rand srand system`) and the `printf` formatting they share.

use super::*;

impl Awk {
    pub(super) fn call(&mut self, name: &str, args: &[Expr]) -> R<Val> {
        let mut vals = Vec::new();
        let lazy = matches!(name, "split" | "sub" | "gsub" | "match");
        if !lazy {
            for a in args {
                vals.push(self.eval(a)?);
            }
        }
        let arg = |i: usize| vals.get(i).cloned().unwrap_or(Val::Uninit);
        Ok(match name {
            "length" => match args.first() {
                None => Val::Num(self.record.chars().count() as f64),
                Some(Expr::Var(a)) if self.arrays.contains_key(a) => Val::Num(self.arrays[a].len() as f64),
                Some(_) => Val::Num(arg(0).str().chars().count() as f64),
            },
            "substr" => {
                let s: Vec<char> = arg(0).str().chars().collect();
                let start = arg(1).num().round();
                let len = if vals.len() > 2 { arg(2).num().round() } else { f64::INFINITY };
                let from = start.max(1.0);
                let to = (start + len).min(s.len() as f64 + 1.0);
                if to <= from {
                    Val::Str(String::new())
                } else {
                    Val::Str(s[(from as usize - 1)..(to as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let (s, t) = (arg(0).str(), arg(1).str());
                Val::Num(s.find(&t).map_or(0, |i| s[..i].chars().count() + 1) as f64)
            }
            "split" => {
                let s = match args.first() {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let Some(Expr::Var(arr)) = args.get(1) else {
                    return Ok(Val::Num(0.0));
                };
                let fs = match args.get(2) {
                    Some(Expr::Re(r)) => r.as_str().to_string(),
                    Some(e) => self.eval(e)?.str(),
                    None => self.var_str("FS"),
                };
                let parts = self.split(&s, &fs);
                let map = self.arrays.entry(arr.clone()).or_default();
                map.clear();
                for (i, p) in parts.iter().enumerate() {
                    map.insert((i + 1).to_string(), Val::StrNum(p.clone()));
                }
                Val::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let Some(re) = (match args.first() {
                    Some(e) => self.match_re(e)?,
                    None => None,
                }) else {
                    return Ok(Val::Num(0.0));
                };
                let rep = match args.get(1) {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let s = self.eval(&target)?.str();
                let mut out = String::new();
                let mut last = 0;
                let mut n = 0;
                for m in re.find_iter(&s) {
                    out.push_str(&s[last..m.start()]);
                    let mut chars = rep.chars().peekable();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' if chars.peek() == Some(&'&') => {
                                chars.next();
                                out.push('&');
                            }
                            '&' => out.push_str(m.as_str()),
                            _ => out.push(c),
                        }
                    }
                    last = m.end();
                    n += 1;
                    if name == "sub" {
                        break;
                    }
                }
                if n > 0 {
                    out.push_str(&s[last..]);
                    self.assign(&target, Val::Str(out))?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = match args.first() {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let re = match args.get(1) {
                    Some(e) => self.match_re(e)?,
                    None => None,
                };
                let (start, len) = match re.and_then(|r| r.find(&s).map(|m| (m.start(), m.end()))) {
                    Some((a, b)) => (s[..a].chars().count() as f64 + 1.0, s[a..b].chars().count() as f64),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Val::Num(start));
                self.vars.insert("RLENGTH".into(), Val::Num(len));
                Val::Num(start)
            }
            "sprintf" => Val::Str(self.format(&vals)),
            "tolower" => Val::Str(arg(0).str().to_lowercase()),
            "toupper" => Val::Str(arg(0).str().to_uppercase()),
            "int" => Val::Num(arg(0).num().trunc()),
            "sqrt" => Val::Num(arg(0).num().sqrt()),
            "exp" => Val::Num(arg(0).num().exp()),
            "log" => Val::Num(arg(0).num().ln()),
            "sin" => Val::Num(arg(0).num().sin()),
            "cos" => Val::Num(arg(0).num().cos()),
            "atan2" => Val::Num(arg(0).num().atan2(arg(1).num())),
            "rand" => {
                self.rand_state = self.rand_state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                Val::Num((self.rand_state >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let old = self.rand_state;
                self.rand_state = if vals.is_empty() { util::now() as u64 } else { arg(0).num() as u64 };
                Val::Num(old as f64)
            }
            "system" => {
                let _ = self.out.flush();
                let cmd = arg(0).str();
                Val::Num(f64::from(util::process::run("awk", &["sh".to_string(), "-c".to_string(), cmd])))
            }
            "close" | "fflush" => {
                let _ = self.out.flush();
                self.files.remove(&arg(0).str());
                Val::Num(0.0)
            }
            other => {
                err("awk", format_args!("function '{other}' is not supported"));
                return Err(Flow::Exit(2));
            }
        })
    }

    pub(super) fn format(&self, vals: &[Val]) -> String {
        let Some(fmt) = vals.first() else {
            return String::new();
        };
        let args: Vec<String> = vals[1..]
            .iter()
            .map(|v| match v {
                Val::Num(n) => num_to_str(*n),
                other => other.str(),
            })
            .collect();
        // Reuse the printf applet's engine; numbers go through their string form.
        let mut all = vec![fmt.str()];
        all.extend(args);
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let fmt_only: Vec<String> = all.clone();
        crate::applets::printf::printf_once(&fmt_only, &mut out, &mut errs);
        String::from_utf8_lossy(&out).into_owned()
    }
}
