//! The userland checklist (issue 4): every applet the course relies on, with the flags it
//! uses, in one table. Each row runs a script and checks its output and status; each applet
//! also rejects an unknown option as BusyBox does (`APPLET: invalid option -- 'Z'`, the usage
//! text on stderr, status 1).

mod common;

use common::sh;

/// (script, expected stdout, expected status); `*` at the end of an expected output matches
/// any rest (for values that depend on the machine: dates, pids, sizes).
const ROWS: &[(&str, &str, i32)] = &[
    ("touch b a .h; ls; ls -a", "a\nb\n.\n..\n.h\na\nb\n", 0),
    ("echo 12345 > f; ls -l f | awk '{print $1, $5, $9}'", "-rw-r--r-- 6 f\n", 0),
    ("head -c 2048 /dev/zero > f; ls -lh f | awk '{print $5}'", "2.0K\n", 0),
    ("printf 'x\\n' > f; cat f f", "x\nx\n", 0),
    ("echo a b; echo -n c; echo -e '\\td'", "a b\nc\td\n", 0),
    ("printf '%s=%d\\n' a 1 b 2", "a=1\nb=2\n", 0),
    ("env -i X=1 env", "X=1\n", 0),
    ("X=2 printenv X", "2\n", 0),
    ("mkdir -p a/b/c; ls a/b", "c\n", 0),
    ("mkdir -p d/e; touch d/e/f; rm -rf d; ls; rm -rf missing; echo $?", "0\n", 0),
    ("mkdir -p s/t; echo x > s/t/f; cp -r s u; cat u/t/f", "x\n", 0),
    ("echo x > a; mv a b; cat b; ls", "x\nb\n", 0),
    ("touch f; ls f", "f\n", 0),
    ("echo x > f; ln f h; ln -s f l; cat h l; ls -l l | sed 's/.* l /l /'", "x\nx\nl -> f\n", 0),
    ("touch f; chmod 640 f; stat -c %a f; chmod u+x f; stat -c %a f", "640\n740\n", 0),
    ("printf 'Aa\\nb\\naa\\n' | grep -i aa", "Aa\naa\n", 0),
    ("printf 'a\\nb\\n' | grep -v a", "b\n", 0),
    ("printf 'a\\nb\\n' | grep -n b", "2:b\n", 0),
    ("printf 'ab\\nac\\n' | grep -E 'b|c$'", "ab\nac\n", 0),
    ("mkdir -p d/e; echo hit > d/e/f; grep -r hit d", "d/e/f:hit\n", 0),
    ("seq 10 | head -n 2; seq 10 | head -3", "1\n2\n1\n2\n3\n", 0),
    ("seq 10 | tail -n 2; seq 5 | tail -n +5", "9\n10\n5\n", 0),
    ("seq 3 > f; (sleep 0.3; echo 4 >> f) & tail -f f & p=$!; sleep 1.6; kill $p", "1\n2\n3\n4\n", 0),
    ("printf 'a b\\nc\\n' | wc; printf 'a\\n' | wc -l", "        2         3         6\n1\n", 0),
    (
        "printf 'b\\na\\nc\\n' | sort; printf '2\\n10\\n' | sort -n; printf 'a\\nb\\n' | sort -r",
        "a\nb\nc\n2\n10\nb\na\n",
        0,
    ),
    ("printf 'a\\na\\nb\\n' | uniq; printf 'a\\na\\n' | uniq -c", "a\nb\n      2 a\n", 0),
    ("echo a:b:c | cut -d: -f2; echo hello | cut -c1-3", "b\nhel\n", 0),
    ("echo abc | tr a-c A-C; echo aab | tr -d a", "ABC\nb\n", 0),
    ("echo x | tee f; cat f; echo y | tee -a f > /dev/null; cat f", "x\nx\nx\ny\n", 0),
    ("echo aaa | sed 's/a/b/g'; seq 3 | sed 2d; seq 3 | sed -n 2p", "bbb\n1\n3\n2\n", 0),
    ("echo old > f; sed -i 's/old/new/' f; cat f", "new\n", 0),
    ("mkdir -p d/e; touch d/e/f.txt; find d -name '*.txt'; find d -type d", "d/e/f.txt\nd\nd/e\n", 0),
    ("printf 'a\\nb\\n' | xargs echo", "a b\n", 0),
    ("date -u -d @86400 '+%Y-%m-%d'", "1970-01-02\n", 0),
    ("sleep 0.1; echo ok", "ok\n", 0),
    ("hostname | grep -c .", "1\n", 0),
    ("id -u >/dev/null && id | grep -c '^uid='", "1\n", 0),
    ("whoami | grep -c .", "1\n", 0),
    ("uname; uname -a | grep -c Linux", "Linux\n1\n", 0),
    ("ps | head -1; ps aux | head -1", "PID   USER     TIME  COMMAND\nPID   USER     TIME  COMMAND\n", 0),
    ("sleep 10 & kill $!; wait $!; echo $?", "143\n", 0),
    ("mkdir d; du -s d | cut -f2", "d\n", 0),
    ("free | head -1 | awk '{print $1, $2}'", "total used\n", 0),
    ("top -b -n 1 | head -1 | cut -c1-4", "Mem:\n", 0),
    ("seq 3; seq 2 2 6", "1\n2\n3\n2\n4\n6\n", 0),
    ("yes | head -n 2; yes ok | head -n 1", "y\ny\nok\n", 0),
    ("true; echo $?; false; echo $?", "0\n1\n", 0),
    ("which sh | grep -c 'sh$'", "1\n", 0),
    ("basename /a/b.txt .txt; dirname /a/b.txt", "b\n/a\n", 0),
    ("echo 12 > f; stat -c '%n %s' f", "f 3\n", 0),
    (
        "mkdir -p t/d; echo x > t/d/f; tar -cf t.tar t; rm -r t; tar -tf t.tar; tar -xf t.tar; cat t/d/f",
        "t/\nt/d/\nt/d/f\nx\n",
        0,
    ),
    ("mkdir t; echo z > t/f; tar -czf t.tgz t; mkdir o; tar -xzf t.tgz -C o; cat o/t/f", "z\n", 0),
    ("printf 'a 1\\nb 2\\n' | awk '{s += $2} END {print s}'", "3\n", 0),
    ("chmod 2>&1; chmod -Q 2>&1 | head -1", "BusyBox v1.36.1 (playground) multi-call binary.\n*", 0),
    ("find . -Q 2>&1", "find: unrecognized: -Q\n", 1),
    ("printf 'ihello\\033:wq\\n' | vi f >/dev/null; cat f", "hello\n", 0),
];

/// Applets that reject `-Q` with BusyBox's message and usage, and their exit status (grep's
/// errors are status 2). `chmod -Q` is a mode, `seq -Q` a number, `find -Q` an expression: they
/// have rows of their own.
const USAGE: &[(&str, i32)] = &[
    ("ls", 1),
    ("cat", 1),
    ("env", 1),
    ("mkdir", 1),
    ("rm", 1),
    ("cp", 1),
    ("mv", 1),
    ("touch", 1),
    ("ln", 1),
    ("grep", 2),
    ("head", 1),
    ("tail", 1),
    ("wc", 1),
    ("sort", 1),
    ("uniq", 1),
    ("cut", 1),
    ("tr", 1),
    ("tee", 1),
    ("sed", 1),
    ("xargs", 1),
    ("date", 1),
    ("hostname", 1),
    ("id", 1),
    ("uname", 1),
    ("ps", 1),
    ("df", 1),
    ("du", 1),
    ("free", 1),
    ("top", 1),
    ("which", 1),
    ("stat", 1),
    ("tar", 1),
    ("awk", 1),
    ("vi", 1),
    ("unzip", 1),
];

fn matches(expected: &str, got: &str) -> bool {
    match expected.strip_suffix('*') {
        Some(prefix) => got.starts_with(prefix),
        None => expected == got,
    }
}

#[test]
fn checklist_rows() {
    let mut failures = Vec::new();
    for (script, stdout, code) in ROWS {
        let o = sh(script);
        if !matches(stdout, &o.stdout) || o.code != *code {
            failures.push(format!(
                "script: {script}\n  want {stdout:?} ({code})\n  got  {:?} ({})\n  stderr {:?}",
                o.stdout, o.code, o.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{} rows failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn checklist_usage_errors() {
    let mut failures = Vec::new();
    for (applet, code) in USAGE {
        let o = sh(&format!("{applet} -Q"));
        let first = format!(
            "{applet}: invalid option -- 'Q'\nBusyBox v1.36.1 (playground) multi-call binary.\n\nUsage: {applet} "
        );
        if o.code != *code || !o.stderr.starts_with(&first) {
            failures.push(format!("{applet}: status {} stderr {:?}", o.code, o.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
