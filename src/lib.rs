//! carebot's engine: the knowledge base, the command parser and the answers.
//!
//! Nothing here knows about Discord; the `discord` module (the default-on `discord` feature)
//! adapts the engine to it, and the command-line interface uses the engine directly.

pub mod answer;
pub mod chart;
pub mod config;
#[cfg(feature = "discord")]
pub mod discord;
pub mod gaps;
pub mod import;
pub mod knowledge;
pub mod query;
pub mod redact;
pub mod reload;
