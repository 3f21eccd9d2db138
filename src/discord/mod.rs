//! carebot on Discord: a serenity adapter over the engine. Nothing else in the crate imports
//! serenity.

pub mod cooldown;
pub mod embed;
mod handler;
pub mod rest;
pub mod slash;

use std::sync::Arc;

use arc_swap::ArcSwap;
use serenity::all::{GatewayError, GatewayIntents};
use serenity::http::HttpBuilder;
use serenity::Client;

use crate::config::{Config, DiscordConfig, ShardMode};
use crate::knowledge::Knowledge;
use crate::query::Parser;

pub use handler::Handler;

/// What every event handler shares: the knowledge (swapped whole on reload), the parser, the
/// settings and the cooldowns.
pub struct State {
    pub knowledge: crate::reload::Slot,
    pub parser: Parser,
    pub config: Config,
    pub cooldown: cooldown::Cooldown,
}

impl State {
    /// State for a bot answering from `knowledge` with `config`.
    pub fn new(config: Config, knowledge: Arc<Knowledge>) -> Self {
        State {
            knowledge: Arc::new(ArcSwap::new(knowledge)),
            parser: Parser::new(&config.prefix),
            cooldown: cooldown::Cooldown::new(
                config.cooldown.commands,
                std::time::Duration::from_secs(config.cooldown.window_secs),
            ),
            config,
        }
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
        .map_err(|e| RunError::Fatal(e.to_string()))?;
    let client = serenity::client::ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(Handler::new(state, poster))
        .await?;
    Ok(client)
}

/// Connects and answers until SIGINT or SIGTERM, then shuts the shards down.
pub async fn run(state: Arc<State>, token: &str) -> Result<(), RunError> {
    let discord = state.config.discord.clone();
    let client = client(state, token).await?;
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        manager.shutdown_all().await;
    });
    serve(client, &discord).await
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

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
