//! Each applet run natively with inputs and expected outputs.

mod common;

use common::{check, sh, sh_in};

#[test]
fn text_filters() {
    check("printf 'b\\na\\nc\\na\\n' | sort", "a\na\nb\nc\n", 0);
    check("printf 'b\\na\\nc\\na\\n' | sort -u -r", "c\nb\na\n", 0);
    check("printf '10\\n9\\n100\\n' | sort -n", "9\n10\n100\n", 0);
    check("printf 'x 3\\ny 1\\nz 2\\n' | sort -k 2 -n", "y 1\nz 2\nx 3\n", 0);
    check("printf 'a\\na\\nb\\na\\n' | uniq -c", "      2 a\n      1 b\n      1 a\n", 0);
    check("printf 'a\\nb\\n' | wc -l", "2\n", 0);
    check("printf 'one two\\nthree\\n' | wc", "        2         3        14\n", 0);
    check("echo 'a:b:c' | cut -d: -f2,3", "b:c\n", 0);
    check("echo hello | cut -c2-4", "ell\n", 0);
    check("echo hello | tr el ip", "hippo\n", 0);
    check("echo 'a  b' | tr -s ' '", "a b\n", 0);
    check("echo hello | tr -d l", "heo\n", 0);
    check("echo abc | tr a-z A-Z", "ABC\n", 0);
    check("seq 5 | head -n 2; seq 5 | tail -n 2; seq 5 | tail -n +4", "1\n2\n4\n5\n4\n5\n", 0);
    check("seq 3 | head -1", "1\n", 0);
    check("echo x | tee t1 t2 >/dev/null; cat t1 t2; echo y | tee -a t1 >/dev/null; cat t1", "x\nx\nx\ny\n", 0);
    check("seq 2 3 8; seq -s, 3", "2\n5\n8\n1,2,3\n", 0);
}

#[test]
fn grep_variants() {
    let data = "apple\nBanana\ncherry\napricot\n";
    let o = sh_in("grep ap", data);
    assert_eq!(o.stdout, "apple\napricot\n");
    assert_eq!(sh_in("grep -i banana", data).stdout, "Banana\n");
    assert_eq!(sh_in("grep -v a", data).stdout, "cherry\n");
    assert_eq!(sh_in("grep -c a", data).stdout, "3\n");
    assert_eq!(sh_in("grep -n cherry", data).stdout, "3:cherry\n");
    assert_eq!(sh_in("grep -E '^(apple|cherry)$'", data).stdout, "apple\ncherry\n");
    assert_eq!(sh_in("grep -q nothing; echo $?", data).stdout, "1\n");
    assert_eq!(sh_in("grep -o 'ap[a-z]'", data).stdout, "app\napr\n");
    check("mkdir -p d/e; echo needle > d/e/f; echo hay > d/g; grep -r needle d", "d/e/f:needle\n", 0);
    check("echo x > a; echo y > b; grep -l y a b", "b\n", 0);
    let o = sh("grep x missing");
    assert_eq!(o.code, 2);
    assert_eq!(o.stderr, "grep: missing: No such file or directory\n");
}

#[test]
fn sed_scripts() {
    check("echo hello world | sed 's/o/0/'", "hell0 world\n", 0);
    check("echo hello world | sed 's/o/0/g'", "hell0 w0rld\n", 0);
    check("echo hello | sed 's/l\\+/[&]/'", "he[ll]o\n", 0);
    check("echo 'key=val' | sed 's/\\(.*\\)=\\(.*\\)/\\2=\\1/'", "val=key\n", 0);
    check("echo 'key=val' | sed -E 's/(.*)=(.*)/\\2 \\1/'", "val key\n", 0);
    check("seq 5 | sed -n '2p'", "2\n", 0);
    check("seq 5 | sed '2,4d'", "1\n5\n", 0);
    check("seq 5 | sed -n '/3/,$p'", "3\n4\n5\n", 0);
    check("seq 3 | sed '$d'", "1\n2\n", 0);
    check("printf 'a\\nb\\n' | sed -e 's/a/A/' -e 's/b/B/'", "A\nB\n", 0);
    check("echo x > f; sed -i 's/x/y/' f; cat f", "y\n", 0);
    check("seq 3 | sed '2i\\\ninserted'", "1\ninserted\n2\n3\n", 0);
    check("seq 2 | sed 'a after'", "1\nafter\n2\nafter\n", 0);
    check("seq 3 | sed -n '$='", "3\n", 0);
    check("echo abc | sed 'y/abc/xyz/'", "xyz\n", 0);
    check("seq 6 | sed -n '1~2p'", "1\n3\n5\n", 0);
    check("seq 3 | sed '/2/q'", "1\n2\n", 0);
}

#[test]
fn awk_programs() {
    check("printf 'a 1\\nb 2\\n' | awk '{print $2, $1}'", "1 a\n2 b\n", 0);
    check("printf 'a 1\\nb 2\\nc 3\\n' | awk 'NR > 1 {s += $2} END {print s, NR}'", "5 3\n", 0);
    check("echo 'root:x:0:0' | awk -F: '{print $1 \"-\" $3}'", "root-0\n", 0);
    check("awk 'BEGIN {printf \"%05.1f|%s\\n\", 3.14159, \"x\"}'", "003.1|x\n", 0);
    check("printf 'x\\ny\\nx\\n' | awk '{c[$1]++} END {for (k in c) print k, c[k]}'", "x 2\ny 1\n", 0);
    check("echo 'a b c' | awk '{print NF, $NF}'", "3 c\n", 0);
    check("printf 'l1\\nfoo\\nl3\\n' | awk '/foo/ {print NR}'", "2\n", 0);
    check("awk -v n=3 'BEGIN {for (i = 0; i < n; i++) s = s i; print s}'", "012\n", 0);
    check(
        "echo 'hello world' | awk '{gsub(/o/, \"0\"); print; print length($1), toupper(substr($2, 1, 1))}'",
        "hell0 w0rld\n5 W\n",
        0,
    );
    check("echo 'a b' | awk '{$1 = \"z\"; print}'", "z b\n", 0);
    check("awk 'BEGIN {x = 10 / 4; print x, int(x), 2^3}'", "2.5 2 8\n", 0);
}

#[test]
fn files_and_dirs() {
    check("mkdir -p a/b/c && ls a/b", "c\n", 0);
    check("mkdir a; mkdir a 2>&1; echo $?", "mkdir: can't create directory 'a': File exists\n1\n", 0);
    check("mkdir -p d/e; touch d/e/f; rm -r d; ls", "", 0);
    check("rm missing 2>&1", "rm: can't remove 'missing': No such file or directory\n", 1);
    check("rm -f missing; echo $?", "0\n", 0);
    check("mkdir d; rm d 2>&1", "rm: 'd' is a directory\n", 1);
    check("mkdir e; rmdir e; ls", "", 0);
    check("echo hi > a; cp a b; cat b; mkdir d; cp a b d; ls d", "hi\na\nb\n", 0);
    check("mkdir -p s/t; echo x > s/t/f; cp -r s u; cat u/t/f", "x\n", 0);
    check("mkdir s; cp s t 2>&1", "cp: omitting directory 's'\n", 1);
    check("echo hi > a; mv a b; ls; cat b", "b\nhi\n", 0);
    check("touch f; ln -s f l; ls -l l | sed 's/.* l /l /'", "l -> f\n", 0);
    check("touch f; chmod 751 f; stat -c '%a %A %n' f", "751 -rwxr-x--x f\n", 0);
    check("touch f; chmod u=rw,go= f; stat -c %a f; chmod +x f; stat -c %a f", "600\n711\n", 0);
    check("touch b a c; ls; ls -1 | head -1", "a\nb\nc\na\n", 0);
    check("touch .hidden v; ls -a", ".\n..\n.hidden\nv\n", 0);
    check("echo 12345 > f; ls -l f | awk '{print $1, $5, $9}'", "-rw-r--r-- 6 f\n", 0);
    check("mkdir -p r/s; touch r/s/t; ls -R r", "r:\ns\n\nr/s:\nt\n", 0);
    check("mkdir dd; ls -d dd", "dd\n", 0);
    check("echo 12345 > f; ls -lh f | awk '{print $5}'", "6\n", 0);
    check("cat missing", "", 1);
    check("printf 'a\\nb\\n' | cat -n", "     1\ta\n     2\tb\n", 0);
    check("basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c; basename /", "c\n/a/b\n.\n/\n", 0);
}

#[test]
fn find_and_xargs() {
    check("mkdir -p x/y; touch x/a.txt x/y/b.txt x/y/c.log; find x -name '*.txt' | sort", "x/a.txt\nx/y/b.txt\n", 0);
    check("mkdir -p x/y; touch x/f; find x -type d", "x\nx/y\n", 0);
    check("mkdir -p x/y/z; find x -maxdepth 1", "x\nx/y\n", 0);
    check("mkdir x; touch x/a x/b; find x -type f -exec echo found {} \\; | sort", "found x/a\nfound x/b\n", 0);
    check("mkdir x; touch x/a x/b; find x -type f | sort | xargs echo", "x/a x/b\n", 0);
    check("printf '1\\n2\\n3\\n' | xargs -n 2 echo", "1 2\n3\n", 0);
    check("printf 'a\\nb\\n' | xargs -I{} echo [{}]", "[a]\n[b]\n", 0);
    check("true | xargs -r echo nothing; echo done", "done\n", 0);
}

#[test]
fn misc_applets() {
    check("env | grep -c '^PATH='", "1\n", 0);
    check("env -i A=1 env", "A=1\n", 0);
    check("FOO=bar printenv FOO", "bar\n", 0);
    check("which sh | grep -c /sh$", "1\n", 0);
    check("which nonexistent; echo $?", "1\n", 0);
    check("date -d @0 '+%Y-%m-%d %H:%M:%S'", "1970-01-01 00:00:00\n", 0);
    check("date -u -d '2024-02-29 12:30:00' +%s", "1709209800\n", 0);
    check("date +%Y | grep -c '^20'", "1\n", 0);
    check("sleep 0.01; echo slept", "slept\n", 0);
    check("echo -n no-newline; echo; echo -e 'a\\tb'", "no-newline\na\tb\n", 0);
    check("printf '%x %o %5s|%-5s|%c\\n' 255 8 ab cd xyz", "ff 10    ab|cd   |x\n", 0);
    check("true; echo $?; false; echo $?", "0\n1\n", 0);
    check("pwd | grep -c work", "1\n", 0);
    check("mkdir d; echo abc > d/f; du -s d | cut -f2", "d\n", 0);
    check("kill -l 9", "KILL\n", 0);
    check("sleep 5 & kill $!; wait $!; echo $?", "143\n", 0);
    check(
        "clear | wc -c",
        "6
",
        0,
    );
    let o = sh("ls --bogus-option");
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("ls: invalid option -- '-'\nBusyBox v1.36.1"), "{}", o.stderr);
    let o = sh("nosuchapplet_xyz");
    assert_eq!(o.code, 127);
}
