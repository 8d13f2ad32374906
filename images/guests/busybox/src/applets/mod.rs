//! The applets: every program of the multicall binary, one module each, and the table that maps
//! a name to its entry point and usage text.

use crate::util;

pub mod awk;
pub mod cat;
pub mod cp;
pub mod echo;
pub mod fileops;
pub mod find;
pub mod grep;
pub mod headtail;
pub mod kill;
pub mod ls;
pub mod misc;
pub mod net;
pub mod printf;
pub mod sed;
pub mod sortuniq;
pub mod sysinfo;
pub mod tar;
pub mod test;
pub mod text;
pub mod top;
pub mod unzip;
pub mod vi;
pub mod xargs;

/// One program: its name, entry point (`args[0]` is the name) and BusyBox-style usage.
pub struct Applet {
    pub name: &'static str,
    pub main: fn(&[String]) -> i32,
    pub usage: &'static str,
}

fn shell(args: &[String]) -> i32 {
    crate::shell::main(args.to_vec())
}

fn true_main(_: &[String]) -> i32 {
    0
}

fn false_main(_: &[String]) -> i32 {
    1
}

macro_rules! applets {
    ($($name:literal => $main:expr, $usage:literal;)*) => {
        /// All applets, sorted by name.
        pub static APPLETS: &[Applet] = &[$(Applet { name: $name, main: $main, usage: $usage }),*];
    };
}

applets! {
    "[" => test::main, "[ EXPRESSION ]";
    "ash" => shell, "ash [-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]";
    "bash" => shell, "bash [-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]";
    "awk" => awk::main, "awk [OPTIONS] [AWK_PROGRAM] [FILE]...";
    "basename" => fileops::basename, "basename FILE [SUFFIX]";
    "cat" => cat::main, "cat [-nb] [FILE]...";
    "chmod" => fileops::chmod, "chmod [-R] MODE[,MODE]... FILE...";
    "clear" => misc::clear, "clear";
    "cp" => cp::cp, "cp [-arPLHpfinTv] SOURCE... DEST";
    "cut" => text::cut, "cut [OPTIONS] [FILE]...";
    "date" => sysinfo::date, "date [OPTIONS] [+FMT] [-d TIME]";
    "df" => sysinfo::df, "df [-PkmhTa] [FILESYSTEM]...";
    "dirname" => fileops::dirname, "dirname FILENAME";
    "du" => misc::du, "du [-aHLdclsxhmk] [FILE]...";
    "echo" => echo::main, "echo [-neE] [ARG]...";
    "egrep" => grep::main, "egrep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...";
    "env" => misc::env, "env [-i] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]";
    "false" => false_main, "false";
    "fgrep" => grep::main, "fgrep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...";
    "find" => find::main, "find [-HL] [PATH]... [OPTIONS] [ACTIONS]";
    "free" => sysinfo::free, "free [-bkmgh]";
    "grep" => grep::main, "grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...";
    "head" => headtail::head, "head [OPTIONS] [FILE]...";
    "hostname" => sysinfo::hostname, "hostname [-sfid] [HOSTNAME]";
    "id" => sysinfo::id, "id [-ugGnr] [USER]";
    "ifconfig" => net::ifconfig::main, "ifconfig [-a] [IFACE]";
    "ip" => net::ip::main, "ip [OPTIONS] address|route|link [ARGS]\n\nOPTIONS := -f[amily] inet|inet6|link | -o[neline]";
    "kill" => kill::main, "kill [-l] [-SIG] PID...";
    "ln" => fileops::ln, "ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR";
    "ls" => ls::main, "ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...";
    "mkdir" => fileops::mkdir, "mkdir [-m MODE] [-p] DIRECTORY...";
    "mv" => cp::mv, "mv [-fin] SOURCE DEST\nor: mv [-fin] SOURCE... DIRECTORY";
    "nc" => net::nc::main, "nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen";
    "netstat" => net::netstat::main, "netstat [-ral] [-tuwx] [-enWp]";
    "nslookup" => net::nslookup::main, "nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]";
    "ping" => net::ping::main, "ping [OPTIONS] HOST";
    "printenv" => misc::printenv, "printenv [VARIABLE]...";
    "printf" => printf::main, "printf FORMAT [ARG]...";
    "ps" => sysinfo::ps, "ps [-AaefdlTw]\n\nShow list of processes";
    "pwd" => fileops::pwd, "pwd";
    "route" => net::route::main, "route [-ne] [-A inet] [{add|del} [-net|-host] TARGET [netmask MASK]\n\t[gw GATEWAY] [metric N] [mss BYTES] [window BYTES] [reject] [IFACE]]";
    "rm" => fileops::rm, "rm [-irf] FILE...";
    "rmdir" => fileops::rmdir, "rmdir [-p] DIRECTORY...";
    "sed" => sed::main, "sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\nor: sed [-i[SFX]] [-nrE] CMD [FILE]...";
    "seq" => misc::seq, "seq [-w] [-s SEP] [FIRST [INC]] LAST";
    "sh" => shell, "sh [-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]";
    "sleep" => sysinfo::sleep, "sleep [N]...";
    "sort" => sortuniq::sort, "sort [-nrughMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...";
    "stat" => misc::stat, "stat [-ltf] [-c FMT] FILE...";
    "tail" => headtail::tail, "tail [OPTIONS] [FILE]...";
    "tar" => tar::main, "tar c|x|t [-zvO] [-f TARFILE] [-C DIR] [FILE]...\n\nCreate, extract, or list files from a tar file\n\n\tc\tCreate\n\tx\tExtract\n\tt\tList\n\t-f FILE\tName of TARFILE ('-' for stdin/out)\n\t-C DIR\tChange to DIR before operation\n\t-v\tVerbose\n\t-O\tExtract to stdout\n\t-z\t(De)compress using gzip";
    "tee" => text::tee, "tee [-ai] [FILE]...";
    "test" => test::main, "test EXPRESSION";
    "top" => top::main, "top [-b] [-n COUNT] [-d SECONDS]";
    "touch" => fileops::touch, "touch [-c] [-d DATE] [-t DATE] [-r FILE] FILE...";
    "tr" => text::tr, "tr [-cds] STRING1 [STRING2]";
    "true" => true_main, "true";
    "uname" => sysinfo::uname, "uname [-amnrspvio]";
    "uniq" => sortuniq::uniq, "uniq [-cdui] [-f,s,w N] [INPUT [OUTPUT]]";
    "unzip" => unzip::main, "unzip [-lnojpq] FILE[.zip] [FILE]... [-d DIR]\n\nExtract FILEs from ZIP archive\n\n\t-l\tList contents (with -q for short form)\n\t-n\tNever overwrite files (default: ask)\n\t-o\tOverwrite\n\t-j\tDo not restore paths\n\t-p\tPrint to stdout\n\t-q\tQuiet\n\t-d DIR\tExtract into DIR";
    "vi" => vi::main, "vi [-c CMD] [-R] [-H] [FILE]...\n\nEdit FILE\n\n\t-c CMD\tInitial command to run\n\t-R\tRead-only\n\t-H\tList available features";
    "vim" => vi::main, "vim [-c CMD] [-R] [-H] [FILE]...\n\nEdit FILE (the vi editor, installed as vim by the vim packages)";
    "wc" => text::wc, "wc [-cmlwL] [FILE]...";
    "wget" => net::wget::main, "wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...";
    "which" => misc::which, "which [-a] COMMAND...";
    "whoami" => sysinfo::whoami, "whoami";
    "xargs" => xargs::main, "xargs [OPTIONS] [PROG ARGS]";
    "yes" => misc::yes, "yes [STRING]";
}

pub fn find(name: &str) -> Option<&'static Applet> {
    APPLETS.iter().find(|a| a.name == name)
}

/// Prints the usage text of an applet on stderr (after an error message).
pub fn usage(name: &str) {
    if let Some(a) = find(name) {
        eprintln!("{}\n\nUsage: {}", util::VERSION, a.usage.replace("\\n", "\n   "));
    }
}

/// Reports a bad option and the usage text; returns the exit status 1.
pub fn usage_error(name: &str, msg: &str) -> i32 {
    util::err(name, msg);
    usage(name);
    1
}

/// Runs the applet named by argv[0] (or `busybox APPLET ...`).
pub fn dispatch(mut args: Vec<String>) -> i32 {
    if args.is_empty() {
        args.push("busybox".to_string());
    }
    let name = util::basename(&args[0]).trim_start_matches('-').to_string();
    if name == "busybox" {
        args.remove(0);
        return match args.first().map(String::as_str) {
            None | Some("--help") => {
                print_list();
                if args.is_empty() {
                    1
                } else {
                    0
                }
            }
            Some("--list") => {
                for a in APPLETS {
                    println!("{}", a.name);
                }
                0
            }
            Some(n) => match find(n) {
                Some(a) => (a.main)(&args),
                None => {
                    eprintln!("{n}: applet not found");
                    127
                }
            },
        };
    }
    let login = args[0].starts_with('-');
    match find(&name) {
        Some(a) => {
            if login {
                args[0] = format!("-{name}");
            }
            if args.get(1).map(String::as_str) == Some("--help")
                && !matches!(name.as_str(), "echo" | "printf" | "[" | "test" | "true" | "false")
            {
                usage(&name);
                return 0;
            }
            (a.main)(&args)
        }
        None => {
            eprintln!("{name}: applet not found");
            127
        }
    }
}

fn print_list() {
    let mut s = format!(
        "{}\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list\n   or: function [arguments]...\n\nCurrently defined functions:\n",
        util::VERSION
    );
    let names: Vec<&str> = APPLETS.iter().map(|a| a.name).collect();
    let mut line = String::from("\t");
    for (i, n) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() { format!("{n}, ") } else { n.to_string() };
        if line.len() + piece.len() > 78 {
            s.push_str(line.trim_end());
            s.push('\n');
            line = String::from("\t");
        }
        line.push_str(&piece);
    }
    s.push_str(&line);
    s.push('\n');
    print!("{s}");
}
