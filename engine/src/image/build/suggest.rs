//! "Did you mean ...?": BuildKit adds the closest known word to some errors
//! (`unknown instruction: RUNN (did you mean RUN?)`, `unknown flag: --form (did you mean
//! from?)`) when it is fewer than three edits away.

/// The Levenshtein distance between two strings, by characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            let cost = usize::from(ca != cb);
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + cost);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The option closest to `value` (fewer than 3 edits), in the case the user typed when the
/// comparison ignores case. `None` if nothing is close, or if `value` is itself an option.
pub(crate) fn suggest(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let wanted = fold(value);
    let mut best: Option<String> = None;
    let mut min = 3;
    for option in options {
        let option = fold(option);
        if option == wanted {
            return None;
        }
        let d = distance(&wanted, &option);
        if d < min {
            min = d;
            best = Some(option);
        }
    }
    let best = best?;
    if case_sensitive || value == value.to_lowercase() {
        Some(best)
    } else if value == value.to_uppercase() {
        Some(best.to_uppercase())
    } else {
        Some(best)
    }
}

/// `message` with ` (did you mean X?)` when a suggestion exists.
pub(crate) fn with_suggestion(message: String, value: &str, options: &[&str], case_sensitive: bool) -> String {
    match suggest(value, options, case_sensitive) {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}
