//! apt's ways of printing: sizes (`1142 B`, `91.8 k`, `8792 k`, in the C locale, with `B`
//! appended by the caller) and package lists wrapped at the screen width.

/// apt's `SizeToStr`: three significant digits at most, units of 1000.
pub fn size_to_str(size: f64) -> String {
    let units = ['\0', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    let mut s = size.abs();
    for (i, unit) in units.iter().enumerate() {
        let unit = if *unit == '\0' { String::new() } else { unit.to_string() };
        if s < 100.0 && i != 0 {
            return format!("{s:.1} {unit}");
        }
        if s < 10000.0 {
            return format!("{s:.0} {unit}");
        }
        s /= 1000.0;
    }
    format!("{s:.0} Y")
}

/// A title and package names, wrapped as apt does: two spaces of indent, at most 80 columns.
pub fn show_list(title: &str, names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let mut out = format!("{title}\n");
    let mut line = String::from(" ");
    for name in names {
        if line.len() + 1 + name.len() > 80 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(name);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_apt() {
        assert_eq!(format!("{}B", size_to_str(1142.0)), "1142 B");
        assert_eq!(format!("{}B", size_to_str(91_800.0)), "91.8 kB");
        assert_eq!(format!("{}B", size_to_str(216_000.0)), "216 kB");
        assert_eq!(format!("{}B", size_to_str(8_792_000.0)), "8792 kB");
        assert_eq!(format!("{}B", size_to_str(19_300_000.0)), "19.3 MB");
    }

    #[test]
    fn lists_wrap_at_80_columns() {
        let names: Vec<String> = (0..30).map(|i| format!("package{i}")).collect();
        let text = show_list("The following NEW packages will be installed:", &names);
        assert!(text.lines().skip(1).all(|l| l.starts_with("  ") && l.len() <= 80), "{text}");
        assert_eq!(show_list("t", &["curl".into()]), "t\n  curl\n");
    }
}
