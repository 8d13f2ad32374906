//! One terminal session: the engine, the xterm.js terminal it talks to, and the scheduler that
//! advances the engine in short ticks so the page never freezes.
//!
//! Keystrokes go to [`Engine::write_input`] and ask for a tick. Each tick runs the engine for
//! [`TICK_BUDGET_MICROS`], then writes its output to the terminal and schedules the next tick from
//! the engine's answer: `Busy` -> a macrotask right away (a `MessageChannel` message, so the browser
//! can paint and handle input in between), `Waiting` -> a timer, `Idle` -> nothing until input.
//!
//! The engine is created once the saved session has been read (see [`crate::persistence`]):
//! restored from it, or fresh. Keystrokes typed meanwhile are kept for it. It is saved a moment
//! after it changes, and when the page is hidden or left.
//!
//! The session also publishes small hooks for the browser tests and the bench:
//! `window.__playground_ready` (and `data-playground-ready` on `<html>`) once the first prompt is on
//! screen, `window.__playground.run(command)` which types a command line and resolves with
//! `{ ms, output }` when the prompt is back, `window.__playground.persistence()` which tells
//! whether every change is saved and how long saving takes, and `window.__playground.panic()`
//! which panics on purpose (to test the error overlay).

use std::cell::RefCell;
use std::rc::Rc;

use engine::{Activity, Engine};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::persistence::{Persistence, StorageEvent};
use crate::storage::IdbStorage;
use crate::xterm::{Disposable, FitAddon, Terminal};

/// How long one tick may run the engine, in microseconds. Short enough that typing stays fluid
/// while a container spins, long enough that the engine does real work per tick.
pub const TICK_BUDGET_MICROS: u64 = 8_000;

/// The delay before the next tick when the engine waits on time or on a fetch, in milliseconds.
const WAITING_DELAY_MS: i32 = 10;

/// How the prompt ends: used by the test hook to see that a command finished and the prompt is
/// back on screen.
const PROMPT_END: &[u8] = b"$ ";

/// Terminal options: readable on a classroom projector, high contrast.
const TERMINAL_OPTIONS: &str = r##"{
    "cursorBlink": true,
    "fontSize": 16,
    "lineHeight": 1.15,
    "fontFamily": "\"DejaVu Sans Mono\", \"Cascadia Mono\", Menlo, Consolas, \"Liberation Mono\", monospace",
    "scrollback": 5000,
    "theme": {
        "background": "#101418",
        "foreground": "#eef1f4",
        "cursor": "#ffcc33",
        "cursorAccent": "#101418",
        "selectionBackground": "#3a5a80",
        "black": "#101418", "brightBlack": "#7f8c98",
        "red": "#ff6b6b", "brightRed": "#ff8f8f",
        "green": "#7ee081", "brightGreen": "#a3f0a5",
        "yellow": "#ffd866", "brightYellow": "#ffe799",
        "blue": "#6cb6ff", "brightBlue": "#9ccfff",
        "magenta": "#e59cff", "brightMagenta": "#f0c0ff",
        "cyan": "#5ee0e0", "brightCyan": "#9af0f0",
        "white": "#d8dee4", "brightWhite": "#ffffff"
    }
}"##;

/// The window's events that save at once: the page is being left.
const LEAVE_EVENTS: [&str; 2] = ["beforeunload", "pagehide"];

/// What is scheduled to run the next tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Nothing: the engine is idle until input.
    Nothing,
    /// A message is posted on the channel: a macrotask right away.
    Soon,
    /// A timer with this id.
    Timer(i32),
}

/// A `__playground.run` call waiting for its command to finish.
struct Waiter {
    started_ms: f64,
    output: Vec<u8>,
    resolve: Function,
}

/// The mutable part of the session, shared by the event callbacks.
struct Inner {
    /// `None` until the saved session has been read.
    engine: Option<Engine>,
    /// Keystrokes typed before the engine exists.
    pending_input: Vec<u8>,
    /// The terminal's size (columns, rows), for an engine created later.
    size: (u16, u16),
    persistence: Persistence,
    /// The function that saves (for `setTimeout`); set right after the closure exists.
    save_fn: Option<Function>,
    terminal: Terminal,
    next: Next,
    /// The function that runs a tick (for `setTimeout`); set right after the closure exists.
    tick_fn: Option<Function>,
    /// Posting on this port runs a tick as a macrotask.
    port: web_sys::MessagePort,
    ready: bool,
    waiter: Option<Waiter>,
    /// Whether the shell's prompt was on screen after the last tick.
    was_at_prompt: bool,
}

/// A running terminal session. Dropping it stops the engine and frees the terminal.
pub struct Session {
    inner: Rc<RefCell<Inner>>,
    channel: web_sys::MessageChannel,
    observer: web_sys::ResizeObserver,
    disposables: Vec<Disposable>,
    _on_tick: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_data: Closure<dyn FnMut(String)>,
    _on_resize: Closure<dyn FnMut(JsValue)>,
    _on_container_resize: Closure<dyn FnMut(JsValue)>,
    _run_hook: Closure<dyn FnMut(String) -> Promise>,
    _persistence_hook: Closure<dyn FnMut() -> JsValue>,
    _on_save: Closure<dyn FnMut()>,
    /// Saves when the page is hidden or left.
    on_leave: Closure<dyn FnMut(web_sys::Event)>,
}

impl Session {
    /// Opens a terminal inside `container` and starts the engine behind it; what happens to the
    /// saved session is told to `report`.
    pub fn start(container: &web_sys::HtmlElement, report: Callback<StorageEvent>) -> Session {
        let options: Object =
            js_sys::JSON::parse(TERMINAL_OPTIONS).expect("terminal options are valid JSON").unchecked_into();
        let terminal = Terminal::new(&options);
        let fit = FitAddon::new();
        terminal.load_addon(&fit);
        terminal.open(container);
        fit.fit();

        let channel = web_sys::MessageChannel::new().expect("MessageChannel");
        // The storage's answers come back as ticks (a message on the channel).
        let wake: Rc<dyn Fn()> = {
            let port = channel.port2();
            Rc::new(move || {
                let _ = port.post_message(&JsValue::NULL);
            })
        };
        let persistence = Persistence::new(IdbStorage::open(wake), report);
        // The closures below need `inner`, and `inner` needs the tick function: build `inner`
        // first and give it the function once the closure exists.
        let inner = Rc::new(RefCell::new(Inner {
            engine: None,
            pending_input: Vec::new(),
            size: (terminal.cols(), terminal.rows()),
            persistence,
            save_fn: None,
            terminal: terminal.clone(),
            next: Next::Nothing,
            tick_fn: None,
            port: channel.port2(),
            ready: false,
            waiter: None,
            was_at_prompt: false,
        }));

        let on_tick = {
            let inner = inner.clone();
            Closure::<dyn FnMut()>::new(move || Inner::run_tick(&inner))
        };
        inner.borrow_mut().tick_fn = Some(on_tick.as_ref().unchecked_ref::<Function>().clone());
        let on_save = {
            let inner = inner.clone();
            Closure::<dyn FnMut()>::new(move || Inner::save(&inner))
        };
        inner.borrow_mut().save_fn = Some(on_save.as_ref().unchecked_ref::<Function>().clone());
        let on_leave = {
            let inner = inner.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
                if event.type_() != "visibilitychange" || hidden {
                    Inner::save(&inner);
                }
            })
        };
        if let Some(window) = web_sys::window() {
            // Chromium drops IndexedDB writes started at `pagehide` on a reload, not those
            // started at `beforeunload`; `pagehide` and `visibilitychange` cover mobile browsers,
            // which may not fire `beforeunload`.
            for event in LEAVE_EVENTS {
                let _ = window.add_event_listener_with_callback(event, on_leave.as_ref().unchecked_ref());
            }
            if let Some(document) = window.document() {
                let _ =
                    document.add_event_listener_with_callback("visibilitychange", on_leave.as_ref().unchecked_ref());
            }
        }

        let on_message = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| Inner::run_tick(&inner))
        };
        channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let on_data = {
            let inner = inner.clone();
            Closure::<dyn FnMut(String)>::new(move |data: String| {
                let mut inner = inner.borrow_mut();
                inner.write_input(data.as_bytes());
                inner.schedule(Activity::Busy);
            })
        };
        let on_resize = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |size: JsValue| {
                let get = |key: &str| {
                    Reflect::get(&size, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u16
                };
                let (cols, rows) = (get("cols"), get("rows"));
                if cols > 0 && rows > 0 {
                    let mut inner = inner.borrow_mut();
                    inner.size = (cols, rows);
                    if let Some(engine) = &mut inner.engine {
                        engine.resize(cols, rows);
                    }
                }
            })
        };
        let disposables = vec![
            terminal.on_data(on_data.as_ref().unchecked_ref()),
            terminal.on_resize(on_resize.as_ref().unchecked_ref()),
        ];

        // Refit whenever the terminal's box changes size (window resize, layout change).
        let on_container_resize = Closure::<dyn FnMut(JsValue)>::new(move |_entries: JsValue| fit.fit());
        let observer =
            web_sys::ResizeObserver::new(on_container_resize.as_ref().unchecked_ref()).expect("ResizeObserver");
        observer.observe(container);

        let run_hook = {
            let inner = inner.clone();
            Closure::<dyn FnMut(String) -> Promise>::new(move |command: String| Inner::run_for_test(&inner, &command))
        };
        let persistence_hook = {
            let inner = inner.clone();
            Closure::<dyn FnMut() -> JsValue>::new(move || inner.borrow().persistence_report())
        };
        publish_test_hook(run_hook.as_ref(), persistence_hook.as_ref());

        terminal.focus();
        inner.borrow_mut().schedule(Activity::Busy);

        Session {
            inner,
            channel,
            observer,
            disposables,
            _on_tick: on_tick,
            _on_message: on_message,
            _on_data: on_data,
            _on_resize: on_resize,
            _on_container_resize: on_container_resize,
            _run_hook: run_hook,
            _persistence_hook: persistence_hook,
            _on_save: on_save,
            on_leave,
        }
    }

    /// Deletes everything saved and reloads the page once it is done.
    pub fn reset(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.persistence.reset();
        inner.schedule(Activity::Busy);
    }

    /// Deletes the saved session that could not be restored.
    pub fn forget_old_data(&self) {
        self.inner.borrow_mut().persistence.forget_old_data();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Nothing may call into the closures once they are freed.
        self.observer.disconnect();
        for d in &self.disposables {
            d.dispose();
        }
        self.channel.port1().set_onmessage(None);
        if let Some(window) = web_sys::window() {
            for event in LEAVE_EVENTS {
                let _ = window.remove_event_listener_with_callback(event, self.on_leave.as_ref().unchecked_ref());
            }
            if let Some(document) = window.document() {
                let listener = self.on_leave.as_ref().unchecked_ref();
                let _ = document.remove_event_listener_with_callback("visibilitychange", listener);
            }
        }
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            if let Next::Timer(id) = inner.next {
                web_sys::window().expect("window").clear_timeout_with_handle(id);
            }
            if let Some(id) = inner.persistence.timer.take() {
                web_sys::window().expect("window").clear_timeout_with_handle(id);
            }
            inner.next = Next::Nothing;
            inner.terminal.dispose();
        }
        if let Some(window) = web_sys::window() {
            let _ = Reflect::delete_property(window.as_ref(), &JsValue::from_str("__playground"));
        }
    }
}

impl Inner {
    /// Keystrokes, for the engine or kept until it exists.
    fn write_input(&mut self, bytes: &[u8]) {
        match &mut self.engine {
            Some(engine) => engine.write_input(bytes),
            None => self.pending_input.extend_from_slice(bytes),
        }
    }

    /// Creates the engine once the saved session has been read. False while it has not.
    fn ensure_engine(&mut self) -> bool {
        if self.engine.is_some() {
            return true;
        }
        let Some(mut engine) = self.persistence.try_start(now_ms) else {
            return false;
        };
        engine.resize(self.size.0, self.size.1);
        let typed = std::mem::take(&mut self.pending_input);
        if !typed.is_empty() {
            engine.write_input(&typed);
        }
        self.engine = Some(engine);
        true
    }

    /// Runs one tick of the engine and shows its output.
    fn run_tick(this: &Rc<RefCell<Inner>>) {
        let mut inner = this.borrow_mut();
        inner.next = Next::Nothing;
        if inner.persistence.poll_writes() {
            // A reset is complete: start again from an empty page.
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
            return;
        }
        if !inner.ensure_engine() {
            return;
        }
        let Some(engine) = inner.engine.as_mut() else { return };
        let activity = engine.tick(TICK_BUDGET_MICROS);
        let output = engine.take_output();
        let at_prompt = engine.at_prompt();

        // Callbacks to run once xterm.js has parsed this output (it is then on screen).
        let mut after_write: Vec<Box<dyn FnOnce()>> = Vec::new();
        if at_prompt && !inner.ready {
            inner.ready = true;
            after_write.push(Box::new(mark_ready));
        }
        let command_done = inner.waiter.as_mut().is_some_and(|waiter| {
            waiter.output.extend_from_slice(&output);
            at_prompt && waiter.output.ends_with(PROMPT_END)
        });
        if command_done {
            let waiter = inner.waiter.take().expect("waiter is set");
            after_write.push(Box::new(move || waiter.finish()));
        }

        if !output.is_empty() || !after_write.is_empty() {
            let data = Uint8Array::from(output.as_slice());
            if after_write.is_empty() {
                inner.terminal.write_bytes(&data);
            } else {
                let callback = Closure::once_into_js(move || {
                    for f in after_write {
                        f();
                    }
                });
                inner.terminal.write_bytes_then(&data, callback.unchecked_ref());
            }
        }
        let prompt_back = at_prompt && !inner.was_at_prompt;
        inner.was_at_prompt = at_prompt;
        inner.plan_save(prompt_back);
        inner.schedule(activity);
    }

    /// Arms the save timer if the engine changed and no save is planned. When the learner's
    /// command has just ended (`prompt_back`), what it changed is saved at once rather than
    /// after the usual delay: the learner may close the page next, and writes started while a
    /// page unloads are not always kept by the browser.
    fn plan_save(&mut self, prompt_back: bool) {
        let Some(engine) = &self.engine else { return };
        if prompt_back && self.persistence.dirty(engine) {
            if let (Some(id), Some(window)) = (self.persistence.timer.take(), web_sys::window()) {
                window.clear_timeout_with_handle(id);
            }
        }
        let Some(delay) = self.persistence.save_delay(engine, now_ms()) else { return };
        let delay = if prompt_back { 0.0 } else { delay };
        let (Some(window), Some(save_fn)) = (web_sys::window(), self.save_fn.as_ref()) else { return };
        if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(save_fn, delay as i32) {
            self.persistence.timer = Some(id);
        }
    }

    /// Saves now (the timer fired, or the page is being hidden or left).
    fn save(this: &Rc<RefCell<Inner>>) {
        let Ok(mut inner) = this.try_borrow_mut() else { return };
        if let Some(id) = inner.persistence.timer.take() {
            if let Some(window) = web_sys::window() {
                window.clear_timeout_with_handle(id);
            }
        }
        let Inner { engine, persistence, .. } = &mut *inner;
        if let Some(engine) = engine {
            persistence.save(engine, now_ms);
        }
    }

    /// `window.__playground.persistence()` (see [`Persistence::report`]).
    fn persistence_report(&self) -> JsValue {
        self.persistence.report(self.engine.as_ref())
    }

    /// Arranges the next tick for what the engine reported.
    fn schedule(&mut self, activity: Activity) {
        let window = web_sys::window().expect("window");
        match (activity, self.next) {
            (Activity::Idle, _) | (_, Next::Soon) => {}
            (Activity::Busy, next) => {
                if let Next::Timer(id) = next {
                    window.clear_timeout_with_handle(id);
                }
                self.port.post_message(&JsValue::NULL).expect("postMessage on our own channel");
                self.next = Next::Soon;
            }
            (Activity::Waiting, Next::Timer(_)) => {}
            (Activity::Waiting, Next::Nothing) => {
                let tick_fn = self.tick_fn.as_ref().expect("tick_fn is set in start");
                let id = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(tick_fn, WAITING_DELAY_MS)
                    .expect("setTimeout");
                self.next = Next::Timer(id);
            }
        }
    }

    /// `window.__playground.run(command)`: types `command` and Enter, and resolves with
    /// `{ ms, output }` once the prompt is back on screen (`ms` from Enter to then).
    fn run_for_test(this: &Rc<RefCell<Inner>>, command: &str) -> Promise {
        let mut resolve_fn = None;
        let promise = Promise::new(&mut |resolve, _reject| resolve_fn = Some(resolve));
        let mut inner = this.borrow_mut();
        let line = format!("{command}\r");
        inner.write_input(line.as_bytes());
        inner.waiter = Some(Waiter {
            started_ms: now_ms(),
            output: Vec::new(),
            resolve: resolve_fn.expect("Promise::new calls its executor"),
        });
        inner.schedule(Activity::Busy);
        promise
    }
}

impl Waiter {
    fn finish(self) {
        let result = Object::new();
        let _ = Reflect::set(&result, &"ms".into(), &JsValue::from_f64(now_ms() - self.started_ms));
        let _ = Reflect::set(&result, &"output".into(), &JsValue::from_str(&String::from_utf8_lossy(&self.output)));
        let _ = self.resolve.call1(&JsValue::UNDEFINED, &result);
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The first prompt is on screen: tell the tests and the bench.
fn mark_ready() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let _ = Reflect::set(window.as_ref(), &"__playground_ready_ms".into(), &JsValue::from_f64(now_ms()));
    let _ = Reflect::set(window.as_ref(), &"__playground_ready".into(), &JsValue::TRUE);
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-playground-ready", "true");
    }
}

/// Sets `window.__playground = { run, persistence, panic }`.
fn publish_test_hook(run: &JsValue, persistence: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hook = Object::new();
    let _ = Reflect::set(&hook, &"run".into(), run);
    let _ = Reflect::set(&hook, &"persistence".into(), persistence);
    let _ = Reflect::set(&hook, &"panic".into(), &crate::panic::trigger_for_test());
    let _ = Reflect::set(window.as_ref(), &"__playground".into(), &hook);
}
