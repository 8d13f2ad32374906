//! The terminal pane: an xterm.js terminal connected to the engine through a [`Session`].

use yew::prelude::*;

use crate::session::Session;

#[function_component(TerminalPane)]
pub fn terminal_pane() -> Html {
    let screen = use_node_ref();
    {
        let screen = screen.clone();
        use_effect_with((), move |_| {
            let session = screen.cast::<web_sys::HtmlElement>().map(|el| Session::start(&el));
            move || drop(session)
        });
    }
    html! {
        <section class="pane terminal-pane" aria-label="Terminal">
            <header class="pane-header">
                <span class="dot" aria-hidden="true"></span>
                <span class="pane-title">{ "Terminal" }</span>
                <span class="pane-hint">{ "eleve@playground" }</span>
            </header>
            <div class="terminal-screen" ref={screen}></div>
        </section>
    }
}
