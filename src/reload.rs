//! Live reloads of the knowledge base: on file changes (debounced) and on request (SIGHUP).
//!
//! A new version is validated in full before it replaces the old one in a single atomic swap,
//! so a question sees the old knowledge or the new, never a mix. A broken edit is refused and
//! logged with its `file:line:col` errors; the last good version keeps answering.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult, Debouncer};

use crate::knowledge::{load_texts, read_dir, Counts, Knowledge, LoadErrors};

/// The knowledge a running bot answers from, swapped whole on reload.
pub type Slot = Arc<ArcSwap<Knowledge>>;

/// Times a reload reads the files again when they change while it reads them.
const STABLE_TRIES: u32 = 20;

/// Loads `dir` and, when it is valid, swaps it into `slot`. On errors the slot is untouched.
///
/// Files still being written are not taken: the files are read again after validation, and
/// the new version is only swapped in when they have not changed in between.
pub fn reload(dir: &Path, slot: &ArcSwap<Knowledge>) -> Result<Counts, LoadErrors> {
    let mut tries = 0;
    let loaded = loop {
        tries += 1;
        let files = read_dir(dir)?;
        let result = load_texts(dir, files.clone());
        let stable = read_dir(dir).is_ok_and(|again| again == files);
        if stable || tries == STABLE_TRIES {
            break result;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    match loaded {
        Ok(k) => {
            let counts = k.counts();
            slot.store(Arc::new(k));
            tracing::info!(dir = %dir.display(), councils = counts.councils, people = counts.people, "knowledge reloaded");
            Ok(counts)
        }
        Err(e) => {
            tracing::error!(dir = %dir.display(), errors = %e, "knowledge edit refused; still answering from the last good version");
            Err(e)
        }
    }
}

/// Watches `dir` and reloads after changes have been quiet for `debounce`. Watching stops
/// when the returned value is dropped.
pub fn watch(
    dir: PathBuf,
    slot: Slot,
    debounce: Duration,
) -> Result<
    Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    notify_debouncer_mini::notify::Error,
> {
    let watched = dir.clone();
    let mut debouncer = new_debouncer(debounce, move |events: DebounceEventResult| match events {
        Ok(events) if !events.is_empty() => {
            let _ = reload(&watched, &slot);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "watching the knowledge directory failed"),
    })?;
    debouncer.watcher().watch(&dir, RecursiveMode::Recursive)?;
    tracing::info!(dir = %dir.display(), "watching knowledge for changes");
    Ok(debouncer)
}

/// Reloads on every SIGHUP until the process ends.
#[cfg(unix)]
pub async fn on_sighup(dir: PathBuf, slot: Slot) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; reload on signal is off");
            return;
        }
    };
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP: reloading knowledge");
        let dir = dir.clone();
        let slot = slot.clone();
        let _ = tokio::task::spawn_blocking(move || reload(&dir, &slot)).await;
    }
}
