//! `echo_server PORT [CONNECTIONS]`: echoes TCP connections and UDP datagrams on PORT, one
//! thread, with `poll` (the listener, the UDP socket and each open connection). Prints one line
//! per TCP connection accepted (`tcp from ADDR`) and per datagram (`udp from ADDR`); after
//! CONNECTIONS TCP connections have ended, exits. The engine's tests run it against
//! `echo_client` in two containers.

use guest_net::poll::{poll, AsRawSocket, PollFd};
use guest_net::{TcpListener, TcpStream, UdpSocket};
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(7);
    let limit: Option<usize> = args.get(2).and_then(|n| n.parse().ok());
    let listener = TcpListener::bind(("0.0.0.0", port)).unwrap_or_else(|e| fail("bind tcp", e));
    let udp = UdpSocket::bind(("0.0.0.0", port)).unwrap_or_else(|e| fail("bind udp", e));
    println!("listening on {}", listener.local_addr().map(|a| a.to_string()).unwrap_or_default());
    let mut conns: Vec<TcpStream> = Vec::new();
    let mut done = 0;
    while limit.is_none_or(|l| done < l) {
        let mut fds = vec![PollFd::new(listener.raw_socket(), true, false), PollFd::new(udp.raw_socket(), true, false)];
        fds.extend(conns.iter().map(|c| PollFd::new(c.raw_socket(), true, false)));
        if let Err(e) = poll(&mut fds, None) {
            fail("poll", e);
        }
        if fds[0].readable {
            let (c, peer) = listener.accept().unwrap_or_else(|e| fail("accept", e));
            println!("tcp from {peer}");
            conns.push(c);
        }
        if fds[1].readable {
            let mut buf = [0u8; 2048];
            let (n, from) = udp.recv_from(&mut buf).unwrap_or_else(|e| fail("recv_from", e));
            println!("udp from {from}");
            udp.send_to(&buf[..n], from).unwrap_or_else(|e| fail("send_to", e));
        }
        let mut closed = Vec::new();
        for (i, f) in fds[2..].iter().enumerate() {
            if !f.readable && !f.hangup {
                continue;
            }
            let mut buf = [0u8; 4096];
            match conns[i].read(&mut buf) {
                Ok(0) | Err(_) => closed.push(i),
                Ok(n) => {
                    if conns[i].write_all(&buf[..n]).is_err() {
                        closed.push(i);
                    }
                }
            }
        }
        for i in closed.into_iter().rev() {
            conns.remove(i);
            done += 1;
        }
    }
}

fn fail(what: &str, e: std::io::Error) -> ! {
    eprintln!("echo_server: {what}: {e}");
    std::process::exit(1)
}
