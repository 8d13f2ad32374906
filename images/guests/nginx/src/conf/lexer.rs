//! nginx's configuration syntax, token by token: words separated by blanks, `;` ending a
//! directive, `{` and `}` around a block, `#` comments to the end of the line, `"..."` and
//! `'...'` quoting, and backslash escapes (`\"`, `\\`, `\t`, `\n`; any other backslash stays, so
//! regexes like `\.php$` need no doubling). `${name}` keeps its braces inside a word.

/// One token and the line it ends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    Semicolon,
    Open,
    Close,
}

/// A syntax error, with nginx's wording (`unexpected "}"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub message: String,
    pub line: usize,
}

/// Splits `text` into tokens with their line numbers (1-based).
pub fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' => {
                out.push((Token::Semicolon, line));
                i += 1;
            }
            '{' => {
                out.push((Token::Open, line));
                i += 1;
            }
            '}' => {
                out.push((Token::Close, line));
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let mut word = String::new();
                i += 1;
                loop {
                    let Some(&ch) = chars.get(i) else {
                        return Err(LexError {
                            message: "unexpected end of file, expecting \";\" or \"}\"".into(),
                            line,
                        });
                    };
                    if ch == quote {
                        i += 1;
                        break;
                    }
                    if ch == '\n' {
                        line += 1;
                    }
                    i += escape(&chars, i, &mut word);
                }
                if let Some(&next) = chars.get(i) {
                    if !(next.is_whitespace() || next == ';' || next == '{') {
                        return Err(LexError { message: format!("unexpected \"{next}\""), line });
                    }
                }
                out.push((Token::Word(word), line));
            }
            _ => {
                let mut word = String::new();
                let mut braces = 0usize;
                while let Some(&ch) = chars.get(i) {
                    if ch == '{' && word.ends_with('$') {
                        braces += 1;
                        word.push(ch);
                        i += 1;
                        continue;
                    }
                    if ch == '}' && braces > 0 {
                        braces -= 1;
                        word.push(ch);
                        i += 1;
                        continue;
                    }
                    if ch.is_whitespace() || ch == ';' || ch == '{' || ch == '}' {
                        break;
                    }
                    i += escape(&chars, i, &mut word);
                }
                out.push((Token::Word(word), line));
            }
        }
    }
    Ok(out)
}

/// Copies the character at `i` (with its escape) into `word`; returns how many it took.
fn escape(chars: &[char], i: usize, word: &mut String) -> usize {
    if chars[i] != '\\' {
        word.push(chars[i]);
        return 1;
    }
    match chars.get(i + 1) {
        Some(&c @ ('"' | '\'' | '\\')) => word.push(c),
        Some('t') => word.push('\t'),
        Some('r') => word.push('\r'),
        Some('n') => word.push('\n'),
        Some(&c) => {
            word.push('\\');
            word.push(c);
        }
        None => {
            word.push('\\');
            return 1;
        }
    }
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|(t, _)| match t {
                Token::Word(w) => w,
                Token::Semicolon => ";".into(),
                Token::Open => "{".into(),
                Token::Close => "}".into(),
            })
            .collect()
    }

    #[test]
    fn words_quotes_comments_and_escapes() {
        assert_eq!(
            words("location ~ \\.php$ { # comment\n return 200 \"a \\\"b\\\"\\n\"; add_header X 'single'; }"),
            ["location", "~", "\\.php$", "{", "return", "200", "a \"b\"\n", ";", "add_header", "X", "single", ";", "}"]
        );
        assert_eq!(words("return 200 ${host}x;"), ["return", "200", "${host}x", ";"]);
        assert_eq!(words("a#b c;"), ["a#b", "c", ";"]);
    }

    #[test]
    fn lines_count_and_errors_use_nginx_wording() {
        let t = tokenize("a;\n\nb {\n}").unwrap();
        assert_eq!(t.iter().map(|(_, l)| *l).collect::<Vec<_>>(), [1, 1, 3, 3, 4]);
        assert_eq!(tokenize("x \"abc").unwrap_err().message, "unexpected end of file, expecting \";\" or \"}\"");
        assert_eq!(tokenize("x \"abc\"d;").unwrap_err().message, "unexpected \"d\"");
    }
}
