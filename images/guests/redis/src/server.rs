//! redis-server's event loop: one thread, every client on a non-blocking socket, one `poll` for
//! all. Commands run one at a time (Redis is single-threaded too); after each, messages
//! published for subscribers are delivered and clients blocked in `BLPOP`/`BRPOP` on a list
//! that got elements are served, oldest first. A periodic pass expires keys, times out blocked
//! clients and writes a snapshot when a `save` point is reached.

use crate::cmd::{self, Block, Client, Ctx, Outcome};
use crate::log;
use crate::resp::{parse_request, Reply};
use crate::store::Store;
use guest_net::poll::{poll, AsRawSocket, PollFd};
use guest_net::{SocketAddr, TcpListener, TcpStream};
use guest_server::io::{fill, flush, Filled};
use guest_server::signals::{self, SIGINT, SIGTERM};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const TICK: Duration = Duration::from_millis(100);

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

struct Conn {
    stream: TcpStream,
    client: Client,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    /// Blocked in `BLPOP`/`BRPOP`, with the order it blocked in.
    blocked: Option<(Block, u64)>,
    closing: bool,
    /// The peer closed its side.
    gone: bool,
    /// Writing failed: drop at once.
    broken: bool,
    last_active: u64,
}

/// The running server.
pub struct Server {
    pub store: Store,
    listeners: Vec<TcpListener>,
    conns: Vec<Conn>,
    next_id: u64,
    block_seq: u64,
    last_cron: u64,
}

/// Why the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Shutdown,
}

impl Server {
    pub fn new(store: Store, listeners: Vec<TcpListener>) -> Server {
        Server { store, listeners, conns: Vec::new(), next_id: 3, block_seq: 0, last_cron: now_ms() }
    }

    /// The addresses listened on (tests bind port 0).
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.listeners.iter().filter_map(|l| l.local_addr().ok()).collect()
    }

    /// Serves until a shutdown (command or signal) succeeds.
    pub fn run(&mut self) -> Exit {
        loop {
            let now = now_ms();
            let mut fds: Vec<PollFd> =
                self.listeners.iter().map(|l| PollFd::new(l.raw_socket(), true, false)).collect();
            for c in &self.conns {
                fds.push(PollFd::new(c.stream.raw_socket(), !c.gone, !c.outbuf.is_empty()));
            }
            let next_deadline =
                self.conns.iter().filter_map(|c| c.blocked.as_ref().and_then(|(b, _)| b.deadline)).min();
            let wait = next_deadline.map_or(TICK, |d| Duration::from_millis(d.saturating_sub(now)).min(TICK));
            if poll(&mut fds, Some(wait)).is_err() {
                std::thread::sleep(TICK);
            }
            let n_listeners = self.listeners.len();
            let ready: Vec<PollFd> = fds[n_listeners..].to_vec();
            for (i, fd) in fds[..n_listeners].iter().enumerate() {
                if fd.readable {
                    self.accept(i);
                }
            }
            for (i, fd) in ready.iter().enumerate().take(self.conns.len()) {
                if fd.readable || fd.hangup {
                    self.read(i);
                }
                if let Some(exit) = self.process(i) {
                    return exit;
                }
            }
            self.flush_all();
            if let Some(exit) = self.cron() {
                return exit;
            }
        }
    }

    fn accept(&mut self, i: usize) {
        while let Ok((stream, peer)) = self.listeners[i].accept() {
            if stream.set_nonblocking(true).is_err() {
                continue;
            }
            let laddr = stream.local_addr().map(|a| a.to_string()).unwrap_or_default();
            let id = self.next_id;
            self.next_id += 1;
            self.store.stats.connections += 1;
            log::verbose(&format!("Accepted {peer}"));
            let client = Client { id, addr: peer.to_string(), laddr, since: now_ms(), ..Client::default() };
            self.conns.push(Conn {
                stream,
                client,
                inbuf: Vec::new(),
                outbuf: Vec::new(),
                blocked: None,
                closing: false,
                gone: false,
                broken: false,
                last_active: now_ms(),
            });
        }
        self.store.stats.clients = self.conns.len();
    }

    fn read(&mut self, i: usize) {
        let c = &mut self.conns[i];
        match fill(&mut c.stream, &mut c.inbuf, 64 << 20) {
            Ok(Filled::Open(_)) => {}
            Ok(Filled::Closed(_)) | Err(_) => c.gone = true,
        }
    }

    /// Runs the complete commands client `i` sent (none while it is blocked).
    fn process(&mut self, i: usize) -> Option<Exit> {
        loop {
            let c = &mut self.conns[i];
            if c.blocked.is_some() || c.closing || c.inbuf.is_empty() {
                return None;
            }
            let (args, used) = match parse_request(&c.inbuf) {
                Ok(Some(r)) => r,
                Ok(None) => return None,
                Err(e) => {
                    Reply::err(format!("ERR Protocol error: {}", e.0)).encode(&mut c.outbuf);
                    c.inbuf.clear();
                    c.closing = true;
                    return None;
                }
            };
            c.inbuf.drain(..used);
            c.last_active = now_ms();
            if args.is_empty() {
                continue;
            }
            if args[0].eq_ignore_ascii_case(b"client") {
                self.store.client_lines = self.client_lines();
            }
            let now = now_ms();
            let c = &mut self.conns[i];
            let outcome = cmd::execute(&mut Ctx { store: &mut self.store, client: &mut c.client, now }, &args);
            match outcome {
                Outcome::Reply(r) => r.encode(&mut c.outbuf),
                Outcome::Replies(rs) => rs.iter().for_each(|r| r.encode(&mut c.outbuf)),
                Outcome::Block(b) => {
                    self.block_seq += 1;
                    c.blocked = Some((b, self.block_seq));
                }
                Outcome::Quit => {
                    Reply::ok().encode(&mut c.outbuf);
                    c.closing = true;
                }
                Outcome::Shutdown(save) => {
                    if self.shutdown(save, false) {
                        return Some(Exit::Shutdown);
                    }
                    Reply::err("ERR Errors trying to SHUTDOWN. Check logs.").encode(&mut self.conns[i].outbuf);
                }
            }
            self.deliver();
        }
    }

    /// Pub/sub messages and blocked clients whose lists got elements.
    fn deliver(&mut self) {
        for (id, reply) in std::mem::take(&mut self.store.outbox) {
            if let Some(c) = self.conns.iter_mut().find(|c| c.client.id == id) {
                reply.encode(&mut c.outbuf);
            }
        }
        while !self.store.ready.is_empty() {
            let ready = std::mem::take(&mut self.store.ready);
            let mut waiting: Vec<usize> = (0..self.conns.len())
                .filter(|&i| {
                    self.conns[i].blocked.as_ref().is_some_and(|(b, _)| {
                        b.keys.iter().any(|k| ready.iter().any(|(db, rk)| *db == self.conns[i].client.db && rk == k))
                    })
                })
                .collect();
            waiting.sort_by_key(|&i| self.conns[i].blocked.as_ref().map_or(0, |(_, seq)| *seq));
            let now = now_ms();
            for i in waiting {
                let Some((b, _)) = self.conns[i].blocked.clone() else { continue };
                if let Some(reply) =
                    cmd::lists_pop_first(&mut self.store, self.conns[i].client.db, &b.keys, b.left, now)
                {
                    reply.encode(&mut self.conns[i].outbuf);
                    self.conns[i].blocked = None;
                }
            }
        }
        self.store.stats.blocked = self.conns.iter().filter(|c| c.blocked.is_some()).count();
    }

    fn flush_all(&mut self) {
        for c in &mut self.conns {
            if !c.outbuf.is_empty() && flush(&mut c.stream, &mut c.outbuf).is_err() {
                c.broken = true;
            }
        }
        let before = self.conns.len();
        let mut gone_ids = Vec::new();
        self.conns.retain(|c| {
            let done = c.broken || ((c.closing || c.gone) && c.outbuf.is_empty());
            if done {
                gone_ids.push(c.client.id);
            }
            !done
        });
        for id in gone_ids {
            self.store.unsubscribe_all(id);
            log::verbose("Client closed connection");
        }
        if self.conns.len() != before {
            self.store.stats.clients = self.conns.len();
            self.store.stats.blocked = self.conns.iter().filter(|c| c.blocked.is_some()).count();
        }
    }

    /// Timeouts of blocked clients, expiry, snapshots at save points, signals.
    fn cron(&mut self) -> Option<Exit> {
        let now = now_ms();
        for c in &mut self.conns {
            if c.blocked.as_ref().is_some_and(|(b, _)| b.deadline.is_some_and(|d| d <= now)) {
                Reply::NilArray.encode(&mut c.outbuf);
                c.blocked = None;
            }
        }
        for sig in signals::take() {
            if sig == SIGTERM || sig == SIGINT {
                log::signal_handler(&format!("Received SIG{} scheduling shutdown...", signals::name(sig)));
                if self.shutdown(None, true) {
                    return Some(Exit::Shutdown);
                }
            }
        }
        if now.saturating_sub(self.last_cron) < TICK.as_millis() as u64 {
            return None;
        }
        self.last_cron = now;
        let expired: usize = self.store.dbs.iter_mut().map(|d| d.sweep(now)).sum();
        self.store.stats.expired += expired as u64;
        let secs_since = (now / 1000).saturating_sub(self.store.last_save);
        let point = self
            .store
            .settings
            .save
            .iter()
            .find(|(secs, changes)| self.store.dirty >= *changes && secs_since >= *secs)
            .copied();
        if let Some((secs, changes)) = point {
            if self.store.dirty > 0 {
                log::notice(&format!("{changes} changes in {secs} seconds. Saving..."));
                log::notice(&format!("Background saving started by pid {}", guest_server::pid()));
                if crate::rdb::save_logged(&mut self.store, now).is_ok() {
                    log::notice("Background saving terminated with success");
                }
            }
        }
        None
    }

    /// Redis's shutdown: a final snapshot when save points are set (or asked for), then exit;
    /// false if the snapshot failed (Redis then refuses to exit).
    fn shutdown(&mut self, save: Option<bool>, _signal: bool) -> bool {
        if self.store.legacy {
            log::warning("User requested shutdown...");
        } else {
            log::notice("User requested shutdown...");
        }
        let save = save.unwrap_or(!self.store.settings.save.is_empty());
        if save {
            log::notice("Saving the final RDB snapshot before exiting.");
            if crate::rdb::save_logged(&mut self.store, now_ms()).is_err() {
                log::warning("Error trying to save the DB, can't exit.");
                return false;
            }
        }
        self.flush_all();
        log::warning("Redis is now ready to exit, bye bye...");
        true
    }

    fn client_lines(&self) -> Vec<String> {
        let now = now_ms();
        self.conns
            .iter()
            .map(|c| {
                let cl = &c.client;
                format!(
                    "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} multi=-1 qbuf=0 obl=0 oll=0 omem=0 events=r cmd={} user=default resp=2\n",
                    cl.id,
                    cl.addr,
                    cl.laddr,
                    c.stream.raw_socket(),
                    cl.name.as_deref().map(String::from_utf8_lossy).unwrap_or_default(),
                    now.saturating_sub(cl.since) / 1000,
                    now.saturating_sub(c.last_active) / 1000,
                    if c.blocked.is_some() { "b" } else if cl.subscriptions() > 0 { "P" } else { "N" },
                    cl.db,
                    cl.channels.len(),
                    cl.patterns.len(),
                    if cl.last_command.is_empty() { "NULL".to_string() } else { cl.last_command.clone() },
                )
            })
            .collect()
    }
}
