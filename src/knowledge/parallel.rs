//! Spreading independent pieces of loading work over the cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `f` of each of `0..n`, in order, computed on as many threads as there are cores.
pub fn on_threads<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let threads = thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n);
    let mut results: Vec<(usize, T)> = if threads > 1 {
        thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            (handles.into_iter())
                .flat_map(|h| h.join().expect("the work does not panic"))
                .collect()
        })
    } else {
        work()
    };
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
