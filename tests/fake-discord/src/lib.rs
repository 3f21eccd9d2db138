//! A fake Discord — REST API v10 and the JSON gateway — on 127.0.0.1, for tests and benchmarks.
//!
//! A real serenity client talks to it unchanged: build its `Http` with
//! `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)` (or use
//! [`bot::http`] / [`bot::start_client`]). The fake answers `GET /api/v10/gateway` with its own
//! `ws://` URL, says Hello, answers IDENTIFY with READY and RESUME with a replay and RESUMED, and
//! records every REST request. Tests script the other side: dispatch events ([`FakeDiscord::dispatch`],
//! [`FakeDiscord::message_create`], [`FakeDiscord::interaction_command`] …), inject REST faults
//! ([`FakeDiscord::script`]), break the connection ([`FakeDiscord::send_reconnect`],
//! [`FakeDiscord::drop_tcp`] …) and wait for what the bot did ([`FakeDiscord::wait_for_messages`] …).
//!
//! ```ignore
//! let fake = FakeDiscord::start().await;
//! let bot = bot::start_client(&fake, "Fake.Token.123", intents, bot::PongHandler::default()).await;
//! fake.wait_identified(Duration::from_secs(5)).await.expect("IDENTIFY");
//! fake.message_create(CHANNEL_ID, &Author::alice(), "ping", Some(GUILD_ID), false);
//! let posted = fake.wait_for_messages(1, Duration::from_secs(5)).await;
//! assert_eq!(posted[0].content, "pong");
//! bot.shutdown().await;
//! ```
//!
//! Realism beyond the happy path, all on by default: message bodies are checked against Discord's
//! limits (400 `Invalid Form Body`, code 50035, or 50006 for an empty message), command
//! registrations against the command rules, `enforce_nonce` deduplicates, an interaction can be
//! acknowledged once (40060) and followed up only after that (10015), and MESSAGE_CREATE content
//! is blanked when the session lacks the Message Content intent. Validation error *codes* inside
//! `errors` are close to Discord's but not guaranteed identical; statuses and top-level codes are.
//!
//! It knows nothing of carebot (serenity only in the [`bot`] helpers): carebot's tests and
//! benchmarks take it as a dev-dependency.

use std::time::Duration;

pub mod bot;
mod clock;
mod config;
mod fake;
mod gateway;
mod gateway_control;
mod interactions;
mod message;
pub mod payloads;
mod records;
mod reply;
mod rest;
mod script;
mod state;
mod validate;

pub use clock::iso_timestamp;
pub use config::FakeDiscordConfig;
pub use fake::{FakeDiscord, Snapshot};
pub use records::{
    CommandRegistration, Delivery, Endpoint, FollowupTarget, Identify, RecordedFile,
    RecordedFollowup, RecordedInteractionResponse, RecordedMessage, RecordedRequest, Resume,
    SentInteraction,
};
pub use script::ScriptedResponse;

/// The bot's user id (READY `user.id`, author of every message the bot posts).
pub const BOT_USER_ID: u64 = 1_180_000_000_000_000_001;
/// The bot's username.
pub const BOT_NAME: &str = "carebot";
/// The application id (READY `application.id`; must appear in command and webhook routes).
/// Distinct from [`BOT_USER_ID`] so that mixing them up is caught.
pub const APPLICATION_ID: u64 = 1_180_000_000_000_000_002;
/// The application's owner.
pub const OWNER_ID: u64 = 1_180_000_000_000_000_003;
/// The one guild the bot is in (listed, unavailable, in READY).
pub const GUILD_ID: u64 = 1_180_000_000_000_000_100;
/// A text channel in [`GUILD_ID`].
pub const CHANNEL_ID: u64 = 1_180_000_000_000_000_200;
/// A DM channel between [`USER_ID`] and the bot.
pub const DM_CHANNEL_ID: u64 = 1_180_000_000_000_000_300;
/// A human user.
pub const USER_ID: u64 = 1_180_000_000_000_000_400;
/// Discord's default heartbeat interval.
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_millis(41_250);
/// `app_permissions` sent with interactions (a typical bot's permissions).
pub const APP_PERMISSIONS: &str = "2248473465835073";

/// Gateway intent bits the fake looks at.
pub mod intents {
    /// GUILDS.
    pub const GUILDS: u64 = 1;
    /// GUILD_MESSAGES: MESSAGE_CREATE in guilds.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// DIRECT_MESSAGES: MESSAGE_CREATE in DMs.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// MESSAGE_CONTENT (privileged): content of guild messages that don't mention the bot.
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

pub(crate) const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
/// Dispatches kept for RESUME replay.
pub(crate) const REPLAY_LOG: usize = 4096;
/// Messages and interactions remembered for replies, edits and references.
pub(crate) const REMEMBERED: usize = 16_384;

/// `<@id>`, the mention syntax.
pub fn mention(id: u64) -> String {
    format!("<@{id}>")
}

/// A user who writes messages or invokes commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    /// Snowflake.
    pub id: u64,
    /// Username.
    pub name: String,
    /// Whether this is a bot account.
    pub bot: bool,
}

impl Author {
    /// A human user.
    pub fn user(id: u64, name: &str) -> Self {
        Author {
            id,
            name: name.into(),
            bot: false,
        }
    }

    /// Another bot.
    pub fn bot(id: u64, name: &str) -> Self {
        Author {
            id,
            name: name.into(),
            bot: true,
        }
    }

    /// The default human, [`USER_ID`] "alice".
    pub fn alice() -> Self {
        Author::user(USER_ID, "alice")
    }
}
