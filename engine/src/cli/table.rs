//! Tables as Docker prints them. Docker formats `ps`, `images` and friends through Go's
//! `text/tabwriter` with a minimum cell width of 10, padding 3, and the last column unpadded;
//! widths count characters (so `…` is one).

/// Lays out rows (the first being the header) in aligned columns.
pub fn render(rows: &[Vec<String>]) -> String {
    render_min(rows, 10)
}

/// [`render`] with another minimum cell width (`docker top` uses 20).
pub fn render_min(rows: &[Vec<String>], min: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max((cell.chars().count() + 3).max(min));
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    out
}

/// Docker's `Ellipsis`: cuts `s` to `max` characters, the last being `…`.
pub fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_like_tabwriter() {
        let rows = vec![
            vec!["REPOSITORY".to_string(), "TAG".into(), "SIZE".into()],
            vec!["hello-world".to_string(), "latest".into(), "40.2kB".into()],
        ];
        assert_eq!(render(&rows), "REPOSITORY    TAG       SIZE\nhello-world   latest    40.2kB\n");
    }

    #[test]
    fn ellipsis_keeps_the_width() {
        assert_eq!(ellipsis("/hello", 20), "/hello");
        assert_eq!(ellipsis("docker-entrypoint.sh nginx", 20), "docker-entrypoint.s…");
    }
}
