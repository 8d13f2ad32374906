//! Bindings to xterm.js (`@xterm/xterm` 6) and its fit addon. `index.html` loads the vendored
//! ES modules and puts their classes on `window` (`Terminal`, `FitAddon`) before the wasm starts,
//! so these bindings name globals and need no JS glue file.

use js_sys::{Function, Object, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// An xterm.js terminal (`new Terminal(options)`).
    #[derive(Debug, Clone)]
    pub type Terminal;

    #[wasm_bindgen(constructor)]
    pub fn new(options: &Object) -> Terminal;

    /// Attaches the terminal to a DOM element (it creates its own textarea and canvas inside).
    #[wasm_bindgen(method)]
    pub fn open(this: &Terminal, parent: &web_sys::HtmlElement);

    /// Queues bytes for the terminal's parser.
    #[wasm_bindgen(method, js_name = write)]
    pub fn write_bytes(this: &Terminal, data: &Uint8Array);

    /// Queues bytes for the terminal's parser; `callback` runs once they are parsed.
    #[wasm_bindgen(method, js_name = write)]
    pub fn write_bytes_then(this: &Terminal, data: &Uint8Array, callback: &Function);

    #[wasm_bindgen(method)]
    pub fn focus(this: &Terminal);

    #[wasm_bindgen(method)]
    pub fn dispose(this: &Terminal);

    #[wasm_bindgen(method, js_name = loadAddon)]
    pub fn load_addon(this: &Terminal, addon: &FitAddon);

    #[wasm_bindgen(method, getter)]
    pub fn cols(this: &Terminal) -> u16;

    #[wasm_bindgen(method, getter)]
    pub fn rows(this: &Terminal) -> u16;

    /// `onData(listener)`: what the learner types (keys, paste) as a string of UTF-16 text with
    /// control characters as a real terminal sends them. Returns a disposable.
    #[wasm_bindgen(method, js_name = onData)]
    pub fn on_data(this: &Terminal, listener: &Function) -> Disposable;

    /// `onResize(listener)`: the listener receives `{ cols, rows }`.
    #[wasm_bindgen(method, js_name = onResize)]
    pub fn on_resize(this: &Terminal, listener: &Function) -> Disposable;

    /// What xterm.js event registrations return.
    #[derive(Debug, Clone)]
    pub type Disposable;

    #[wasm_bindgen(method)]
    pub fn dispose(this: &Disposable);

    /// The fit addon (`new FitAddon()`): sizes the terminal to fill its container.
    #[derive(Debug, Clone)]
    pub type FitAddon;

    #[wasm_bindgen(constructor)]
    pub fn new() -> FitAddon;

    #[wasm_bindgen(method)]
    pub fn fit(this: &FitAddon);
}
