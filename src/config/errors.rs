//! What can be wrong with a setting, and where the bad value came from: the config file's
//! `path:line:col` and key, or an environment variable.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{env_name, KEYS};
use crate::knowledge::LoadError;

/// Where a value in the config file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// The variable's value is not UTF-8.
    #[error("the value is not valid UTF-8")]
    NotUtf8,
    /// Not a whole number, or one too large for the setting.
    #[error("expected a whole number, found {0:?}")]
    NotANumber(String),
    /// Not true or false.
    #[error("expected true or false, found {0:?}")]
    NotAFlag(String),
    /// Not one of the words allowed.
    #[error("expected {expected}, found {found:?}")]
    NotOneOf {
        expected: &'static str,
        found: String,
    },
    /// The prefix is blank or too long.
    #[error("must be 1 to 10 characters, such as \"!\"")]
    Prefix,
    /// A number below its minimum.
    #[error("must be at least {0}")]
    TooSmall(u64),
    /// A number above its maximum.
    #[error("must be at most {max} {why}")]
    TooLarge { max: u64, why: &'static str },
    /// A guild id of 0, which no guild has.
    #[error("0 is not a guild id (ids are the numbers Discord shows with Copy Server ID)")]
    GuildZero,
    /// Not an IP address and port.
    #[error("expected an IP address and port such as 127.0.0.1:9100, found {0:?}")]
    NotAnAddress(String),
    /// A shard range that is empty or not inside `total_shards`: `run` would start no shard.
    #[error(
        "shard_start ({start}) + shard_count ({count}) must be at most total_shards ({total}), and shard_count at least 1"
    )]
    ShardRange { start: u32, count: u32, total: u32 },
}

/// A config file or variable that can't be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file can't be read, or is not TOML of the right shape (`file:line:col: message`).
    #[error("{0}")]
    Read(LoadError),
    /// A value in the file that is not allowed.
    #[error("{at}: {key}: {problem}")]
    File {
        at: Location,
        key: &'static str,
        problem: Invalid,
    },
    /// A `CAREBOT_*` variable that can't be used.
    #[error("environment variable {name}: {problem}")]
    Env { name: String, problem: Invalid },
}

/// Where each value came from, for errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    File(Location),
    Env,
}

/// A `CAREBOT_*` variable that is not one of carebot's, and the real one it is closest to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVar {
    pub name: String,
    pub closest: String,
}

impl fmt::Display for UnknownVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a carebot setting and is ignored; did you mean {}?",
            self.name, self.closest
        )
    }
}

/// The variables among `names` that look like misspelt `CAREBOT_*` settings: not one of
/// carebot's, but within three edits of one.
pub fn unknown_vars(names: impl IntoIterator<Item = OsString>) -> Vec<UnknownVar> {
    let real: Vec<String> = KEYS.iter().map(|k| env_name(k)).collect();
    let mut unknown: Vec<UnknownVar> = names
        .into_iter()
        .filter_map(|n| n.into_string().ok())
        .filter(|n| n.starts_with("CAREBOT_") && !real.contains(n))
        .filter_map(|name| {
            let (distance, closest) = real
                .iter()
                .map(|r| (strsim::damerau_levenshtein(&name, r), r))
                .min()?;
            (distance <= 3).then(|| UnknownVar {
                closest: closest.clone(),
                name,
            })
        })
        .collect();
    unknown.sort_by(|a, b| a.name.cmp(&b.name));
    unknown
}

/// The error for `problem` in the values of `keys`, naming the one set last: a variable over
/// the file, the file over a default.
pub(super) fn blame(
    origins: &HashMap<&str, Origin>,
    keys: &[&'static str],
    problem: Invalid,
) -> ConfigError {
    let env = keys.iter().find(|k| origins.get(*k) == Some(&Origin::Env));
    let file = keys.iter().find_map(|k| match origins.get(k) {
        Some(Origin::File(at)) => Some((*k, at.clone())),
        _ => None,
    });
    match (env, file) {
        (None, Some((key, at))) => ConfigError::File { at, key, problem },
        // Defaults are valid, so without a file value the value came from a variable.
        (env, _) => ConfigError::Env {
            name: env_name(env.unwrap_or(&keys[0])),
            problem,
        },
    }
}

/// Where each key set in the file is.
pub(super) fn file_origins(path: &Path, text: &str) -> HashMap<&'static str, Origin> {
    let at = |offset| {
        let e = LoadError::at(path, text, offset, "");
        Origin::File(Location {
            file: path.to_path_buf(),
            line: e.line,
            col: e.col,
        })
    };
    let mut origins = HashMap::new();
    let Ok(doc) = toml_edit::Document::parse(text) else {
        // toml_edit reads integers as i64; a larger one is found by its line instead.
        for key in KEYS {
            if let Some(offset) = scan_for(text, key) {
                origins.insert(key, at(offset));
            }
        }
        return origins;
    };
    for key in KEYS {
        let item = key
            .split('.')
            .try_fold(doc.as_item(), |item, part| item.get(part));
        if let Some(span) = item.and_then(|i| i.as_value()).and_then(|v| v.span()) {
            origins.insert(key, at(span.start));
        }
    }
    origins
}

/// The offset of `key`'s value in plain `[table]` / `name = value` text.
fn scan_for(text: &str, key: &str) -> Option<usize> {
    let (table, name) = key.rsplit_once('.').unwrap_or(("", key));
    let mut current = "";
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if let Some(header) = trimmed.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if current == table && k.trim() == name {
            return Some(start + line.len() - v.trim_start().len());
        }
    }
    None
}
