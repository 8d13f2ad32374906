//! Drawing the editor on an ANSI terminal: the text rows, `~` past the end of the file, and
//! the bottom line (message or prompt). Every frame is drawn whole: home the cursor, write each
//! row and erase to its end, then place the cursor. Tabs stop every 8 columns and control
//! characters show as `^X`, as in vi; long lines are not wrapped but the view scrolls sideways.

use super::editor::{Editor, Mode};

/// The first row and column shown; kept from one frame to the next.
#[derive(Debug, Default, Clone, Copy)]
pub struct View {
    pub top: usize,
    pub left: usize,
}

/// How `c` looks at screen column `at`.
fn cells(c: char, at: usize) -> usize {
    match c {
        '\t' => 8 - at % 8,
        c if c.is_control() => 2,
        _ => 1,
    }
}

fn push_cell(out: &mut String, c: char, at: usize) {
    match c {
        '\t' => out.extend(std::iter::repeat_n(' ', cells(c, at))),
        '\x7f' => out.push_str("^?"),
        c if c.is_control() => {
            out.push('^');
            out.push(char::from_u32(c as u32 ^ 0x40).unwrap_or('?'));
        }
        c => out.push(c),
    }
}

/// The screen column where column `col` of `line` starts.
fn screen_col(line: &[char], col: usize) -> usize {
    line.iter().take(col).fold(0, |at, &c| at + cells(c, at))
}

/// One row of text, from screen column `left`, at most `width` columns.
fn row_text(line: &[char], left: usize, width: usize) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &c in line {
        let w = cells(c, at);
        if at >= left && at + w <= left + width {
            push_cell(&mut out, c, at);
        }
        at += w;
        if at >= left + width {
            break;
        }
    }
    out
}

/// A whole frame for a `cols` x `rows` terminal.
pub fn render(ed: &Editor, view: &mut View, cols: usize, rows: usize) -> String {
    let cols = cols.max(2);
    let text_rows = rows.max(2) - 1;
    if ed.row < view.top {
        view.top = ed.row;
    } else if ed.row >= view.top + text_rows {
        view.top = ed.row + 1 - text_rows;
    }
    let line = ed.buf.line(ed.row);
    let cursor_x = screen_col(line, ed.col);
    let cursor_w = line.get(ed.col).map_or(1, |&c| cells(c, cursor_x));
    if cursor_x < view.left {
        view.left = cursor_x;
    } else if cursor_x + cursor_w > view.left + cols {
        view.left = cursor_x + cursor_w - cols;
    }
    let mut out = String::from("\x1b[H");
    for r in 0..text_rows {
        match ed.buf.lines.get(view.top + r) {
            Some(l) => out.push_str(&row_text(l, view.left, cols)),
            None => out.push('~'),
        }
        out.push_str("\x1b[K\r\n");
    }
    let (bottom, bottom_x) = match ed.mode {
        Mode::Prompt(p) => {
            let s = format!("{p}{}", ed.prompt);
            let n = s.chars().count();
            let shown: String = s.chars().skip(n.saturating_sub(cols - 1)).collect();
            let x = shown.chars().count();
            (shown, Some(x))
        }
        _ => {
            let s: String = ed.status.chars().filter(|c| !c.is_control()).take(cols - 1).collect();
            if ed.status_error && !s.is_empty() {
                (format!("\x1b[7m{s}\x1b[0m"), None)
            } else {
                (s, None)
            }
        }
    };
    out.push_str(&bottom);
    out.push_str("\x1b[K");
    let (y, x) = match bottom_x {
        Some(x) => (rows.max(2), x + 1),
        None => (ed.row - view.top + 1, cursor_x - view.left + 1),
    };
    out.push_str(&format!("\x1b[{y};{x}H"));
    out
}
