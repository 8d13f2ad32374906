//! `echo_client tcp|udp ADDR:PORT MESSAGE`: sends MESSAGE to an echo server and prints what
//! comes back. TCP: writes, closes its writing side, reads to the end. UDP: one datagram, one
//! answer (2 s at most). Errors go to stderr with exit status 1, as `nc` would say them
//! (`Connection refused`, `Network unreachable`...).

use guest_net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::io::{Read, Write};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(addr), Some(msg)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: echo_client tcp|udp ADDR:PORT MESSAGE");
        std::process::exit(2);
    };
    let addr: SocketAddr = addr.parse().unwrap_or_else(|_| {
        eprintln!("echo_client: bad address {addr}");
        std::process::exit(2)
    });
    let reply = match mode.as_str() {
        "tcp" => tcp(addr, msg.as_bytes()),
        _ => udp(addr, msg.as_bytes()),
    };
    match reply {
        Ok(bytes) => println!("{}", String::from_utf8_lossy(&bytes)),
        Err(e) => {
            eprintln!("echo_client: {e}");
            std::process::exit(1);
        }
    }
}

fn tcp(addr: SocketAddr, msg: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.write_all(msg)?;
    s.shutdown(Shutdown::Write)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    Ok(out)
}

fn udp(addr: SocketAddr, msg: &[u8]) -> std::io::Result<Vec<u8>> {
    let s = UdpSocket::bind("0.0.0.0:0")?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    s.send_to(msg, addr)?;
    let mut buf = [0u8; 2048];
    let (n, _) = s.recv_from(&mut buf)?;
    Ok(buf[..n].to_vec())
}
