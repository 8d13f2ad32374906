//! The page's views. Each component only renders what it is given; the state lives in
//! [`crate::state`] and the engine session in [`crate::session`].

mod lesson;
mod storage_notice;
mod terminal;

pub use lesson::LessonPane;
pub use terminal::TerminalPane;
