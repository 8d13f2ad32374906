//! What the learner sees when the app panics: the Rust panic goes to the browser console (for
//! whoever debugs), and a French message with a reload button covers the page. It is built with
//! plain DOM calls because yew may be unusable after a panic; the release build aborts on panic,
//! so the page cannot go on anyway.

use std::sync::atomic::{AtomicBool, Ordering};

static SHOWN: AtomicBool = AtomicBool::new(false);

/// Installs the panic hook. Call first thing in `main`. It goes through yew, which would
/// otherwise replace any hook with its own when the app is rendered.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if !SHOWN.swap(true, Ordering::SeqCst) {
            show_overlay(&info.to_string());
        }
    }));
}

/// Covers the page with the error message. Every step is fallible and silently skipped: a panic
/// inside the panic hook would hide the message we are trying to show.
fn show_overlay(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let make = |tag: &str, class: &str, text: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_class_name(class);
        if !text.is_empty() {
            el.set_text_content(Some(text));
        }
        Some(el)
    };
    let Some(overlay) = make("div", "panic-overlay", "") else {
        return;
    };
    let _ = overlay.set_attribute("role", "alertdialog");
    let _ = overlay.set_attribute("aria-modal", "true");
    let _ = overlay.set_attribute("aria-labelledby", "panic-title");
    let parts = [
        make("div", "panic-box", ""),
        make("h2", "panic-title", "Une erreur interne est survenue dans le terrain de jeu."),
        make(
            "p",
            "panic-text",
            "Ce n'est pas de votre faute : le simulateur s'est arrêté. Rechargez la page pour \
             repartir d'un terminal neuf.",
        ),
        make("button", "panic-reload", "Recharger la page"),
        make("details", "panic-details", ""),
        make("summary", "", "Détails techniques (pour l'enseignant)"),
        make("pre", "", details),
    ];
    let [Some(dialog), Some(title), Some(text), Some(button), Some(more), Some(summary), Some(pre)] = parts else {
        return;
    };
    title.set_id("panic-title");
    let _ = button.set_attribute("type", "button");
    // An inline handler needs no closure: the wasm instance may be unusable after the panic.
    let _ = button.set_attribute("onclick", "location.reload()");
    let _ = more.append_child(&summary);
    let _ = more.append_child(&pre);
    for child in [&title, &text, &button, &more] {
        let _ = dialog.append_child(child);
    }
    let _ = overlay.append_child(&dialog);
    let _ = body.append_child(&overlay);
    if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
        let _ = button.focus();
    }
}

/// A function that panics on purpose, published as `window.__playground.panic()` so the browser
/// tests can check that the overlay appears.
pub fn trigger_for_test() -> wasm_bindgen::JsValue {
    wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
        panic!("panic requested by window.__playground.panic() (browser test)")
    })
    .into_js_value()
}
