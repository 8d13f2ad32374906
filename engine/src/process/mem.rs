//! Access to a process's memory from the kernel side. A WASI program passes pointers into its own
//! linear memory (a plain byte array, its whole address space); the kernel reads arguments from
//! there and writes results back. Every pointer and length is checked against the memory's size:
//! a bad one is the guest's bug and gets `EFAULT`, as a bad pointer given to a Linux system call
//! does. Nothing here can panic, whatever the guest passes.

use super::errno::Errno;

/// The bytes `[ptr, ptr + len)` of guest memory.
pub fn bytes(mem: &[u8], ptr: u32, len: u32) -> Result<&[u8], Errno> {
    let start = ptr as usize;
    let end = start.checked_add(len as usize).ok_or(Errno::FAULT)?;
    mem.get(start..end).ok_or(Errno::FAULT)
}

/// The bytes `[ptr, ptr + len)` of guest memory, writable.
pub fn bytes_mut(mem: &mut [u8], ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
    let start = ptr as usize;
    let end = start.checked_add(len as usize).ok_or(Errno::FAULT)?;
    mem.get_mut(start..end).ok_or(Errno::FAULT)
}

/// `base + offset` as a guest address, or `EFAULT` if it leaves the 32-bit address space.
pub fn offset(base: u32, offset: u64) -> Result<u32, Errno> {
    u64::from(base).checked_add(offset).and_then(|a| u32::try_from(a).ok()).ok_or(Errno::FAULT)
}

fn array<const N: usize>(mem: &[u8], ptr: u32) -> Result<[u8; N], Errno> {
    let mut out = [0u8; N];
    out.copy_from_slice(bytes(mem, ptr, N as u32)?);
    Ok(out)
}

pub fn read_u8(mem: &[u8], ptr: u32) -> Result<u8, Errno> {
    Ok(array::<1>(mem, ptr)?[0])
}

pub fn read_u16(mem: &[u8], ptr: u32) -> Result<u16, Errno> {
    array(mem, ptr).map(u16::from_le_bytes)
}

pub fn read_u32(mem: &[u8], ptr: u32) -> Result<u32, Errno> {
    array(mem, ptr).map(u32::from_le_bytes)
}

pub fn read_u64(mem: &[u8], ptr: u32) -> Result<u64, Errno> {
    array(mem, ptr).map(u64::from_le_bytes)
}

pub fn write(mem: &mut [u8], ptr: u32, data: &[u8]) -> Result<(), Errno> {
    let len = u32::try_from(data.len()).map_err(|_| Errno::FAULT)?;
    bytes_mut(mem, ptr, len)?.copy_from_slice(data);
    Ok(())
}

pub fn write_u8(mem: &mut [u8], ptr: u32, v: u8) -> Result<(), Errno> {
    write(mem, ptr, &[v])
}

pub fn write_u32(mem: &mut [u8], ptr: u32, v: u32) -> Result<(), Errno> {
    write(mem, ptr, &v.to_le_bytes())
}

pub fn write_u64(mem: &mut [u8], ptr: u32, v: u64) -> Result<(), Errno> {
    write(mem, ptr, &v.to_le_bytes())
}

/// A string argument (a path): UTF-8 or `EILSEQ`.
pub fn string(mem: &[u8], ptr: u32, len: u32) -> Result<&str, Errno> {
    std::str::from_utf8(bytes(mem, ptr, len)?).map_err(|_| Errno::ILSEQ)
}

/// Most iovecs in one call (Linux's `IOV_MAX`); more is `EINVAL`.
pub const IOV_MAX: u32 = 1024;

/// Most bytes one read or write moves; a larger request is served partially, as Linux may.
/// Iovecs may overlap, so without a cap one call could ask for terabytes.
pub const MAX_IO_BYTES: usize = 1024 * 1024;

/// One buffer of a scatter/gather list (`iovec`: pointer and length).
#[derive(Debug, Clone, Copy)]
pub struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

/// Reads and validates a list of `count` iovecs at `ptr` (8 bytes each). Every buffer is checked
/// against the memory before anything is read or written, so a bad one fails the whole call
/// without consuming data.
pub fn iovecs(mem: &[u8], ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
    if count > IOV_MAX {
        return Err(Errno::INVAL);
    }
    // Checking the whole array first also bounds `count` by the memory size.
    bytes(mem, ptr, count.checked_mul(8).ok_or(Errno::FAULT)?)?;
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        let at = offset(ptr, u64::from(i) * 8)?;
        let v = IoVec { ptr: read_u32(mem, at)?, len: read_u32(mem, offset(at, 4)?)? };
        bytes(mem, v.ptr, v.len)?;
        out.push(v);
    }
    Ok(out)
}

/// Concatenates the bytes of `iovs` (what a write sends), at most [`MAX_IO_BYTES`].
pub fn gather(mem: &[u8], iovs: &[IoVec]) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    for v in iovs {
        let room = MAX_IO_BYTES - out.len();
        let chunk = bytes(mem, v.ptr, v.len)?;
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() == MAX_IO_BYTES {
            break;
        }
    }
    Ok(out)
}

/// Total length of `iovs` (what a read may return at most), capped at [`MAX_IO_BYTES`].
pub fn total_len(iovs: &[IoVec]) -> usize {
    iovs.iter().fold(0usize, |sum, v| sum.saturating_add(v.len as usize)).min(MAX_IO_BYTES)
}

/// Spreads `data` over `iovs` in order (what a read fills).
pub fn scatter(mem: &mut [u8], iovs: &[IoVec], mut data: &[u8]) -> Result<(), Errno> {
    for v in iovs {
        if data.is_empty() {
            break;
        }
        let n = data.len().min(v.len as usize);
        write(mem, v.ptr, &data[..n])?;
        data = &data[n..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_bounds_is_efault_not_a_panic() {
        let mut mem = vec![0u8; 16];
        assert_eq!(bytes(&mem, 10, 10), Err(Errno::FAULT));
        assert_eq!(bytes(&mem, u32::MAX, 2), Err(Errno::FAULT));
        assert_eq!(write_u64(&mut mem, 12, 1), Err(Errno::FAULT));
        assert_eq!(read_u32(&mem, 12), Ok(0));
        assert_eq!(iovecs(&mem, 0, u32::MAX).unwrap_err(), Errno::INVAL);
        assert_eq!(iovecs(&mem, 0, 3).unwrap_err(), Errno::FAULT);
        write_u32(&mut mem, 0, 8).unwrap();
        write_u32(&mut mem, 4, 100).unwrap();
        assert_eq!(iovecs(&mem, 0, 1).unwrap_err(), Errno::FAULT);
    }

    #[test]
    fn overlapping_iovecs_cannot_ask_for_unbounded_io() {
        let mut mem = vec![0u8; 2 * MAX_IO_BYTES];
        let whole = MAX_IO_BYTES as u32 * 2 - 8 * IOV_MAX;
        for i in 0..IOV_MAX {
            write_u32(&mut mem, i * 8, 8 * IOV_MAX).unwrap();
            write_u32(&mut mem, i * 8 + 4, whole).unwrap();
        }
        let iovs = iovecs(&mem, 0, IOV_MAX).unwrap();
        assert_eq!(total_len(&iovs), MAX_IO_BYTES);
        assert_eq!(gather(&mem, &iovs).unwrap().len(), MAX_IO_BYTES);
    }
}
