//! Command-line option parsing in the style of BusyBox's getopt32 (GNU getopt underneath):
//! clustered flags (`-la`), flags with a value (`-n 5`, `-n5`), `--` ends options, and options
//! may follow operands unless the spec starts with `+`.

/// Parsed options: each flag with how often it was given, values in order, then operands.
#[derive(Debug, Default)]
pub struct Opts {
    flags: Vec<char>,
    values: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, c: char) -> bool {
        self.flags.contains(&c)
    }
    /// How many times flag `c` was given (`-vv`).
    pub fn count(&self, c: char) -> usize {
        self.flags.iter().filter(|&&f| f == c).count()
    }
    /// The last value given for option `c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| *k == c).map(|(_, v)| v.as_str())
    }
    /// Every value given for option `c`, in order.
    pub fn values(&self, c: char) -> Vec<&str> {
        self.values.iter().filter(|(k, _)| *k == c).map(|(_, v)| v.as_str()).collect()
    }
}

/// Parses `args` (without argv[0]) against `spec` ("ab:c": `b` takes a value).
/// Errors are BusyBox's messages: `invalid option -- 'x'`, `option requires an argument -- 'b'`.
pub fn parse(args: &[String], spec: &str) -> Result<Opts, String> {
    let (stop_at_operand, spec) = match spec.strip_prefix('+') {
        Some(s) => (true, s),
        None => (false, spec),
    };
    let takes_value = |c: char| -> Option<bool> {
        let mut it = spec.chars().peekable();
        while let Some(x) = it.next() {
            let v = it.peek() == Some(&':');
            if v {
                it.next();
            }
            if x == c {
                return Some(v);
            }
        }
        None
    };
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.operands.extend(args[i..].iter().cloned());
            break;
        }
        if a.len() < 2 || !a.starts_with('-') {
            o.operands.push(a.clone());
            if stop_at_operand {
                o.operands.extend(args[i..].iter().cloned());
                break;
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            match takes_value(c) {
                None => return Err(format!("invalid option -- '{c}'")),
                Some(false) => o.flags.push(c),
                Some(true) => {
                    let v: String = if j < chars.len() {
                        chars[j..].iter().collect()
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!("option requires an argument -- '{c}'"));
                    };
                    o.flags.push(c);
                    o.values.push((c, v));
                    j = chars.len();
                }
            }
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clusters_values_and_permutation() {
        let o = parse(&v(&["-la", "x", "-n5", "-d", ":", "--", "-z"]), "lan:d:").unwrap();
        assert!(o.has('l') && o.has('a'));
        assert_eq!(o.value('n'), Some("5"));
        assert_eq!(o.value('d'), Some(":"));
        assert_eq!(o.operands, v(&["x", "-z"]));
        assert_eq!(parse(&v(&["-q"]), "a").unwrap_err(), "invalid option -- 'q'");
        let o = parse(&v(&["a", "-l"]), "+l").unwrap();
        assert_eq!(o.operands, v(&["a", "-l"]));
    }
}
