//! Variable substitution: BuildKit's shell-lexer rules, word splitting, heredoc bodies, the
//! text shown for build steps, and which instruction words get expanded.

use super::{one, s, strings};
use crate::image::build::{expand, expand_for_display, expand_heredoc, expand_words, Instruction};

fn env(name: &str) -> Option<String> {
    match name {
        "PWD" => Some(s("/home")),
        "SHELL" => Some(s("bash")),
        "KOREAN" => Some(s("한국어")),
        "NULL" => Some(s("")),
        "space" => Some(s("abc  def")),
        "leading" => Some(s("  ab c")),
        "FILE" => Some(s("archive.tar.gz")),
        "PATHS" => Some(s("/usr/local/bin:/usr/bin:/bin")),
        _ => None,
    }
}

fn x(word: &str) -> Result<String, String> {
    expand(word, &env, '\\').map_err(|e| e.to_string())
}

#[test]
fn expansion_table() {
    // Pairs of input and expected output, with the variables of `env`.
    let table = [
        ("hello", "hello"),
        ("he'll'o", "hello"),
        ("he\\'llo", "he'llo"),
        ("abc\\tdef", "abctdef"),
        ("\"abc\\tdef\"", "abc\\tdef"),
        ("\"abc\\\\tdef\"", "abc\\tdef"),
        ("'abc\\tdef'", "abc\\tdef"),
        ("hello\\", "hello"),
        ("hello\\\\", "hello\\"),
        ("\"hel'lo\"", "hel'lo"),
        ("'hello\\'", "hello\\"),
        ("\"''\"", "''"),
        ("$.", "$."),
        ("he$1x", "hex"),
        ("he$PWD", "he/home"),
        ("he\\$PWD", "he$PWD"),
        ("he\\\\$PWD", "he\\/home"),
        ("\"he\\$PWD\"", "he$PWD"),
        ("\\${}", "${}"),
        ("he${hi}xx", "hexx"),
        ("he${PWD}", "he/home"),
        ("he${XXX:-000}xx", "he000xx"),
        ("he${PWD:-000}xx", "he/homexx"),
        ("he${XXX:-$PWD}xx", "he/homexx"),
        ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"),
        ("he${PWD?}", "he/home"),
        ("he${NULL?}", "he"),
        ("he${XXX:+${PWD}}xx", "hexx"),
        ("he${PWD:+${SHELL}}xx", "hebashxx"),
        ("he${NULL:+000}xx", "hexx"),
        ("he${NULL+000}xx", "he000xx"),
        ("he${NULL-000}xx", "hexx"),
        ("he${NULL:-000}xx", "he000xx"),
        ("he${XXX-000}xx", "he000xx"),
        ("'he${XX}'", "he${XX}"),
        ("\"he'$PWD'\"", "he'/home'"),
        ("'\\$PWD'", "\\$PWD"),
        ("he${PWD:+${PWD}:}xx", "he/home:xx"),
        ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"),
        ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"),
        ("안녕$KOREAN", "안녕한국어"),
        ("${aaa}}", "}"),
        ("${aaa:-bbb {foo}", "bbb {foo"),
        ("$@@@", "@@"),
        ("${999:-bbb}aaa", "bbbaaa"),
        ("$$", ""),
        ("${FILE%.gz}", "archive.tar"),
        ("${FILE%%.*}", "archive"),
        ("${FILE#*.}", "tar.gz"),
        ("${FILE##*.}", "gz"),
        ("${FILE#nothing}", "archive.tar.gz"),
        ("${PATHS/bin/sbin}", "/usr/local/sbin:/usr/bin:/bin"),
        ("${PATHS//bin/sbin}", "/usr/local/sbin:/usr/sbin:/sbin"),
        ("${PATHS//\\//|}", "|usr|local|bin:|usr|bin:|bin"),
        ("${FILE/#/x}", "archive.tar.gz"),
        ("${XXX//a/b}", ""),
    ];
    for (input, want) in table {
        assert_eq!(x(input).as_deref(), Ok(want), "{input}");
    }
}

#[test]
fn expansion_errors() {
    let table = [
        ("he'llo", "unexpected end of statement while looking for matching single-quote"),
        ("\"hello", "unexpected end of statement while looking for matching double-quote"),
        ("\"hello\\\"", "unexpected end of statement while looking for matching double-quote"),
        ("${}", "syntax error: bad substitution"),
        ("he${:-x}", "syntax error: bad substitution"),
        ("${", "syntax error: missing '}'"),
        ("${aaa:-bbb", "syntax error: missing '}'"),
        ("he${PWD", "unsupported modifier (\u{fffd}) in substitution"),
        ("he${.}", "unsupported modifier (.) in substitution"),
        ("he${XXX:YYY}", "unsupported modifier (:Y) in substitution"),
        ("he${PWD:=000}xx", "unsupported modifier (:=) in substitution"),
        ("${FILE:#x}", "unsupported modifier (:#) in substitution"),
        ("he${XXX?}", "XXX: is not allowed to be unset"),
        ("he${NULL:?}", "NULL: is not allowed to be empty"),
        ("${XXX:?set it with --build-arg}", "XXX: set it with --build-arg"),
        ("${FILE#\\x}", "invalid pattern (\\x) in substitution: invalid escape '\\x'"),
        ("${FILE/a", "syntax error: missing '/' in ${}"),
    ];
    for (input, want) in table {
        assert_eq!(x(input), Err(format!("failed to process {input:?}: {want}")), "{input}");
    }
}

#[test]
fn backtick_escape() {
    assert_eq!(expand("C:\\Windows `$PWD", &env, '`').as_deref(), Ok("C:\\Windows $PWD"));
    assert_eq!(expand("\"a`\"b\"", &env, '`').as_deref(), Ok("a\"b"));
}

#[test]
fn word_splitting_after_expansion() {
    let w = |input: &str| expand_words(input, &env, '\\').map_err(|e| e.to_string());
    assert_eq!(w("hello${space}bye"), Ok(strings(&["helloabc", "defbye"])));
    assert_eq!(w("hello\"${space}\"bye"), Ok(strings(&["helloabc  defbye"])));
    assert_eq!(w("hello${leading}def"), Ok(strings(&["hello", "ab", "cdef"])));
    assert_eq!(w("hello\\ there"), Ok(strings(&["hello there"])));
    assert_eq!(w("hello\\\" there"), Ok(strings(&["hello\"", "there"])));
    assert_eq!(w("80 443/udp"), Ok(strings(&["80", "443/udp"])));
    assert!(w("hello\" there").is_err());
}

#[test]
fn heredoc_bodies_expand_dollars_but_keep_quotes() {
    assert_eq!(expand_heredoc("echo \"$PWD\" '$SHELL' \\$X\n", &env).as_deref(), Ok("echo \"/home\" 'bash' $X\n"));
}

#[test]
fn display_text_keeps_quotes_and_unknown_variables() {
    assert_eq!(
        expand_for_display("RUN echo \"$PWD\" $UNKNOWN ${NOPE:-x} '$SHELL'", &env, '\\'),
        "RUN echo \"/home\" $UNKNOWN ${NOPE:-x} '$SHELL'"
    );
    assert_eq!(expand_for_display("RUN echo 'oops", &env, '\\'), "RUN echo 'oops");
}

#[test]
fn instructions_expand_their_words() {
    let vars = |name: &str| match name {
        "APP" => Some(s("/srv/app")),
        "PORTS" => Some(s("80 443")),
        "USERNAME" => Some(s("www")),
        "V" => Some(s("2")),
        _ => None,
    };
    let exp = |line: &str| one(line).expanded(&vars, '\\').map_err(|e| e.to_string());
    assert_eq!(
        exp(r#"ENV DIR="$APP/data" LEGACY=${V:-1} 'Q'=x"#),
        Ok(Instruction::Env(vec![(s("DIR"), s("/srv/app/data")), (s("LEGACY"), s("2")), (s("Q"), s("x")),]))
    );
    assert_eq!(exp("ENV MSG hello   $USERNAME"), Ok(Instruction::Env(vec![(s("MSG"), s("hello   www"))])));
    assert_eq!(exp("WORKDIR $APP"), Ok(Instruction::Workdir(s("/srv/app"))));
    assert_eq!(exp("USER ${USERNAME}:${USERNAME}"), Ok(Instruction::User(s("www:www"))));
    assert_eq!(exp("EXPOSE $PORTS 8080"), Ok(Instruction::Expose(strings(&["80", "443", "8080"]))));
    assert_eq!(exp("VOLUME $APP/data"), Ok(Instruction::Volume(strings(&["/srv/app/data"]))));
    assert_eq!(exp("STOPSIGNAL SIG${NOPE:-TERM}"), Ok(Instruction::StopSignal(s("SIGTERM"))));
    match exp("COPY --chown=$USERNAME src/ $APP/") {
        Ok(Instruction::Copy(c)) => assert_eq!((c.chown.as_deref(), c.dest.as_str()), (Some("www"), "/srv/app/")),
        other => panic!("{other:?}"),
    }
    match exp("COPY <<EOF <<'RAW' /etc/\n$APP\nEOF\n$APP\nRAW") {
        Ok(Instruction::Copy(c)) => {
            let bodies: Vec<_> = c.heredocs.iter().map(|h| h.content.as_str()).collect();
            assert_eq!(bodies, vec!["/srv/app\n", "$APP\n"]);
        }
        other => panic!("{other:?}"),
    }
    // The shell expands RUN, CMD and ENTRYPOINT, not the parser.
    assert_eq!(exp("RUN echo $APP"), Ok(one("RUN echo $APP")));
    assert_eq!(exp("CMD echo $APP"), Ok(one("CMD echo $APP")));
    assert_eq!(
        exp("WORKDIR ${APP"),
        Err(s("failed to process \"${APP\": unsupported modifier (\u{fffd}) in substitution"))
    );
}
