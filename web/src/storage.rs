//! The engine's [`Storage`] in the browser: IndexedDB. One database, `docker-dans-le-navigateur`,
//! with two object stores: `state` (the current snapshot's state archive under `current`, a
//! snapshot that could not be restored under `set-aside`) and `blobs` (layer blobs by digest,
//! each written once and deleted when no snapshot refers to it any more). A save writes the state
//! and the new blobs in one transaction, so what is stored is always one whole snapshot.
//!
//! IndexedDB answers through events; the engine polls. Each operation is queued behind the
//! previous one (a promise chain, so they reach the database in order), stores its outcome
//! in shared slots, and calls `wake` so the session polls again.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use engine::ids::Digest;
use engine::persist::Snapshot;
use engine::platform::{Storage, StorageError, StoragePoll, Stored};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "docker-dans-le-navigateur";
const DB_VERSION: u32 = 1;
const STATE: &str = "state";
const BLOBS: &str = "blobs";
const CURRENT: &str = "current";
const SET_ASIDE: &str = "set-aside";

/// Where the writes stand.
#[derive(Default)]
struct Writes {
    in_flight: u32,
    failure: Option<StorageError>,
}

/// Shared between the storage and its queued operations.
struct Shared {
    db: Option<IdbDatabase>,
    load: Option<StoragePoll<Stored>>,
    writes: Writes,
    /// The blobs the database holds.
    blobs: BTreeSet<Digest>,
}

/// IndexedDB as a [`Storage`].
pub struct IdbStorage {
    shared: Rc<RefCell<Shared>>,
    /// The last queued operation: the next one starts when it is settled.
    chain: Promise,
    wake: Rc<dyn Fn()>,
}

/// Maps a DOMException (or any JS error) to a [`StorageError`].
fn storage_error(error: &JsValue) -> StorageError {
    let name = js_sys::Reflect::get(error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    let message =
        js_sys::Reflect::get(error, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| name.clone());
    match name.as_str() {
        "QuotaExceededError" => StorageError::QuotaExceeded(message),
        "SecurityError" | "InvalidStateError" | "NotAllowedError" => StorageError::Unavailable(message),
        _ => StorageError::Other(if message.is_empty() { format!("{error:?}") } else { message }),
    }
}

/// A promise settled by `target`'s success (`onsuccess`/`oncomplete`) or failure events.
fn settle(target: &web_sys::EventTarget, ok: &str, errors: &[&str]) -> Promise {
    let target = target.clone();
    let ok = ok.to_string();
    let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    Promise::new(&mut |resolve, reject| {
        let on_ok = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &event);
        });
        let _ = js_sys::Reflect::set(&target, &format!("on{ok}").into(), &on_ok);
        for name in &errors {
            let reject = reject.clone();
            let source = target.clone();
            let kind = name.clone();
            let on_err = Closure::once_into_js(move |_event: web_sys::Event| {
                let error = match kind.as_str() {
                    "blocked" => js_sys::Error::new("blocked").into(),
                    _ => js_sys::Reflect::get(&source, &"error".into()).unwrap_or(JsValue::NULL),
                };
                let _ = reject.call1(&JsValue::UNDEFINED, &error);
            });
            let _ = js_sys::Reflect::set(&target, &format!("on{name}").into(), &on_err);
        }
    })
}

/// The result of `req`. Its event handlers are set at once (not when the future is first
/// polled), so several requests can be made before waiting on any.
fn request(req: IdbRequest) -> impl std::future::Future<Output = Result<JsValue, StorageError>> {
    let done = JsFuture::from(settle(&req, "success", &["error"]));
    async move {
        done.await.map_err(|e| storage_error(&e))?;
        req.result().map_err(|e| storage_error(&e))
    }
}

async fn finished(tx: &IdbTransaction) -> Result<(), StorageError> {
    JsFuture::from(settle(tx, "complete", &["error", "abort"])).await.map(|_| ()).map_err(|e| {
        // An aborted transaction's own error says why (QuotaExceededError).
        match tx.error() {
            Some(dom) => storage_error(&dom.into()),
            None => storage_error(&e),
        }
    })
}

async fn open() -> Result<IdbDatabase, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    let factory = window
        .indexed_db()
        .map_err(|e| storage_error(&e))?
        .ok_or_else(|| StorageError::Unavailable("IndexedDB is not available".into()))?;
    let req = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| storage_error(&e))?;
    let on_upgrade = Closure::once_into_js({
        let req = req.clone();
        move |_event: web_sys::Event| {
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                for name in [STATE, BLOBS] {
                    if !db.object_store_names().contains(name) {
                        let _ = db.create_object_store(name);
                    }
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    match JsFuture::from(settle(&req, "success", &["error", "blocked"])).await {
        Ok(_) => {}
        Err(e)
            if js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).as_deref()
                == Some("blocked") =>
        {
            return Err(StorageError::Blocked)
        }
        Err(e) => return Err(storage_error(&e)),
    }
    req.result().and_then(|r| r.dyn_into::<IdbDatabase>()).map_err(|e| storage_error(&e))
}

fn transaction(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, IdbObjectStore, IdbObjectStore), StorageError> {
    let names = Array::of2(&STATE.into(), &BLOBS.into());
    let tx = db.transaction_with_str_sequence_and_mode(&names, mode).map_err(|e| storage_error(&e))?;
    let state = tx.object_store(STATE).map_err(|e| storage_error(&e))?;
    let blobs = tx.object_store(BLOBS).map_err(|e| storage_error(&e))?;
    Ok((tx, state, blobs))
}

fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

/// What is to be done, queued.
enum Op {
    Load,
    Save { state: Vec<u8>, blobs: Vec<(Digest, Rc<[u8]>)>, keep: BTreeSet<Digest> },
    SetAside(Vec<u8>),
    ForgetSetAside,
    Clear,
}

impl IdbStorage {
    /// A storage that starts reading the database at once; `wake` is called whenever an
    /// operation finishes.
    pub fn open(wake: Rc<dyn Fn()>) -> Self {
        let shared =
            Rc::new(RefCell::new(Shared { db: None, load: None, writes: Writes::default(), blobs: BTreeSet::new() }));
        let mut storage = Self { shared, chain: Promise::resolve(&JsValue::UNDEFINED), wake };
        storage.queue(Op::Load);
        storage
    }

    /// True while a write is under way.
    pub fn writing(&self) -> bool {
        self.shared.borrow().writes.in_flight > 0
    }

    fn queue(&mut self, op: Op) {
        let shared = self.shared.clone();
        let wake = self.wake.clone();
        let previous = self.chain.clone();
        if !matches!(op, Op::Load) {
            shared.borrow_mut().writes.in_flight += 1;
        }
        self.chain = future_to_promise(async move {
            let _ = JsFuture::from(previous).await;
            let is_load = matches!(op, Op::Load);
            let outcome = run(&shared, op).await;
            {
                let mut s = shared.borrow_mut();
                match outcome {
                    Ok(Some(stored)) => s.load = Some(StoragePoll::Ready(stored)),
                    Ok(None) => {}
                    Err(e) if is_load => s.load = Some(StoragePoll::Failed(e)),
                    Err(e) => {
                        s.writes.failure.get_or_insert(e);
                    }
                }
                if !is_load {
                    s.writes.in_flight = s.writes.in_flight.saturating_sub(1);
                }
            }
            wake();
            Ok(JsValue::UNDEFINED)
        });
    }
}

/// Runs one operation; a load returns what it read.
async fn run(shared: &Rc<RefCell<Shared>>, op: Op) -> Result<Option<Stored>, StorageError> {
    let existing = shared.borrow().db.clone();
    let db = match existing {
        Some(db) => db,
        None => {
            let db = open().await?;
            shared.borrow_mut().db = Some(db.clone());
            db
        }
    };
    let err = |e: JsValue| storage_error(&e);
    match op {
        Op::Load => {
            let (_tx, state, blobs) = transaction(&db, IdbTransactionMode::Readonly)?;
            // Every request is made before waiting on any: the transaction commits once none is
            // pending, so it must not wait for a reply in between.
            let current = request(state.get(&CURRENT.into()).map_err(err)?);
            let aside = request(state.get(&SET_ASIDE.into()).map_err(err)?);
            let keys = request(blobs.get_all_keys().map_err(err)?);
            let values = request(blobs.get_all().map_err(err)?);
            let (current, aside, keys, values) = (current.await?, aside.await?, keys.await?, values.await?);
            let (keys, values) = (Array::from(&keys), Array::from(&values));
            let mut found = Vec::new();
            for (key, value) in keys.iter().zip(values.iter()) {
                if let (Some(digest), Some(data)) = (key.as_string().and_then(|k| Digest::parse(&k)), bytes(&value)) {
                    found.push((digest, Rc::<[u8]>::from(data)));
                }
            }
            shared.borrow_mut().blobs = found.iter().map(|(d, _)| d.clone()).collect();
            let current = bytes(&current).map(|state| Snapshot::from_parts(state, found));
            Ok(Some(Stored { current, set_aside: bytes(&aside) }))
        }
        Op::Save { state: data, blobs: new_blobs, keep } => {
            let (tx, state, blobs) = transaction(&db, IdbTransactionMode::Readwrite)?;
            state.put_with_key(&Uint8Array::from(data.as_slice()), &CURRENT.into()).map_err(err)?;
            for (digest, data) in &new_blobs {
                blobs.put_with_key(&Uint8Array::from(&data[..]), &digest.as_str().into()).map_err(err)?;
            }
            let stale: Vec<Digest> = shared.borrow().blobs.difference(&keep).cloned().collect();
            for digest in &stale {
                blobs.delete(&digest.as_str().into()).map_err(err)?;
            }
            finished(&tx).await?;
            shared.borrow_mut().blobs = keep;
            Ok(None)
        }
        Op::SetAside(data) => {
            let (tx, state, _) = transaction(&db, IdbTransactionMode::Readwrite)?;
            state.put_with_key(&Uint8Array::from(data.as_slice()), &SET_ASIDE.into()).map_err(err)?;
            state.delete(&CURRENT.into()).map_err(err)?;
            finished(&tx).await.map(|()| None)
        }
        Op::ForgetSetAside => {
            let (tx, state, _) = transaction(&db, IdbTransactionMode::Readwrite)?;
            state.delete(&SET_ASIDE.into()).map_err(err)?;
            finished(&tx).await.map(|()| None)
        }
        Op::Clear => {
            let (tx, state, blobs) = transaction(&db, IdbTransactionMode::Readwrite)?;
            state.clear().map_err(err)?;
            blobs.clear().map_err(err)?;
            finished(&tx).await?;
            shared.borrow_mut().blobs.clear();
            Ok(None)
        }
    }
}

impl Storage for IdbStorage {
    fn poll_load(&mut self) -> StoragePoll<Stored> {
        self.shared.borrow_mut().load.take().unwrap_or(StoragePoll::Pending)
    }
    fn start_save(&mut self, snapshot: &Snapshot) {
        let keep: BTreeSet<Digest> = snapshot.blobs().keys().cloned().collect();
        let known = self.shared.borrow().blobs.clone();
        let blobs = snapshot.blobs().iter().filter(|(d, _)| !known.contains(*d)).map(|(d, b)| (d.clone(), b.clone()));
        self.queue(Op::Save { state: snapshot.state().to_vec(), blobs: blobs.collect(), keep });
    }
    fn start_set_aside(&mut self, bytes: Vec<u8>) {
        self.queue(Op::SetAside(bytes));
    }
    fn start_forget_set_aside(&mut self) {
        self.queue(Op::ForgetSetAside);
    }
    fn start_clear(&mut self) {
        self.queue(Op::Clear);
    }
    fn poll_writes(&mut self) -> StoragePoll<()> {
        let mut s = self.shared.borrow_mut();
        if let Some(e) = s.writes.failure.take() {
            return StoragePoll::Failed(e);
        }
        if s.writes.in_flight > 0 {
            StoragePoll::Pending
        } else {
            StoragePoll::Ready(())
        }
    }
}
