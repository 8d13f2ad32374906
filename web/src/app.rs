//! The page layout: a title bar, then the lesson beside the terminal.

use yew::prelude::*;

use crate::components::{LessonPane, TerminalPane};
use crate::state::{AppState, CHAPTER_PARAM};

/// The chapter slug from the page URL (`?chapitre=...`), if any.
fn slug_from_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(CHAPTER_PARAM)
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_state(|| AppState::for_slug(slug_from_url().as_deref()));
    // Changing chapter keeps the page (and the terminal session) as it is.
    let go = {
        let state = state.clone();
        Callback::from(move |number: usize| state.set(AppState::at(number.saturating_sub(1))))
    };
    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand">
                    <span class="brand-mark" aria-hidden="true">{ "▣" }</span>
                    { "Docker dans le navigateur" }
                </h1>
                <p class="topbar-chapter">{ state.chapter.title }</p>
            </header>
            <main class="workspace">
                <LessonPane chapter={state.chapter} number={state.number} total={state.total} on_go={go} />
                <TerminalPane />
            </main>
        </div>
    }
}
