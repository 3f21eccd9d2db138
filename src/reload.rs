//! Live reloads of the knowledge base: on changes to its files (debounced) and on request
//! (SIGHUP).
//!
//! A new version is validated in full before it replaces the old one in a single atomic swap,
//! so a question sees the old knowledge or the new, never a mix. A broken edit is refused and
//! logged with its `file:line:col` errors; the last good version keeps answering.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use arc_swap::ArcSwap;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::knowledge::{load_texts, read_dir, Counts, Knowledge, LoadErrors};

/// The knowledge a running bot answers from, swapped whole on reload.
pub type Slot = Arc<ArcSwap<Knowledge>>;

/// Told the result of every reload, such as the bot's metrics.
pub type Report = Arc<dyn Fn(&Result<Counts, LoadErrors>) + Send + Sync>;

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
            k.warm();
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

/// Watches `dir` and reloads once its files have been quiet for `debounce` after a change,
/// telling `report` each result. Watching stops when the returned value is dropped.
///
/// Only events that can change what the files hold count: a file created, written, renamed or
/// removed. Opening, reading and closing a file does not, so the reload's own reads (and any
/// `cat` or backup of the files) never start another one.
pub fn watch(
    dir: PathBuf,
    slot: Slot,
    debounce: Duration,
    report: Report,
) -> notify::Result<Watch> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    let watched = dir.clone();
    std::thread::Builder::new()
        .name("knowledge-watch".into())
        .spawn(move || debounced(&rx, debounce, || report(&reload(&watched, &slot))))
        .map_err(notify::Error::io)?;
    tracing::info!(dir = %dir.display(), "watching knowledge for changes");
    Ok(Watch { _watcher: watcher })
}

/// A running [`watch`]; dropping it stops the watcher, and with it the reloading thread.
pub struct Watch {
    _watcher: RecommendedWatcher,
}

/// Calls `on_change` once after each run of content changes from `events` that is followed
/// by `debounce` of quiet. Returns when the watcher is dropped.
fn debounced(
    events: &mpsc::Receiver<notify::Result<Event>>,
    debounce: Duration,
    mut on_change: impl FnMut(),
) {
    // Waits for the first change of a run, then for the quiet after its last one.
    let mut pending = false;
    loop {
        let next = if pending {
            events.recv_timeout(debounce)
        } else {
            events
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
        };
        match next {
            Ok(Ok(event)) => pending |= changes_content(&event.kind),
            Ok(Err(e)) => tracing::warn!(error = %e, "watching the knowledge directory failed"),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                pending = false;
                on_change();
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Whether an event of `kind` can change what the knowledge files hold. Access (open, read,
/// close) and metadata (permissions, times) cannot; an event the platform could not classify,
/// or a lost-events rescan, might.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any | EventKind::Other => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        EventKind::Access(_) => false,
    }
}

/// Reloads on every SIGHUP until the process ends, telling `report` each result.
#[cfg(unix)]
pub async fn on_sighup(dir: PathBuf, slot: Slot, report: Report) {
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
        if let Ok(result) = tokio::task::spawn_blocking(move || reload(&dir, &slot)).await {
            report(&result);
        }
    }
}
