//! Keeping the session across reloads: when the page opens, the saved snapshot is read and the
//! engine restored from it (or started fresh); while the learner works, the engine is saved a
//! moment after something changed (at most every few seconds while containers keep working),
//! and at once when the page is left or hidden. Problems are reported to the learner in French
//! ([`StorageEvent`]) and never stop the terminal: without storage the engine simply runs
//! without saving.

use engine::persist::{Snapshot, SnapshotError};
use engine::platform::{Storage, StorageError, StoragePoll};
use engine::{Engine, TerminalMode};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use yew::Callback;

use crate::platform::browser_platform;
use crate::storage::IdbStorage;

/// How long after a change the engine is saved, in milliseconds.
pub const SAVE_DELAY_MS: f64 = 1_000.0;
/// The shortest time between two saves, in milliseconds (a container writing all the time
/// would otherwise make the page save all the time).
const MIN_SAVE_INTERVAL_MS: f64 = 5_000.0;

/// What the learner is told about storage.
#[derive(Debug, Clone, PartialEq)]
pub enum StorageEvent {
    /// A problem with saving (the text to show), or `None` once saving works again.
    Problem(Option<String>),
    /// A saved session that could not be restored: why (`None` when it was set aside by an
    /// earlier visit) and its bytes, to download.
    OldData { why: Option<String>, bytes: Vec<u8> },
    /// The set-aside session was deleted.
    OldDataGone,
}

/// The French words for a storage problem.
pub fn describe_storage_error(e: &StorageError) -> String {
    match e {
        StorageError::QuotaExceeded(_) => {
            "L'espace de stockage du navigateur est plein\u{a0}: votre travail n'est plus \
             sauvegardé. Libérez de la place (docker system prune -a, docker volume prune) ou réinitialisez la session."
                .into()
        }
        StorageError::Unavailable(_) => "Ce navigateur ne permet pas d'enregistrer la session sur cette page \
             (navigation privée ou page intégrée)\u{a0}: votre travail sera perdu au rechargement."
            .into(),
        StorageError::Blocked => "La sauvegarde est bloquée par un autre onglet ouvert sur ce cours\u{a0}: fermez-le, \
             puis rechargez cette page."
            .into(),
        StorageError::Other(detail) => format!("La session n'a pas pu être enregistrée ({detail})."),
    }
}

/// The French words for a snapshot that cannot be restored.
fn describe_restore_error(e: &SnapshotError) -> String {
    match e {
        SnapshotError::TooNew { .. } => {
            "Votre session enregistrée vient d'une version plus récente du terrain de jeu et ne peut pas être \
             relue ici."
        }
        _ => "Votre session enregistrée est illisible (endommagée).",
    }
    .to_string()
}

/// Figures about the saves, for the tests and the bench.
#[derive(Debug, Clone, Copy, Default)]
pub struct SaveStats {
    pub saves: u32,
    /// How long the last snapshot took to make, in milliseconds.
    pub last_snapshot_ms: f64,
    /// Its state's and its blobs' sizes, in bytes.
    pub last_state_bytes: usize,
    pub last_blob_bytes: usize,
    /// How long the restore took, in milliseconds (0 without one).
    pub restore_ms: f64,
}

/// The saving side of a session.
pub struct Persistence {
    /// `None` once storage has proved unusable (the engine runs without it).
    storage: Option<IdbStorage>,
    report: Callback<StorageEvent>,
    /// The engine generation last saved.
    saved_generation: Option<u64>,
    last_save_ms: f64,
    /// A save timer is armed.
    pub timer: Option<i32>,
    /// Everything is being deleted: no more saves, reload once done.
    resetting: bool,
    problem: bool,
    pub stats: SaveStats,
}

impl Persistence {
    pub fn new(storage: IdbStorage, report: Callback<StorageEvent>) -> Self {
        Self {
            storage: Some(storage),
            report,
            saved_generation: None,
            last_save_ms: 0.0,
            timer: None,
            resetting: false,
            problem: false,
            stats: SaveStats::default(),
        }
    }

    /// Shows a problem, or clears the one shown (`None`).
    fn problem(&mut self, text: Option<String>) {
        if text.is_none() && !self.problem {
            return;
        }
        self.problem = text.is_some();
        self.report.emit(StorageEvent::Problem(text));
    }

    /// The engine, once the saved session has been read: restored, or fresh. `None` while the
    /// storage has not answered yet.
    pub fn try_start(&mut self, now_ms: impl Fn() -> f64) -> Option<Engine> {
        let fresh = || Engine::new(browser_platform(), TerminalMode::Interactive);
        let Some(storage) = &mut self.storage else { return Some(fresh()) };
        match storage.poll_load() {
            StoragePoll::Pending => None,
            StoragePoll::Failed(e) => {
                self.storage = None;
                self.problem(Some(describe_storage_error(&e)));
                Some(fresh())
            }
            StoragePoll::Ready(stored) => {
                if let Some(bytes) = stored.set_aside {
                    self.report.emit(StorageEvent::OldData { why: None, bytes });
                }
                let Some(snapshot) = stored.current else { return Some(fresh()) };
                let started = now_ms();
                match Engine::restore(browser_platform(), TerminalMode::Interactive, &snapshot) {
                    Ok(engine) => {
                        self.stats.restore_ms = now_ms() - started;
                        Some(engine)
                    }
                    Err(e) => {
                        web_sys::console::warn_1(&format!("the saved session cannot be restored: {e}").into());
                        let bytes = snapshot.to_bytes();
                        storage.start_set_aside(bytes.clone());
                        self.report.emit(StorageEvent::OldData { why: Some(describe_restore_error(&e)), bytes });
                        Some(fresh())
                    }
                }
            }
        }
    }

    /// True when the engine has changed since it was last saved.
    pub fn dirty(&self, engine: &Engine) -> bool {
        self.storage.is_some() && !self.resetting && self.saved_generation != Some(engine.generation())
    }

    /// When to save next (milliseconds from now), if a save is wanted and none is planned.
    pub fn save_delay(&self, engine: &Engine, now_ms: f64) -> Option<f64> {
        if self.timer.is_some() || !self.dirty(engine) {
            return None;
        }
        Some(SAVE_DELAY_MS.max(self.last_save_ms + MIN_SAVE_INTERVAL_MS - now_ms))
    }

    /// Saves now if anything changed.
    pub fn save(&mut self, engine: &Engine, now_ms: impl Fn() -> f64) {
        if !self.dirty(engine) {
            return;
        }
        let generation = engine.generation();
        let started = now_ms();
        let snapshot: Snapshot = match engine.snapshot() {
            Ok(s) => s,
            // The host is still starting: the next change plans another save.
            Err(SnapshotError::HostNotReady) => return,
            Err(e) => {
                self.saved_generation = Some(generation);
                self.problem(Some(describe_storage_error(&StorageError::Other(e.to_string()))));
                return;
            }
        };
        let Some(storage) = &mut self.storage else { return };
        storage.start_save(&snapshot);
        self.saved_generation = Some(generation);
        self.last_save_ms = now_ms();
        self.stats.saves += 1;
        self.stats.last_snapshot_ms = self.last_save_ms - started;
        self.stats.last_state_bytes = snapshot.state().len();
        self.stats.last_blob_bytes = snapshot.blobs().values().map(|b| b.len()).sum();
    }

    /// Looks at how the writes went. True when a reset is complete (the page should reload).
    pub fn poll_writes(&mut self) -> bool {
        let Some(storage) = &mut self.storage else { return self.resetting };
        match storage.poll_writes() {
            StoragePoll::Pending => false,
            StoragePoll::Ready(()) => {
                if self.problem {
                    self.problem(None);
                }
                self.resetting
            }
            StoragePoll::Failed(e) => {
                self.problem(Some(describe_storage_error(&e)));
                // Try again at the next change: space may have been freed.
                self.saved_generation = None;
                self.resetting
            }
        }
    }

    /// True when every change is written (for the tests).
    pub fn settled(&self, engine: &Engine) -> bool {
        !self.dirty(engine) && !self.storage.as_ref().is_some_and(IdbStorage::writing)
    }

    /// For the tests and the bench: `{ settled, saves, snapshotMs, stateBytes, blobBytes,
    /// restoreMs }`.
    pub fn report(&self, engine: Option<&Engine>) -> JsValue {
        let stats = self.stats;
        let result = Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&result, &key.into(), &value);
        };
        set("settled", JsValue::from_bool(engine.is_some_and(|e| self.settled(e))));
        set("saves", JsValue::from_f64(f64::from(stats.saves)));
        set("snapshotMs", JsValue::from_f64(stats.last_snapshot_ms));
        set("stateBytes", JsValue::from_f64(stats.last_state_bytes as f64));
        set("blobBytes", JsValue::from_f64(stats.last_blob_bytes as f64));
        set("restoreMs", JsValue::from_f64(stats.restore_ms));
        result.into()
    }

    /// Deletes everything saved; [`Self::poll_writes`] says when to reload.
    pub fn reset(&mut self) {
        self.resetting = true;
        if let Some(storage) = &mut self.storage {
            storage.start_clear();
        }
    }

    /// Deletes the set-aside session.
    pub fn forget_old_data(&mut self) {
        if let Some(storage) = &mut self.storage {
            storage.start_forget_set_aside();
        }
        self.report.emit(StorageEvent::OldDataGone);
    }
}
