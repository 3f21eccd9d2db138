//! Posting replies: retries that honour Discord's `retry_after`, bounded backoff for server
//! errors, and a nonce so that a retried post never shows twice.
//!
//! Serenity does not retry a 429 when its own rate limiter is off (as it must be behind a
//! proxy), and it drops the response body that carries `retry_after`, so replies are posted
//! here with reqwest, the HTTP client serenity itself uses.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use serde::Deserialize;

/// Tries for a reply that meets server errors or a broken connection.
const SERVER_TRIES: u32 = 4;
/// Tries for a reply that keeps being rate limited.
const RATE_LIMIT_TRIES: u32 = 5;
/// The first wait after a server error; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// The longest `retry_after` honoured before giving up on a reply.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Why a reply was not posted.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Discord refused it (403, 404, 400…); retrying would not help.
    #[error("Discord refused the reply: {status} {message}")]
    Refused { status: u16, message: String },
    /// Still failing after every retry.
    #[error("gave up after {tries} tries: {last}")]
    GaveUp { tries: u32, last: String },
}

/// Why a [`Poster`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    /// `discord.api_base` is not a URL that paths can be added to.
    #[error("discord.api_base {0:?} is not an http(s) URL")]
    Base(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// Posts channel messages to Discord's REST API (or the configured proxy).
#[derive(Debug, Clone)]
pub struct Poster {
    client: reqwest::Client,
    /// `…/api/v10/channels`, parsed once: each post only adds its channel and `messages`.
    channels: reqwest::Url,
}

#[derive(Deserialize)]
struct RateLimited {
    retry_after: f64,
}

#[derive(Deserialize)]
struct DiscordError {
    #[serde(default)]
    message: String,
}

impl Poster {
    /// A poster for `api_base` (default `https://discord.com`) with the bot's token.
    pub fn new(api_base: Option<&str>, token: &str) -> Result<Self, PosterError> {
        let mut auth = HeaderValue::from_str(&format!("Bot {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bot invalid"));
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!(
                "DiscordBot (carebot, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            )),
        );
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(Duration::from_secs(15))
            .build()?;
        let base = api_base.unwrap_or("https://discord.com");
        let channels =
            reqwest::Url::parse(&format!("{}/api/v10/channels", base.trim_end_matches('/')))
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| PosterError::Base(base.to_string()))?;
        Ok(Poster { client, channels })
    }

    /// `…/api/v10/channels/{channel}/messages`.
    fn messages_url(&self, channel: u64) -> reqwest::Url {
        let mut url = self.channels.clone();
        // An http(s) URL always takes path segments.
        if let Ok(mut path) = url.path_segments_mut() {
            path.push(&channel.to_string()).push("messages");
        }
        url
    }

    /// Posts `body` (a `CreateMessage` serialised as JSON) to a channel.
    pub async fn create_message(&self, channel: u64, body: Vec<u8>) -> Result<(), SendError> {
        let url = self.messages_url(channel);
        let body = bytes::Bytes::from(body);
        let mut server_tries = 0;
        let mut limited = 0;
        let mut backoff = FIRST_BACKOFF;
        loop {
            let last = match self
                .client
                .post(url.clone())
                .body(body.clone())
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => {
                    // Reading the (small) body lets the connection go back to the pool.
                    let _ = r.bytes().await;
                    return Ok(());
                }
                Ok(r) if r.status() == StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    let header = r
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<f64>().ok());
                    let body = r.json::<RateLimited>().await.ok().map(|b| b.retry_after);
                    let wait =
                        Duration::from_secs_f64(body.or(header).unwrap_or(1.0).clamp(0.0, 3600.0));
                    if limited >= RATE_LIMIT_TRIES || wait > MAX_RETRY_AFTER {
                        return Err(SendError::GaveUp {
                            tries: server_tries + limited,
                            last: format!("429, retry after {:.3} s", wait.as_secs_f64()),
                        });
                    }
                    tracing::debug!(
                        channel,
                        wait_ms = wait.as_millis() as u64,
                        "rate limited; waiting"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Ok(r) if r.status().is_server_error() => format!("{}", r.status()),
                Ok(r) => {
                    let status = r.status().as_u16();
                    let message = r
                        .json::<DiscordError>()
                        .await
                        .map(|e| e.message)
                        .unwrap_or_default();
                    return Err(SendError::Refused { status, message });
                }
                Err(e) => format!("request failed: {}", crate::redact::redact(&e.to_string())),
            };
            server_tries += 1;
            if server_tries >= SERVER_TRIES {
                return Err(SendError::GaveUp {
                    tries: server_tries + limited,
                    last,
                });
            }
            tracing::debug!(channel, tries = server_tries, error = %last, "retrying reply");
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: Option<&str>) -> String {
        Poster::new(base, "t").unwrap().messages_url(42).to_string()
    }

    #[test]
    fn messages_go_to_the_channel_under_the_api_base() {
        assert_eq!(
            url(None),
            "https://discord.com/api/v10/channels/42/messages"
        );
        assert_eq!(
            url(Some("http://127.0.0.1:8080/")),
            "http://127.0.0.1:8080/api/v10/channels/42/messages"
        );
        assert_eq!(
            url(Some("https://proxy.example/discord")),
            "https://proxy.example/discord/api/v10/channels/42/messages"
        );
    }

    #[test]
    fn an_api_base_that_is_not_http_is_refused() {
        for bad in ["not a url", "mailto:ops@example.org", "ftp://example.org"] {
            let e = Poster::new(Some(bad), "t").unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("discord.api_base {bad:?} is not an http(s) URL")
            );
        }
    }
}
