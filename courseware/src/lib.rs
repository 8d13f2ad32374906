//! The course the lesson pane teaches, in French. Each chapter is a Markdown file under
//! `courseware/chapters/`, compiled into the binary so the page works offline. Exercises and
//! their automatic checks grow here chapter by chapter.

/// One chapter of the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chapter {
    /// Stable identifier used in URLs (`?chapitre=premier-conteneur`).
    pub slug: &'static str,
    /// The title shown in the chapter list.
    pub title: &'static str,
    /// The chapter body, in Markdown (CommonMark).
    pub markdown: &'static str,
}

/// The chapters in teaching order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        slug: "premier-conteneur",
        title: "Premier conteneur",
        markdown: include_str!("../chapters/01-premier-conteneur.md"),
    },
    Chapter {
        slug: "cycle-de-vie",
        title: "Le cycle de vie d'un conteneur",
        markdown: include_str!("../chapters/02-cycle-de-vie.md"),
    },
];

/// Finds a chapter by its slug.
pub fn chapter(slug: &str) -> Option<&'static Chapter> {
    CHAPTERS.iter().find(|c| c.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_has_a_title_and_a_body() {
        assert!(!CHAPTERS.is_empty());
        for c in CHAPTERS {
            assert!(c.markdown.starts_with("# "), "{} must open with a level-1 title", c.slug);
            assert!(chapter(c.slug).is_some());
        }
    }
}
