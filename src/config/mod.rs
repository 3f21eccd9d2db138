//! Settings, layered: built-in defaults, then `config/carebot.toml`, then `CAREBOT_*`
//! environment variables. The Discord token is never part of the config: it comes from
//! `DISCORD_TOKEN` alone.
//!
//! Every value is checked once, at start, and an error names where the bad value came from:
//! the file's `path:line:col` and key, or the environment variable.

use std::collections::HashMap;
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::knowledge::LoadError;

mod errors;

use errors::{blame, file_origins, Origin};
pub use errors::{unknown_vars, ConfigError, Invalid, Location, UnknownVar};

/// Every setting carebot reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// What starts a command in a channel, such as `!`.
    pub prefix: String,
    /// Longer messages get a short "too long" reply without being parsed.
    pub max_message_len: usize,
    /// How log lines are written.
    pub log_format: LogFormat,
    pub knowledge: KnowledgeConfig,
    pub discord: DiscordConfig,
    pub cooldown: CooldownConfig,
    pub metrics: MetricsConfig,
    pub gaps: GapsConfig,
}

/// How log lines are written to standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One line of text per event, coloured on a terminal only.
    Text,
    /// One JSON object per event, for log shippers.
    Json,
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

/// The bot's metrics and health listener.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where to serve `/metrics` and `/healthz`, such as `127.0.0.1:9100`; unset: not served.
    pub listen: Option<SocketAddr>,
}

/// Where questions carebot could not answer are kept for curators (see [`crate::gaps`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GapsConfig {
    /// Record them at all.
    pub enabled: bool,
    /// The file, relative to the working directory; rotated to `<file>.1` when full.
    pub file: PathBuf,
    /// The most the file holds before it is rotated, in KiB.
    pub max_kib: u64,
}

impl Default for GapsConfig {
    fn default() -> Self {
        GapsConfig {
            enabled: true,
            file: PathBuf::from("data/gaps.jsonl"),
            max_kib: 1024,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            prefix: "!".into(),
            max_message_len: 500,
            log_format: LogFormat::Text,
            knowledge: KnowledgeConfig::default(),
            discord: DiscordConfig::default(),
            cooldown: CooldownConfig::default(),
            metrics: MetricsConfig::default(),
            gaps: GapsConfig::default(),
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

/// Every key, as written in the file; the environment variable for each is [`env_name`].
pub const KEYS: [&str; 19] = [
    "prefix",
    "max_message_len",
    "log_format",
    "knowledge.dir",
    "knowledge.watch",
    "knowledge.debounce_ms",
    "discord.message_content",
    "discord.guilds",
    "discord.api_base",
    "discord.shards",
    "discord.shard_start",
    "discord.shard_count",
    "discord.total_shards",
    "cooldown.commands",
    "cooldown.window_secs",
    "metrics.listen",
    "gaps.enabled",
    "gaps.file",
    "gaps.max_kib",
];

/// The keys a shard range is made of.
const SHARD_KEYS: [&str; 4] = [
    "discord.shard_start",
    "discord.shard_count",
    "discord.total_shards",
    "discord.shards",
];

/// The longest debounce, in milliseconds (an hour); longer ones overflow the watcher's clock.
const MAX_DEBOUNCE_MS: u64 = 3_600_000;
/// The most commands per window; more is no limit at all (0 turns the cooldown off).
const MAX_COOLDOWN_COMMANDS: u32 = 1_000_000;
/// The largest gaps file, in KiB (a GiB); larger would only be read slowly.
const MAX_GAPS_KIB: u64 = 1 << 20;

/// The environment variable that overrides `key`: `discord.api_base` is
/// `CAREBOT_DISCORD_API_BASE`.
pub fn env_name(key: &str) -> String {
    format!("CAREBOT_{}", key.replace('.', "_").to_ascii_uppercase())
}

impl Config {
    /// Reads `path` (when given) over the defaults, then applies `CAREBOT_*` variables from
    /// `env`, then checks every value. A path that was asked for but is missing is an error.
    pub fn load(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Config, ConfigError> {
        let mut origins = HashMap::new();
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    ConfigError::Read(LoadError::file(
                        p,
                        format!("cannot read the config file: {e}"),
                    ))
                })?;
                let config = Config::parse(p, &text)?;
                origins = file_origins(p, &text);
                config
            }
            None => Config::default(),
        };
        for key in KEYS {
            let name = env_name(key);
            let Some(value) = env(&name) else { continue };
            let problem = match value.into_string() {
                Ok(v) => config.set(key, &v).err(),
                Err(_) => Some(Invalid::NotUtf8),
            };
            if let Some(problem) = problem {
                return Err(ConfigError::Env { name, problem });
            }
            origins.insert(key, Origin::Env);
        }
        config
            .check()
            .map_err(|(keys, problem)| blame(&origins, keys, problem))?;
        Ok(config)
    }

    /// Parses config text; errors name `path:line:col`. Values are checked by [`Config::load`].
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ConfigError::Read(LoadError::at(path, text, offset, e.message().trim_end()))
        })
    }

    /// Sets `key` (one of [`KEYS`]) from an environment variable's text.
    fn set(&mut self, key: &str, v: &str) -> Result<(), Invalid> {
        let d = &mut self.discord;
        match key {
            "prefix" => self.prefix = v.to_string(),
            "max_message_len" => self.max_message_len = number(v)?,
            "log_format" => {
                self.log_format = match v.trim() {
                    "text" => LogFormat::Text,
                    "json" => LogFormat::Json,
                    _ => return Err(one_of("text or json", v)),
                }
            }
            "knowledge.dir" => self.knowledge.dir = PathBuf::from(v),
            "knowledge.watch" => self.knowledge.watch = flag(v)?,
            "knowledge.debounce_ms" => self.knowledge.debounce_ms = number(v)?,
            "discord.message_content" => d.message_content = flag(v)?,
            "discord.guilds" => {
                d.guilds = v
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(number)
                    .collect::<Result<_, _>>()?
            }
            "discord.api_base" => d.api_base = Some(v.to_string()).filter(|v| !v.trim().is_empty()),
            "discord.shards" => {
                d.shards = match v.trim() {
                    "auto" => ShardMode::Auto,
                    "range" => ShardMode::Range,
                    _ => return Err(one_of("auto or range", v)),
                }
            }
            "discord.shard_start" => d.shard_start = number(v)?,
            "discord.shard_count" => d.shard_count = number(v)?,
            "discord.total_shards" => d.total_shards = number(v)?,
            "cooldown.commands" => self.cooldown.commands = number(v)?,
            "cooldown.window_secs" => self.cooldown.window_secs = number(v)?,
            "metrics.listen" => {
                self.metrics.listen = match v.trim() {
                    "" => None,
                    addr => Some(
                        addr.parse()
                            .map_err(|_| Invalid::NotAnAddress(v.to_string()))?,
                    ),
                }
            }
            "gaps.enabled" => self.gaps.enabled = flag(v)?,
            "gaps.file" => self.gaps.file = PathBuf::from(v),
            "gaps.max_kib" => self.gaps.max_kib = number(v)?,
            _ => unreachable!("{key} is not in KEYS"),
        }
        Ok(())
    }

    /// Checks every value that could fail later; an error names the keys at fault.
    fn check(&self) -> Result<(), (&'static [&'static str], Invalid)> {
        if self.prefix.trim().is_empty() || self.prefix.chars().count() > 10 {
            return Err((&["prefix"], Invalid::Prefix));
        }
        if self.max_message_len == 0 {
            return Err((&["max_message_len"], Invalid::TooSmall(1)));
        }
        if self.knowledge.debounce_ms > MAX_DEBOUNCE_MS {
            let why = "(an hour)";
            let max = MAX_DEBOUNCE_MS;
            return Err((&["knowledge.debounce_ms"], Invalid::TooLarge { max, why }));
        }
        if self.cooldown.commands > MAX_COOLDOWN_COMMANDS {
            let why = "(0 turns the cooldown off)";
            let max = MAX_COOLDOWN_COMMANDS.into();
            return Err((&["cooldown.commands"], Invalid::TooLarge { max, why }));
        }
        if self.gaps.max_kib == 0 {
            return Err((&["gaps.max_kib"], Invalid::TooSmall(1)));
        }
        if self.gaps.max_kib > MAX_GAPS_KIB {
            let why = "(a GiB)";
            let max = MAX_GAPS_KIB;
            return Err((&["gaps.max_kib"], Invalid::TooLarge { max, why }));
        }
        let d = &self.discord;
        if d.guilds.contains(&0) {
            return Err((&["discord.guilds"], Invalid::GuildZero));
        }
        let end = u64::from(d.shard_start) + u64::from(d.shard_count);
        if d.shards == ShardMode::Range && (d.shard_count == 0 || end > u64::from(d.total_shards)) {
            return Err((
                &SHARD_KEYS,
                Invalid::ShardRange {
                    start: d.shard_start,
                    count: d.shard_count,
                    total: d.total_shards,
                },
            ));
        }
        Ok(())
    }
}

fn number<T: std::str::FromStr>(v: &str) -> Result<T, Invalid> {
    v.trim()
        .parse()
        .map_err(|_| Invalid::NotANumber(v.to_string()))
}

fn flag(v: &str) -> Result<bool, Invalid> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Invalid::NotAFlag(v.to_string())),
    }
}

fn one_of(expected: &'static str, found: &str) -> Invalid {
    Invalid::NotOneOf {
        expected,
        found: found.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `file` (written to a temporary file, when given) with the variables `vars`.
    fn load(file: Option<&str>, vars: &[(&str, &[u8])]) -> (Result<Config, ConfigError>, PathBuf) {
        use std::os::unix::ffi::OsStringExt;
        let dir = std::env::temp_dir().join(format!(
            "carebot-config-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("carebot.toml");
        if let Some(text) = file {
            std::fs::write(&path, text).unwrap();
        }
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from_vec(v.to_vec())))
            .collect();
        let env = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let result = Config::load(file.map(|_| path.as_path()), env);
        (result, path)
    }

    fn error(file: Option<&str>, vars: &[(&str, &[u8])]) -> String {
        let (result, path) = load(file, vars);
        let e = result.expect_err("refused").to_string();
        e.replace(&path.display().to_string(), "carebot.toml")
    }

    #[test]
    fn layers_file_then_environment() {
        let (c, _) = load(
            Some("prefix = \"?\"\n[discord]\nguilds = [1, 2]\n"),
            &[
                ("CAREBOT_DISCORD_GUILDS", b"3, 4"),
                ("CAREBOT_LOG_FORMAT", b"json"),
                ("CAREBOT_METRICS_LISTEN", b" 127.0.0.1:9100 "),
            ],
        );
        let c = c.unwrap();
        assert_eq!(c.metrics.listen, Some("127.0.0.1:9100".parse().unwrap()));
        assert_eq!(c.prefix, "?");
        assert_eq!(c.discord.guilds, [3, 4]);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(load(None, &[]).0.unwrap(), Config::default());
    }

    #[test]
    fn file_errors_name_the_file_line_and_key() {
        assert_eq!(
            error(Some("\nprefix = \"\"\n"), &[]),
            "carebot.toml:2:10: prefix: must be 1 to 10 characters, such as \"!\""
        );
        assert_eq!(
            error(Some("[discord]\nguilds = [1, 0]\n"), &[]),
            "carebot.toml:2:10: discord.guilds: 0 is not a guild id (ids are the numbers Discord shows with Copy Server ID)"
        );
        assert_eq!(
            error(
                Some("[discord]\nshards = \"range\"\nshard_start = 4294967295\n"),
                &[]
            ),
            "carebot.toml:3:15: discord.shard_start: shard_start (4294967295) + shard_count (1) must be at most total_shards (1), and shard_count at least 1"
        );
        assert_eq!(
            error(
                Some("[knowledge]\ndebounce_ms = 18446744073709551615\n"),
                &[]
            ),
            "carebot.toml:2:15: knowledge.debounce_ms: must be at most 3600000 (an hour)"
        );
        assert_eq!(
            error(Some("[metrics]\nlisten = \"9100\"\n"), &[]),
            "carebot.toml:2:10: invalid socket address syntax"
        );
        assert_eq!(
            error(Some("log_format = \"xml\"\n"), &[]),
            "carebot.toml:1:14: unknown variant `xml`, expected `text` or `json`"
        );
    }

    #[test]
    fn environment_errors_name_the_variable() {
        assert_eq!(
            error(None, &[("CAREBOT_DISCORD_API_BASE", b"http://\xff")]),
            "environment variable CAREBOT_DISCORD_API_BASE: the value is not valid UTF-8"
        );
        assert_eq!(
            error(None, &[("CAREBOT_PREFIX", b"\xfe!")]),
            "environment variable CAREBOT_PREFIX: the value is not valid UTF-8"
        );
        assert_eq!(
            error(None, &[("CAREBOT_DISCORD_GUILDS", b"0")]),
            "environment variable CAREBOT_DISCORD_GUILDS: 0 is not a guild id (ids are the numbers Discord shows with Copy Server ID)"
        );
        assert_eq!(
            error(None, &[("CAREBOT_MAX_MESSAGE_LEN", b"lots")]),
            "environment variable CAREBOT_MAX_MESSAGE_LEN: expected a whole number, found \"lots\""
        );
        assert_eq!(
            error(None, &[("CAREBOT_METRICS_LISTEN", b"localhost")]),
            "environment variable CAREBOT_METRICS_LISTEN: expected an IP address and port such as 127.0.0.1:9100, found \"localhost\""
        );
        assert_eq!(
            error(None, &[("CAREBOT_COOLDOWN_COMMANDS", b"4294967295")]),
            "environment variable CAREBOT_COOLDOWN_COMMANDS: must be at most 1000000 (0 turns the cooldown off)"
        );
        // A variable over a valid file is blamed for the range it breaks.
        assert_eq!(
            error(
                Some("[discord]\nshards = \"range\"\nshard_start = 1\ntotal_shards = 2\n"),
                &[("CAREBOT_DISCORD_SHARD_COUNT", b"2")]
            ),
            "environment variable CAREBOT_DISCORD_SHARD_COUNT: shard_start (1) + shard_count (2) must be at most total_shards (2), and shard_count at least 1"
        );
    }

    #[test]
    fn misspelt_variables_are_found_with_the_closest_real_one() {
        let names = [
            "CAREBOT_PREFX",
            "CAREBOT_PREFIX",
            "CAREBOT_DISCORD_GUILD",
            "CAREBOT_E2E_ROUNDS",
            "PATH",
        ]
        .map(OsString::from);
        let found: Vec<String> = unknown_vars(names).iter().map(|u| u.to_string()).collect();
        assert_eq!(
            found,
            [
                "CAREBOT_DISCORD_GUILD is not a carebot setting and is ignored; did you mean CAREBOT_DISCORD_GUILDS?",
                "CAREBOT_PREFX is not a carebot setting and is ignored; did you mean CAREBOT_PREFIX?",
            ]
        );
    }

    #[test]
    fn every_key_has_a_variable_that_sets_it() {
        let default = Config::default();
        for key in KEYS {
            let mut c = Config::default();
            let value = match key {
                "prefix" => "?",
                "log_format" => "json",
                "knowledge.dir" | "gaps.file" => "k",
                "discord.api_base" => "http://x",
                "discord.shards" => "range",
                "metrics.listen" => "127.0.0.1:9100",
                "knowledge.watch" | "discord.message_content" | "gaps.enabled" => "false",
                _ => "7",
            };
            c.set(key, value).unwrap();
            assert_ne!(c, default, "{key}");
        }
    }
}
