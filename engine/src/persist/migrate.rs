//! Snapshot migrations: each step turns a snapshot of one version into the next, on its raw
//! entries, before the sections read it. A snapshot saved by any earlier engine is thus read by
//! the current code only. The v1 fixture (`fixtures/v1.tar`) is restored by a test, so a change
//! that breaks old snapshots without a migration fails there.

use super::{Parts, SnapshotError, VERSION};

/// A migration step: from version `n` (its index + 1) to `n + 1`.
type Step = fn(&mut Parts) -> Result<(), SnapshotError>;

/// The steps, in order: `STEPS[0]` turns v1 into v2, and so on. Version 1 is current: none yet.
/// A new section that an old snapshot lacks (networks, a registry) usually needs no step that
/// changes anything: its `load` starts from defaults when its entries are absent; the step is
/// still added, empty, to document the version.
const STEPS: &[Step] = &[];

/// Brings `parts`, a snapshot of `version`, to [`VERSION`].
pub(super) fn to_current(version: u32, parts: &mut Parts) -> Result<(), SnapshotError> {
    if version == 0 || version > VERSION {
        return Err(SnapshotError::Corrupt(format!("unknown format version {version}")));
    }
    let first = (version - 1) as usize;
    let steps = STEPS.get(first..).unwrap_or_default();
    if steps.len() != (VERSION - version) as usize {
        return Err(SnapshotError::Corrupt(format!("no migration from format version {version}")));
    }
    for step in steps {
        step(parts)?;
    }
    Ok(())
}
