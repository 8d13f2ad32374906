//! Dockerfile parser: any text goes through `parse`, then everything built on its result
//! (expansion of every instruction, warnings), and through the expansion functions directly.
//! Nothing may panic; rejected input must come back as a `ParseError`.

#![no_main]

use engine::image::build::{
    expand, expand_for_display, expand_heredoc, expand_words, parse, render_warnings,
};
use libfuzzer_sys::fuzz_target;

/// A few variables with short values (pattern substitutions cost value × pattern).
fn vars(name: &str) -> Option<String> {
    match name {
        "A" => Some("a.b.c".into()),
        "EMPTY" => Some(String::new()),
        "PORTS" => Some("80 443/udp".into()),
        "SPACES" => Some("  x  y ".into()),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(file) => {
            let _ = render_warnings(file.warnings());
            let escape = file.directives.escape;
            for stage in &file.stages {
                let _ = expand(&stage.from, &vars, escape);
                for step in &stage.instructions {
                    assert!(step.line <= step.end_line);
                    let _ = step.value.expanded(&vars, escape);
                    let _ = expand_for_display(&step.text, &vars, escape);
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    for escape in ['\\', '`'] {
        let _ = expand(&text, &vars, escape);
        let _ = expand_words(&text, &vars, escape);
    }
    let _ = expand_heredoc(&text, &vars);
});
