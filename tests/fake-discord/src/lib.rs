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

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Map, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------------
// Identities and constants
// ---------------------------------------------------------------------------------------------

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

const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
/// Dispatches kept for RESUME replay.
const REPLAY_LOG: usize = 4096;
/// Messages and interactions remembered for replies, edits and references.
const REMEMBERED: usize = 16_384;

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
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

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

/// An answer injected before the normal one, see [`FakeDiscord::script`].
#[derive(Clone, Debug)]
pub struct ScriptedResponse {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
    /// Body content type.
    pub content_type: String,
    /// Perform the request normally first (e.g. create the message), then answer this: a lost
    /// response.
    pub after_commit: bool,
}

impl ScriptedResponse {
    /// Any JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        ScriptedResponse {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            content_type: "application/json".into(),
            after_commit: false,
        }
    }

    /// A Discord JSON error `{"message", "code"}`.
    pub fn error(status: u16, code: u64, message: &str) -> Self {
        Self::json(status, json!({ "message": message, "code": code }))
    }

    /// 429 as Discord sends it: body `{"message":"You are being rate limited.","retry_after":…,
    /// "global":…}` (no `code`, like Discord's docs; serenity then reports code -1), headers
    /// `retry-after` (whole seconds, rounded up), `x-ratelimit-*` and, if global,
    /// `x-ratelimit-global`.
    pub fn rate_limited(retry_after: f64, global: bool) -> Self {
        let mut r = Self::json(
            429,
            json!({ "message": "You are being rate limited.", "retry_after": retry_after, "global": global }),
        );
        let reset = unix_secs_f64() + retry_after;
        r.headers = vec![
            (
                "retry-after".into(),
                format!("{}", retry_after.ceil() as u64),
            ),
            ("x-ratelimit-limit".into(), "5".into()),
            ("x-ratelimit-remaining".into(), "0".into()),
            ("x-ratelimit-reset".into(), format!("{reset:.3}")),
            (
                "x-ratelimit-reset-after".into(),
                format!("{retry_after:.3}"),
            ),
            ("x-ratelimit-bucket".into(), "fake-bucket-messages".into()),
            (
                "x-ratelimit-scope".into(),
                if global { "global" } else { "user" }.into(),
            ),
        ];
        if global {
            r.headers.push(("x-ratelimit-global".into(), "true".into()));
        }
        r
    }

    /// 500 `{"message":"500: Internal Server Error","code":0}`.
    pub fn server_error() -> Self {
        Self::error(500, 0, "500: Internal Server Error")
    }

    /// 502 with Cloudflare's HTML page, as Discord's edge sends it.
    pub fn bad_gateway() -> Self {
        ScriptedResponse {
            status: 502,
            headers: Vec::new(),
            body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>".into(),
            content_type: "text/html".into(),
            after_commit: false,
        }
    }

    /// 503 `{"message":"upstream connect error …","code":0}`.
    pub fn service_unavailable() -> Self {
        Self::error(503, 0, "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
    }

    /// 403 Missing Permissions (50013).
    pub fn missing_permissions() -> Self {
        Self::error(403, 50013, "Missing Permissions")
    }

    /// 403 Missing Access (50001).
    pub fn missing_access() -> Self {
        Self::error(403, 50001, "Missing Access")
    }

    /// 404 Unknown Channel (10003).
    pub fn unknown_channel() -> Self {
        Self::error(404, 10003, "Unknown Channel")
    }

    /// 404 Unknown interaction (10062), what a callback after the 3 s deadline gets.
    pub fn unknown_interaction() -> Self {
        Self::error(404, 10062, "Unknown interaction")
    }

    /// Performs the request normally, then answers this anyway (the caller never learns it
    /// succeeded).
    pub fn after_commit(mut self) -> Self {
        self.after_commit = true;
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

/// The running fake. Dropping it stops the server and closes gateway connections.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    addr: SocketAddr,
    server: Option<JoinHandle<()>>,
}

struct Inner {
    state: Mutex<St>,
    changed: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, St> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }
}

enum Out {
    Text(String),
    Close(u16, String),
    Drop,
}

struct Conn {
    tx: mpsc::UnboundedSender<Out>,
}

struct Session {
    id: String,
    seq: u64,
    log: VecDeque<(u64, String)>,
}

struct InteractionState {
    token: String,
    channel_id: u64,
    kind: u64,
    acknowledged: Option<u64>,
    original: Option<Value>,
    followups: HashMap<u64, Value>,
    dispatched_at: Instant,
}

/// Insertion-ordered map that forgets its oldest entries beyond a capacity.
struct Bounded<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    cap: usize,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    fn new(cap: usize) -> Self {
        Bounded {
            map: HashMap::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    fn insert(&mut self, k: K, v: V) {
        if self.map.insert(k.clone(), v).is_none() {
            self.order.push_back(k);
            while self.order.len() > self.cap {
                if let Some(old) = self.order.pop_front() {
                    self.map.remove(&old);
                }
            }
        }
    }

    fn get(&self, k: &K) -> Option<&V> {
        self.map.get(k)
    }

    fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.map.get_mut(k)
    }

    fn remove(&mut self, k: &K) -> Option<V> {
        self.map.remove(k)
    }
}

struct St {
    addr: SocketAddr,
    config: FakeDiscordConfig,
    last_id: u64,
    // REST
    requests: Vec<RecordedRequest>,
    request_count: usize,
    attempts: HashMap<Endpoint, usize>,
    scripts: HashMap<Endpoint, VecDeque<ScriptedResponse>>,
    messages: Vec<RecordedMessage>,
    known_messages: Bounded<u64, Value>,
    dispatched_at: Bounded<u64, Instant>,
    /// The message posted with each enforced nonce, as the JSON text it was answered with.
    nonces: Bounded<(u64, String), String>,
    channel_guild: HashMap<u64, u64>,
    interactions: Bounded<u64, InteractionState>,
    tokens: Bounded<String, u64>,
    interaction_responses: Vec<RecordedInteractionResponse>,
    followups: Vec<RecordedFollowup>,
    registrations: Vec<CommandRegistration>,
    commands: HashMap<Option<u64>, Vec<Value>>,
    command_ids: HashMap<(Option<u64>, u64, String), u64>,
    // gateway
    conn_counter: u64,
    conns: HashMap<u64, Conn>,
    newest: Option<u64>,
    live: Option<u64>,
    session: Option<Session>,
    session_counter: u64,
    session_intents: Option<u64>,
    undelivered: VecDeque<(String, String)>,
    identifies: Vec<Identify>,
    resumes: Vec<Resume>,
    heartbeats: u64,
    connections: Vec<Option<String>>,
    client_frames: Vec<Value>,
    client_closes: Vec<Option<u16>>,
    fail_identify: Option<u16>,
    ack_heartbeats: bool,
}

impl FakeDiscord {
    /// Starts a fake with default settings on 127.0.0.1 and a free port.
    pub async fn start() -> FakeDiscord {
        Self::start_with(FakeDiscordConfig::default()).await
    }

    /// Starts a fake with `config`.
    pub async fn start_with(config: FakeDiscordConfig) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake discord: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake discord: local addr");
        // Small writes go out at once, as from Discord's servers, not after a delayed ACK.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let (changed, _) = watch::channel(0u64);
        let (shutdown, _) = watch::channel(false);
        let inner = Arc::new(Inner {
            state: Mutex::new(St::new(addr, config)),
            changed,
            shutdown,
        });
        let app = Router::new()
            .route("/ws", get(ws_handler))
            .fallback(rest_handler)
            .with_state(Arc::clone(&inner));
        let mut stop = inner.shutdown.subscribe();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await;
        });
        FakeDiscord {
            inner,
            addr,
            server: Some(server),
        }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT/ws`, what `GET /gateway` answers.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// [`BOT_USER_ID`].
    pub fn bot_user_id(&self) -> u64 {
        BOT_USER_ID
    }

    /// [`APPLICATION_ID`].
    pub fn application_id(&self) -> u64 {
        APPLICATION_ID
    }

    /// [`GUILD_ID`].
    pub fn guild_id(&self) -> u64 {
        GUILD_ID
    }

    /// Stops the server and gateway connections and waits (up to 5 s) for the server to finish.
    pub async fn shutdown(mut self) {
        self.inner.shutdown.send_replace(true);
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
        }
    }

    // ----- REST: faults, records, waits -----

    /// Queues `response` for the next request to `endpoint`; queued responses are used one per
    /// request, in order, before normal answers resume.
    pub fn script(&self, endpoint: Endpoint, response: ScriptedResponse) {
        self.inner
            .lock()
            .scripts
            .entry(endpoint)
            .or_default()
            .push_back(response);
    }

    /// [`Self::script`] for message creation, several at once.
    pub fn script_create_message(&self, responses: impl IntoIterator<Item = ScriptedResponse>) {
        let mut st = self.inner.lock();
        let q = st.scripts.entry(Endpoint::CreateMessage).or_default();
        q.extend(responses);
    }

    /// Scripted responses not yet used for `endpoint`.
    pub fn scripts_left(&self, endpoint: Endpoint) -> usize {
        self.inner
            .lock()
            .scripts
            .get(&endpoint)
            .map_or(0, VecDeque::len)
    }

    /// Requests received for `endpoint`, scripted failures included.
    pub fn attempts(&self, endpoint: Endpoint) -> usize {
        self.inner
            .lock()
            .attempts
            .get(&endpoint)
            .copied()
            .unwrap_or(0)
    }

    /// All recorded REST requests, in arrival order (since the last [`Self::clear_records`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.lock().requests.clone()
    }

    /// Recorded requests to `endpoint`.
    pub fn requests_to(&self, endpoint: Endpoint) -> Vec<RecordedRequest> {
        let st = self.inner.lock();
        st.requests
            .iter()
            .filter(|r| r.endpoint == endpoint)
            .cloned()
            .collect()
    }

    /// REST requests received since start (not reset by [`Self::clear_records`]).
    pub fn request_count(&self) -> usize {
        self.inner.lock().request_count
    }

    /// Channel messages created so far, in order.
    pub fn messages(&self) -> Vec<RecordedMessage> {
        self.inner.lock().messages.clone()
    }

    /// Number of channel messages created (cheap, for benches).
    pub fn message_count(&self) -> usize {
        self.inner.lock().messages.len()
    }

    /// Accepted interaction callbacks so far.
    pub fn interaction_responses(&self) -> Vec<RecordedInteractionResponse> {
        self.inner.lock().interaction_responses.clone()
    }

    /// Successful follow-up / original-response requests so far.
    pub fn followups(&self) -> Vec<RecordedFollowup> {
        self.inner.lock().followups.clone()
    }

    /// Successful command registrations so far.
    pub fn command_registrations(&self) -> Vec<CommandRegistration> {
        self.inner.lock().registrations.clone()
    }

    /// Forgets recorded requests, messages, interaction responses, follow-ups and registrations
    /// (for long benches). Attempt counts, scripts and gateway state stay.
    pub fn clear_records(&self) {
        let mut st = self.inner.lock();
        st.requests.clear();
        st.messages.clear();
        st.interaction_responses.clear();
        st.followups.clear();
        st.registrations.clear();
    }

    /// Waits until at least `n` channel messages were created or `timeout` passes, then returns
    /// all created so far (fewer than `n` on timeout).
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<RecordedMessage> {
        self.wait_until(timeout, |st| (st.messages.len() >= n).then_some(()))
            .await;
        self.messages()
    }

    /// Waits until at least `n` channel messages were created; returns whether they were. Clones
    /// nothing (for benches).
    pub async fn wait_for_message_count(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.messages.len() >= n).then_some(()))
            .await
            .is_some()
    }

    /// Waits for at least `n` accepted interaction callbacks; returns all so far.
    pub async fn wait_for_interaction_responses(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedInteractionResponse> {
        self.wait_until(timeout, |st| {
            (st.interaction_responses.len() >= n).then_some(())
        })
        .await;
        self.interaction_responses()
    }

    /// Waits for at least `n` successful follow-up requests; returns all so far.
    pub async fn wait_for_followups(&self, n: usize, timeout: Duration) -> Vec<RecordedFollowup> {
        self.wait_until(timeout, |st| (st.followups.len() >= n).then_some(()))
            .await;
        self.followups()
    }

    /// Waits for a command registration; returns the latest one.
    pub async fn wait_for_command_registration(
        &self,
        timeout: Duration,
    ) -> Option<CommandRegistration> {
        self.wait_until(timeout, |st| st.registrations.last().cloned())
            .await
    }

    /// Waits until `endpoint` saw at least `n` requests; returns whether it did.
    pub async fn wait_for_attempts(&self, endpoint: Endpoint, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.attempts.get(&endpoint).copied().unwrap_or(0) >= n).then_some(())
        })
        .await
        .is_some()
    }

    /// Waits until `f` returns `Some` over the fake's records, re-checking on every change of
    /// the fake's state (only: a condition on outside state is re-checked only when the fake
    /// changes). `f` sees [`Snapshot`] accessors.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&Snapshot<'_>) -> Option<T>,
    ) -> Option<T> {
        self.wait_until(timeout, |st| f(&Snapshot { st })).await
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&St) -> Option<T>,
    ) -> Option<T> {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            rx.mark_unchanged();
            if let Some(v) = f(&self.inner.lock()) {
                return Some(v);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => return f(&self.inner.lock()),
            }
        }
    }

    // ----- gateway: state -----

    /// Waits for an IDENTIFY (answered with READY unless refused); returns the latest.
    pub async fn wait_identified(&self, timeout: Duration) -> Option<Identify> {
        self.wait_until(timeout, |st| st.identifies.last().cloned())
            .await
    }

    /// Waits until at least `n` IDENTIFYs arrived.
    pub async fn wait_identifies(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.identifies.len() >= n).then_some(()))
            .await
            .is_some()
    }

    /// Waits until at least `n` RESUMEs were accepted.
    pub async fn wait_resumes(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.resumes.iter().filter(|r| r.accepted).count() >= n).then_some(())
        })
        .await
        .is_some()
    }

    /// Waits until a connection has an identified or resumed session (dispatches go out live).
    pub async fn wait_live(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| st.live.map(|_| ()))
            .await
            .is_some()
    }

    /// Waits until at least `n` heartbeats (op 1) arrived.
    pub async fn wait_heartbeats(&self, n: u64, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.heartbeats >= n).then_some(()))
            .await
            .is_some()
    }

    /// IDENTIFYs received.
    pub fn identifies(&self) -> Vec<Identify> {
        self.inner.lock().identifies.clone()
    }

    /// RESUMEs received (accepted or not).
    pub fn resumes(&self) -> Vec<Resume> {
        self.inner.lock().resumes.clone()
    }

    /// Heartbeats (op 1) received.
    pub fn heartbeats(&self) -> u64 {
        self.inner.lock().heartbeats
    }

    /// Query strings of gateway connections opened so far (serenity: `v=10`).
    pub fn gateway_connections(&self) -> Vec<Option<String>> {
        self.inner.lock().connections.clone()
    }

    /// Gateway frames from the client other than heartbeats (IDENTIFY, RESUME, presence …).
    pub fn client_frames(&self) -> Vec<Value> {
        self.inner.lock().client_frames.clone()
    }

    /// Close codes the client sent (serenity: 1000 on shutdown, 4000 on restart).
    pub fn client_close_codes(&self) -> Vec<Option<u16>> {
        self.inner.lock().client_closes.clone()
    }

    /// Whether a session is live on a connection.
    pub fn is_live(&self) -> bool {
        self.inner.lock().live.is_some()
    }

    /// The current session id, if any.
    pub fn session_id(&self) -> Option<String> {
        self.inner.lock().session.as_ref().map(|s| s.id.clone())
    }

    /// The last sequence number assigned in the current session.
    pub fn last_seq(&self) -> u64 {
        self.inner.lock().session.as_ref().map_or(0, |s| s.seq)
    }

    // ----- gateway: control -----

    /// Heartbeat interval for the next Hello.
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        self.inner.lock().config.heartbeat_interval = interval;
    }

    /// Whether heartbeats get op 11 (false simulates a zombied connection).
    pub fn set_ack_heartbeats(&self, ack: bool) {
        self.inner.lock().ack_heartbeats = ack;
    }

    /// Whether the bot's own posted messages are dispatched back as MESSAGE_CREATE.
    pub fn set_echo_own_messages(&self, echo: bool) {
        self.inner.lock().config.echo_own_messages = echo;
    }

    /// Closes the connection with `code` at the next IDENTIFY instead of READY (4004
    /// authentication failed, 4013 invalid intents, 4014 disallowed intents: fatal for serenity).
    pub fn fail_identify_with(&self, code: u16) {
        self.inner.lock().fail_identify = Some(code);
    }

    /// Sends a dispatch. Goes out at once when a session is live; otherwise it is buffered and
    /// delivered after the next RESUME's replay or the next READY. Returns the sequence number,
    /// or None when buffered. MESSAGE_CREATE and INTERACTION_CREATE are remembered so that
    /// replies and callbacks to them work.
    pub fn dispatch(&self, event: &str, d: Value) -> Option<u64> {
        let seq = {
            let mut st = self.inner.lock();
            st.remember_dispatch(event, d.clone());
            st.emit(event, d)
        };
        self.inner.bump();
        seq
    }

    /// Dispatches MESSAGE_CREATE from `author` in `channel_id` (a guild channel when `guild_id`
    /// is given, else a DM), with the bot in `mentions` if `mentions_bot` (put
    /// [`mention`]`(BOT_USER_ID)` in `content` yourself). Returns the message id. With intent
    /// emulation, it is not delivered without GUILD_MESSAGES/DIRECT_MESSAGES and its content is
    /// blanked without MESSAGE_CONTENT (unless a DM or it mentions the bot).
    pub fn message_create(
        &self,
        channel_id: u64,
        author: &Author,
        content: &str,
        guild_id: Option<u64>,
        mentions_bot: bool,
    ) -> u64 {
        // The message is built and written outside the lock, as a user's message is not
        // Discord's own work: the stand-in's REST handling waits for it as little as it can.
        let (id, intents) = {
            let mut st = self.inner.lock();
            let intents = st.session_intents.filter(|_| st.config.emulate_intents);
            (st.next_id(), intents)
        };
        let mentions = if mentions_bot {
            let mut bot = payloads::user(BOT_USER_ID, BOT_NAME, true);
            if guild_id.is_some() {
                bot["member"] = payloads::member(None);
            }
            vec![bot]
        } else {
            Vec::new()
        };
        let d = payloads::message(id, channel_id, author, content, guild_id, mentions);
        let needed = if guild_id.is_some() {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        };
        let deliver = intents.is_none_or(|i| i & needed != 0);
        let hide_content = guild_id.is_some()
            && !mentions_bot
            && intents.is_some_and(|i| i & intents::MESSAGE_CONTENT == 0);
        // Written once, as the session receives it.
        let text = deliver.then(|| {
            if !hide_content {
                return d.to_string();
            }
            let mut hidden = d.clone();
            hidden["content"] = json!("");
            hidden["embeds"] = json!([]);
            hidden["attachments"] = json!([]);
            hidden["components"] = json!([]);
            hidden.to_string()
        });
        let mut st = self.inner.lock();
        st.remember_dispatch("MESSAGE_CREATE", d);
        if let Some(text) = text {
            st.emit_json("MESSAGE_CREATE", text);
        }
        drop(st);
        self.inner.bump();
        id
    }

    /// Dispatches INTERACTION_CREATE type 2 (slash command `name` with `options`, e.g.
    /// `json!([{"type":3,"name":"council","value":"Solihull"}])`) from `user` in `channel_id`,
    /// in `guild_id` or a DM.
    pub fn interaction_command(
        &self,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        self.interaction(2, name, options, user, channel_id, guild_id)
    }

    /// Dispatches INTERACTION_CREATE type 4 (autocomplete); one option should carry
    /// `"focused": true`, e.g. `json!([{"type":3,"name":"council","value":"Sol","focused":true}])`.
    pub fn interaction_autocomplete(
        &self,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        self.interaction(4, name, options, user, channel_id, guild_id)
    }

    fn interaction(
        &self,
        kind: u64,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        let sent = {
            let mut st = self.inner.lock();
            let id = st.next_id();
            let token = format!(
                "aW50ZXJhY3Rpb246{id}.fake{:x}",
                id.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
            let command_id = st
                .commands
                .get(&guild_id)
                .into_iter()
                .chain(st.commands.get(&None))
                .flatten()
                .find(|c| c["name"] == name)
                .and_then(|c| c["id"].as_str()?.parse().ok());
            let command_id = match command_id {
                Some(c) => c,
                None => st.next_id(),
            };
            let sent = SentInteraction {
                id,
                token,
                command_id,
            };
            let d = payloads::interaction(kind, &sent, name, options, user, channel_id, guild_id);
            st.remember_dispatch("INTERACTION_CREATE", d.clone());
            st.emit("INTERACTION_CREATE", d);
            sent
        };
        self.inner.bump();
        sent
    }

    /// Sends op 7 Reconnect on the newest connection; serenity resumes at once. Dispatches sent
    /// after this are buffered until the RESUME. Returns whether a connection was open.
    pub fn send_reconnect(&self) -> bool {
        self.control(|_| Out::Text(op_frame(7, Value::Null)))
    }

    /// Sends op 9 Invalid Session; with `resumable` false the session is forgotten (serenity
    /// re-identifies after about 5 s), with true serenity resumes.
    pub fn send_invalid_session(&self, resumable: bool) -> bool {
        self.control(|st| {
            if !resumable {
                st.session = None;
            }
            Out::Text(op_frame(9, json!(resumable)))
        })
    }

    /// Closes the newest connection with `code` (4000 makes serenity resume at once; 4007 and
    /// 4009 also forget the session, as Discord does).
    pub fn close_with(&self, code: u16) -> bool {
        self.control(|st| {
            if matches!(code, 4007 | 4009) {
                st.session = None;
            }
            Out::Close(code, close_reason(code).into())
        })
    }

    /// Drops the newest connection's TCP stream without a close frame.
    pub fn drop_tcp(&self) -> bool {
        self.control(|_| Out::Drop)
    }

    /// Sends raw text (e.g. a malformed frame) on the newest connection.
    pub fn send_raw(&self, text: &str) -> bool {
        let text = text.to_string();
        let st = self.inner.lock();
        match st.newest.and_then(|id| st.conns.get(&id)) {
            Some(c) => c.tx.send(Out::Text(text)).is_ok(),
            None => false,
        }
    }

    fn control(&self, f: impl FnOnce(&mut St) -> Out) -> bool {
        let sent = {
            let mut st = self.inner.lock();
            match st.newest {
                Some(id) if st.conns.contains_key(&id) => {
                    if st.live == Some(id) {
                        st.live = None;
                    }
                    let out = f(&mut st);
                    st.conns[&id].tx.send(out).is_ok()
                }
                _ => false,
            }
        };
        self.inner.bump();
        sent
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.inner.shutdown.send_replace(true);
    }
}

/// Read access to the fake's records inside [`FakeDiscord::wait_for`].
pub struct Snapshot<'a> {
    st: &'a St,
}

impl Snapshot<'_> {
    /// Recorded REST requests.
    pub fn requests(&self) -> &[RecordedRequest] {
        &self.st.requests
    }

    /// Created channel messages.
    pub fn messages(&self) -> &[RecordedMessage] {
        &self.st.messages
    }

    /// Accepted interaction callbacks.
    pub fn interaction_responses(&self) -> &[RecordedInteractionResponse] {
        &self.st.interaction_responses
    }

    /// Successful follow-up requests.
    pub fn followups(&self) -> &[RecordedFollowup] {
        &self.st.followups
    }

    /// IDENTIFYs.
    pub fn identifies(&self) -> &[Identify] {
        &self.st.identifies
    }

    /// RESUMEs.
    pub fn resumes(&self) -> &[Resume] {
        &self.st.resumes
    }

    /// Attempts per endpoint.
    pub fn attempts(&self, endpoint: Endpoint) -> usize {
        self.st.attempts.get(&endpoint).copied().unwrap_or(0)
    }

    /// Whether a session is live.
    pub fn is_live(&self) -> bool {
        self.st.live.is_some()
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

impl St {
    fn new(addr: SocketAddr, config: FakeDiscordConfig) -> Self {
        St {
            addr,
            config,
            last_id: 0,
            requests: Vec::new(),
            request_count: 0,
            attempts: HashMap::new(),
            scripts: HashMap::new(),
            messages: Vec::new(),
            known_messages: Bounded::new(REMEMBERED),
            dispatched_at: Bounded::new(REMEMBERED),
            nonces: Bounded::new(REMEMBERED),
            channel_guild: HashMap::from([(CHANNEL_ID, GUILD_ID)]),
            interactions: Bounded::new(REMEMBERED),
            tokens: Bounded::new(REMEMBERED),
            interaction_responses: Vec::new(),
            followups: Vec::new(),
            registrations: Vec::new(),
            commands: HashMap::new(),
            command_ids: HashMap::new(),
            conn_counter: 0,
            conns: HashMap::new(),
            newest: None,
            live: None,
            session: None,
            session_counter: 0,
            session_intents: None,
            undelivered: VecDeque::new(),
            identifies: Vec::new(),
            resumes: Vec::new(),
            heartbeats: 0,
            connections: Vec::new(),
            client_frames: Vec::new(),
            client_closes: Vec::new(),
            fail_identify: None,
            ack_heartbeats: true,
        }
    }

    /// A fresh snowflake, increasing.
    fn next_id(&mut self) -> u64 {
        let ms = unix_ms().saturating_sub(DISCORD_EPOCH_MS);
        let id = (ms << 22).max(self.last_id + 1);
        self.last_id = id;
        id
    }

    fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    fn remember_dispatch(&mut self, event: &str, d: Value) {
        let Some(id) = d["id"].as_str().and_then(|s| s.parse::<u64>().ok()) else {
            return;
        };
        match event {
            "MESSAGE_CREATE" => {
                if let (Some(c), Some(g)) = (snowflake(&d["channel_id"]), snowflake(&d["guild_id"]))
                {
                    self.channel_guild.insert(c, g);
                }
                self.known_messages.insert(id, d);
                self.dispatched_at.insert(id, Instant::now());
            }
            "INTERACTION_CREATE" => {
                let token = d["token"].as_str().unwrap_or_default().to_string();
                self.tokens.insert(token.clone(), id);
                self.interactions.insert(
                    id,
                    InteractionState {
                        token,
                        channel_id: snowflake(&d["channel_id"]).unwrap_or(CHANNEL_ID),
                        kind: d["type"].as_u64().unwrap_or(2),
                        acknowledged: None,
                        original: None,
                        followups: HashMap::new(),
                        dispatched_at: Instant::now(),
                    },
                );
            }
            _ => {}
        }
    }

    /// Sends a dispatch on the live connection, or buffers it.
    fn emit(&mut self, event: &str, d: Value) -> Option<u64> {
        self.emit_json(event, d.to_string())
    }

    /// [`St::emit`] for a `d` already serialised.
    fn emit_json(&mut self, event: &str, d: String) -> Option<u64> {
        let live = self
            .live
            .and_then(|id| self.conns.get(&id).map(|c| c.tx.clone()));
        match (live, self.session.as_mut()) {
            (Some(tx), Some(session)) => {
                session.seq += 1;
                let seq = session.seq;
                let frame = format!(r#"{{"t":{},"s":{seq},"op":0,"d":{d}}}"#, Value::from(event));
                session.log.push_back((seq, frame.clone()));
                while session.log.len() > REPLAY_LOG {
                    session.log.pop_front();
                }
                let _ = tx.send(Out::Text(frame));
                Some(seq)
            }
            _ => {
                self.undelivered.push_back((event.to_string(), d));
                None
            }
        }
    }

    fn flush_undelivered(&mut self) -> usize {
        let pending: Vec<_> = self.undelivered.drain(..).collect();
        let n = pending.len();
        for (event, d) in pending {
            self.emit_json(&event, d);
        }
        n
    }

    fn token_ok(&self, presented: &str) -> bool {
        match &self.config.token {
            None => true,
            Some(expected) => strip_bot(presented) == strip_bot(expected),
        }
    }

    fn make_live(&mut self, conn: u64) {
        if let Some(old) = self.live.filter(|&old| old != conn) {
            // Discord closes the session's previous connection.
            if let Some(c) = self.conns.get(&old) {
                let _ = c.tx.send(Out::Drop);
            }
        }
        self.live = Some(conn);
    }

    // ----- gateway frames from the client -----

    fn on_client_text(&mut self, conn: u64, tx: &mpsc::UnboundedSender<Out>, text: &str) {
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            let _ = tx.send(Out::Close(4002, close_reason(4002).into()));
            return;
        };
        match v["op"].as_u64() {
            Some(1) => {
                self.heartbeats += 1;
                if self.ack_heartbeats {
                    let _ = tx.send(Out::Text(op_frame(11, Value::Null)));
                }
            }
            Some(2) => {
                self.client_frames.push(v.clone());
                self.on_identify(conn, tx, &v["d"]);
            }
            Some(6) => {
                self.client_frames.push(v.clone());
                self.on_resume(conn, tx, &v["d"]);
            }
            Some(_) => self.client_frames.push(v),
            None => {
                let _ = tx.send(Out::Close(4001, close_reason(4001).into()));
            }
        }
    }

    fn on_identify(&mut self, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
        let token = d["token"].as_str().unwrap_or_default().to_string();
        let intents = d["intents"].as_u64().unwrap_or(0);
        let shard = d["shard"]
            .as_array()
            .and_then(|a| Some([a.first()?.as_u64()?, a.get(1)?.as_u64()?]));
        self.identifies.push(Identify {
            token: token.clone(),
            intents,
            shard,
            payload: d.clone(),
            at: Instant::now(),
        });
        if let Some(code) = self.fail_identify.take() {
            let _ = tx.send(Out::Close(code, close_reason(code).into()));
            return;
        }
        if !self.token_ok(&token) {
            let _ = tx.send(Out::Close(4004, close_reason(4004).into()));
            return;
        }
        self.session_counter += 1;
        let id = format!(
            "{:016x}{:016x}",
            u64::from(self.addr.port()).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            self.session_counter.wrapping_mul(0xbf58_476d_1ce4_e5b9)
        );
        self.session = Some(Session {
            id: id.clone(),
            seq: 0,
            log: VecDeque::new(),
        });
        self.session_intents = Some(intents);
        self.make_live(conn);
        let ready = payloads::ready(&id, &self.ws_url(), shard);
        self.emit("READY", ready);
        self.flush_undelivered();
    }

    fn on_resume(&mut self, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
        let token = d["token"].as_str().unwrap_or_default().to_string();
        let session_id = d["session_id"].as_str().unwrap_or_default().to_string();
        let seq = d["seq"].as_u64().unwrap_or(0);
        let token_ok = self.token_ok(&token);
        let frames = match &self.session {
            Some(s) if s.id == session_id && token_ok => {
                let complete = s
                    .log
                    .front()
                    .map_or(s.seq <= seq, |&(first, _)| first <= seq + 1);
                complete.then(|| {
                    s.log
                        .iter()
                        .filter(|(sq, _)| *sq > seq)
                        .map(|(_, f)| f.clone())
                        .collect::<Vec<_>>()
                })
            }
            _ => None,
        };
        let Some(frames) = frames else {
            self.resumes.push(Resume {
                token,
                session_id,
                seq,
                accepted: false,
                replayed: 0,
                at: Instant::now(),
            });
            let _ = tx.send(Out::Text(op_frame(9, json!(false))));
            return;
        };
        let mut replayed = frames.len();
        for f in frames {
            let _ = tx.send(Out::Text(f));
        }
        self.make_live(conn);
        replayed += self.flush_undelivered();
        self.emit(
            "RESUMED",
            json!({ "_trace": ["[\"fake-discord\",{\"micros\":1}]"] }),
        );
        self.resumes.push(Resume {
            token,
            session_id,
            seq,
            accepted: true,
            replayed,
            at: Instant::now(),
        });
    }

    // ----- REST -----

    fn handle(&mut self, req: &Incoming) -> (Endpoint, Reply, bool) {
        let rest = req.path.strip_prefix("/api/v10/");
        let segs: Vec<&str> = rest.map(|r| r.split('/').collect()).unwrap_or_default();
        let m = &req.method;
        let id = |s: &str| s.parse::<u64>().ok();
        use Endpoint as E;
        let endpoint = match (m.as_str(), segs.as_slice()) {
            ("GET", ["gateway"]) => E::GetGateway,
            ("GET", ["gateway", "bot"]) => E::GetGatewayBot,
            ("GET", ["users", "@me"]) => E::GetCurrentUser,
            ("GET", ["oauth2", "applications", "@me"]) => E::GetCurrentApplication,
            ("POST", ["channels", _, "messages"]) => E::CreateMessage,
            ("GET", ["channels", _, "messages", _]) => E::GetMessage,
            ("PATCH", ["channels", _, "messages", _]) => E::EditMessage,
            ("DELETE", ["channels", _, "messages", _]) => E::DeleteMessage,
            ("POST", ["channels", _, "typing"]) => E::Typing,
            ("PUT", ["applications", _, "commands"]) => E::SetGlobalCommands,
            ("GET", ["applications", _, "commands"]) => E::GetGlobalCommands,
            ("PUT", ["applications", _, "guilds", _, "commands"]) => E::SetGuildCommands,
            ("GET", ["applications", _, "guilds", _, "commands"]) => E::GetGuildCommands,
            ("POST", ["interactions", _, _, "callback"]) => E::InteractionCallback,
            ("POST", ["webhooks", _, _]) => E::CreateFollowup,
            ("GET", ["webhooks", _, _, "messages", "@original"]) => E::GetOriginal,
            ("PATCH", ["webhooks", _, _, "messages", "@original"]) => E::EditOriginal,
            ("DELETE", ["webhooks", _, _, "messages", "@original"]) => E::DeleteOriginal,
            ("GET", ["webhooks", _, _, "messages", _]) => E::GetFollowup,
            ("PATCH", ["webhooks", _, _, "messages", _]) => E::EditFollowup,
            ("DELETE", ["webhooks", _, _, "messages", _]) => E::DeleteFollowup,
            _ => E::Unknown,
        };
        *self.attempts.entry(endpoint).or_default() += 1;

        let needs_auth = !matches!(
            endpoint,
            E::InteractionCallback
                | E::CreateFollowup
                | E::GetOriginal
                | E::EditOriginal
                | E::DeleteOriginal
                | E::GetFollowup
                | E::EditFollowup
                | E::DeleteFollowup
                | E::Unknown
        );
        if needs_auth && !self.token_ok(req.authorization.as_deref().unwrap_or_default()) {
            return (endpoint, Reply::error(401, 0, "401: Unauthorized"), false);
        }

        let script = self
            .scripts
            .get_mut(&endpoint)
            .and_then(VecDeque::pop_front);
        if let Some(s) = &script {
            if !s.after_commit {
                return (endpoint, Reply::scripted(s), true);
            }
        }

        static NO_BODY: Value = Value::Null;
        let body = req.body.as_ref().unwrap_or(&NO_BODY);
        let reply = match (endpoint, segs.as_slice()) {
            (E::GetGateway, _) => Reply::json(200, json!({ "url": self.ws_url() })),
            (E::GetGatewayBot, _) => Reply::json(
                200,
                json!({
                    "url": self.ws_url(),
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
                    }
                }),
            ),
            (E::GetCurrentUser, _) => Reply::json(200, payloads::bot_user_pii()),
            (E::GetCurrentApplication, _) => Reply::json(200, payloads::application()),
            (E::CreateMessage, [_, c, _]) => match id(c) {
                Some(c) => self.create_message(c, body, req.raw_body.as_deref()),
                None => Reply::error(404, 10003, "Unknown Channel"),
            },
            (E::GetMessage, [_, _, _, m]) => {
                match id(m).and_then(|m| self.known_messages.get(&m)) {
                    Some(msg) => Reply::json(200, msg.clone()),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            (E::EditMessage, [_, _, _, m]) => self.edit_message(id(m), body),
            (E::DeleteMessage, [_, _, _, m]) => {
                match id(m).and_then(|m| self.known_messages.remove(&m)) {
                    Some(_) => Reply::empty(204),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            (E::Typing, _) => Reply::empty(204),
            (E::SetGlobalCommands, [_, a, _]) => self.set_commands(id(a), None, body),
            (E::SetGuildCommands, [_, a, _, g, _]) => match id(g) {
                Some(g) => self.set_commands(id(a), Some(g), body),
                None => Reply::error(404, 10004, "Unknown Guild"),
            },
            (E::GetGlobalCommands, [_, a, _]) => self.get_commands(id(a), None),
            (E::GetGuildCommands, [_, a, _, g, _]) => match id(g) {
                Some(g) => self.get_commands(id(a), Some(g)),
                None => Reply::error(404, 10004, "Unknown Guild"),
            },
            (E::InteractionCallback, [_, i, token, _]) => {
                self.interaction_callback(id(i), token, body, req.raw_body.as_deref())
            }
            (E::CreateFollowup, [_, a, token]) => {
                self.followup(req, id(a), token, FollowupTarget::New, body)
            }
            (E::GetOriginal | E::EditOriginal | E::DeleteOriginal, [_, a, token, _, _]) => {
                self.followup(req, id(a), token, FollowupTarget::Original, body)
            }
            (E::GetFollowup | E::EditFollowup | E::DeleteFollowup, [_, a, token, _, m]) => {
                match id(m) {
                    Some(m) => self.followup(req, id(a), token, FollowupTarget::Message(m), body),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            _ => Reply::error(404, 0, "Unknown"),
        };
        match script {
            Some(s) if reply.status < 300 => (endpoint, Reply::scripted(&s), true),
            _ => (endpoint, reply, false),
        }
    }

    fn create_message(&mut self, channel_id: u64, body: &Value, raw: Option<&str>) -> Reply {
        if !body.is_object() {
            return Reply::error(400, 50109, "The request body contains invalid JSON.");
        }
        if self.config.validate {
            if let Err(r) = validate_message(body, true, raw) {
                return r;
            }
        }
        let nonce = match &body["nonce"] {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let enforce = self.config.enforce_nonces && body["enforce_nonce"].as_bool() == Some(true);
        if let (Some(n), true) = (&nonce, enforce) {
            if let Some(existing) = self.nonces.get(&(channel_id, n.clone())) {
                return Reply::json_text(200, existing.clone());
            }
        }
        let id = self.next_id();
        let reference = body
            .get("message_reference")
            .filter(|r| r.is_object())
            .cloned();
        let reply_to = reference.as_ref().and_then(|r| snowflake(&r["message_id"]));
        let completed = reference.as_ref().map(|r| {
            let mut r = r.clone();
            r["type"] = r.get("type").cloned().unwrap_or(json!(0));
            if r.get("channel_id").is_none_or(Value::is_null) {
                r["channel_id"] = json!(channel_id.to_string());
            }
            if let Some(g) = self.channel_guild.get(&channel_id) {
                r["guild_id"] = json!(g.to_string());
            }
            r.as_object_mut().map(|o| o.remove("fail_if_not_exists"));
            r
        });
        let record = self.config.record_bodies;
        // Written once, straight from the body: the response, the echo and the nonce's record
        // share the text.
        let (text, msg) = {
            let mut posted = payloads::Posted::new(id, channel_id, body);
            posted.nonce = nonce.as_deref();
            posted.reply = completed.as_ref().map(|r| {
                let replied_to = reply_to.and_then(|m| self.known_messages.get(&m));
                (r, replied_to.unwrap_or(&Value::Null))
            });
            let text = serde_json::to_string(&posted).expect("a message serialises");
            let msg = record.then(|| serde_json::to_value(&posted).expect("a message serialises"));
            (text, msg)
        };
        let since_reference = reply_to
            .and_then(|m| self.dispatched_at.get(&m))
            .map(|t| t.elapsed());
        if let Some(msg) = &msg {
            let mut stored = msg.clone();
            stored["referenced_message"] = Value::Null;
            self.known_messages.insert(id, stored);
        }
        self.messages.push(RecordedMessage {
            id,
            channel_id,
            content: body["content"].as_str().unwrap_or_default().to_string(),
            embeds: if record {
                body["embeds"].as_array().cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            message_reference: reference,
            reply_to,
            since_reference,
            body: if record { body.clone() } else { Value::Null },
            response: msg.clone().unwrap_or(Value::Null),
            at: Instant::now(),
        });
        if self.config.echo_own_messages {
            let d = match self.channel_guild.get(&channel_id) {
                // `msg` is an object without either key: they go in front of its own.
                Some(g) => format!(
                    r#"{{"guild_id":"{g}","member":{},{}"#,
                    payloads::member(None),
                    &text[1..]
                ),
                None => text.clone(),
            };
            self.emit_json("MESSAGE_CREATE", d);
        }
        if let (Some(n), true) = (nonce, enforce) {
            self.nonces.insert((channel_id, n), text.clone());
        }
        Reply::serialised(200, text, msg)
    }

    fn edit_message(&mut self, message: Option<u64>, body: &Value) -> Reply {
        if self.config.validate {
            if let Err(r) = validate_message(body, false, None) {
                return r;
            }
        }
        match message.and_then(|m| self.known_messages.get_mut(&m)) {
            Some(msg) if msg["author"]["id"] == json!(BOT_USER_ID.to_string()) => {
                apply_edit(msg, body);
                Reply::json(200, msg.clone())
            }
            Some(_) => Reply::error(403, 50005, "Cannot edit a message authored by another user"),
            None => Reply::error(404, 10008, "Unknown Message"),
        }
    }

    fn set_commands(&mut self, app: Option<u64>, guild: Option<u64>, body: &Value) -> Reply {
        if app != Some(APPLICATION_ID) {
            return Reply::error(403, 50001, "Missing Access");
        }
        let Some(list) = body.as_array() else {
            return Reply::form_error(form_errors(&[(
                vec![],
                "BASE_TYPE_ARRAY",
                "Must be an array.".into(),
            )]));
        };
        if self.config.validate {
            if let Err(r) = validate_commands(list) {
                return r;
            }
        }
        let version = self.next_id();
        let mut out = Vec::new();
        for c in list {
            let kind = c["type"].as_u64().unwrap_or(1);
            let name = c["name"].as_str().unwrap_or_default().to_string();
            let key = (guild, kind, name.clone());
            let cid = match self.command_ids.get(&key) {
                Some(&cid) => cid,
                None => {
                    let cid = self.next_id();
                    self.command_ids.insert(key, cid);
                    cid
                }
            };
            let mut r = json!({
                "id": cid.to_string(),
                "application_id": APPLICATION_ID.to_string(),
                "version": version.to_string(),
                "default_member_permissions": c.get("default_member_permissions").cloned().unwrap_or(Value::Null),
                "type": kind,
                "name": name,
                "name_localizations": c.get("name_localizations").cloned().unwrap_or(Value::Null),
                "description": c["description"].as_str().unwrap_or_default(),
                "description_localizations": c.get("description_localizations").cloned().unwrap_or(Value::Null),
                "nsfw": c["nsfw"].as_bool().unwrap_or(false),
                "integration_types": c.get("integration_types").cloned().unwrap_or(json!([0])),
                "contexts": c.get("contexts").cloned().unwrap_or(Value::Null),
            });
            match guild {
                Some(g) => r["guild_id"] = json!(g.to_string()),
                None => r["dm_permission"] = json!(c["dm_permission"].as_bool().unwrap_or(true)),
            }
            if let Some(opts) = c["options"].as_array().filter(|o| !o.is_empty()) {
                r["options"] = Value::Array(opts.iter().map(normalize_option).collect());
            }
            out.push(r);
        }
        self.commands.insert(guild, out.clone());
        let response = Value::Array(out);
        self.registrations.push(CommandRegistration {
            guild_id: guild,
            body: body.clone(),
            response: response.clone(),
        });
        Reply::json(200, response)
    }

    fn get_commands(&self, app: Option<u64>, guild: Option<u64>) -> Reply {
        if app != Some(APPLICATION_ID) {
            return Reply::error(403, 50001, "Missing Access");
        }
        Reply::json(
            200,
            Value::Array(self.commands.get(&guild).cloned().unwrap_or_default()),
        )
    }

    fn interaction_callback(
        &mut self,
        interaction: Option<u64>,
        token: &str,
        body: &Value,
        raw: Option<&str>,
    ) -> Reply {
        let validate = self.config.validate;
        let Some((iid, st)) = interaction.and_then(|i| {
            self.interactions
                .get_mut(&i)
                .filter(|s| s.token == token)
                .map(|s| (i, s))
        }) else {
            return Reply::error(404, 10062, "Unknown interaction");
        };
        if st.acknowledged.is_some() {
            return Reply::error(400, 40060, "Interaction has already been acknowledged.");
        }
        let kind = body["type"].as_u64().unwrap_or(0);
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let autocomplete = st.kind == 4;
        if autocomplete != (kind == 8) || !matches!(kind, 1 | 4 | 5 | 6 | 7 | 8 | 9 | 12) {
            return Reply::form_error(form_errors(&[(
                vec!["type".into()],
                "INTERACTION_RESPONSE_TYPE_INVALID",
                format!("Interaction response type {kind} is not valid for this interaction."),
            )]));
        }
        if validate {
            let checked = match kind {
                4 | 7 => validate_message(&data, kind == 4, raw),
                8 => validate_choices(&data),
                _ => Ok(()),
            };
            if let Err(r) = checked.map_err(|r| r.prefixed("data")) {
                return r;
            }
        }
        st.acknowledged = Some(kind);
        let latency = st.dispatched_at.elapsed();
        let token = st.token.clone();
        let channel_id = st.channel_id;
        if matches!(kind, 4 | 5) {
            let id = self.next_id();
            let mut msg = payloads::posted_message(id, channel_id, &data);
            msg["type"] = json!(20);
            msg["webhook_id"] = json!(APPLICATION_ID.to_string());
            msg["application_id"] = json!(APPLICATION_ID.to_string());
            if kind == 5 {
                let flags = data["flags"].as_u64().unwrap_or(0) | 128;
                msg["flags"] = json!(flags);
                msg["content"] = json!("");
            }
            if let Some(st) = self.interactions.get_mut(&iid) {
                st.original = Some(msg);
            }
        }
        self.interaction_responses
            .push(RecordedInteractionResponse {
                interaction_id: iid,
                token,
                kind,
                data,
                body: body.clone(),
                latency: Some(latency),
            });
        Reply::empty(204)
    }

    fn followup(
        &mut self,
        req: &Incoming,
        app: Option<u64>,
        token: &str,
        target: FollowupTarget,
        body: &Value,
    ) -> Reply {
        let unknown_webhook = || Reply::error(404, 10015, "Unknown Webhook");
        if app != Some(APPLICATION_ID) {
            return unknown_webhook();
        }
        let Some(iid) = self.tokens.get(&token.to_string()).copied() else {
            return unknown_webhook();
        };
        let validate = self.config.validate;
        let method = req.method.as_str();
        let new_id = self.next_id();
        let Some(st) = self.interactions.get_mut(&iid) else {
            return unknown_webhook();
        };
        if st.acknowledged.is_none() {
            return unknown_webhook();
        }
        if validate && matches!(method, "POST" | "PATCH") {
            if let Err(r) = validate_message(body, method == "POST", req.raw_body.as_deref()) {
                return r;
            }
        }
        let unknown_message = || Reply::error(404, 10008, "Unknown Message");
        let response = match (method, target) {
            ("POST", FollowupTarget::New) => {
                let mut msg = payloads::posted_message(new_id, st.channel_id, body);
                msg["webhook_id"] = json!(APPLICATION_ID.to_string());
                msg["application_id"] = json!(APPLICATION_ID.to_string());
                st.followups.insert(new_id, msg.clone());
                Some(msg)
            }
            (_, FollowupTarget::Original) => {
                let Some(orig) = st.original.as_mut() else {
                    return unknown_message();
                };
                match method {
                    "PATCH" => {
                        apply_edit(orig, body);
                        if let Some(f) = orig["flags"].as_u64() {
                            orig["flags"] = json!(f & !128);
                        }
                        Some(orig.clone())
                    }
                    "DELETE" => {
                        st.original = None;
                        None
                    }
                    _ => Some(orig.clone()),
                }
            }
            (_, FollowupTarget::Message(m)) => {
                let Some(msg) = st.followups.get_mut(&m) else {
                    return unknown_message();
                };
                match method {
                    "PATCH" => {
                        apply_edit(msg, body);
                        Some(msg.clone())
                    }
                    "DELETE" => {
                        st.followups.remove(&m);
                        None
                    }
                    _ => Some(msg.clone()),
                }
            }
            _ => return Reply::error(405, 0, "405: Method Not Allowed"),
        };
        if method != "GET" {
            self.followups.push(RecordedFollowup {
                method: method.to_string(),
                token: token.to_string(),
                interaction_id: iid,
                target,
                body: req.body.clone(),
                response: response.clone(),
            });
        }
        match response {
            Some(r) => Reply::json(200, r),
            None => Reply::empty(204),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

struct Incoming {
    method: Method,
    path: String,
    query: Option<String>,
    authorization: Option<String>,
    content_type: Option<String>,
    body: Option<Value>,
    raw_body: Option<String>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    content_type: String,
    body: Option<String>,
    json: Option<Value>,
}

impl Reply {
    fn json(status: u16, v: Value) -> Self {
        Self::serialised(status, v.to_string(), Some(v))
    }

    /// A JSON answer already serialised, with its value when it is to be recorded.
    fn serialised(status: u16, text: String, json: Option<Value>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            content_type: "application/json".into(),
            json,
            body: Some(text),
        }
    }

    /// A JSON answer already serialised.
    fn json_text(status: u16, text: String) -> Self {
        let json = serde_json::from_str(&text).ok();
        Self::serialised(status, text, json)
    }

    fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            content_type: String::new(),
            body: None,
            json: None,
        }
    }

    fn error(status: u16, code: u64, message: &str) -> Self {
        Self::json(status, json!({ "message": message, "code": code }))
    }

    fn form_error(errors: Value) -> Self {
        Self::json(
            400,
            json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors }),
        )
    }

    fn scripted(s: &ScriptedResponse) -> Self {
        Reply {
            status: s.status,
            headers: s.headers.clone(),
            content_type: s.content_type.clone(),
            body: Some(s.body.clone()),
            json: serde_json::from_str(&s.body).ok(),
        }
    }

    /// Nests a form error's `errors` under `key` (for interaction callback `data`).
    fn prefixed(mut self, key: &str) -> Self {
        if let Some(j) = self.json.as_mut() {
            if let Some(errors) = j.get_mut("errors") {
                let mut nested = Map::new();
                nested.insert(key.to_string(), errors.take());
                *errors = Value::Object(nested);
            }
            self.body = Some(j.to_string());
        }
        self
    }

    fn into_response(self) -> Response {
        let mut b = axum::http::Response::builder().status(self.status);
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if (200..300).contains(&self.status) && self.body.is_some() {
            b = b
                .header("x-ratelimit-limit", "5")
                .header("x-ratelimit-remaining", "4")
                .header("x-ratelimit-reset-after", "1.000")
                .header("x-ratelimit-bucket", "fake-bucket");
        }
        let resp = match self.body {
            Some(text) => b
                .header("content-type", self.content_type)
                .body(Body::from(text)),
            None => b.body(Body::empty()),
        };
        resp.unwrap_or_else(|_| Response::new(Body::empty()))
    }
}

async fn rest_handler(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let (body, raw_body) = parse_body(content_type.as_deref(), &bytes);
    let req = Incoming {
        method,
        path: uri.path().to_string(),
        query: uri.query().map(str::to_owned),
        authorization: header("authorization"),
        content_type,
        body,
        raw_body,
    };
    let reply = {
        let mut st = inner.lock();
        let (endpoint, reply, scripted) = st.handle(&req);
        // Benchmarks keep no bodies: copying them would charge larger messages to their bot.
        let record = st.config.record_bodies;
        let index = st.request_count;
        st.request_count += 1;
        st.requests.push(RecordedRequest {
            index,
            at: Instant::now(),
            method: req.method.to_string(),
            path: req.path,
            query: req.query,
            authorization: req.authorization,
            content_type: req.content_type,
            body: req.body.filter(|_| record),
            raw_body: req.raw_body.filter(|_| record),
            endpoint,
            status: reply.status,
            response: if record { reply.json.clone() } else { None },
            scripted,
        });
        reply
    };
    inner.bump();
    reply.into_response()
}

fn parse_body(content_type: Option<&str>, bytes: &[u8]) -> (Option<Value>, Option<String>) {
    if bytes.is_empty() {
        return (None, None);
    }
    if content_type.is_some_and(|c| c.starts_with("multipart/")) {
        let raw = String::from_utf8_lossy(bytes).into_owned();
        return (multipart_payload_json(&raw), Some(raw));
    }
    match serde_json::from_slice(bytes) {
        Ok(v) => (Some(v), None),
        Err(_) => (None, Some(String::from_utf8_lossy(bytes).into_owned())),
    }
}

fn multipart_payload_json(raw: &str) -> Option<Value> {
    let start = raw.find("name=\"payload_json\"")?;
    let rest = &raw[start..];
    let body = &rest[rest.find("\r\n\r\n")? + 4..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    serde_json::from_str(&body[..end]).ok()
}

// ---------------------------------------------------------------------------------------------
// Gateway plumbing
// ---------------------------------------------------------------------------------------------

async fn ws_handler(State(inner): State<Arc<Inner>>, uri: Uri, ws: WebSocketUpgrade) -> Response {
    let query = uri.query().map(str::to_owned);
    ws.on_upgrade(move |socket| run_connection(inner, socket, query))
}

async fn run_connection(inner: Arc<Inner>, socket: WebSocket, query: Option<String>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut stop = inner.shutdown.subscribe();
    if *stop.borrow_and_update() {
        return;
    }
    let id = {
        let mut st = inner.lock();
        st.conn_counter += 1;
        let id = st.conn_counter;
        st.conns.insert(id, Conn { tx: tx.clone() });
        st.newest = Some(id);
        st.connections.push(query);
        let interval = st.config.heartbeat_interval.as_millis() as u64;
        let hello = json!({
            "t": null, "s": null, "op": 10,
            "d": { "heartbeat_interval": interval, "_trace": ["[\"fake-discord\",{\"micros\":0}]"] }
        });
        let _ = tx.send(Out::Text(hello.to_string()));
        id
    };
    inner.bump();

    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Text(text)) => {
                    if sink.send(WsMessage::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code, reason)) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    // Read until the client's close reply (or give up).
                    let _ = tokio::time::timeout(Duration::from_secs(2), async {
                        while let Some(Ok(m)) = stream.next().await {
                            if let WsMessage::Close(f) = m {
                                inner.lock().client_closes.push(f.map(|f| f.code));
                                break;
                            }
                        }
                    })
                    .await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
            msg = stream.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    inner.lock().on_client_text(id, &tx, text.as_str());
                    inner.bump();
                }
                Some(Ok(WsMessage::Binary(_))) => {
                    // serenity never sends binary; treat it like Discord: decode error.
                    let _ = tx.send(Out::Close(4002, close_reason(4002).into()));
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    let code = frame.map(|f| f.code);
                    {
                        let mut st = inner.lock();
                        st.client_closes.push(code);
                        // A client closing with 1000/1001 ends its session.
                        if matches!(code, Some(1000 | 1001)) && st.live == Some(id) {
                            st.session = None;
                        }
                    }
                    let _ = sink.close().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            _ = stop.changed() => break,
        }
    }
    drop(sink);
    drop(stream);
    {
        let mut st = inner.lock();
        st.conns.remove(&id);
        if st.live == Some(id) {
            st.live = None;
        }
        if st.newest == Some(id) {
            st.newest = st.conns.keys().max().copied();
        }
    }
    inner.bump();
}

fn op_frame(op: u64, d: Value) -> String {
    json!({ "t": null, "s": null, "op": op, "d": d }).to_string()
}

fn close_reason(code: u16) -> &'static str {
    match code {
        4000 => "Unknown error.",
        4001 => "Unknown opcode.",
        4002 => "Error while decoding payload.",
        4003 => "Not authenticated.",
        4004 => "Authentication failed.",
        4005 => "Already authenticated.",
        4007 => "Invalid seq.",
        4008 => "Rate limited.",
        4009 => "Session timed out.",
        4010 => "Invalid shard.",
        4011 => "Sharding required.",
        4012 => "Invalid API version.",
        4013 => "Invalid intent(s).",
        4014 => "Disallowed intent(s).",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Validation (Discord's documented limits)
// ---------------------------------------------------------------------------------------------

type FormError = (Vec<String>, &'static str, String);

/// `{"a":{"0":{"b":{"_errors":[{"code","message"}]}}}}` from paths.
fn form_errors(list: &[FormError]) -> Value {
    let mut root = Value::Object(Map::new());
    for (path, code, message) in list {
        let mut node = &mut root;
        for key in path {
            node = node
                .as_object_mut()
                .expect("object")
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        let errs = node
            .as_object_mut()
            .expect("object")
            .entry("_errors")
            .or_insert_with(|| json!([]));
        if let Some(a) = errs.as_array_mut() {
            a.push(json!({ "code": code, "message": message }));
        }
    }
    root
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn max_len(errs: &mut Vec<FormError>, path: Vec<String>, v: &Value, max: usize) {
    if chars(v) > max {
        errs.push((
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        ));
    }
}

fn p(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Checks a message body (create, edit, interaction data, follow-up). `create` requires
/// something to send.
fn validate_message(body: &Value, create: bool, raw: Option<&str>) -> Result<(), Reply> {
    let mut errs = Vec::new();
    max_len(&mut errs, p(&["content"]), &body["content"], 2000);
    max_len(&mut errs, p(&["nonce"]), &body["nonce"], 25);
    let embeds = body["embeds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if embeds.len() > 10 {
        errs.push((
            p(&["embeds"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.".into(),
        ));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let i = i.to_string();
        let at = |rest: &[&str]| {
            let mut v = p(&["embeds", &i]);
            v.extend(p(rest));
            v
        };
        max_len(&mut errs, at(&["title"]), &e["title"], 256);
        max_len(&mut errs, at(&["description"]), &e["description"], 4096);
        max_len(
            &mut errs,
            at(&["footer", "text"]),
            &e["footer"]["text"],
            2048,
        );
        max_len(
            &mut errs,
            at(&["author", "name"]),
            &e["author"]["name"],
            256,
        );
        total += chars(&e["title"])
            + chars(&e["description"])
            + chars(&e["footer"]["text"])
            + chars(&e["author"]["name"]);
        let fields = e["fields"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if fields.len() > 25 {
            errs.push((
                at(&["fields"]),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
        for (j, f) in fields.iter().enumerate() {
            let j = j.to_string();
            for (key, max) in [("name", 256), ("value", 1024)] {
                let path = at(&["fields", &j, key]);
                if chars(&f[key]) == 0 {
                    errs.push((path, "BASE_TYPE_REQUIRED", "This field is required".into()));
                } else {
                    max_len(&mut errs, path, &f[key], max);
                }
            }
            total += chars(&f["name"]) + chars(&f["value"]);
        }
    }
    if total > 6000 {
        errs.push((
            p(&["embeds"]),
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000".into(),
        ));
    }
    if !errs.is_empty() {
        return Err(Reply::form_error(form_errors(&errs)));
    }
    let nonempty = |k: &str| body[k].as_array().is_some_and(|a| !a.is_empty());
    let has_files = raw.is_some_and(|r| r.contains("name=\"files["));
    let empty = body["content"].as_str().is_none_or(|c| c.trim().is_empty())
        && !nonempty("embeds")
        && !nonempty("attachments")
        && !nonempty("sticker_ids")
        && !nonempty("components")
        && body["poll"].is_null()
        && !has_files;
    if create && empty {
        return Err(Reply::error(400, 50006, "Cannot send an empty message"));
    }
    Ok(())
}

/// Checks an autocomplete result's choices.
fn validate_choices(data: &Value) -> Result<(), Reply> {
    let mut errs = Vec::new();
    let choices = data["choices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if choices.len() > 25 {
        errs.push((
            p(&["choices"]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        let i = i.to_string();
        check_choice(&mut errs, p(&["choices", &i]), c);
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Reply::form_error(form_errors(&errs)))
    }
}

fn check_choice(errs: &mut Vec<FormError>, at: Vec<String>, c: &Value) {
    let mut path = at.clone();
    path.push("name".into());
    let n = chars(&c["name"]);
    if !(1..=100).contains(&n) {
        errs.push((
            path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.".into(),
        ));
    }
    let mut path = at;
    path.push("value".into());
    if c["value"].is_null() {
        errs.push((path, "BASE_TYPE_REQUIRED", "This field is required".into()));
    } else {
        max_len(errs, path, &c["value"], 100);
    }
}

fn valid_command_name(name: &str, chat_input: bool) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && (!chat_input
            || name
                .chars()
                .all(|ch| ch == '-' || ch == '_' || (ch.is_alphanumeric() && !ch.is_uppercase())))
}

/// Checks a bulk command registration.
fn validate_commands(list: &[Value]) -> Result<(), Reply> {
    let mut errs = Vec::new();
    if list.len() > 100 {
        errs.push((
            vec![],
            "BASE_TYPE_MAX_LENGTH",
            "Must be 100 or fewer in length.".into(),
        ));
    }
    let mut seen = HashMap::new();
    for (i, c) in list.iter().enumerate() {
        let i = i.to_string();
        let kind = c["type"].as_u64().unwrap_or(1);
        let name = c["name"].as_str().unwrap_or_default();
        if !valid_command_name(name, kind == 1) {
            errs.push((
                p(&[&i, "name"]),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Command name is invalid: {name:?}"),
            ));
        }
        if seen.insert((kind, name.to_string()), ()).is_some() {
            errs.push((
                p(&[&i, "name"]),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique".into(),
            ));
        }
        let mut size = name.chars().count();
        if kind == 1 {
            let d = chars(&c["description"]);
            size += d;
            if !(1..=100).contains(&d) {
                errs.push((
                    p(&[&i, "description"]),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.".into(),
                ));
            }
        }
        size += check_options(&mut errs, p(&[&i]), &c["options"]);
        if size > 4000 {
            errs.push((
                p(&[&i]),
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (4000)".into(),
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Reply::form_error(form_errors(&errs)))
    }
}

/// Checks `options` under `at`; returns their size in characters.
fn check_options(errs: &mut Vec<FormError>, at: Vec<String>, options: &Value) -> usize {
    let opts = options.as_array().map(Vec::as_slice).unwrap_or_default();
    let path = |rest: &[&str]| {
        let mut v = at.clone();
        v.push("options".into());
        v.extend(p(rest));
        v
    };
    if opts.len() > 25 {
        errs.push((
            path(&[]),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    let mut size = 0;
    let mut optional_seen = false;
    let mut names = HashMap::new();
    for (j, o) in opts.iter().enumerate() {
        let j = j.to_string();
        let name = o["name"].as_str().unwrap_or_default();
        size += name.chars().count() + chars(&o["description"]);
        if !valid_command_name(name, true) {
            errs.push((
                path(&[&j, "name"]),
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Option name is invalid: {name:?}"),
            ));
        }
        if names.insert(name.to_string(), ()).is_some() {
            errs.push((
                path(&[&j, "name"]),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique".into(),
            ));
        }
        if !(1..=100).contains(&chars(&o["description"])) {
            errs.push((
                path(&[&j, "description"]),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.".into(),
            ));
        }
        let required = o["required"].as_bool().unwrap_or(false);
        if required && optional_seen {
            errs.push((
                path(&[]),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options".into(),
            ));
        }
        optional_seen |= !required;
        let choices = o["choices"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if choices.len() > 25 {
            errs.push((
                path(&[&j, "choices"]),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
        if !choices.is_empty() && o["autocomplete"].as_bool() == Some(true) {
            errs.push((
                path(&[&j, "autocomplete"]),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set on options with choices".into(),
            ));
        }
        for (k, c) in choices.iter().enumerate() {
            let k = k.to_string();
            check_choice(errs, path(&[&j, "choices", &k]), c);
            size += chars(&c["name"]) + c["value"].as_str().map_or(0, |s| s.chars().count());
        }
        // Sub-commands (1) and groups (2) nest options.
        if matches!(o["type"].as_u64(), Some(1 | 2)) {
            size += check_options(errs, path(&[&j]), &o["options"]);
        }
    }
    size
}

/// Discord echoes options with defaults filled in.
fn normalize_option(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(obj) = o.as_object_mut() {
        if obj.get("required") == Some(&json!(false)) {
            obj.remove("required");
        }
        if let Some(sub) = obj.get("options").and_then(Value::as_array).cloned() {
            obj.insert(
                "options".into(),
                Value::Array(sub.iter().map(normalize_option).collect()),
            );
        }
    }
    o
}

/// Applies a PATCH body to a stored message.
fn apply_edit(msg: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags", "attachments"] {
        if let Some(v) = body.get(key) {
            msg[key] = match (key, v) {
                ("content", Value::Null) => json!(""),
                ("embeds" | "components" | "attachments", Value::Null) => json!([]),
                ("embeds", Value::Array(a)) => Value::Array(a.iter().map(rich_embed).collect()),
                _ => v.clone(),
            };
        }
    }
    msg["edited_timestamp"] = json!(iso_timestamp(SystemTime::now()));
}

fn rich_embed(e: &Value) -> Value {
    serde_json::to_value(RichEmbed(e)).expect("an embed serialises")
}

/// An embed as Discord stores it: `type` "rich" unless given, and every field's `inline` set.
/// Written from the request's embed without copying it.
struct RichEmbed<'a>(&'a Value);

impl serde::Serialize for RichEmbed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(e) = self.0.as_object() else {
            return self.0.serialize(s);
        };
        let mut m = s.serialize_map(None)?;
        if !e.contains_key("type") {
            m.serialize_entry("type", "rich")?;
        }
        for (k, v) in e {
            match (k.as_str(), v.as_array()) {
                ("fields", Some(fields)) => m.serialize_entry(k, &Inline(fields))?,
                _ => m.serialize_entry(k, v)?,
            }
        }
        m.end()
    }
}

/// An embed's fields, each with `inline` false unless given.
struct Inline<'a>(&'a [Value]);

impl serde::Serialize for Inline<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Field<'a>(&'a Value);
        impl serde::Serialize for Field<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0.as_object() {
                    Some(f) if !f.contains_key("inline") => {
                        let mut m = s.serialize_map(Some(f.len() + 1))?;
                        for (k, v) in f {
                            m.serialize_entry(k, v)?;
                        }
                        m.serialize_entry("inline", &false)?;
                        m.end()
                    }
                    _ => self.0.serialize(s),
                }
            }
        }
        s.collect_seq(self.0.iter().map(Field))
    }
}

// ---------------------------------------------------------------------------------------------
// Payload builders
// ---------------------------------------------------------------------------------------------

/// JSON shapes as Discord sends them (checked against serenity 0.12.5's models by the
/// self-test).
pub mod payloads {
    use super::*;

    /// A user object.
    pub fn user(id: u64, name: &str, bot: bool) -> Value {
        let mut u = json!({
            "id": id.to_string(),
            "username": name,
            "discriminator": "0",
            "global_name": if bot { Value::Null } else { json!(name) },
            "avatar": null,
            "avatar_decoration_data": null,
            "collectibles": null,
            "primary_guild": null,
            "public_flags": 0,
            "flags": 0,
            "banner": null,
            "accent_color": null,
        });
        if bot {
            u["bot"] = json!(true);
        }
        u
    }

    /// The bot's own user with private fields, as `GET /users/@me` and READY give it.
    pub fn bot_user_pii() -> Value {
        let mut u = user(BOT_USER_ID, BOT_NAME, true);
        u["mfa_enabled"] = json!(true);
        u["locale"] = json!("en-GB");
        u["verified"] = json!(true);
        u["email"] = Value::Null;
        u
    }

    /// A guild member object (partial when `user` is None, as in MESSAGE_CREATE).
    pub fn member(user: Option<Value>) -> Value {
        let mut m = json!({
            "roles": [],
            "joined_at": "2024-03-01T12:00:00.000000+00:00",
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "nick": null,
            "avatar": null,
            "banner": null,
            "communication_disabled_until": null,
            "unusual_dm_activity_until": null,
        });
        if let Some(u) = user {
            m["user"] = u;
        }
        m
    }

    /// READY's `d`.
    pub fn ready(session_id: &str, resume_url: &str, shard: Option<[u64; 2]>) -> Value {
        let mut d = json!({
            "v": 10,
            "user_settings": {},
            "user": bot_user_pii(),
            "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
            "session_type": "normal",
            "session_id": session_id,
            "resume_gateway_url": resume_url,
            "application": { "id": APPLICATION_ID.to_string(), "flags": 8_945_664 },
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["london", "rotterdam"],
            "auth": {},
            "_trace": ["[\"fake-discord\",{\"micros\":0}]"],
        });
        if let Some(s) = shard {
            d["shard"] = json!(s);
        }
        d
    }

    /// MESSAGE_CREATE's `d` for a user's message.
    pub fn message(
        id: u64,
        channel_id: u64,
        author: &Author,
        content: &str,
        guild_id: Option<u64>,
        mentions: Vec<Value>,
    ) -> Value {
        let mut m = json!({
            "type": 0,
            "tts": false,
            "timestamp": iso_timestamp(SystemTime::now()),
            "pinned": false,
            "nonce": id.to_string(),
            "mentions": mentions,
            "mention_roles": [],
            "mention_everyone": false,
            "id": id.to_string(),
            "flags": 0,
            "embeds": [],
            "edited_timestamp": null,
            "content": content,
            "components": [],
            "channel_id": channel_id.to_string(),
            "author": user(author.id, &author.name, author.bot),
            "attachments": [],
        });
        if let Some(g) = guild_id {
            m["guild_id"] = json!(g.to_string());
            m["member"] = member(None);
        } else {
            m["channel_type"] = json!(1);
        }
        m
    }

    /// The Message object answered for a message the bot posted with `body`.
    pub fn posted_message(id: u64, channel_id: u64, body: &Value) -> Value {
        serde_json::to_value(Posted::new(id, channel_id, body)).expect("a message serialises")
    }

    /// A message posted with `body`, written straight from the request body (nothing in it
    /// is copied): what the REST response and the gateway's MESSAGE_CREATE carry.
    pub struct Posted<'a> {
        id: u64,
        channel_id: u64,
        body: &'a Value,
        /// When it was posted: the same in every copy written.
        timestamp: String,
        /// The completed `message_reference` of a reply, and the message it replies to.
        pub reply: Option<(&'a Value, &'a Value)>,
        pub nonce: Option<&'a str>,
    }

    impl<'a> Posted<'a> {
        pub fn new(id: u64, channel_id: u64, body: &'a Value) -> Self {
            Posted {
                id,
                channel_id,
                body,
                timestamp: iso_timestamp(SystemTime::now()),
                reply: None,
                nonce: None,
            }
        }

        fn attachments(&self) -> Vec<Value> {
            let (id, channel_id) = (self.id, self.channel_id);
            self.body["attachments"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(i, at)| {
                            let name = at["filename"].as_str().unwrap_or("file").to_string();
                            let url = format!(
                                "https://cdn.discordapp.com/attachments/{channel_id}/{}/{name}",
                                id + i as u64 + 1
                            );
                            json!({
                                "id": (id + i as u64 + 1).to_string(),
                                "filename": name,
                                "size": 0,
                                "url": url,
                                "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
    }

    impl serde::Serialize for Posted<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            static NONE: [Value; 0] = [];
            let b = self.body;
            let embeds = b["embeds"].as_array().map_or(&NONE[..], Vec::as_slice);
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("type", &if self.reply.is_some() { 19 } else { 0 })?;
            m.serialize_entry("content", b["content"].as_str().unwrap_or_default())?;
            m.serialize_entry("mentions", &NONE)?;
            m.serialize_entry("mention_roles", &NONE)?;
            m.serialize_entry("timestamp", &self.timestamp)?;
            m.serialize_entry("edited_timestamp", &())?;
            m.serialize_entry("flags", &b["flags"].as_u64().unwrap_or(0))?;
            m.serialize_entry("id", &self.id.to_string())?;
            m.serialize_entry("channel_id", &self.channel_id.to_string())?;
            m.serialize_entry("pinned", &false)?;
            m.serialize_entry("mention_everyone", &false)?;
            m.serialize_entry("tts", &b["tts"].as_bool().unwrap_or(false))?;
            m.serialize_entry("attachments", &self.attachments())?;
            m.serialize_entry("embeds", &embeds.iter().map(RichEmbed).collect::<Vec<_>>())?;
            m.serialize_entry(
                "components",
                b.get("components").unwrap_or(&Value::Array(Vec::new())),
            )?;
            m.serialize_entry("author", bot_author())?;
            if let Some((reference, replied_to)) = self.reply {
                m.serialize_entry("message_reference", reference)?;
                m.serialize_entry("referenced_message", replied_to)?;
            }
            if let Some(n) = self.nonce {
                m.serialize_entry("nonce", n)?;
            }
            m.end()
        }
    }

    /// The bot's user object, as every message it posts carries it.
    fn bot_author() -> &'static Value {
        static AUTHOR: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        AUTHOR.get_or_init(|| user(BOT_USER_ID, BOT_NAME, true))
    }

    /// INTERACTION_CREATE's `d`: `kind` 2 (command) or 4 (autocomplete).
    pub fn interaction(
        kind: u64,
        sent: &SentInteraction,
        name: &str,
        options: Value,
        user_: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> Value {
        let u = user(user_.id, &user_.name, user_.bot);
        let mut d = json!({
            "version": 1,
            "type": kind,
            "token": sent.token,
            "locale": "en-GB",
            "id": sent.id.to_string(),
            "entitlements": [],
            "entitlement_sku_ids": [],
            "data": {
                "type": 1,
                "options": if options.is_null() { json!([]) } else { options },
                "name": name,
                "id": sent.command_id.to_string(),
            },
            "channel_id": channel_id.to_string(),
            "application_id": APPLICATION_ID.to_string(),
            "app_permissions": APP_PERMISSIONS,
            "attachment_size_limit": 10_485_760,
        });
        match guild_id {
            Some(g) => {
                let mut m = member(Some(u));
                m["permissions"] = json!("2248473465835073");
                d["member"] = m;
                d["guild_id"] = json!(g.to_string());
                d["guild_locale"] = json!("en-GB");
                d["guild"] = json!({ "id": g.to_string(), "locale": "en-GB", "features": [] });
                d["context"] = json!(0);
                d["authorizing_integration_owners"] = json!({ "0": g.to_string() });
                d["channel"] = json!({
                    "id": channel_id.to_string(), "type": 0, "name": "general",
                    "guild_id": g.to_string(), "permissions": "2248473465835073",
                    "flags": 0, "parent_id": null, "nsfw": false, "position": 0,
                    "last_message_id": null, "topic": null, "rate_limit_per_user": 0,
                });
            }
            None => {
                d["user"] = u.clone();
                d["context"] = json!(1);
                d["authorizing_integration_owners"] = json!({ "0": "0" });
                d["channel"] = json!({
                    "id": channel_id.to_string(), "type": 1, "flags": 0,
                    "recipients": [u], "last_message_id": null,
                });
            }
        }
        d
    }

    /// `GET /oauth2/applications/@me`.
    pub fn application() -> Value {
        json!({
            "id": APPLICATION_ID.to_string(),
            "name": BOT_NAME,
            "icon": null,
            "description": "",
            "summary": "",
            "type": null,
            "hook": true,
            "bot_public": true,
            "bot_require_code_grant": false,
            "verify_key": "6f1d3c2b0a99887766554433221100ffeeddccbbaa00112233445566778899aa",
            "flags": 8_945_664,
            "owner": user(OWNER_ID, "owner", false),
            "team": null,
            "bot": user(BOT_USER_ID, BOT_NAME, true),
            "redirect_uris": [],
            "interactions_endpoint_url": null,
            "role_connections_verification_url": null,
            "approximate_guild_count": 1,
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "integration_types_config": { "0": {} },
            "tags": [],
            "rpc_origins": [],
            "is_monetized": false,
            "is_verified": false,
            "is_discoverable": false,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn snowflake(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn strip_bot(token: &str) -> &str {
    token.trim().strip_prefix("Bot ").unwrap_or(token.trim())
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn unix_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// `2025-01-31T12:34:56.789012+00:00`, as Discord formats timestamps.
pub fn iso_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (y, m, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------------
// serenity side
// ---------------------------------------------------------------------------------------------

/// Serenity-side helpers: an `Http` and a running `Client` wired to the fake, and the bare
/// "pong" handler that benchmarks compare carebot's handler against.
pub mod bot {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use serenity::all::{Context, EventHandler, GatewayIntents, Message, Ready};
    use serenity::async_trait;
    use serenity::builder::{CreateAllowedMentions, CreateMessage};
    use serenity::gateway::ShardManager;
    use serenity::http::{Http, HttpBuilder};
    use tokio::sync::watch;
    use tokio::task::JoinHandle;

    use super::FakeDiscord;

    /// An `Http` that sends everything to `fake` (proxy, ratelimiter disabled).
    pub fn http(fake: &FakeDiscord, token: &str) -> Http {
        HttpBuilder::new(token)
            .proxy(fake.base_url())
            .ratelimiter_disabled(true)
            .build()
    }

    /// A serenity client running against the fake in a background task.
    pub struct RunningClient {
        /// The client's shard manager.
        pub shard_manager: Arc<ShardManager>,
        /// The client's `Http`.
        pub http: Arc<Http>,
        task: JoinHandle<serenity::Result<()>>,
    }

    impl RunningClient {
        /// `shutdown_all` and wait (up to 10 s) for `Client::start` to return.
        pub async fn shutdown(self) -> Option<serenity::Result<()>> {
            self.shard_manager.shutdown_all().await;
            tokio::time::timeout(Duration::from_secs(10), self.task)
                .await
                .ok()
                .and_then(Result::ok)
        }

        /// Waits for `Client::start` to return on its own (e.g. after a fatal close code).
        pub async fn wait_exit(self, timeout: Duration) -> Option<serenity::Result<()>> {
            match tokio::time::timeout(timeout, self.task).await {
                Ok(r) => r.ok(),
                Err(_) => None,
            }
        }

        /// Whether `Client::start` has returned.
        pub fn is_finished(&self) -> bool {
            self.task.is_finished()
        }
    }

    /// Builds a client with `handler` against `fake` and starts it (one shard).
    pub async fn start_client<H: EventHandler + 'static>(
        fake: &FakeDiscord,
        token: &str,
        intents: GatewayIntents,
        handler: H,
    ) -> RunningClient {
        let mut client = serenity::client::ClientBuilder::new_with_http(http(fake, token), intents)
            .event_handler(handler)
            .await
            .expect("serenity client against the fake");
        let shard_manager = Arc::clone(&client.shard_manager);
        let http = Arc::clone(&client.http);
        let task = tokio::spawn(async move { client.start().await });
        RunningClient {
            shard_manager,
            http,
            task,
        }
    }

    /// A failed reply seen by [`PongHandler`].
    #[derive(Clone, Debug)]
    pub struct PongError {
        /// HTTP status, when Discord answered.
        pub status: Option<u16>,
        /// serenity's error, displayed.
        pub message: String,
    }

    /// Counters shared by a [`PongHandler`] and the test holding a clone.
    #[derive(Debug)]
    pub struct PongStats {
        /// READY events handled.
        pub readies: AtomicUsize,
        /// Messages from non-bots handled.
        pub messages: AtomicUsize,
        /// "pong"s posted successfully.
        pub replies: AtomicUsize,
        /// Failed posts.
        pub errors: Mutex<Vec<PongError>>,
        changed: watch::Sender<u64>,
    }

    impl Default for PongStats {
        fn default() -> Self {
            PongStats {
                readies: AtomicUsize::new(0),
                messages: AtomicUsize::new(0),
                replies: AtomicUsize::new(0),
                errors: Mutex::new(Vec::new()),
                changed: watch::channel(0).0,
            }
        }
    }

    impl PongStats {
        fn bump(&self) {
            self.changed.send_modify(|v| *v = v.wrapping_add(1));
        }

        /// Waits until `f` holds (re-checked whenever a counter changes); returns whether it did.
        pub async fn wait_until(&self, timeout: Duration, f: impl Fn(&PongStats) -> bool) -> bool {
            let mut rx = self.changed.subscribe();
            let deadline = tokio::time::Instant::now() + timeout;
            loop {
                rx.mark_unchanged();
                if f(self) {
                    return true;
                }
                if !matches!(
                    tokio::time::timeout_at(deadline, rx.changed()).await,
                    Ok(Ok(()))
                ) {
                    return f(self);
                }
            }
        }

        /// Failed posts so far.
        pub fn errors(&self) -> Vec<PongError> {
            self.errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        }
    }

    /// The bare handler: answers every message from a non-bot with "pong" (no pings, no retry)
    /// via `ChannelId::send_message`.
    #[derive(Clone, Debug, Default)]
    pub struct PongHandler {
        /// Shared counters.
        pub stats: Arc<PongStats>,
    }

    #[async_trait]
    impl EventHandler for PongHandler {
        async fn ready(&self, _ctx: Context, _ready: Ready) {
            self.stats.readies.fetch_add(1, Ordering::Relaxed);
            self.stats.bump();
        }

        async fn message(&self, ctx: Context, msg: Message) {
            if msg.author.bot {
                return;
            }
            self.stats.messages.fetch_add(1, Ordering::Relaxed);
            let reply = CreateMessage::new()
                .content("pong")
                .allowed_mentions(CreateAllowedMentions::new());
            match msg.channel_id.send_message(&ctx.http, reply).await {
                Ok(_) => {
                    self.stats.replies.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => {
                    let status = match &e {
                        serenity::Error::Http(h) => h.status_code().map(|s| s.as_u16()),
                        _ => None,
                    };
                    self.stats
                        .errors
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(PongError {
                            status,
                            message: e.to_string(),
                        });
                }
            }
            self.stats.bump();
        }
    }
}
