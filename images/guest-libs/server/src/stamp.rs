//! Values stamped into a program when its image is built (the version a server reports), so one
//! compiled program serves several image tags (`nginx:1.27` and `nginx:1.21-alpine` report
//! their own versions). A stamp is a fixed-size static holding `PLAYGROUND-STAMP:<key>=<value>`
//! padded with NULs; the image builder rewrites the value in the `.wasm` file, in place.

/// The bytes a stamp takes in the program.
pub const SIZE: usize = 64;
/// What every stamp starts with.
pub const MARKER: &str = "PLAYGROUND-STAMP:";

/// A stamp's initial bytes: `text` (`PLAYGROUND-STAMP:key=value`) padded with NULs.
pub const fn field(text: &[u8]) -> [u8; SIZE] {
    let mut out = [0u8; SIZE];
    let mut i = 0;
    while i < text.len() && i < SIZE {
        out[i] = text[i];
        i += 1;
    }
    out
}

/// The value of a stamp, read at run time (never folded at compile time: the builder may have
/// changed it).
pub fn read(field: &'static [u8; SIZE]) -> &'static str {
    let field: &'static [u8; SIZE] = std::hint::black_box(field);
    let start = field.iter().position(|&b| b == b'=').map_or(0, |i| i + 1);
    let value = &field[start..];
    let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
    std::str::from_utf8(&value[..end]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    static VERSION: [u8; SIZE] = field(b"PLAYGROUND-STAMP:test-version=1.2.3");

    #[test]
    fn a_stamp_reads_back_its_value() {
        assert_eq!(read(&VERSION), "1.2.3");
    }
}
