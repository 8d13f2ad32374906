//! `cat [-nbv] [FILE]...`: copies files (or stdin) to stdout, streaming.

use std::io::{self, Read, Write};

use crate::util::{self, opts};

pub fn main(args: &[String]) -> i32 {
    let o = match opts::parse(&args[1..], "nbvuAeEt") {
        Ok(o) => o,
        Err(e) => return super::usage_error("cat", &e),
    };
    let number = o.has('n') || o.has('b');
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut out = util::stdout();
    let mut status = 0;
    let mut line_no = 0u64;
    let mut at_start = true;
    for f in &files {
        let mut input: Box<dyn Read> = if f == "-" {
            Box::new(io::stdin())
        } else {
            match std::fs::File::open(f) {
                Ok(file) => Box::new(file),
                Err(e) => {
                    util::err("cat", format_args!("can't open '{f}': {}", util::errstr(&e)));
                    status = 1;
                    continue;
                }
            }
        };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    util::err("cat", format_args!("read error: {f}: {}", util::errstr(&e)));
                    status = 1;
                    break;
                }
            };
            let r = if number {
                let mut chunk = Vec::with_capacity(n + 64);
                for &b in &buf[..n] {
                    if at_start && !(o.has('b') && b == b'\n') {
                        line_no += 1;
                        chunk.extend_from_slice(format!("{line_no:6}\t").as_bytes());
                    }
                    chunk.push(b);
                    at_start = b == b'\n';
                }
                out.write_all(&chunk)
            } else {
                out.write_all(&buf[..n])
            };
            if let Err(e) = r {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return 141;
                }
                util::err("cat", format_args!("write error: {}", util::errstr(&e)));
                return 1;
            }
        }
    }
    util::finish(&mut out, "cat", status)
}
