//! RESP2, Redis's wire format: a request is an array of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\na\r\n`)
//! or an inline line (`PING\r\n`, what `telnet` and `nc` send); a reply is a simple string
//! (`+OK`), an error (`-ERR ...`), an integer (`:1`), a bulk string (`$5\r\nhello`, `$-1` for
//! nil) or an array (`*-1` for a nil array). Both sides are here: the server parses requests
//! and writes replies, `redis-cli` writes requests and parses replies.

/// One reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    Nil,
    Array(Vec<Reply>),
    NilArray,
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".into())
    }

    pub fn err(message: impl Into<String>) -> Reply {
        Reply::Error(message.into())
    }

    pub fn bulk(b: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(b.as_ref().to_vec())
    }

    pub fn bulks<I: IntoIterator<Item = B>, B: AsRef<[u8]>>(items: I) -> Reply {
        Reply::Array(items.into_iter().map(Reply::bulk).collect())
    }

    /// The wire bytes.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => out.extend_from_slice(format!("+{s}\r\n").as_bytes()),
            Reply::Error(s) => out.extend_from_slice(format!("-{s}\r\n").as_bytes()),
            Reply::Int(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Reply::Bulk(b) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for i in items {
                    i.encode(out);
                }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

/// Encodes a command as a RESP array of bulk strings (what clients send).
pub fn command(args: &[Vec<u8>]) -> Vec<u8> {
    Reply::Array(args.iter().map(Reply::bulk).collect()).to_bytes()
}

/// Why a request cannot be read: Redis answers `-ERR Protocol error: ...` and closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError(pub String);

const MAX_BULK: usize = 512 * 1024 * 1024;
const MAX_INLINE: usize = 64 * 1024;

fn line(buf: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let end = buf[from..].windows(2).position(|w| w == b"\r\n")?;
    Some((&buf[from..from + end], from + end + 2))
}

fn number(s: &[u8]) -> Option<i64> {
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// A request's arguments and how many bytes it took.
pub type Request = (Vec<Vec<u8>>, usize);

/// Parses one request at the start of `buf`: `Ok(None)` while incomplete, else its arguments
/// (empty for a blank inline line) and how many bytes it took.
pub fn parse_request(buf: &[u8]) -> Result<Option<Request>, ProtocolError> {
    if buf.is_empty() {
        return Ok(None);
    }
    if buf[0] != b'*' {
        let Some(end) = buf.iter().position(|&b| b == b'\n') else {
            return if buf.len() > MAX_INLINE { Err(ProtocolError("too big inline request".into())) } else { Ok(None) };
        };
        let text = &buf[..end];
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let args = split_args(text).ok_or_else(|| ProtocolError("unbalanced quotes in request".into()))?;
        return Ok(Some((args, end + 1)));
    }
    let Some((head, mut pos)) = line(buf, 1) else {
        return if buf.len() > MAX_INLINE { Err(ProtocolError("too big mbulk count string".into())) } else { Ok(None) };
    };
    let count =
        number(head).filter(|n| *n <= 1024 * 1024).ok_or_else(|| ProtocolError("invalid multibulk length".into()))?;
    let mut args = Vec::with_capacity(count.max(0) as usize);
    for _ in 0..count.max(0) {
        if pos >= buf.len() {
            return Ok(None);
        }
        if buf[pos] != b'$' {
            return Err(ProtocolError(format!("expected '$', got '{}'", buf[pos] as char)));
        }
        let Some((len, next)) = line(buf, pos + 1) else { return Ok(None) };
        let len = number(len)
            .filter(|n| (0..=MAX_BULK as i64).contains(n))
            .ok_or_else(|| ProtocolError("invalid bulk length".into()))? as usize;
        if buf.len() < next + len + 2 {
            return Ok(None);
        }
        args.push(buf[next..next + len].to_vec());
        pos = next + len + 2;
    }
    Ok(Some((args, pos)))
}

/// Parses one reply at the start of `buf` (`redis-cli`): `None` while incomplete.
pub fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, ProtocolError> {
    let Some(&kind) = buf.first() else { return Ok(None) };
    let Some((text, next)) = line(buf, 1) else { return Ok(None) };
    let s = String::from_utf8_lossy(text).into_owned();
    let bad = || ProtocolError(format!("Protocol error, got \"{}\" as reply type byte", kind as char));
    Ok(Some(match kind {
        b'+' => (Reply::Status(s), next),
        b'-' => (Reply::Error(s), next),
        b':' => (Reply::Int(number(text).ok_or_else(bad)?), next),
        b'$' => {
            let n = number(text).ok_or_else(bad)?;
            if n < 0 {
                return Ok(Some((Reply::Nil, next)));
            }
            let n = n as usize;
            if buf.len() < next + n + 2 {
                return Ok(None);
            }
            (Reply::Bulk(buf[next..next + n].to_vec()), next + n + 2)
        }
        b'*' => {
            let n = number(text).ok_or_else(bad)?;
            if n < 0 {
                return Ok(Some((Reply::NilArray, next)));
            }
            let mut items = Vec::new();
            let mut pos = next;
            for _ in 0..n {
                match parse_reply(&buf[pos..])? {
                    Some((item, used)) => {
                        items.push(item);
                        pos += used;
                    }
                    None => return Ok(None),
                }
            }
            (Reply::Array(items), pos)
        }
        _ => return Err(bad()),
    }))
}

/// Splits a line into arguments as Redis does for inline commands and `redis-cli`'s prompt:
/// blanks separate, `"..."` understands `\n`, `\t`, `\"`, `\xHH`..., `'...'` only `\'`.
/// `None` for unbalanced quotes (or a closing quote not followed by a blank).
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut i = 0;
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    loop {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= line.len() {
            return Some(out);
        }
        let mut arg = Vec::new();
        let (mut dq, mut sq) = (false, false);
        loop {
            let c = line.get(i).copied();
            if dq {
                match c? {
                    b'\\'
                        if line.get(i + 1) == Some(&b'x')
                            && hex(line.get(i + 2)).is_some()
                            && hex(line.get(i + 3)).is_some() =>
                    {
                        arg.push((hex(line.get(i + 2))? * 16 + hex(line.get(i + 3))?) as u8);
                        i += 3;
                    }
                    b'\\' if i + 1 < line.len() => {
                        i += 1;
                        arg.push(match line[i] {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 8,
                            b'a' => 7,
                            c => c,
                        });
                    }
                    b'"' => {
                        if line.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
                            return None;
                        }
                        i += 1;
                        break;
                    }
                    c => arg.push(c),
                }
            } else if sq {
                match c? {
                    b'\\' if line.get(i + 1) == Some(&b'\'') => {
                        i += 1;
                        arg.push(b'\'');
                    }
                    b'\'' => {
                        if line.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
                            return None;
                        }
                        i += 1;
                        break;
                    }
                    c => arg.push(c),
                }
            } else {
                match c {
                    None => break,
                    Some(c) if c.is_ascii_whitespace() => break,
                    Some(b'"') => dq = true,
                    Some(b'\'') => sq = true,
                    Some(c) => arg.push(c),
                }
            }
            i += 1;
        }
        out.push(arg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_both_forms_wait_until_complete() {
        let wire = b"*2\r\n$3\r\nGET\r\n$1\r\na\r\nPING\r\n";
        assert_eq!(parse_request(&wire[..10]), Ok(None));
        let (args, used) = parse_request(wire).unwrap().unwrap();
        assert_eq!(args, [b"GET".to_vec(), b"a".to_vec()]);
        let (args, used2) = parse_request(&wire[used..]).unwrap().unwrap();
        assert_eq!((args, used + used2), (vec![b"PING".to_vec()], wire.len()));
        let (args, _) = parse_request(b"set k \"a b\\n\"\r\n").unwrap().unwrap();
        assert_eq!(args, [b"set".to_vec(), b"k".to_vec(), b"a b\n".to_vec()]);
        assert_eq!(parse_request(b"*x\r\n").unwrap_err().0, "invalid multibulk length");
        assert_eq!(parse_request(b"*1\r\n+a\r\n").unwrap_err().0, "expected '$', got '+'");
        assert_eq!(parse_request(b"get \"a\r\n").unwrap_err().0, "unbalanced quotes in request");
    }

    #[test]
    fn replies_round_trip() {
        let r = Reply::Array(vec![
            Reply::ok(),
            Reply::Int(-3),
            Reply::bulk("x"),
            Reply::Nil,
            Reply::NilArray,
            Reply::err("ERR no"),
        ]);
        let bytes = r.to_bytes();
        assert_eq!(parse_reply(&bytes).unwrap(), Some((r, bytes.len())));
        assert_eq!(parse_reply(b"$5\r\nhel"), Ok(None));
    }

    #[test]
    fn arguments_split_like_sdssplitargs() {
        let s = |l: &str| {
            split_args(l.as_bytes())
                .map(|v| v.into_iter().map(|a| String::from_utf8_lossy(&a).into_owned()).collect::<Vec<_>>())
        };
        assert_eq!(s("set  a 'it\\'s' \"\\x41\\t\"").unwrap(), ["set", "a", "it's", "A\t"]);
        assert_eq!(split_args(b"\"\\xff\""), Some(vec![vec![0xff]]));
        assert_eq!(s("\"a\"b"), None);
        assert_eq!(s("'open"), None);
        assert_eq!(s("   ").unwrap(), Vec::<String>::new());
    }
}
