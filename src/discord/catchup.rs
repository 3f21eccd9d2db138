//! Catching up after a new session. Discord never replays to a new session the events the old
//! one missed, and serenity starts one (instead of resuming) after unacknowledged heartbeats or
//! a non-resumable Invalid Session. So carebot remembers, per recently active channel, the last
//! message it saw; after a READY it reads back the messages sent since and answers the
//! questions among them that it has not handled yet.
//!
//! The work is bounded: only channels with traffic in the last [`ACTIVE`], at most
//! [`CHANNELS`] of them, at most [`PER_CHANNEL`] messages each, none older than [`MAX_AGE`].

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Channels with a message seen within this long are caught up after a new session.
pub const ACTIVE: Duration = Duration::from_secs(5 * 60);
/// The most channels caught up after one READY (the most recently active ones).
pub const CHANNELS: usize = 100;
/// The most messages read back from one channel (one request).
pub const PER_CHANNEL: u8 = 50;
/// Questions older than this are not answered late.
pub const MAX_AGE: Duration = Duration::from_secs(5 * 60);
/// How many handled message ids are remembered, so that a message both read back and
/// delivered by the gateway is answered once.
const CLAIMED: usize = 65_536;
/// Channels remembered at most; the least recently active are forgotten first.
const REMEMBERED_CHANNELS: usize = 10_000;
/// Discord's epoch (2015-01-01) in Unix milliseconds, the base of snowflake timestamps.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// A channel to read back: messages after `after`, in `guild` (None for a DM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behind {
    pub channel: u64,
    pub guild: Option<u64>,
    pub after: u64,
}

/// The messages carebot has seen: the last one per channel, and which ones it has handled.
#[derive(Debug, Default)]
pub struct Seen {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    channels: HashMap<u64, Channel>,
    claimed: HashSet<u64>,
    claim_order: VecDeque<u64>,
}

#[derive(Debug)]
struct Channel {
    guild: Option<u64>,
    last: u64,
    at: Instant,
}

impl Seen {
    /// Records message `id` in `channel` and claims it for handling: false when it was
    /// claimed before (it is being or has been handled).
    pub fn claim(&self, channel: u64, guild: Option<u64>, id: u64, now: Instant) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let c = inner.channels.entry(channel).or_insert(Channel {
            guild,
            last: 0,
            at: now,
        });
        c.last = c.last.max(id);
        c.at = now;
        if guild.is_some() {
            c.guild = guild;
        }
        if inner.channels.len() > REMEMBERED_CHANNELS {
            inner.forget_idle(now);
        }
        if !inner.claimed.insert(id) {
            return false;
        }
        inner.claim_order.push_back(id);
        while inner.claim_order.len() > CLAIMED {
            if let Some(old) = inner.claim_order.pop_front() {
                inner.claimed.remove(&old);
            }
        }
        true
    }

    /// The channels to read back after a new session on `shard` (`(id, total)`; None for all):
    /// active within [`ACTIVE`], the most recent [`CHANNELS`], with the last message seen in each.
    pub fn behind(&self, shard: Option<(u32, u32)>, now: Instant) -> Vec<Behind> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.forget_idle(now);
        let mut active: Vec<(&u64, &Channel)> = inner
            .channels
            .iter()
            .filter(|(_, c)| shard.is_none_or(|(id, total)| shard_of(c.guild, total) == id))
            .collect();
        active.sort_by_key(|(_, c)| std::cmp::Reverse(c.at));
        active
            .into_iter()
            .take(CHANNELS)
            .map(|(&channel, c)| Behind {
                channel,
                guild: c.guild,
                after: c.last,
            })
            .collect()
    }
}

impl Inner {
    /// Forgets channels without traffic within [`ACTIVE`], and beyond
    /// [`REMEMBERED_CHANNELS`] the least recently active.
    fn forget_idle(&mut self, now: Instant) {
        self.channels
            .retain(|_, c| now.saturating_duration_since(c.at) <= ACTIVE);
        if self.channels.len() > REMEMBERED_CHANNELS {
            let mut ats: Vec<Instant> = self.channels.values().map(|c| c.at).collect();
            ats.sort_unstable();
            let cut = ats[ats.len() - REMEMBERED_CHANNELS];
            self.channels.retain(|_, c| c.at >= cut);
        }
    }
}

/// The shard Discord sends `guild`'s events to; DMs go to shard 0.
fn shard_of(guild: Option<u64>, total: u32) -> u32 {
    match guild {
        Some(g) if total > 0 => ((g >> 22) % u64::from(total)) as u32,
        _ => 0,
    }
}

/// Whether the message with snowflake `id` was sent longer than [`MAX_AGE`] before `now`.
pub fn too_old(id: u64, now: SystemTime) -> bool {
    let sent = UNIX_EPOCH + Duration::from_millis((id >> 22) + DISCORD_EPOCH_MS);
    now.duration_since(sent).is_ok_and(|age| age > MAX_AGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: u64 = 1_180_000_000_000_000_100;

    #[test]
    fn a_message_is_claimed_once() {
        let seen = Seen::default();
        let now = Instant::now();
        assert!(seen.claim(7, Some(GUILD), 100, now));
        assert!(!seen.claim(7, Some(GUILD), 100, now));
        assert!(seen.claim(7, Some(GUILD), 101, now));
    }

    #[test]
    fn only_recently_active_channels_are_behind_from_their_last_message() {
        let seen = Seen::default();
        let start = Instant::now();
        seen.claim(1, Some(GUILD), 10, start);
        seen.claim(2, None, 20, start + Duration::from_secs(200));
        seen.claim(1, Some(GUILD), 12, start + Duration::from_secs(100));
        seen.claim(1, Some(GUILD), 11, start + Duration::from_secs(101));
        let at = start + Duration::from_secs(300);
        assert_eq!(
            seen.behind(None, at),
            vec![
                Behind {
                    channel: 2,
                    guild: None,
                    after: 20
                },
                Behind {
                    channel: 1,
                    guild: Some(GUILD),
                    after: 12
                },
            ]
        );
        // Channel 1 was last active 101 s in: past ACTIVE at 402 s.
        let later = start + Duration::from_secs(402);
        assert_eq!(seen.behind(None, later).len(), 1);
        assert!(seen
            .behind(None, start + Duration::from_secs(501))
            .is_empty());
    }

    #[test]
    fn a_shard_catches_up_its_own_guilds_and_shard_0_the_dms() {
        let seen = Seen::default();
        let now = Instant::now();
        let other = (1u64 << 22) | 5; // shard 1 of 2
        seen.claim(1, Some(2u64 << 22), 10, now); // shard 0 of 2
        seen.claim(2, Some(other), 20, now);
        seen.claim(3, None, 30, now);
        let channels =
            |shard| -> Vec<u64> { seen.behind(shard, now).iter().map(|b| b.channel).collect() };
        let mut zero = channels(Some((0, 2)));
        zero.sort();
        assert_eq!(zero, vec![1, 3]);
        assert_eq!(channels(Some((1, 2))), vec![2]);
    }

    #[test]
    fn at_most_the_most_recent_channels_are_caught_up() {
        let seen = Seen::default();
        let start = Instant::now();
        for c in 0..(CHANNELS as u64 + 20) {
            seen.claim(c, None, 1000 + c, start + Duration::from_millis(c));
        }
        let behind = seen.behind(None, start + Duration::from_secs(1));
        assert_eq!(behind.len(), CHANNELS);
        assert_eq!(behind[0].channel, CHANNELS as u64 + 19);
        assert!(behind.iter().all(|b| b.channel >= 20));
    }

    #[test]
    fn questions_older_than_max_age_are_too_old() {
        let now = SystemTime::now();
        let ms = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
        let id_at = |t: SystemTime| (ms(t) - DISCORD_EPOCH_MS) << 22;
        assert!(!too_old(id_at(now - Duration::from_secs(60)), now));
        assert!(!too_old(id_at(now - MAX_AGE + Duration::from_secs(1)), now));
        assert!(too_old(id_at(now - MAX_AGE - Duration::from_secs(1)), now));
    }
}
