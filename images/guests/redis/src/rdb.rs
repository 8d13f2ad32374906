//! Snapshots in Redis's RDB format, so data survives a restart with `/data` on a volume.
//!
//! ```text
//! "REDIS0011"                                 magic and format version (0009 for Redis 6)
//! FA <string name> <string value>             auxiliary fields: redis-ver, redis-bits, ctime, used-mem
//! FE <length db>  FB <length keys> <length expiring>   for each database holding keys:
//!   [FC <u64 LE expiry ms>] <type> <string key> <value>
//! FF <u64 LE CRC-64/Jones of everything before>
//! ```
//!
//! Types written: 0 string, 1 list, 2 set, 4 hash (the plain encodings, each element a length-
//! prefixed string), which Redis itself still loads. Lengths: `00xxxxxx` (6 bits), `01xxxxxx
//! xxxxxxxx` (14 bits), `80` + u32 BE, `81` + u64 BE. Loading also reads strings Redis stores as
//! integers (`C0` i8, `C1` i16, `C2` i32); LZF-compressed strings (`C3`) are refused.

use crate::db::{Db, Entry, Value};
use crate::store::Store;
use std::collections::VecDeque;

const POLY: u64 = 0x95ac_9329_ac4b_c9b5;

/// CRC-64/Jones (reflected), Redis's checksum.
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    for &b in data {
        crc ^= u64::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ POLY } else { crc >> 1 };
        }
    }
    crc
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    if n < 1 << 6 {
        out.push(n as u8);
    } else if n < 1 << 14 {
        out.push(0x40 | (n >> 8) as u8);
        out.push(n as u8);
    } else if let Ok(n32) = u32::try_from(n) {
        out.push(0x80);
        out.extend_from_slice(&n32.to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    put_len(out, s.len());
    out.extend_from_slice(s);
}

/// The snapshot of `dbs` taken at `now` (milliseconds since the epoch).
pub fn encode(dbs: &[Db], now: u64, used_memory: u64) -> Vec<u8> {
    let version = crate::version::get();
    let rdb_version = if version.starts_with('6') { "0009" } else { "0011" };
    let mut out = format!("REDIS{rdb_version}").into_bytes();
    for (k, v) in [
        ("redis-ver", version.to_string()),
        ("redis-bits", "64".to_string()),
        ("ctime", (now / 1000).to_string()),
        ("used-mem", used_memory.to_string()),
        ("aof-base", "0".to_string()),
    ] {
        out.push(0xFA);
        put_str(&mut out, k.as_bytes());
        put_str(&mut out, v.as_bytes());
    }
    for (i, db) in dbs.iter().enumerate() {
        let live: Vec<(&Vec<u8>, &Entry)> = db.live(now).collect();
        if live.is_empty() {
            continue;
        }
        out.push(0xFE);
        put_len(&mut out, i);
        out.push(0xFB);
        put_len(&mut out, live.len());
        put_len(&mut out, live.iter().filter(|(_, e)| e.expires_at.is_some()).count());
        for (key, e) in live {
            if let Some(t) = e.expires_at {
                out.push(0xFC);
                out.extend_from_slice(&t.to_le_bytes());
            }
            match &e.value {
                Value::Str(s) => {
                    out.push(0);
                    put_str(&mut out, key);
                    put_str(&mut out, s);
                }
                Value::List(l) => {
                    out.push(1);
                    put_str(&mut out, key);
                    put_len(&mut out, l.len());
                    l.iter().for_each(|x| put_str(&mut out, x));
                }
                Value::Set(s) => {
                    out.push(2);
                    put_str(&mut out, key);
                    put_len(&mut out, s.len());
                    s.iter().for_each(|x| put_str(&mut out, x));
                }
                Value::Hash(h) => {
                    out.push(4);
                    put_str(&mut out, key);
                    put_len(&mut out, h.len());
                    for (f, v) in h {
                        put_str(&mut out, f);
                        put_str(&mut out, v);
                    }
                }
            }
        }
    }
    out.push(0xFF);
    let crc = crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// What a loaded snapshot held.
#[derive(Debug, Default)]
pub struct Loaded {
    pub dbs: Vec<Db>,
    pub version: String,
    pub ctime: u64,
    pub used_mem: u64,
    pub keys: usize,
    pub expired: usize,
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.b.len()).ok_or("Unexpected EOF reading RDB file")?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    /// A length, or `Err` for a special encoding the caller handles (`Ok((n, false))`).
    fn len_or_enc(&mut self) -> Result<(u64, bool), String> {
        let first = self.byte()?;
        Ok(match first >> 6 {
            0 => (u64::from(first & 0x3f), false),
            1 => ((u64::from(first & 0x3f) << 8) | u64::from(self.byte()?), false),
            2 if first == 0x80 => {
                (u64::from(u32::from_be_bytes(self.take(4)?.try_into().map_err(|_| "bad length")?)), false)
            }
            2 if first == 0x81 => (u64::from_be_bytes(self.take(8)?.try_into().map_err(|_| "bad length")?), false),
            3 => (u64::from(first & 0x3f), true),
            _ => return Err("Unknown length encoding in rdbLoadLen()".into()),
        })
    }

    fn len(&mut self) -> Result<usize, String> {
        match self.len_or_enc()? {
            (n, false) => usize::try_from(n).map_err(|_| "length too large".to_string()),
            _ => Err("Unexpected special encoding for a length".into()),
        }
    }

    fn string(&mut self) -> Result<Vec<u8>, String> {
        match self.len_or_enc()? {
            (n, false) => Ok(self.take(usize::try_from(n).map_err(|_| "length too large")?)?.to_vec()),
            (0, true) => Ok((self.byte()? as i8).to_string().into_bytes()),
            (1, true) => {
                Ok(i16::from_le_bytes(self.take(2)?.try_into().map_err(|_| "bad int")?).to_string().into_bytes())
            }
            (2, true) => {
                Ok(i32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "bad int")?).to_string().into_bytes())
            }
            (3, true) => Err("LZF-compressed strings are not supported by this Redis".into()),
            _ => Err("Unknown RDB string encoding type".into()),
        }
    }

    fn strings(&mut self) -> Result<Vec<Vec<u8>>, String> {
        let n = self.len()?;
        (0..n).map(|_| self.string()).collect()
    }
}

/// Reads a snapshot; keys already expired at `now` are dropped.
pub fn decode(b: &[u8], databases: usize, now: u64) -> Result<Loaded, String> {
    if b.len() < 9 || &b[..5] != b"REDIS" {
        return Err("Wrong signature trying to load DB from file".into());
    }
    let version: u32 = std::str::from_utf8(&b[5..9]).ok().and_then(|v| v.parse().ok()).ok_or("Wrong signature")?;
    if version > 12 {
        return Err(format!("Can't handle RDB format version {version}"));
    }
    let mut r = Reader { b, pos: 9 };
    let mut out = Loaded { dbs: (0..databases).map(|_| Db::default()).collect(), ..Loaded::default() };
    let mut db = 0usize;
    let mut expires: Option<u64> = None;
    loop {
        let op = r.byte()?;
        match op {
            0xFF => {
                if version >= 5 && r.pos + 8 <= b.len() {
                    let stored = u64::from_le_bytes(b[r.pos..r.pos + 8].try_into().map_err(|_| "bad checksum")?);
                    if stored != 0 && stored != crc64(0, &b[..r.pos]) {
                        return Err("Wrong RDB checksum. Aborting now.".into());
                    }
                }
                return Ok(out);
            }
            0xFA => {
                let (k, v) = (r.string()?, r.string()?);
                let v = String::from_utf8_lossy(&v).into_owned();
                match k.as_slice() {
                    b"redis-ver" => out.version = v,
                    b"ctime" => out.ctime = v.parse().unwrap_or(0),
                    b"used-mem" => out.used_mem = v.parse().unwrap_or(0),
                    _ => {}
                }
            }
            0xFE => {
                db = r.len()?;
                if db >= databases {
                    return Err(format!("FATAL: Data file was created with a Redis server configured to handle more than {databases} databases. Exiting"));
                }
            }
            0xFB => {
                r.len()?;
                r.len()?;
            }
            0xFC => expires = Some(u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "bad expiry")?)),
            0xFD => {
                expires = Some(u64::from(u32::from_le_bytes(r.take(4)?.try_into().map_err(|_| "bad expiry")?)) * 1000)
            }
            t @ (0 | 1 | 2 | 4) => {
                let key = r.string()?;
                let value = match t {
                    0 => Value::Str(r.string()?),
                    1 => Value::List(r.strings()?.into_iter().collect::<VecDeque<_>>()),
                    2 => Value::Set(r.strings()?),
                    _ => {
                        let n = r.len()?;
                        let mut h = Vec::with_capacity(n.min(1 << 16));
                        for _ in 0..n {
                            h.push((r.string()?, r.string()?));
                        }
                        Value::Hash(h)
                    }
                };
                let at = expires.take();
                if at.is_some_and(|t| t <= now) {
                    out.expired += 1;
                    continue;
                }
                out.keys += 1;
                out.dbs[db].keys.insert(key, Entry { value, expires_at: at });
            }
            t => return Err(format!("Unknown RDB encoding type {t}")),
        }
    }
}

/// `SAVE`: writes the snapshot to a temporary file, then renames it over `dump.rdb`.
pub fn save(store: &mut Store, now: u64) -> Result<(), String> {
    let path = store.settings.rdb_path();
    let dir = store.settings.absolute_dir();
    let tmp = format!("{}/temp-{}.rdb", dir.trim_end_matches('/'), guest_server::pid());
    let bytes = encode(&store.dbs, now, crate::info::used_memory(store));
    let result = std::fs::write(&tmp, bytes)
        .map_err(|e| {
            format!(
                "Failed opening the temp RDB file temp-{}.rdb (in server root dir {dir}) for saving: {}",
                guest_server::pid(),
                errno_message(&e)
            )
        })
        .and_then(|()| {
            std::fs::rename(&tmp, &path).map_err(|e| {
                format!(
                    "Error moving temp DB file temp-{}.rdb on the final destination {} (in server root dir {dir}): {}",
                    guest_server::pid(),
                    store.settings.dbfilename,
                    errno_message(&e)
                )
            })
        });
    store.last_save_ok = result.is_ok();
    if result.is_ok() {
        store.dirty = 0;
        store.last_save = now / 1000;
    }
    result
}

fn errno_message(e: &std::io::Error) -> String {
    guest_server::errno::text(e).split_once(": ").map_or_else(|| e.to_string(), |(_, m)| m.to_string())
}

/// [`save`] with Redis's log lines.
pub fn save_logged(store: &mut Store, now: u64) -> Result<(), String> {
    match save(store, now) {
        Ok(()) => {
            crate::log::notice("DB saved on disk");
            Ok(())
        }
        Err(e) => {
            crate::log::warning(&e);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_redis_s_crc64() {
        assert_eq!(crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn every_type_and_expiry_round_trips() {
        let mut dbs = vec![Db::default(), Db::default()];
        dbs[0].set(b"s", Value::Str(b"hello".to_vec()));
        dbs[0].set(b"l", Value::List(["a", "b"].iter().map(|x| x.as_bytes().to_vec()).collect()));
        dbs[1].set(b"h", Value::Hash(vec![(b"f".to_vec(), b"v".repeat(20_000))]));
        dbs[1].set(b"set", Value::Set(vec![b"1".to_vec(), b"2".to_vec()]));
        dbs[0].keys.insert(b"ttl".to_vec(), Entry { value: Value::Str(b"x".to_vec()), expires_at: Some(5_000) });
        dbs[0].keys.insert(b"gone".to_vec(), Entry { value: Value::Str(b"x".to_vec()), expires_at: Some(1_500) });
        let bytes = encode(&dbs, 1_000, 0);
        assert!(bytes.starts_with(b"REDIS00"));
        let loaded = decode(&bytes, 16, 2_000).unwrap();
        assert_eq!((loaded.keys, loaded.expired), (5, 1));
        assert_eq!(loaded.dbs[0].keys.get(b"ttl".as_slice()).unwrap().expires_at, Some(5_000));
        assert_eq!(loaded.dbs[1].keys, dbs[1].keys);
        let mut corrupt = bytes.clone();
        let n = corrupt.len();
        corrupt[n - 12] ^= 1;
        assert!(decode(&corrupt, 16, 2_000).is_err());
    }

    #[test]
    fn integer_encoded_strings_load() {
        let mut b = b"REDIS0011".to_vec();
        b.extend_from_slice(&[0xFE, 0, 0, 1, b'k', 0xC1, 0x39, 0x30, 0xFF]);
        b.extend_from_slice(&0u64.to_le_bytes());
        let loaded = decode(&b, 16, 0).unwrap();
        assert_eq!(loaded.dbs[0].keys[b"k".as_slice()].value, Value::Str(b"12345".to_vec()));
    }
}
