//! The page's state, apart from the views: which chapter the lesson pane shows, and the lesson
//! rendered from Markdown. Pure functions of their inputs, so they are easy to test.

use courseware::{Chapter, CHAPTERS};
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// The URL parameter that picks a chapter: `?chapitre=premier-conteneur`.
pub const CHAPTER_PARAM: &str = "chapitre";

/// What the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The chapter in the lesson pane.
    pub chapter: &'static Chapter,
    /// Its position in the course, from 1.
    pub number: usize,
    /// How many chapters the course has.
    pub total: usize,
}

impl AppState {
    /// The state for a page opened with this chapter slug (from the URL), or the first chapter.
    pub fn for_slug(slug: Option<&str>) -> Self {
        let index = slug.and_then(|s| CHAPTERS.iter().position(|c| c.slug == s)).unwrap_or(0);
        Self::at(index)
    }

    /// The state showing the chapter at `index` (0-based, clamped to the course).
    pub fn at(index: usize) -> Self {
        let index = index.min(CHAPTERS.len().saturating_sub(1));
        Self { chapter: &CHAPTERS[index], number: index + 1, total: CHAPTERS.len() }
    }
}

/// Renders a chapter's Markdown to HTML. The chapters are compiled into the binary, so the
/// HTML is trusted. Prose (not code) gets French typography: the space before `; : ! ?` and
/// inside `« »` becomes non-breaking, so a line never starts with a lone `;`.
pub fn render_markdown(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut in_code_block = false;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::CodeBlock(_)) => {
            in_code_block = true;
            event
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code_block = false;
            event
        }
        Event::Text(text) if !in_code_block => Event::Text(french_spacing(&text).into()),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Makes the spaces French typography keeps attached non-breaking: a narrow no-break space
/// before `; ! ?`, a no-break space before `:` and `»` and after `«`.
fn french_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let replacement = match (c, chars.peek(), previous) {
            (' ', Some(';' | '!' | '?'), _) => '\u{202F}',
            (' ', Some(':' | '»'), _) => '\u{00A0}',
            (' ', _, Some('«')) => '\u{00A0}',
            _ => c,
        };
        out.push(replacement);
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_missing_slug_opens_the_first_chapter() {
        assert_eq!(AppState::for_slug(None).chapter, &CHAPTERS[0]);
        assert_eq!(AppState::for_slug(Some("nope")).number, 1);
    }

    #[test]
    fn markdown_becomes_html() {
        let html = render_markdown("# Titre\n\n`docker ps`\n");
        assert!(html.contains("<h1>Titre</h1>"));
        assert!(html.contains("<code>docker ps</code>"));
    }

    #[test]
    fn french_punctuation_keeps_its_space_attached_outside_code() {
        let html = render_markdown("Voyez : « ceci » ; ok ?\n\n`a ; b`\n\n```\nx ; y\n```\n");
        assert!(html.contains("Voyez\u{00A0}: «\u{00A0}ceci\u{00A0}»\u{202F}; ok\u{202F}?"));
        assert!(html.contains("<code>a ; b</code>"));
        assert!(html.contains("x ; y"));
    }
}
