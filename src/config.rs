//! Settings, layered: built-in defaults, then `config/carebot.toml`, then `CAREBOT_*`
//! environment variables. The Discord token is never part of the config: it comes from
//! `DISCORD_TOKEN` alone.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::knowledge::LoadError;

/// Every setting carebot reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// What starts a command in a channel, such as `!`.
    pub prefix: String,
    /// Longer messages get a short "too long" reply without being parsed.
    pub max_message_len: usize,
    pub knowledge: KnowledgeConfig,
    pub discord: DiscordConfig,
    pub cooldown: CooldownConfig,
}

/// Where the knowledge base is and how it is reloaded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KnowledgeConfig {
    /// The knowledge directory, relative to the working directory.
    pub dir: PathBuf,
    /// Reload when files in `dir` change (the bot also reloads on SIGHUP).
    pub watch: bool,
    /// How long the files must be quiet before a reload, in milliseconds.
    pub debounce_ms: u64,
}

/// How the bot talks to Discord.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Ask for the privileged Message Content intent, needed for prefix commands in channels.
    pub message_content: bool,
    /// Guilds to register slash commands in (instant); empty registers them globally.
    pub guilds: Vec<u64>,
    /// A base URL replacing `https://discord.com` for REST calls, e.g. a rate-limiting proxy.
    pub api_base: Option<String>,
    /// `"auto"` for Discord's recommended shard count, or `"range"` to use the three keys below.
    pub shards: ShardMode,
    pub shard_start: u32,
    pub shard_count: u32,
    pub total_shards: u32,
}

/// How shards are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShardMode {
    Auto,
    Range,
}

/// Per-user limits on commands.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CooldownConfig {
    /// Commands a user may send per window; 0 turns the cooldown off.
    pub commands: u32,
    /// The window, in seconds.
    pub window_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            prefix: "!".into(),
            max_message_len: 500,
            knowledge: KnowledgeConfig::default(),
            discord: DiscordConfig::default(),
            cooldown: CooldownConfig::default(),
        }
    }
}

impl Default for KnowledgeConfig {
    fn default() -> Self {
        KnowledgeConfig {
            dir: PathBuf::from("knowledge"),
            watch: true,
            debounce_ms: 500,
        }
    }
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            message_content: true,
            guilds: Vec::new(),
            api_base: None,
            shards: ShardMode::Auto,
            shard_start: 0,
            shard_count: 1,
            total_shards: 1,
        }
    }
}

impl Default for CooldownConfig {
    fn default() -> Self {
        CooldownConfig {
            commands: 5,
            window_secs: 10,
        }
    }
}

/// A config file or variable that can't be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    File(LoadError),
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
}

impl Config {
    /// Reads `path` (when given) over the defaults, then applies `CAREBOT_*` variables from
    /// `env`. A path that was asked for but is missing is an error.
    pub fn load(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    ConfigError::File(LoadError::file(
                        p,
                        format!("cannot read the config file: {e}"),
                    ))
                })?;
                Config::parse(p, &text)?
            }
            None => Config::default(),
        };
        config.apply_env(env)?;
        config.check()?;
        Ok(config)
    }

    /// Parses config text; errors name `path:line:col`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ConfigError::File(LoadError::at(path, text, offset, e.message().trim_end()))
        })
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, ConfigError> {
            v.trim().parse().map_err(|_| ConfigError::Env {
                name: name.into(),
                message: format!("cannot read {v:?}"),
            })
        }
        fn flag(name: &str, v: &str) -> Result<bool, ConfigError> {
            match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::Env {
                    name: name.into(),
                    message: format!("expected true or false, found {v:?}"),
                }),
            }
        }
        let var = |n: &str| env(n).map(|v| (n.to_string(), v));
        if let Some((_, v)) = var("CAREBOT_PREFIX") {
            self.prefix = v;
        }
        if let Some((n, v)) = var("CAREBOT_MAX_MESSAGE_LEN") {
            self.max_message_len = parse(&n, &v)?;
        }
        if let Some((_, v)) = var("CAREBOT_KNOWLEDGE_DIR") {
            self.knowledge.dir = PathBuf::from(v);
        }
        if let Some((n, v)) = var("CAREBOT_KNOWLEDGE_WATCH") {
            self.knowledge.watch = flag(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_KNOWLEDGE_DEBOUNCE_MS") {
            self.knowledge.debounce_ms = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_MESSAGE_CONTENT") {
            self.discord.message_content = flag(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_GUILDS") {
            self.discord.guilds = v
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse(&n, s))
                .collect::<Result<_, _>>()?;
        }
        if let Some((_, v)) = var("CAREBOT_DISCORD_API_BASE") {
            self.discord.api_base = Some(v).filter(|v| !v.trim().is_empty());
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_SHARDS") {
            self.discord.shards = match v.trim() {
                "auto" => ShardMode::Auto,
                "range" => ShardMode::Range,
                _ => {
                    return Err(ConfigError::Env {
                        name: n,
                        message: format!("expected auto or range, found {v:?}"),
                    })
                }
            };
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_SHARD_START") {
            self.discord.shard_start = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_SHARD_COUNT") {
            self.discord.shard_count = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_DISCORD_TOTAL_SHARDS") {
            self.discord.total_shards = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_COOLDOWN_COMMANDS") {
            self.cooldown.commands = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("CAREBOT_COOLDOWN_WINDOW_SECS") {
            self.cooldown.window_secs = parse(&n, &v)?;
        }
        Ok(())
    }

    fn check(&self) -> Result<(), ConfigError> {
        let bad = |name: &str, message: &str| {
            Err(ConfigError::Env {
                name: name.into(),
                message: message.into(),
            })
        };
        if self.prefix.trim().is_empty() || self.prefix.chars().count() > 10 {
            return bad("prefix", "must be 1 to 10 characters, such as \"!\"");
        }
        if self.max_message_len == 0 {
            return bad("max_message_len", "must be at least 1");
        }
        let d = &self.discord;
        if d.shards == ShardMode::Range
            && (d.shard_count == 0 || d.shard_start + d.shard_count > d.total_shards)
        {
            return bad(
                "discord.shard_*",
                "shard_start + shard_count must be at most total_shards, and shard_count at least 1",
            );
        }
        Ok(())
    }
}
