//! carebot on Discord: a serenity adapter over the engine. Nothing else in the crate imports
//! serenity.

pub mod attach;
pub mod catchup;
pub mod cooldown;
pub mod embed;
mod handler;
pub mod invite;
pub mod markdown;
pub mod metrics;
pub mod rest;
pub mod slash;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use serenity::all::{GatewayError, GatewayIntents};
use serenity::gateway::ShardManager;
use serenity::http::HttpBuilder;
use serenity::Client;
use tokio::sync::watch;

use crate::config::{Config, DiscordConfig, ShardMode};
use crate::knowledge::Knowledge;
use crate::query::Parser;

pub use handler::Handler;

/// What every event handler shares: the knowledge (swapped whole on reload), the parser, the
/// settings, the cooldowns and the metrics.
pub struct State {
    pub knowledge: crate::reload::Slot,
    pub parser: Parser,
    pub config: Config,
    pub cooldown: cooldown::Cooldown,
    /// Set when the bot is shutting down; replies still being posted are given up.
    pub stop: Stop,
    /// Recording when `metrics.listen` is set.
    pub metrics: metrics::Metrics,
    /// Where questions that got no answer are kept for curators.
    pub gaps: crate::gaps::GapLog,
}

impl State {
    /// State for a bot answering from `knowledge` with `config`.
    pub fn new(config: Config, knowledge: Arc<Knowledge>) -> Self {
        let metrics = match config.metrics.listen {
            Some(_) => metrics::Metrics::new(&config.discord),
            None => metrics::Metrics::off(),
        };
        metrics.knowledge_loaded(&knowledge.counts());
        State {
            knowledge: Arc::new(ArcSwap::new(knowledge)),
            parser: Parser::new(&config.prefix),
            cooldown: cooldown::Cooldown::new(
                config.cooldown.commands,
                std::time::Duration::from_secs(config.cooldown.window_secs),
            ),
            gaps: if config.gaps.enabled {
                crate::gaps::GapLog::start(config.gaps.file.clone(), config.gaps.max_kib * 1024)
            } else {
                crate::gaps::GapLog::off()
            },
            config,
            stop: Stop::default(),
            metrics,
        }
    }
}

/// The bot's shutdown, as seen by the tasks still at work: replies being posted (or waiting to
/// retry) are given up when it begins, and it waits for them to say so.
#[derive(Debug, Default)]
pub struct Stop {
    stopping: watch::Sender<bool>,
    in_flight: watch::Sender<usize>,
}

impl Stop {
    /// Begins the shutdown: every [`Stop::requested`] completes.
    pub fn begin(&self) {
        self.stopping.send_replace(true);
    }

    /// Completes once the shutdown has begun.
    pub async fn requested(&self) {
        let mut stopping = self.stopping.subscribe();
        let _ = stopping.wait_for(|s| *s).await;
    }

    /// Counts a task as at work until the returned guard is dropped.
    pub fn working(&self) -> Working<'_> {
        self.in_flight.send_modify(|n| *n += 1);
        Working(self)
    }

    /// Completes once no task counted by [`Stop::working`] is still at work.
    pub async fn idle(&self) {
        let mut n = self.in_flight.subscribe();
        let _ = n.wait_for(|n| *n == 0).await;
    }
}

/// A task at work, from [`Stop::working`].
#[derive(Debug)]
pub struct Working<'a>(&'a Stop);

impl Drop for Working<'_> {
    fn drop(&mut self) {
        self.0.in_flight.send_modify(|n| *n -= 1);
    }
}

/// Why the bot stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A problem retrying cannot fix; the message says what the operator must change.
    #[error("{0}")]
    Fatal(String),
    /// Anything else from serenity.
    #[error("Discord client error: {0}")]
    Client(#[from] serenity::Error),
}

/// The gateway intents carebot asks for.
pub fn intents(config: &Config) -> GatewayIntents {
    let mut i =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if config.discord.message_content {
        i |= GatewayIntents::MESSAGE_CONTENT;
    }
    i
}

/// Builds the serenity client: REST through `discord.api_base` when set (with serenity's own
/// rate limiter off, as the proxy limits instead).
pub async fn client(state: Arc<State>, token: &str) -> Result<Client, RunError> {
    let mut http = HttpBuilder::new(token);
    if let Some(base) = &state.config.discord.api_base {
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let intents = intents(&state.config);
    let poster = rest::Poster::new(state.config.discord.api_base.as_deref(), token)
        .map_err(|e| RunError::Fatal(e.to_string()))?
        .with_metrics(state.metrics.clone());
    let metrics = state.metrics.clone();
    let client = serenity::client::ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(Handler::new(state, poster))
        .await?;
    metrics.watch_shards(&client.shard_manager);
    Ok(client)
}

/// The longest the shards get to close their connections (code 1000) at shutdown.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// The longest replies in flight get to be given up and logged at shutdown.
const GIVE_UP_WAIT: Duration = Duration::from_secs(1);

/// Serves metrics and health when `metrics.listen` is set, and returns the address bound; an
/// address that cannot be bound is fatal.
pub async fn serve_metrics(state: &State) -> Result<Option<SocketAddr>, RunError> {
    let Some(addr) = state.config.metrics.listen else {
        return Ok(None);
    };
    let bound = metrics::serve(state.metrics.clone(), addr)
        .await
        .map_err(|e| {
            RunError::Fatal(format!(
                "cannot serve metrics on {addr} (metrics.listen, CAREBOT_METRICS_LISTEN): {e}"
            ))
        })?;
    tracing::info!(address = %bound, "serving /metrics and /healthz");
    Ok(Some(bound))
}

/// Connects and answers until SIGINT or SIGTERM, then shuts down within a few seconds whatever
/// the client is doing: fetching the gateway URL, connecting, waiting to retry, resuming or
/// posting replies (those are given up and logged).
pub async fn run(state: Arc<State>, token: &str) -> Result<(), RunError> {
    // Listening starts before anything that can wait on the network.
    let mut signals = Signals::listen();
    serve_metrics(&state).await?;
    let discord = state.config.discord.clone();
    let client = tokio::select! {
        client = client(state.clone(), token) => client?,
        () = signals.recv() => {
            shut_down(&state, None).await;
            return Ok(());
        }
    };
    let manager = client.shard_manager.clone();
    tokio::select! {
        result = serve(client, &discord) => result,
        () = signals.recv() => {
            shut_down(&state, Some(&manager)).await;
            Ok(())
        }
    }
}

/// Gives up the replies in flight and closes the shards' connections, each within its bound.
async fn shut_down(state: &State, shards: Option<&ShardManager>) {
    tracing::info!("shutting down");
    state.stop.begin();
    let closing = async {
        if let Some(shards) = shards {
            if tokio::time::timeout(CLOSE_WAIT, shards.shutdown_all())
                .await
                .is_err()
            {
                tracing::warn!(
                    "the gateway connection did not close within {} s; leaving it",
                    CLOSE_WAIT.as_secs()
                );
            }
        }
    };
    let giving_up = tokio::time::timeout(GIVE_UP_WAIT, state.stop.idle());
    let ((), _) = tokio::join!(closing, giving_up);
}

/// SIGINT and SIGTERM (Ctrl-C elsewhere), listened for from the moment it is made.
struct Signals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let unix = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(int), Ok(term)) => Some((int, term)),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM; stopping on Ctrl-C only");
                    None
                }
            };
            Signals { unix }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    /// Completes at the next signal.
    async fn recv(&mut self) {
        #[cfg(unix)]
        if let Some((int, term)) = &mut self.unix {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Starts the shards `discord` asks for and answers until they shut down. Close codes that
/// retrying can't fix end it with [`RunError::Fatal`].
pub async fn serve(mut client: Client, discord: &DiscordConfig) -> Result<(), RunError> {
    let result = match discord.shards {
        ShardMode::Auto => client.start_autosharded().await,
        // serenity's range includes its end: `4..7` starts shards 4, 5, 6 and 7.
        ShardMode::Range => {
            client
                .start_shard_range(
                    discord.shard_start..discord.shard_start + discord.shard_count - 1,
                    discord.total_shards,
                )
                .await
        }
    };
    result.map_err(|e| match e {
        serenity::Error::Gateway(g) => fatal(g),
        other => RunError::Client(other),
    })
}

fn fatal(e: GatewayError) -> RunError {
    match e {
        GatewayError::InvalidAuthentication => RunError::Fatal(
            "Discord refused the token (close code 4004): set DISCORD_TOKEN to the bot token from the developer portal (Bot > Reset Token)".into(),
        ),
        GatewayError::InvalidGatewayIntents => RunError::Fatal(
            "Discord refused the gateway intents (close code 4013): this is a bug in carebot's intents; please report it".into(),
        ),
        GatewayError::DisallowedGatewayIntents => RunError::Fatal(
            "Discord refused the Message Content intent (close code 4014): switch it on in the developer portal (Bot > Privileged Gateway Intents > Message Content Intent), or set discord.message_content = false in the config (CAREBOT_DISCORD_MESSAGE_CONTENT=false)".into(),
        ),
        other => RunError::Client(serenity::Error::Gateway(other)),
    }
}
