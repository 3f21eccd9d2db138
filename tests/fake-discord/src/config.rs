//! Settings for starting the fake.

use std::time::Duration;

use crate::DEFAULT_HEARTBEAT_INTERVAL;

/// Settings for [`FakeDiscord::start_with`].
#[derive(Clone, Debug)]
pub struct FakeDiscordConfig {
    /// Sent in Hello. Default [`DEFAULT_HEARTBEAT_INTERVAL`].
    pub heartbeat_interval: Duration,
    /// When set, REST requests must carry this token (with or without "Bot ") or get 401, and an
    /// IDENTIFY with another token is closed with 4004.
    pub token: Option<String>,
    /// Check message bodies and command registrations against Discord's limits. Default true.
    pub validate: bool,
    /// Drop/blank MESSAGE_CREATE from [`FakeDiscord::message_create`] as Discord does for the
    /// session's intents (GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT). Default true.
    pub emulate_intents: bool,
    /// Dispatch MESSAGE_CREATE for the bot's own posted messages, as Discord does. Default false.
    pub echo_own_messages: bool,
    /// Keep each posted message's body, response and embeds in its [`RecordedMessage`], each
    /// request's body and response in its [`RecordedRequest`], and the message itself for later
    /// edits and replies. Default true; benchmarks turn it off so that recording a large message
    /// costs the stand-in no more than a small one.
    pub record_bodies: bool,
    /// Keep the message posted with each `enforce_nonce` nonce, so that a second post with the
    /// same nonce is answered with the first message and not posted again, as Discord does.
    /// Default true; benchmarks, which never post twice, turn it off: keeping thousands of
    /// messages is work Discord does on its own machines.
    pub enforce_nonces: bool,
    /// The guilds of a sharded bot. When not empty the fake is sharded, as Discord is: every
    /// IDENTIFY must carry a shard array `[id, total]` (else it is closed with 4010), each
    /// shard has a session of its own, its READY lists the guilds of that shard, and a guild's
    /// events go only to the session of shard `(guild_id >> 22) % total` (DMs to shard 0);
    /// events for a shard with no live session wait for its next IDENTIFY. A RESUME is
    /// answered with Invalid Session (not resumable), so a shard identifies again. Default
    /// empty: one session, whatever the shard array, and [`GUILD_ID`](crate::GUILD_ID).
    pub shard_guilds: Vec<u64>,
}

impl Default for FakeDiscordConfig {
    fn default() -> Self {
        FakeDiscordConfig {
            heartbeat_interval: DEFAULT_HEARTBEAT_INTERVAL,
            token: None,
            validate: true,
            emulate_intents: true,
            echo_own_messages: false,
            record_bodies: true,
            enforce_nonces: true,
            shard_guilds: Vec::new(),
        }
    }
}
