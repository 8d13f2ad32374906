//! WASIX `tty_get`/`tty_set`: a program asks for its terminal's size and modes (`isatty`,
//! `ioctl(TIOCGWINSZ)`, `tcgetattr`) and switches echo and cooked/raw mode (`tcsetattr`). The
//! terminal is the process's controlling one (`ProcState::tty`); the line discipline itself
//! is in [`crate::process::tty`].

use crate::process::errno::Errno;
use crate::process::fdtable::Fd;
use crate::process::mem;
use crate::process::state::ProcState;
use crate::process::tty::TtyMode;

/// Size of the WASIX `tty` record: four `u32` and six `bool`, padded to 4.
const TTY_SIZE: u32 = 24;

fn is_tty(st: &ProcState, fd: u32) -> bool {
    matches!(st.fds.get(fd), Ok(e) if matches!(e.fd, Fd::Tty(_)))
}

/// `tty_get(state)`: without a terminal, an 80x24 default with the `*_tty` flags false.
pub fn tty_get(st: &mut ProcState, m: &mut [u8], out: u32) -> Result<(), Errno> {
    let mode = st.tty.as_ref().map(|t| t.mode()).unwrap_or_default();
    let buf = mem::bytes_mut(m, out, TTY_SIZE)?;
    buf.fill(0);
    for (i, v) in [mode.cols, mode.rows, mode.width, mode.height].into_iter().enumerate() {
        buf[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    let flags = [is_tty(st, 0), is_tty(st, 1), is_tty(st, 2), mode.echo, mode.line_buffered, mode.line_feeds];
    let buf = mem::bytes_mut(m, out, TTY_SIZE)?;
    for (i, f) in flags.into_iter().enumerate() {
        buf[16 + i] = u8::from(f);
    }
    Ok(())
}

/// `tty_set(state)`: echo, line buffering and line feeds; the window size is the terminal's and
/// stays. Without a terminal there is nothing to change (success, as in Wasmer).
pub fn tty_set(st: &mut ProcState, m: &mut [u8], ptr: u32) -> Result<(), Errno> {
    let buf = mem::bytes(m, ptr, TTY_SIZE)?;
    let word = |i: usize| u32::from_le_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
    let mode = TtyMode {
        cols: word(0),
        rows: word(4),
        width: word(8),
        height: word(12),
        echo: buf[19] != 0,
        line_buffered: buf[20] != 0,
        line_feeds: buf[21] != 0,
    };
    if let Some(tty) = &st.tty {
        tty.set_mode(mode);
    }
    Ok(())
}
