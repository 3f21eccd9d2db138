//! What the fake records of the bot's requests and gateway frames, for tests to check.

use std::time::{Duration, Instant};

use serde_json::Value;

/// The REST routes the fake knows; the key for scripts and attempt counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /gateway`
    GetGateway,
    /// `GET /gateway/bot`
    GetGatewayBot,
    /// `GET /users/@me`
    GetCurrentUser,
    /// `GET /oauth2/applications/@me`
    GetCurrentApplication,
    /// `POST /channels/{c}/messages`
    CreateMessage,
    /// `GET /channels/{c}/messages`
    GetChannelMessages,
    /// `GET /channels/{c}/messages/{m}`
    GetMessage,
    /// `PATCH /channels/{c}/messages/{m}`
    EditMessage,
    /// `DELETE /channels/{c}/messages/{m}`
    DeleteMessage,
    /// `POST /channels/{c}/typing`
    Typing,
    /// `PUT /applications/{a}/commands`
    SetGlobalCommands,
    /// `GET /applications/{a}/commands`
    GetGlobalCommands,
    /// `PUT /applications/{a}/guilds/{g}/commands`
    SetGuildCommands,
    /// `GET /applications/{a}/guilds/{g}/commands`
    GetGuildCommands,
    /// `POST /interactions/{i}/{token}/callback`
    InteractionCallback,
    /// `POST /webhooks/{a}/{token}`
    CreateFollowup,
    /// `GET /webhooks/{a}/{token}/messages/@original`
    GetOriginal,
    /// `PATCH /webhooks/{a}/{token}/messages/@original`
    EditOriginal,
    /// `DELETE /webhooks/{a}/{token}/messages/@original`
    DeleteOriginal,
    /// `GET /webhooks/{a}/{token}/messages/{m}`
    GetFollowup,
    /// `PATCH /webhooks/{a}/{token}/messages/{m}`
    EditFollowup,
    /// `DELETE /webhooks/{a}/{token}/messages/{m}`
    DeleteFollowup,
    /// Anything else: recorded, answered 404.
    Unknown,
}

/// One REST request as received, with the status it was answered with.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Order of arrival, from 0.
    pub index: usize,
    /// When it arrived.
    pub at: Instant,
    /// `GET`, `POST` …
    pub method: String,
    /// Path including `/api/v10`.
    pub path: String,
    /// Query string without `?`.
    pub query: Option<String>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The JSON body; for multipart, its `payload_json` part.
    pub body: Option<Value>,
    /// The body as text when it was not JSON (multipart, garbage).
    pub raw_body: Option<String>,
    /// The `files[n]` parts of a multipart body.
    pub files: Vec<RecordedFile>,
    /// Which route it matched.
    pub endpoint: Endpoint,
    /// The status answered.
    pub status: u16,
    /// The JSON answered, if any.
    pub response: Option<Value>,
    /// Whether the answer came from a [`ScriptedResponse`].
    pub scripted: bool,
}

/// A channel message the bot created (`POST /channels/{c}/messages`, successful, not a nonce
/// duplicate).
#[derive(Clone, Debug)]
pub struct RecordedMessage {
    /// The new message's id.
    pub id: u64,
    /// Channel posted to.
    pub channel_id: u64,
    /// `content`, or "" when absent.
    pub content: String,
    /// `embeds` as posted.
    pub embeds: Vec<Value>,
    /// `message_reference` as posted.
    pub message_reference: Option<Value>,
    /// `message_reference.message_id`, parsed.
    pub reply_to: Option<u64>,
    /// Time from the referenced message's dispatch by the fake to this post, if known.
    pub since_reference: Option<Duration>,
    /// The request body.
    pub body: Value,
    /// The files of a multipart message (`files[n]` parts), in the order sent.
    pub files: Vec<RecordedFile>,
    /// The Message object answered.
    pub response: Value,
    /// When it was posted.
    pub at: Instant,
}

/// An interaction callback (`POST /interactions/{i}/{token}/callback`) that was accepted.
#[derive(Clone, Debug)]
pub struct RecordedInteractionResponse {
    /// The interaction.
    pub interaction_id: u64,
    /// Its token.
    pub token: String,
    /// Callback type (4 message, 5 deferred, 8 autocomplete result …).
    pub kind: u64,
    /// `data`, or null.
    pub data: Value,
    /// The whole body.
    pub body: Value,
    /// Time from the interaction's dispatch by the fake to this callback.
    pub latency: Option<Duration>,
}

/// Which webhook message a follow-up request addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowupTarget {
    /// `POST /webhooks/{a}/{token}`: a new follow-up.
    New,
    /// `…/messages/@original`.
    Original,
    /// `…/messages/{id}`.
    Message(u64),
}

/// A successful interaction webhook request (follow-up or original-response edit/delete).
#[derive(Clone, Debug)]
pub struct RecordedFollowup {
    /// `POST`, `PATCH`, `DELETE`.
    pub method: String,
    /// Interaction token.
    pub token: String,
    /// The interaction the token belongs to.
    pub interaction_id: u64,
    /// What was addressed.
    pub target: FollowupTarget,
    /// The request body.
    pub body: Option<Value>,
    /// The Message object answered (none for DELETE).
    pub response: Option<Value>,
}

/// A successful `PUT` of application commands.
#[derive(Clone, Debug)]
pub struct CommandRegistration {
    /// None for global commands.
    pub guild_id: Option<u64>,
    /// The commands as sent.
    pub body: Value,
    /// The commands as answered (ids, version …).
    pub response: Value,
}

/// A dispatch the sharded fake sent, and the shard it went to.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The event, e.g. `MESSAGE_CREATE`.
    pub event: String,
    /// The shard whose session it went to.
    pub shard: u64,
    /// The gateway connection it went out on (the order connections were opened, from 1).
    pub connection: u64,
    /// `d.guild_id`, when the event has one.
    pub guild_id: Option<u64>,
    /// `d.id`: the message or interaction.
    pub id: Option<u64>,
}

/// An IDENTIFY the gateway received.
#[derive(Clone, Debug)]
pub struct Identify {
    /// `d.token` as sent (serenity sends "Bot <token>").
    pub token: String,
    /// `d.intents`.
    pub intents: u64,
    /// `d.shard`, `[id, total]`.
    pub shard: Option<[u64; 2]>,
    /// The whole `d`.
    pub payload: Value,
    /// When it arrived.
    pub at: Instant,
}

/// A RESUME the gateway received.
#[derive(Clone, Debug)]
pub struct Resume {
    /// `d.token`.
    pub token: String,
    /// `d.session_id`.
    pub session_id: String,
    /// `d.seq`: the last dispatch the client processed.
    pub seq: u64,
    /// Whether it was accepted (otherwise op 9 false was sent).
    pub accepted: bool,
    /// How many dispatches were replayed (buffered ones included).
    pub replayed: usize,
    /// When it arrived.
    pub at: Instant,
}

/// An interaction dispatched by [`FakeDiscord::interaction_command`] or
/// [`FakeDiscord::interaction_autocomplete`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentInteraction {
    /// Interaction id.
    pub id: u64,
    /// Interaction token.
    pub token: String,
    /// `data.id`: the registered command's id when there is one.
    pub command_id: u64,
}

/// A file sent with a message as a `files[n]` part of a `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedFile {
    /// The part's name: `files[0]`.
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}
