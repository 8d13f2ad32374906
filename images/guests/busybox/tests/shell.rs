//! The shell, run natively: scripts in, exact output and exit status out.

mod common;

use common::{check, sh, sh_in};

#[test]
fn pipelines_and_lists() {
    check("echo hello | tr a-z A-Z", "HELLO\n", 0);
    check("echo a; echo b && echo c || echo d", "a\nb\nc\n", 0);
    check("false || echo rescued; false && echo no; echo $?", "rescued\n1\n", 0);
    check("! true; echo $?", "1\n", 0);
    check("printf 'b\\na\\nc\\n' | sort | head -n 2", "a\nb\n", 0);
    check("echo one two | while read a b; do echo \"$b $a\"; done", "two one\n", 0);
    check("f() { echo in-f; }; f | cat", "in-f\n", 0);
    check("{ echo x; echo y; } | wc -l", "2\n", 0);
    check("exit 3", "", 3);
    check("yes | head -n 3", "y\ny\ny\n", 0);
}

#[test]
fn redirections_and_heredocs() {
    check("echo hi > f; cat f; echo more >> f; cat f", "hi\nhi\nmore\n", 0);
    check("cat < /nonexistent 2>/dev/null; echo $?", "1\n", 0);
    check("ls /nonexistent 2>&1 | grep -c nonexistent", "1\n", 0);
    check("x=42; cat <<EOF\nvalue $x\n$(echo sub)\nEOF", "value 42\nsub\n", 0);
    check("cat <<'EOF'\nliteral $x\nEOF", "literal $x\n", 0);
    check("cat <<-EOF\n\tindented\n\tEOF", "indented\n", 0);
    check("echo err >&2 2>/dev/null", "", 0);
    check("exec > out.txt; echo redirected; cat out.txt >&2", "", 0);
    let o = sh("echo to-stderr 1>&2");
    assert_eq!(o.stderr, "to-stderr\n");
}

#[test]
fn expansions() {
    check("x=abc; echo ${x} ${#x} ${y:-def} ${y-} ${x:+alt}", "abc 3 def alt\n", 0);
    check("y=; echo ${y:=set}; echo $y", "set\nset\n", 0);
    check("p=/a/b/c.tar.gz; echo ${p#*/} ${p##*/} ${p%.*} ${p%%.*}", "a/b/c.tar.gz c.tar.gz /a/b/c.tar /a/b/c\n", 0);
    check("s=hello; echo ${s/l/L} ${s//l/L} ${s:1:3}", "heLlo heLLo ell\n", 0);
    check("echo $((1 + 2 * 3)) $((10 / 3)) $((7 % 4)) $((2 ** 8))", "7 3 3 256\n", 0);
    check("i=0; i=$((i + 1)); echo $i", "1\n", 0);
    check("echo $(echo a $(echo b)) `echo c`", "a b c\n", 0);
    check("set -- a 'b c' d; echo $#; for x in \"$@\"; do echo \"[$x]\"; done", "3\n[a]\n[b c]\n[d]\n", 0);
    check("set -- a b; echo \"$*\" $1 $2", "a b a b\n", 0);
    check("x='a  b'; echo $x; echo \"$x\"", "a b\na  b\n", 0);
    check("echo 'single $x' \"double \\$x\" \\$y", "single $x double $x $y\n", 0);
    check("touch a.txt b.txt c.log; echo *.txt; echo *.none", "a.txt b.txt\n*.none\n", 0);
    check("echo [ab].txt 2>/dev/null; touch a.txt; echo ?.txt", "[ab].txt\na.txt\n", 0);
    check("IFS=:; x=a:b:c; for i in $x; do echo $i; done", "a\nb\nc\n", 0);
    check("echo ~ | grep -c /", "1\n", 0);
    check("f() { echo $1-$#; }; f x y", "x-2\n", 0);
}

#[test]
fn control_flow() {
    check("if false; then echo a; elif true; then echo b; else echo c; fi", "b\n", 0);
    check("for i in 1 2 3; do echo $i; done", "1\n2\n3\n", 0);
    check("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n", 0);
    check("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i", "2\n", 0);
    check("for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done", "1\n3\n", 0);
    check("case hello in h*) echo H;; *) echo other;; esac", "H\n", 0);
    check("case x in a|b) echo ab;; x|y) echo xy;; esac", "xy\n", 0);
    check("f() { return 5; }; f; echo $?", "5\n", 0);
    check("f() { local v=inner; echo $v; }; v=outer; f; echo $v", "inner\nouter\n", 0);
    check("x=1; (x=2; echo $x); echo $x", "2\n1\n", 0);
    check("(cd /; pwd); pwd | grep -c work", "/\n1\n", 0);
    check("x=$(exit 4); echo $?", "4\n", 0);
}

#[test]
fn options_and_builtins() {
    check("set -e; echo a; false; echo b", "a\n", 1);
    check("set -e; false || true; if false; then :; fi; echo survived", "survived\n", 0);
    let o = sh("set -x; echo traced");
    assert_eq!(o.stdout, "traced\n");
    assert_eq!(o.stderr, "+ echo traced\n");
    let o = sh("set -u; echo $undefined_var");
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("undefined_var: parameter not set"), "{}", o.stderr);
    check("export A=1; sh -c 'echo $A'", "1\n", 0);
    check("B=2; sh -c 'echo [$B]'", "[]\n", 0);
    check("C=3 sh -c 'echo $C'", "3\n", 0);
    check("unset X; X=1; unset X; echo ${X-unset}", "unset\n", 0);
    check("set -- 1 2 3; shift; echo $@", "2 3\n", 0);
    check("eval 'y=5'; echo $y", "5\n", 0);
    check("echo 'echo sourced $1' > s.sh; . ./s.sh arg", "sourced arg\n", 0);
    check("alias ll='echo alias-ok'\nll", "alias-ok\n", 0);
    check("type echo; command -v ls | grep -c ls", "echo is a shell builtin\n1\n", 0);
    check("trap 'echo bye' EXIT; echo main", "main\nbye\n", 0);
    check("read -r a b <<EOF\nx y z\nEOF\necho \"$a|$b\"", "x|y z\n", 0);
    check("printf '%s=%d\\n' a 1 b 2", "a=1\nb=2\n", 0);
    check("test 1 -eq 1 && [ abc = abc ] && [ -n x ] && ! [ -z x ] && echo ok", "ok\n", 0);
    check("cd /tmp && pwd && cd - >/dev/null && pwd | grep -c work", "/tmp\n1\n", 0);
    check("sleep 0 & wait $!; echo waited $?", "waited 0\n", 0);
    check("echo $$ | grep -c '^[0-9]'", "1\n", 0);
    check("getopts ab: o -b val; echo $o $OPTARG", "b val\n", 0);
    check("let 'x = 2 + 3'; echo $x", "5\n", 0);
}

#[test]
fn errors_like_ash() {
    let o = sh("nonexistent_cmd");
    assert_eq!(o.code, 127);
    assert_eq!(o.stderr, "sh: nonexistent_cmd: not found\n");
    let o = sh("if true; then echo x; fi; fi");
    assert_eq!(o.code, 2);
    assert_eq!(o.stderr, "sh: syntax error: unexpected \"fi\"\n");
    let o = sh("echo 'unterminated");
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unterminated quoted string"));
    let o = sh("cd /nonexistent");
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr, "sh: cd: can't cd to /nonexistent: No such file or directory\n");
    let o = sh("cat < missing");
    assert_eq!(o.stderr, "sh: can't open 'missing': No such file or directory\n");
}

#[test]
fn scripts_and_stdin() {
    let root = common::sandbox();
    std::fs::write(root.join("work/s.sh"), "#!/bin/sh\necho \"script $1 $#\"\nnotacmd\n").unwrap();
    let o = common::run_in(&root, &["sh", "s.sh", "a", "b"], "");
    assert_eq!(o.stdout, "script a 2\n");
    assert_eq!(o.stderr, "s.sh: line 3: notacmd: not found\n");
    assert_eq!(o.code, 127);
    let o = common::run_in(&root, &["sh", "-c", "chmod +x s.sh && ./s.sh x 2>/dev/null"], "");
    assert_eq!(o.stdout, "script x 1\n");
    let _ = std::fs::remove_dir_all(&root);
    let o = sh_in("", "echo from-stdin\nif true\nthen echo multi\nfi\nread v\nline\necho got $v\n");
    let o2 = common::sh_in("sh", "echo from-stdin\nif true\nthen echo multi\nfi\nread v\nline\necho got $v\n");
    assert_eq!(o.code, 0);
    assert_eq!(o2.stdout, "from-stdin\nmulti\ngot line\n");
}

#[test]
fn subshell_processes_carry_state() {
    check("v=local; f() { echo \"f:$v:$1\"; }; f a | cat", "f:local:a\n", 0);
    check("n=1; { echo $n; n=2; } | cat; echo $n", "1\n1\n", 0);
    check("for i in 1 2; do echo $i; done | sort -r", "2\n1\n", 0);
    check("set -- p q; echo \"$@\" | cat; (echo $2) | cat", "p q\nq\n", 0);
    check("x=$(f() { echo nested; }; f); echo $x", "nested\n", 0);
    check("cat <<EOF | tr a-z A-Z\nheredoc in pipe\nEOF", "HEREDOC IN PIPE\n", 0);
}
