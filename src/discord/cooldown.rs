//! Per-user rate limiting: N commands per window, one notice, then silence.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to do with a user's command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Allow,
    /// The user just went over the limit: tell them once.
    Notify { retry_after: Duration },
    /// Still over the limit: say nothing.
    Silent,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    count: u32,
}

/// Per-user fixed windows. Cheap under a flood: one map lookup per message.
#[derive(Debug)]
pub struct Cooldown {
    limit: u32,
    window: Duration,
    users: Mutex<HashMap<u64, Window>>,
}

/// Users tracked before expired windows are swept.
const SWEEP_AT: usize = 10_000;

impl Cooldown {
    /// `limit` commands per `window`; a limit of 0 allows everything.
    pub fn new(limit: u32, window: Duration) -> Self {
        Cooldown {
            limit,
            window,
            users: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a command from `user` at `now`.
    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        if self.limit == 0 {
            return Verdict::Allow;
        }
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if users.len() >= SWEEP_AT {
            let window = self.window;
            users.retain(|_, w| now.duration_since(w.start) < window);
        }
        let w = users.entry(user).or_insert(Window {
            start: now,
            count: 0,
        });
        if now.duration_since(w.start) >= self.window {
            *w = Window {
                start: now,
                count: 0,
            };
        }
        w.count = w.count.saturating_add(1);
        if w.count <= self.limit {
            Verdict::Allow
        } else if w.count == self.limit + 1 {
            Verdict::Notify {
                retry_after: self.window.saturating_sub(now.duration_since(w.start)),
            }
        } else {
            Verdict::Silent
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_n_then_one_notice_then_silence_until_the_window_passes() {
        let c = Cooldown::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(c.check(1, t0), Verdict::Allow);
        assert_eq!(c.check(1, t0), Verdict::Allow);
        assert_eq!(
            c.check(1, t0 + Duration::from_secs(4)),
            Verdict::Notify {
                retry_after: Duration::from_secs(6)
            }
        );
        assert_eq!(c.check(1, t0 + Duration::from_secs(5)), Verdict::Silent);
        // Another user is unaffected.
        assert_eq!(c.check(2, t0 + Duration::from_secs(5)), Verdict::Allow);
        assert_eq!(c.check(1, t0 + Duration::from_secs(10)), Verdict::Allow);
    }

    #[test]
    fn zero_limit_turns_it_off() {
        let c = Cooldown::new(0, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..100 {
            assert_eq!(c.check(1, t0), Verdict::Allow);
        }
    }
}
