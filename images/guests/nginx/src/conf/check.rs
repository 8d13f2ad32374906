//! The first pass over the tree: every directive must be known, allowed where it is, have as
//! many arguments as it takes, a block if it opens one, and `on`/`off` if it is a flag. The
//! messages are nginx's.

use super::table::{self, Args, Ctx, MAIN, TYPES};
use super::tree::{ConfError, Directive};

/// Checks the whole configuration (the main file's top level is the `main` context).
pub fn check(tree: &[Directive]) -> Result<(), ConfError> {
    check_block(tree, MAIN)
}

fn check_block(block: &[Directive], ctx: Ctx) -> Result<(), ConfError> {
    for d in block {
        let err = |m: String| Err(ConfError::new(m, Some(d.at())));
        if ctx == TYPES {
            // `text/html html htm;`: a type and its extensions.
            if d.block.is_some() || d.args.is_empty() {
                return err("invalid number of arguments in \"types\" directive".into());
            }
            continue;
        }
        let candidates: Vec<&table::Spec> = table::SPECS.iter().filter(|s| s.name == d.name).collect();
        if candidates.is_empty() {
            return err(format!("unknown directive \"{}\"", d.name));
        }
        let Some(spec) = candidates.iter().find(|s| s.ctx & ctx != 0) else {
            return err(format!("\"{}\" directive is not allowed here", d.name));
        };
        if spec.block && d.block.is_none() {
            return err(format!("directive \"{}\" has no opening \"{{\"", d.name));
        }
        if !spec.block && d.block.is_some() {
            return err(format!("directive \"{}\" is not terminated by \";\"", d.name));
        }
        if !spec.args.accepts(d.args.len()) {
            return err(format!("invalid number of arguments in \"{}\" directive", d.name));
        }
        if spec.unsupported {
            return err(format!("\"{}\" directive is not supported by this playground's nginx", d.name));
        }
        if spec.args == Args::Flag && d.args[0] != "on" && d.args[0] != "off" {
            return err(format!(
                "invalid value \"{}\" in \"{}\" directive, it must be \"on\" or \"off\"",
                d.args[0], d.name
            ));
        }
        if let Some(inner) = &d.block {
            check_block(inner, table::inner_context(&d.name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tree::{load, tests_support::mem};
    use super::*;

    fn err(text: &str) -> String {
        let tree = load(&mem(&[("/c", text)]), "/c", "/").unwrap();
        check(&tree).unwrap_err().to_string()
    }

    #[test]
    fn nginx_messages_for_each_mistake() {
        assert_eq!(err("http {\n server {\n  foo bar;\n }\n}"), "unknown directive \"foo\" in /c:3");
        assert_eq!(err("listen 80;"), "\"listen\" directive is not allowed here in /c:1");
        assert_eq!(err("http { server { listen; } }"), "invalid number of arguments in \"listen\" directive in /c:1");
        assert_eq!(err("http { server; }"), "directive \"server\" has no opening \"{\" in /c:1");
        assert_eq!(err("http { root /x { } }"), "directive \"root\" is not terminated by \";\" in /c:1");
        assert_eq!(
            err("http { sendfile yes; }"),
            "invalid value \"yes\" in \"sendfile\" directive, it must be \"on\" or \"off\" in /c:1"
        );
        assert_eq!(
            err("http { server { if ($x) { } } }"),
            "\"if\" directive is not supported by this playground's nginx in /c:1"
        );
    }

    #[test]
    fn a_server_is_a_block_in_http_and_an_address_in_upstream() {
        let tree =
            load(&mem(&[("/c", "http { upstream b { server a:80 weight=2; } server { listen 80; } }")]), "/c", "/")
                .unwrap();
        check(&tree).unwrap();
    }
}
