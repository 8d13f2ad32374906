//! Robustness: thousands of random and mutated Dockerfiles go through the parser, the
//! expansion and the lints. None may panic; every failure must be an error with a message.

use super::course::ALL;
use crate::image::build::{expand, parse, render_warnings};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that reach the parser's corners.
const TOKENS: &[&str] = &[
    "\\\n",
    "`\n",
    "\n",
    " ",
    "\t",
    "\r\n",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "# syntax=x\n",
    "<<EOF\n",
    "<<-EOF\n",
    "<<'EOF'",
    "EOF\n",
    "\tEOF\n",
    "3<<X ",
    "${",
    "}",
    "$",
    "${A:-",
    "${A#",
    "${A//",
    "\"",
    "'",
    "[",
    "]",
    "[\"a\", 1]",
    "[\"a\"]",
    ",",
    "--",
    "--from=",
    "--mount=",
    "--link=",
    "=",
    "AS ",
    "as ",
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "--interval=",
    "1.5h",
    "-1s",
    "CMD ",
    "NONE ",
    "SHELL ",
    "EXPOSE ",
    "VOLUME ",
    "MAINTAINER ",
    "STOPSIGNAL ",
    "WORKDIR ",
    "USER ",
    "\u{feff}",
    "\u{a0}",
    "é",
    "\0",
];

fn vars(name: &str) -> Option<String> {
    match name {
        "A" => Some("a.b.c".into()),
        "EMPTY" => Some(String::new()),
        _ => None,
    }
}

/// Parses, and if it succeeds exercises everything built on the result.
fn exercise(text: &str) {
    match parse(text) {
        Ok(file) => {
            let _ = render_warnings(file.warnings());
            for stage in &file.stages {
                let _ = expand(&stage.from, &vars, file.directives.escape);
                for i in &stage.instructions {
                    let _ = i.value.expanded(&vars, file.directives.escape);
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty(), "{text:?}"),
    }
}

#[test]
fn random_bytes_do_not_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = rng.below(160);
        let mut bytes = Vec::with_capacity(len);
        while bytes.len() < len {
            if rng.below(3) == 0 {
                bytes.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes());
            } else {
                bytes.push(rng.next() as u8);
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        exercise(&text);
        let _ = expand(&text, &vars, '\\');
    }
}

#[test]
fn mutated_course_dockerfiles_do_not_panic() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for round in 0..2500 {
        let (_, base) = ALL[round % ALL.len()];
        let mut text: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(4) {
                0 => {
                    let token = TOKENS[rng.below(TOKENS.len())];
                    text.splice(at..at, token.chars());
                }
                1 => {
                    let end = (at + rng.below(12)).min(text.len());
                    text.drain(at..end);
                }
                2 => {
                    let end = (at + rng.below(24)).min(text.len());
                    let copy: Vec<char> = text[at..end].to_vec();
                    let to = rng.below(text.len() + 1);
                    text.splice(to..to, copy);
                }
                _ => {
                    if let Some(c) = text.get_mut(at) {
                        *c = char::from(rng.next() as u8);
                    }
                }
            }
        }
        exercise(&text.into_iter().collect::<String>());
    }
}

#[test]
fn deep_nesting_does_not_exhaust_the_stack() {
    // Run on a small stack (the page has 1 MiB; debug frames are several times larger).
    let big = std::thread::Builder::new().stack_size(512 * 1024).spawn(|| {
        let onbuilds = format!("FROM alpine\n{}RUN x\n", "ONBUILD ".repeat(8000));
        let err = parse(&onbuilds).map(|_| ()).map_err(|e| e.message);
        let nested = format!("{}x{}", "${A:-".repeat(5000), "}".repeat(5000));
        let deep = expand(&nested, &vars, '\\').map_err(|e| e.message);
        let ok = format!("{}x{}", "${NOPE:-".repeat(50), "}".repeat(50));
        (err, deep, expand(&ok, &vars, '\\').map_err(|e| e.message))
    });
    let (onbuild, deep, ok) =
        big.and_then(|t| t.join().map_err(|_| std::io::Error::other("panic"))).expect("no overflow");
    assert_eq!(onbuild, Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into()));
    assert!(deep.is_err_and(|m| m.ends_with("syntax error: substitutions nested too deeply")));
    assert_eq!(ok.as_deref(), Ok("x"));
}

#[test]
fn thousands_of_stages_parse_quickly() {
    let text: String = (0..5000).map(|i| format!("FROM alpine AS s{i}\nRUN true\n")).collect();
    let start = std::time::Instant::now();
    assert_eq!(parse(&text).map(|f| f.stages.len()), Ok(5000));
    assert!(start.elapsed().as_secs() < 5);
}
