//! Live knowledge edits: a stream of questions keeps being answered while files are replaced
//! with broken and fixed versions; broken edits are refused, fixed ones swapped in whole.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use carebot::answer::{ask, text};
use carebot::knowledge::load_dir;
use carebot::query::{Mode, Parser};
use carebot::reload;

#[path = "support/bundled.rs"]
mod bundled;

use bundled::copy_knowledge;

fn solihull_line(slot: &ArcSwap<carebot::knowledge::Knowledge>, parser: &Parser) -> String {
    let k = slot.load();
    let a = ask(&k, parser, "!stars Solihull", Mode::Channel, 500).unwrap();
    let said = text::render(&a);
    let line = said
        .lines()
        .find(|l| l.contains("when the article was published"));
    line.unwrap_or_default().to_string()
}

/// Polls `f` until it is true or `timeout` passes.
fn eventually(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

const TWO: &str = "  ★★☆ 2 stars · social services, November 2004, when the article was published:";
const THREE: &str =
    "  ★★★ 3 stars · social services, November 2004, when the article was published:";

/// `ratings.toml` with Solihull rated three stars, a valid edit.
fn three_stars(good: &str) -> String {
    good.replacen("stars = 2", "stars = 3", 1).replacen(
        "has a two-star rating\"\n",
        "has a two-star rating\"\nquote_note = \"Corrected from the inspectorate's table.\"\n",
        1,
    )
}

#[test]
fn reload_swaps_valid_edits_and_refuses_broken_ones() {
    let (_tmp, dir) = copy_knowledge();
    let slot = Arc::new(ArcSwap::from_pointee(load_dir(&dir).unwrap()));
    let parser = Parser::new("!");
    assert_eq!(solihull_line(&slot, &parser), TWO);

    let ratings = dir.join("ratings.toml");
    let good = std::fs::read_to_string(&ratings).unwrap();
    // The number changes; the quote no longer gives it, so a reviewed note says why.
    let three = three_stars(&good);
    std::fs::write(&ratings, &three).unwrap();
    reload::reload(&dir, &slot).unwrap();
    assert_eq!(solihull_line(&slot, &parser), THREE);

    let broken = good.replacen("stars = 2", "stars = 9", 1);
    std::fs::write(&ratings, &broken).unwrap();
    let errors = reload::reload(&dir, &slot).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    assert!(
        errors.to_string().ends_with("stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found 9"),
        "{errors}"
    );
    // Still the last good version.
    assert_eq!(solihull_line(&slot, &parser), THREE);
}

#[test]
fn questions_never_fail_while_files_are_replaced_and_the_watcher_reloads() {
    let (_tmp, dir) = copy_knowledge();
    let slot = Arc::new(ArcSwap::from_pointee(load_dir(&dir).unwrap()));
    let _watcher = reload::watch(
        dir.clone(),
        slot.clone(),
        Duration::from_millis(50),
        std::sync::Arc::new(|_| ()),
    )
    .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let askers: Vec<_> = (0..2)
        .map(|_| {
            let (slot, stop, answered) = (slot.clone(), stop.clone(), answered.clone());
            std::thread::spawn(move || {
                let parser = Parser::new("!");
                let mut seen = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let line = solihull_line(&slot, &parser);
                    // Every answer is from one whole version: two stars or three.
                    assert!(line == TWO || line == THREE, "unexpected answer: {line}");
                    if seen.last() != Some(&line) {
                        seen.push(line);
                    }
                    answered.fetch_add(1, Ordering::Relaxed);
                }
                seen
            })
        })
        .collect();

    let ratings = dir.join("ratings.toml");
    let good = std::fs::read_to_string(&ratings).unwrap();
    let three = three_stars(&good);
    let broken_toml = good.replacen("stars = 2", "stars = [", 1);
    let broken_range = good.replacen("stars = 2", "stars = 7", 1);
    let parser = Parser::new("!");
    for round in 0..3 {
        // A broken edit: the bot keeps the last good version.
        let before = solihull_line(&slot, &parser);
        let broken = if round % 2 == 0 {
            &broken_toml
        } else {
            &broken_range
        };
        std::fs::write(&ratings, broken).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(solihull_line(&slot, &parser), before);
        // The fix comes in.
        let (text, want) = if before == TWO {
            (&three, THREE)
        } else {
            (&good, TWO)
        };
        std::fs::write(&ratings, text).unwrap();
        assert!(
            eventually(Duration::from_secs(10), || solihull_line(&slot, &parser)
                == want),
            "round {round}: the fixed file was not reloaded"
        );
    }
    stop.store(true, Ordering::Relaxed);
    for a in askers {
        let seen = a.join().expect("no question failed");
        assert!(seen.len() >= 2, "askers saw the knowledge change: {seen:?}");
    }
    assert!(answered.load(Ordering::Relaxed) > 100);
}

/// Counts reloads by the watcher: each one swaps a new `Arc` into the slot. Polled every 2 ms,
/// far more often than reloads can come (one per debounce window at most).
struct Reloads {
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reloads {
    fn count(slot: &reload::Slot) -> Reloads {
        let (count, stop) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let thread = std::thread::spawn({
            let (slot, count, stop) = (slot.clone(), count.clone(), stop.clone());
            move || {
                // Holding the last version keeps its address from being reused by a new one.
                let mut last = slot.load_full();
                while !stop.load(Ordering::Relaxed) {
                    let now = slot.load_full();
                    if !Arc::ptr_eq(&now, &last) {
                        count.fetch_add(1, Ordering::Relaxed);
                        last = now;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        });
        Reloads {
            count,
            stop,
            thread: Some(thread),
        }
    }

    fn so_far(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

impl Drop for Reloads {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The debounce window of the watcher tests.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// Long enough for any reload the watcher would make to have happened: several windows.
const SETTLE: Duration = Duration::from_millis(1000);

/// A watched copy of the bundled knowledge, the slot it reloads into and a reload counter.
fn watched() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    reload::Slot,
    reload::Watch,
    Reloads,
) {
    let (tmp, dir) = copy_knowledge();
    let slot = Arc::new(ArcSwap::from_pointee(load_dir(&dir).unwrap()));
    let watcher = reload::watch(
        dir.clone(),
        slot.clone(),
        DEBOUNCE,
        std::sync::Arc::new(|_| ()),
    )
    .unwrap();
    let reloads = Reloads::count(&slot);
    (tmp, dir, slot, watcher, reloads)
}

#[test]
fn an_idle_knowledge_directory_is_never_reloaded_while_questions_are_answered() {
    let (_tmp, _dir, slot, _watcher, reloads) = watched();
    let parser = Parser::new("!");
    let end = Instant::now() + SETTLE * 2;
    let mut answered = 0;
    while Instant::now() < end {
        assert_eq!(solihull_line(&slot, &parser), TWO);
        answered += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(answered > 100, "{answered} questions answered");
    assert_eq!(reloads.so_far(), 0, "reloads of untouched files");
}

#[test]
fn one_edit_gives_exactly_one_reload() {
    let (_tmp, dir, slot, _watcher, reloads) = watched();
    let ratings = dir.join("ratings.toml");
    let good = std::fs::read_to_string(&ratings).unwrap();
    std::fs::write(&ratings, three_stars(&good)).unwrap();
    let parser = Parser::new("!");
    assert!(eventually(Duration::from_secs(10), || solihull_line(
        &slot, &parser
    ) == THREE));
    std::thread::sleep(SETTLE);
    assert_eq!(reloads.so_far(), 1);
}

#[test]
fn a_burst_of_edits_gives_exactly_one_reload() {
    let (_tmp, dir, slot, _watcher, reloads) = watched();
    let ratings = dir.join("ratings.toml");
    let good = std::fs::read_to_string(&ratings).unwrap();
    let three = three_stars(&good);
    // Ten saves back to back, each inside the window of the one before even when the machine
    // is loaded (a sleep between them could overrun the window); the last one is kept.
    for i in 0..10 {
        std::fs::write(&ratings, if i % 2 == 0 { &good } else { &three }).unwrap();
    }
    let parser = Parser::new("!");
    assert!(eventually(Duration::from_secs(10), || solihull_line(
        &slot, &parser
    ) == THREE));
    std::thread::sleep(SETTLE);
    assert_eq!(reloads.so_far(), 1);
}

#[test]
fn reading_the_knowledge_files_gives_no_reload() {
    let (_tmp, dir, _slot, _watcher, reloads) = watched();
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    assert!(files.len() > 3);
    let status = std::process::Command::new("cat")
        .args(&files)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run cat");
    assert!(status.success());
    std::thread::sleep(SETTLE);
    assert_eq!(reloads.so_far(), 0, "reloads after a read");
}
