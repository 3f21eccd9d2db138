//! Serenity-side helpers: an `Http` and a running `Client` wired to the fake, and the bare
//! "pong" handler that benchmarks compare carebot's handler against.

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
