//! The terminal pane: an xterm.js terminal connected to the engine through a [`Session`], with
//! what the learner must know about the saved session above it and a button to start afresh.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::storage_notice::{OldData, StorageNotice};
use crate::persistence::StorageEvent;
use crate::session::Session;

/// What the pane shows about storage.
#[derive(Debug, Default, Clone, PartialEq)]
struct Notices {
    problem: Option<String>,
    old_data: Option<OldData>,
}

impl Reducible for Notices {
    type Action = StorageEvent;

    fn reduce(self: Rc<Self>, event: StorageEvent) -> Rc<Self> {
        let mut next = (*self).clone();
        match event {
            StorageEvent::Problem(problem) => next.problem = problem,
            StorageEvent::OldData { why, bytes } => {
                if let Some(old) = &next.old_data {
                    let _ = web_sys::Url::revoke_object_url(&old.url);
                }
                next.old_data = blob_url(&bytes).map(|url| OldData { why, url, bytes: bytes.len() });
            }
            StorageEvent::OldDataGone => {
                if let Some(old) = next.old_data.take() {
                    let _ = web_sys::Url::revoke_object_url(&old.url);
                }
            }
        }
        Rc::new(next)
    }
}

/// A `blob:` URL for `bytes`, to download.
fn blob_url(bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/x-tar");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The question asked before deleting everything.
const RESET_QUESTION: &str =
    "Réinitialiser le terrain de jeu\u{202f}?\n\nImages, conteneurs, volumes et fichiers seront \
     effacés, et la page repartira de zéro.";

#[function_component(TerminalPane)]
pub fn terminal_pane() -> Html {
    let screen = use_node_ref();
    let notices = use_reducer(Notices::default);
    let session: Rc<RefCell<Option<Session>>> = use_mut_ref(|| None);
    {
        let (screen, session, notices) = (screen.clone(), session.clone(), notices.dispatcher());
        use_effect_with((), move |_| {
            let report = Callback::from(move |event| notices.dispatch(event));
            *session.borrow_mut() = screen.cast::<web_sys::HtmlElement>().map(|el| Session::start(&el, report));
            move || drop(session.borrow_mut().take())
        });
    }
    let reset = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(RESET_QUESTION).ok());
            if confirmed == Some(true) {
                if let Some(s) = session.borrow().as_ref() {
                    s.reset();
                }
            }
        })
    };
    let forget = Callback::from(move |()| {
        if let Some(s) = session.borrow().as_ref() {
            s.forget_old_data();
        }
    });
    html! {
        <section class="pane terminal-pane" aria-label="Terminal">
            <header class="pane-header">
                <span class="dot" aria-hidden="true"></span>
                <span class="pane-title">{ "Terminal" }</span>
                <span class="pane-hint">{ "eleve@playground" }</span>
                <button type="button" class="pane-reset" onclick={reset}
                    title="Tout effacer et repartir d'un terrain de jeu neuf">
                    { "Réinitialiser" }
                </button>
            </header>
            <StorageNotice problem={notices.problem.clone()} old_data={notices.old_data.clone()} on_forget={forget} />
            <div class="terminal-screen" ref={screen}></div>
        </section>
    }
}
