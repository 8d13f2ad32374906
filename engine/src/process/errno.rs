//! Error numbers as a WASI program sees them. A system call that fails returns one of these small
//! integers, like `errno` on Linux (`ENOENT`, `EBADF`, `EPIPE`...), but with WASI preview 1's own
//! numbering (`wasi_snapshot_preview1`'s `errno` enum), which is *not* Linux's: `ENOENT` is 44
//! here, 2 on Linux. The guest's libc turns them back into messages ("No such file or directory").

use crate::fs::FsError;

/// A WASI preview 1 error number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub u16);

impl Errno {
    pub const SUCCESS: Errno = Errno(0);
    pub const TOOBIG: Errno = Errno(1);
    pub const ACCES: Errno = Errno(2);
    pub const ADDRINUSE: Errno = Errno(3);
    pub const ADDRNOTAVAIL: Errno = Errno(4);
    pub const AFNOSUPPORT: Errno = Errno(5);
    pub const AGAIN: Errno = Errno(6);
    pub const ALREADY: Errno = Errno(7);
    pub const BADF: Errno = Errno(8);
    pub const BUSY: Errno = Errno(10);
    pub const CHILD: Errno = Errno(12);
    pub const CONNREFUSED: Errno = Errno(14);
    pub const CONNRESET: Errno = Errno(15);
    pub const DESTADDRREQ: Errno = Errno(17);
    pub const EXIST: Errno = Errno(20);
    pub const FAULT: Errno = Errno(21);
    pub const FBIG: Errno = Errno(22);
    pub const HOSTUNREACH: Errno = Errno(23);
    pub const ILSEQ: Errno = Errno(25);
    pub const INPROGRESS: Errno = Errno(26);
    pub const INTR: Errno = Errno(27);
    pub const INVAL: Errno = Errno(28);
    pub const ISCONN: Errno = Errno(30);
    pub const ISDIR: Errno = Errno(31);
    pub const LOOP: Errno = Errno(32);
    pub const MFILE: Errno = Errno(33);
    pub const MSGSIZE: Errno = Errno(35);
    pub const NAMETOOLONG: Errno = Errno(37);
    pub const NETUNREACH: Errno = Errno(40);
    pub const NOENT: Errno = Errno(44);
    pub const NOEXEC: Errno = Errno(45);
    pub const NOMEM: Errno = Errno(48);
    pub const NOSPC: Errno = Errno(51);
    pub const NOPROTOOPT: Errno = Errno(50);
    pub const NOSYS: Errno = Errno(52);
    pub const NOTCONN: Errno = Errno(53);
    pub const NOTDIR: Errno = Errno(54);
    pub const NOTEMPTY: Errno = Errno(55);
    pub const NOTSOCK: Errno = Errno(57);
    pub const NOTSUP: Errno = Errno(58);
    pub const NXIO: Errno = Errno(60);
    pub const OVERFLOW: Errno = Errno(61);
    pub const PERM: Errno = Errno(63);
    pub const PIPE: Errno = Errno(64);
    pub const PROTONOSUPPORT: Errno = Errno(66);
    pub const ROFS: Errno = Errno(69);
    pub const SPIPE: Errno = Errno(70);
    pub const SRCH: Errno = Errno(71);
    pub const TIMEDOUT: Errno = Errno(73);
    /// A rename or link from one mount to another.
    pub const XDEV: Errno = Errno(75);

    /// The value a host function returns to the guest.
    pub fn code(self) -> i32 {
        i32::from(self.0)
    }
}

impl From<FsError> for Errno {
    fn from(e: FsError) -> Self {
        match e {
            FsError::NotFound => Errno::NOENT,
            FsError::NotDir => Errno::NOTDIR,
            FsError::IsDir => Errno::ISDIR,
            FsError::Exists => Errno::EXIST,
            FsError::NotEmpty => Errno::NOTEMPTY,
            FsError::Invalid => Errno::INVAL,
            FsError::Loop => Errno::LOOP,
            FsError::Access => Errno::ACCES,
            FsError::ReadOnly => Errno::ROFS,
        }
    }
}

impl From<crate::network::stack::NetError> for Errno {
    fn from(e: crate::network::stack::NetError) -> Self {
        use crate::network::stack::NetError as N;
        match e {
            N::AddrInUse => Errno::ADDRINUSE,
            N::AddrNotAvail => Errno::ADDRNOTAVAIL,
            N::AfNoSupport => Errno::AFNOSUPPORT,
            N::Again => Errno::AGAIN,
            N::Already => Errno::ALREADY,
            N::ConnRefused => Errno::CONNREFUSED,
            N::ConnReset => Errno::CONNRESET,
            N::DestAddrReq => Errno::DESTADDRREQ,
            N::HostUnreach => Errno::HOSTUNREACH,
            N::InProgress => Errno::INPROGRESS,
            N::Inval => Errno::INVAL,
            N::IsConn => Errno::ISCONN,
            N::MsgSize => Errno::MSGSIZE,
            N::NetUnreach => Errno::NETUNREACH,
            N::NotConn => Errno::NOTCONN,
            N::NotSup => Errno::NOTSUP,
            N::Pipe => Errno::PIPE,
            N::TimedOut => Errno::TIMEDOUT,
        }
    }
}

/// Turns the result of a system call into the errno the guest receives.
pub fn to_code(result: Result<(), Errno>) -> i32 {
    match result {
        Ok(()) => Errno::SUCCESS.code(),
        Err(e) => e.code(),
    }
}
