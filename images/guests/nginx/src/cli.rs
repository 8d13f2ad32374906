//! nginx's command line: `-v`, `-V`, `-t`, `-T`, `-q`, `-s signal`, `-p prefix`, `-c file`,
//! `-e file`, `-g directives`, `-h`; single-letter flags combine (`-tq`), and a value may follow
//! its letter directly (`-sreload`).

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    pub help: bool,
    pub version: bool,
    pub configure: bool,
    pub test: bool,
    pub dump: bool,
    pub quiet: bool,
    pub signal: Option<String>,
    pub prefix: Option<String>,
    pub conf: Option<String>,
    pub error_log: Option<String>,
    pub globals: Option<String>,
}

pub const USAGE: &str = "Usage: nginx [-?hvVtTq] [-s signal] [-p prefix]
             [-e filename] [-c filename] [-g directives]

Options:
  -?,-h         : this help
  -v            : show version and exit
  -V            : show version and configure options then exit
  -t            : test configuration and exit
  -T            : test configuration, dump it and exit
  -q            : suppress non-error messages during configuration testing
  -s signal     : send signal to a master process: stop, quit, reopen, reload
  -p prefix     : set prefix path (default: /etc/nginx/)
  -e filename   : set error log file (default: /var/log/nginx/error.log)
  -c filename   : set configuration file (default: /etc/nginx/nginx.conf)
  -g directives : set global directives out of configuration file
";

/// Parses the arguments (without the program name); the error is nginx's message.
pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let Some(flags) = arg.strip_prefix('-') else {
            return Err(format!("invalid option: \"{arg}\""));
        };
        let chars: Vec<char> = flags.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            let value_slot = match c {
                '?' | 'h' => {
                    o.help = true;
                    None
                }
                'v' => {
                    o.version = true;
                    None
                }
                'V' => {
                    o.version = true;
                    o.configure = true;
                    None
                }
                't' => {
                    o.test = true;
                    None
                }
                'T' => {
                    o.test = true;
                    o.dump = true;
                    None
                }
                'q' => {
                    o.quiet = true;
                    None
                }
                's' | 'p' | 'c' | 'e' | 'g' => Some(c),
                _ => return Err(format!("invalid option: \"{}\"", &flags[j - 1..])),
            };
            let Some(letter) = value_slot else { continue };
            let value = if j < chars.len() {
                let v: String = chars[j..].iter().collect();
                j = chars.len();
                v
            } else {
                i += 1;
                match args.get(i) {
                    Some(v) => v.clone(),
                    None => {
                        let what = match letter {
                            's' => "\"-s\" requires parameter",
                            'p' => "\"-p\" requires directory name",
                            'c' => "\"-c\" requires file name",
                            'e' => "\"-e\" requires file name",
                            _ => "\"-g\" requires parameter",
                        };
                        return Err(what.to_string());
                    }
                }
            };
            match letter {
                's' => {
                    if !["stop", "quit", "reopen", "reload"].contains(&value.as_str()) {
                        return Err(format!("invalid option: \"-s {value}\""));
                    }
                    o.signal = Some(value);
                }
                'p' => o.prefix = Some(value),
                'c' => o.conf = Some(value),
                'e' => o.error_log = Some(value),
                _ => o.globals = Some(value),
            }
        }
        i += 1;
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_as_nginx_reads_them() {
        let o = parse(&args("-tq -c /tmp/n.conf")).unwrap();
        assert!(o.test && o.quiet && o.conf.as_deref() == Some("/tmp/n.conf"));
        assert_eq!(parse(&args("-sreload")).unwrap().signal.as_deref(), Some("reload"));
        assert_eq!(parse(&["-g".into(), "daemon off;".into()]).unwrap().globals.as_deref(), Some("daemon off;"));
        assert_eq!(parse(&args("-s restart")).unwrap_err(), "invalid option: \"-s restart\"");
        assert_eq!(parse(&args("-x")).unwrap_err(), "invalid option: \"x\"");
        assert_eq!(parse(&args("start")).unwrap_err(), "invalid option: \"start\"");
        assert_eq!(parse(&args("-c")).unwrap_err(), "\"-c\" requires file name");
    }
}
