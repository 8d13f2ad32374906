//! The browser app: a French lesson beside a terminal where `docker` runs, all inside the page.
//!
//! - [`state`]: what the page shows (chapter), apart from the views;
//! - [`components`]: the views (lesson pane, terminal pane), laid out by [`app`];
//! - [`session`]: the engine behind the terminal, advanced in short ticks;
//! - [`persistence`]: the session saved in the browser and brought back after a reload;
//! - [`storage`]: where it is saved (IndexedDB);
//! - [`platform`]: the engine's clock, randomness and image blobs, from browser APIs;
//! - [`xterm`]: bindings to xterm.js;
//! - [`panic`]: a French message instead of a silently dead page.

mod app;
mod components;
mod panic;
mod persistence;
mod platform;
mod session;
mod state;
mod storage;
mod xterm;

fn main() {
    panic::install();
    let document = web_sys::window().and_then(|w| w.document()).expect("the page has a document");
    let root = document.get_element_by_id("app").expect("index.html has a #app element");
    // The loading message in index.html goes away once the app renders.
    root.set_inner_html("");
    yew::Renderer::<app::App>::with_root(root).render();
}
