//! The engine's platform services for the browser: time from `Date.now()` and
//! `performance.now()`, randomness from `crypto.getRandomValues`, and image blobs fetched with
//! `fetch()` from the site's own `images/` folder (relative URLs, so the site works from any
//! sub-path of any static host).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use engine::platform::{BlobPoll, BlobSource, Clock, Entropy};
use engine::Platform;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the bundled image catalog lives, relative to the page.
const IMAGES_BASE: &str = "images/";

/// Builds the platform the page's engine runs on. Kept in one place so a change to how
/// `Platform` holds its services is a change here only.
pub fn browser_platform() -> Platform {
    Platform {
        clock: Rc::new(BrowserClock::new()),
        entropy: Rc::new(RefCell::new(BrowserEntropy::new())),
        blobs: Box::new(FetchBlobSource::default()),
    }
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the page has a window")
}

/// The browser's clocks.
pub struct BrowserClock {
    performance: web_sys::Performance,
}

impl BrowserClock {
    pub fn new() -> Self {
        Self { performance: window().performance().expect("performance is available") }
    }
}

impl Default for BrowserClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for BrowserClock {
    fn unix_millis(&self) -> u64 {
        js_sys::Date::now() as u64
    }
    fn monotonic_micros(&self) -> u64 {
        (self.performance.now() * 1000.0) as u64
    }
}

/// `crypto.getRandomValues`, which fills at most 65536 bytes per call.
pub struct BrowserEntropy {
    crypto: web_sys::Crypto,
}

impl BrowserEntropy {
    pub fn new() -> Self {
        Self { crypto: window().crypto().expect("crypto is available") }
    }
}

impl Default for BrowserEntropy {
    fn default() -> Self {
        Self::new()
    }
}

impl Entropy for BrowserEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(65536) {
            self.crypto.get_random_values_with_u8_array(chunk).expect("crypto.getRandomValues");
        }
    }
}

/// Catalog files fetched from `images/<path>`. The first poll of a path starts the fetch and
/// answers `Pending`; later polls answer with the stored result. Results stay stored (the bytes
/// are shared with the engine through `Rc`, not copied).
#[derive(Default)]
pub struct FetchBlobSource {
    files: HashMap<String, Rc<RefCell<BlobPoll>>>,
}

impl BlobSource for FetchBlobSource {
    fn poll(&mut self, path: &str) -> BlobPoll {
        if let Some(slot) = self.files.get(path) {
            return slot.borrow().clone();
        }
        if path.split('/').any(|part| part == ".." || part.is_empty()) {
            return BlobPoll::Failed(format!("{path}: invalid path"));
        }
        let slot = Rc::new(RefCell::new(BlobPoll::Pending));
        self.files.insert(path.to_owned(), slot.clone());
        let url = format!("{IMAGES_BASE}{path}");
        wasm_bindgen_futures::spawn_local(async move {
            let result = match fetch_bytes(&url).await {
                Ok(bytes) => BlobPoll::Ready(bytes.into()),
                Err(message) => BlobPoll::Failed(format!("{url}: {message}")),
            };
            *slot.borrow_mut() = result;
        });
        BlobPoll::Pending
    }
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_str(url)).await.map_err(describe)?.dyn_into().map_err(describe)?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(describe)?).await.map_err(describe)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A JS error as text (`TypeError: Failed to fetch`).
fn describe(error: JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.to_string()),
        None => format!("{error:?}"),
    }
}
