//! Memory and time of loading a knowledge base: peak RSS, heap allocation, and what the loaded
//! knowledge keeps, for the bundled base and synthetic ones.
//!
//! `cargo bench --bench memory` prints a table. Each size runs in a child process of its own so
//! that one size's peak does not hide the next; in the child the TOML text is generated, the
//! peak RSS is reset (`/proc/self/clear_refs`), and the text is loaded from memory with
//! `carebot::knowledge::load_texts`. Set `CAREBOT_MEMORY_SIZES=1000,100000` to choose sizes
//! (0 is the bundled base).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use carebot::knowledge::{self, KnowledgeText};

mod synth;

/// The system allocator, counting what passes through it.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
    ALLOCATED.fetch_add(by, Relaxed);
    ALLOCATIONS.fetch_add(1, Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: glibc's malloc_trim only returns free memory to the system.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

/// A `kB` line of /proc/self/status, in bytes.
fn status(key: &str) -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Resets the peak RSS (VmHWM) to the current RSS.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}

struct Input {
    label: String,
    dir: &'static Path,
    files: Vec<KnowledgeText>,
    entities: usize,
}

/// `n` councils, or with `per_file`, a new set of files every `per_file` councils; `n == 0`
/// is the bundled base.
fn input(n: usize, per_file: Option<usize>) -> Input {
    if n == 0 {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"));
        let files = knowledge::read_dir(dir).expect("bundled knowledge readable");
        let k = knowledge::load_texts(dir, files.clone()).expect("bundled knowledge loads");
        let c = k.counts();
        let entities =
            c.sources + c.councils + c.people + c.schemes + c.ratings + c.figures + c.regions;
        return Input {
            label: "bundled".into(),
            dir,
            files,
            entities,
        };
    }
    let s = match per_file {
        Some(p) => synth::generate_sharded(n, synth::SEED, p),
        None => synth::generate(n, synth::SEED),
    };
    let files = s.files.len();
    Input {
        label: match per_file {
            Some(p) => format!("{n} councils, {files} files of {p}"),
            None => format!("{n} councils"),
        },
        dir: Path::new("."),
        entities: s.entities,
        files: s
            .files
            .into_iter()
            .map(|mut f| {
                f.text.shrink_to_fit();
                f
            })
            .collect(),
    }
}

/// Loads one size and prints one tab-separated line.
fn child(n: usize, per_file: Option<usize>, runs: usize) {
    let Input {
        label,
        dir,
        files,
        entities,
    } = input(n, per_file);
    let text: usize = files.iter().map(|f| f.text.capacity()).sum();
    // Memory, on the first load.
    trim();
    let (live0, allocated0, allocations0) = (
        LIVE.load(Relaxed),
        ALLOCATED.load(Relaxed),
        ALLOCATIONS.load(Relaxed),
    );
    PEAK.store(live0, Relaxed);
    reset_peak_rss();
    let rss0 = status("VmRSS");
    let start = Instant::now();
    let k = knowledge::load_texts(dir, files).expect("loads");
    let mut times = vec![start.elapsed()];
    let hwm = status("VmHWM");
    let peak = PEAK.load(Relaxed) - live0;
    let allocated = ALLOCATED.load(Relaxed) - allocated0;
    let allocations = ALLOCATIONS.load(Relaxed) - allocations0;
    // What the knowledge keeps: everything live now, less what was live before but the text.
    let kept = LIVE.load(Relaxed) + text - live0;
    drop(k);
    // Time, on more loads of the same text made again.
    let again = input(n, per_file).files;
    for _ in 1..runs {
        let files: Vec<KnowledgeText> = again.clone();
        let start = Instant::now();
        let k = knowledge::load_texts(dir, files).expect("loads");
        times.push(start.elapsed());
        drop(k);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{label}\t{entities}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{allocations}\t{:.1}",
        mb(text),
        mb(rss0),
        mb(hwm),
        mb(peak),
        mb(kept),
        mb(allocated),
        median.as_secs_f64() * 1000.0
    );
}

fn main() {
    // A size is a number of councils (0: the bundled base), optionally `/per_file`.
    let size = |s: &str| -> Option<(usize, Option<usize>)> {
        let (n, per) = match s.trim().split_once('/') {
            Some((n, p)) => (n, Some(p.parse().ok()?)),
            None => (s.trim(), None),
        };
        Some((n.parse().ok()?, per))
    };
    if let Ok(s) = std::env::var("CAREBOT_MEMORY_CHILD") {
        let (n, per_file) = size(&s).expect("a size");
        let runs = if n >= 50_000 { 3 } else { 5 };
        child(n, per_file, runs);
        return;
    }
    // 14,700 councils hold about 100,000 entities.
    let sizes: Vec<String> = std::env::var("CAREBOT_MEMORY_SIZES")
        .unwrap_or_else(|_| "0,1000,10000,14700,14700/1000,100000,100000/1000".into())
        .split(',')
        .filter(|s| size(s).is_some())
        .map(String::from)
        .collect();
    let me = std::env::current_exe().expect("own path");
    println!(
        "{:<36} {:>8} {:>8} {:>8} {:>10} {:>10} {:>8} {:>10} {:>12} {:>8}",
        "knowledge",
        "entities",
        "text MB",
        "RSS0 MB",
        "peakRSS MB",
        "peakheap+",
        "kept MB",
        "alloc'd MB",
        "allocations",
        "load ms"
    );
    for n in sizes {
        let out = Command::new(&me)
            .env("CAREBOT_MEMORY_CHILD", &n)
            .output()
            .expect("child runs");
        assert!(
            out.status.success(),
            "child for {n} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.trim().split('\t').collect();
        println!(
            "{:<36} {:>8} {:>8} {:>8} {:>10} {:>10} {:>8} {:>10} {:>12} {:>8}",
            f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]
        );
    }
    println!(
        "\nRSS0: resident before loading (the TOML text and the runtime); peakRSS: VmHWM while \
         loading; peakheap+: most heap live above RSS0's; kept: heap the loaded knowledge holds; \
         alloc'd/allocations: total during one load; load ms: median of several loads."
    );
    answers();
}

/// Heap allocations of one whole answer on the bundled base: the question asked, answered and
/// rendered as text, as `carebot ask` does.
fn answers() {
    use carebot::answer::{self, text};
    use carebot::query::{Mode, Parser};
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"));
    let k = knowledge::load_dir(dir).expect("bundled knowledge loads");
    let parser = Parser::new("!");
    println!(
        "\n{:<40} {:>12} {:>10} {:>10}",
        "answer (bundled)", "allocations", "bytes", "length"
    );
    for q in [
        "!stars Birmingham",
        "!about Coventry",
        "Who runs social services in Coventry?",
        "!person Robert Lake",
        "!ofsted Leeds",
    ] {
        let whole = || {
            let a = answer::ask(&k, &parser, q, Mode::Direct, 500).expect("an answer");
            text::render(&a)
        };
        // Once first, so that anything built on first use is not counted.
        whole();
        let (allocations0, allocated0) = (ALLOCATIONS.load(Relaxed), ALLOCATED.load(Relaxed));
        let len = whole().len();
        println!(
            "{q:<40} {:>12} {:>10} {len:>10}",
            ALLOCATIONS.load(Relaxed) - allocations0,
            ALLOCATED.load(Relaxed) - allocated0
        );
    }
}
