//! Posting replies: retries that honour Discord's `retry_after`, bounded backoff for server
//! errors, and a nonce so that a retried post never shows twice.
//!
//! Serenity does not retry a 429 when its own rate limiter is off (as it must be behind a
//! proxy), and it drops the response body that carries `retry_after`, so replies are posted
//! here, straight through hyper's pooled client: the one under reqwest, serenity's own HTTP
//! client, without reqwest's redirect, retry and URL layers, which took about a tenth of the
//! bot's processor time.
//! Replies go to `discord.api_base` directly: like serenity's gateway, they do not go through
//! an `HTTPS_PROXY`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde::Deserialize;

use super::metrics::Metrics;

/// Tries for a reply that meets server errors or a broken connection.
const SERVER_TRIES: u32 = 4;
/// Tries for a reply that keeps being rate limited.
const RATE_LIMIT_TRIES: u32 = 5;
/// The first wait after a server error; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// The longest `retry_after` honoured before giving up on a reply.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The longest one try may take, from connecting to the end of the response.
const TRY_TIMEOUT: Duration = Duration::from_secs(15);
/// How long an idle connection is kept open for the next reply.
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Why a reply was not posted.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Discord refused it (403, 404, 400…); retrying would not help.
    #[error("Discord refused the reply: {status} {message}")]
    Refused { status: u16, message: String },
    /// Still failing after every retry.
    #[error("gave up after {tries} tries: {last}")]
    GaveUp { tries: u32, last: String },
    /// Given up because the bot is shutting down.
    #[error("given up: shutting down")]
    ShuttingDown,
}

/// Why a [`Poster`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    /// `discord.api_base` is not a URL that paths can be added to.
    #[error("discord.api_base {0:?} is not an http(s) URL without a query or fragment")]
    Base(String),
    /// TLS could not be set up.
    #[error("cannot set up TLS: {0}")]
    Tls(#[from] rustls::Error),
}

/// Posts channel messages to Discord's REST API (or the configured proxy).
#[derive(Debug, Clone)]
pub struct Poster {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// `…/api/v10/channels`, checked once: each post only adds its channel and `messages`.
    channels: Arc<str>,
    /// `Bot <token>`, marked sensitive so that it is never printed.
    auth: HeaderValue,
    /// Counts retries and give-ups.
    metrics: Metrics,
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

/// What one try came back with.
struct Outcome {
    status: StatusCode,
    retry_after: Option<f64>,
    body: Bytes,
}

impl Poster {
    /// A poster for `api_base` (default `https://discord.com`) with the bot's token.
    pub fn new(api_base: Option<&str>, token: &str) -> Result<Self, PosterError> {
        let mut auth = HeaderValue::from_str(&format!("Bot {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bot invalid"));
        auth.set_sensitive(true);
        let base = api_base.unwrap_or("https://discord.com");
        let channels = format!("{}/api/v10/channels", base.trim_end_matches('/'));
        // Paths are added to it, so it may have neither a query nor a fragment.
        let valid = !base.contains(['?', '#'])
            && channels.parse::<Uri>().is_ok_and(|u| {
                matches!(u.scheme_str(), Some("http" | "https")) && u.authority().is_some()
            });
        if !valid {
            return Err(PosterError::Base(base.to_string()));
        }
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(IDLE_TIMEOUT)
            // Without a timer, idle connections would only be dropped when next looked at.
            .pool_timer(TokioTimer::new())
            .build(tls);
        Ok(Poster {
            client,
            channels: channels.into(),
            auth,
            metrics: Metrics::off(),
        })
    }

    /// This poster, counting its retries and give-ups in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = metrics;
        self
    }

    /// `…/api/v10/channels/{channel}/messages`.
    fn messages_url(&self, channel: u64) -> Uri {
        format!("{}/{channel}/messages", self.channels)
            .parse()
            .expect("a checked base with a channel id added is a URI")
    }

    /// One try: the request, and the whole response read so that the connection can be reused.
    async fn post(&self, url: &Uri, body: &Bytes, kind: &HeaderValue) -> Result<Outcome, String> {
        let request = Request::builder()
            .method(Method::POST)
            .uri(url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(CONTENT_TYPE, kind.clone())
            .header(
                USER_AGENT,
                HeaderValue::from_static(concat!(
                    "DiscordBot (carebot, ",
                    env!("CARGO_PKG_VERSION"),
                    ")"
                )),
            )
            .body(Full::new(body.clone()))
            .map_err(|e| format!("bad request: {e}"))?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| format!("request failed: {}", causes(&e)))?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("reading the response failed: {e}"))?
                .to_bytes();
            Ok(Outcome {
                status,
                retry_after,
                body,
            })
        };
        match tokio::time::timeout(TRY_TIMEOUT, exchange).await {
            Ok(answer) => answer.map_err(|e: String| crate::redact::redact(&e)),
            Err(_) => Err(format!(
                "request failed: no response within {} s",
                TRY_TIMEOUT.as_secs()
            )),
        }
    }

    /// Posts `body` (a `CreateMessage` serialised as JSON) to a channel.
    pub async fn create_message(&self, channel: u64, body: Vec<u8>) -> Result<(), SendError> {
        let json = HeaderValue::from_static("application/json");
        self.create_message_as(channel, body, json).await
    }

    /// Posts `body`, of content type `kind` (JSON, or `multipart/form-data` carrying files),
    /// to a channel, with the retries of every reply.
    pub async fn create_message_as(
        &self,
        channel: u64,
        body: Vec<u8>,
        kind: HeaderValue,
    ) -> Result<(), SendError> {
        let url = self.messages_url(channel);
        let body = Bytes::from(body);
        let mut server_tries = 0;
        let mut limited = 0;
        let mut backoff = FIRST_BACKOFF;
        loop {
            let (status, last) = match self.post(&url, &body, &kind).await {
                Ok(a) if a.status.is_success() => return Ok(()),
                Ok(a) if a.status == StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    let given = serde_json::from_slice::<RateLimited>(&a.body)
                        .ok()
                        .map(|b| b.retry_after);
                    let wait = Duration::from_secs_f64(
                        given.or(a.retry_after).unwrap_or(1.0).clamp(0.0, 3600.0),
                    );
                    if limited >= RATE_LIMIT_TRIES || wait > MAX_RETRY_AFTER {
                        self.metrics.rest_give_up(Some(429));
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
                    self.metrics.rest_retry(Some(429));
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Ok(a) if a.status.is_server_error() => {
                    (Some(a.status.as_u16()), format!("{}", a.status))
                }
                Ok(a) => {
                    let message = serde_json::from_slice::<DiscordError>(&a.body)
                        .map(|e| e.message)
                        .unwrap_or_default();
                    self.metrics.rest_give_up(Some(a.status.as_u16()));
                    return Err(SendError::Refused {
                        status: a.status.as_u16(),
                        message,
                    });
                }
                Err(e) => (None, e),
            };
            server_tries += 1;
            if server_tries >= SERVER_TRIES {
                self.metrics.rest_give_up(status);
                return Err(SendError::GaveUp {
                    tries: server_tries + limited,
                    last,
                });
            }
            tracing::debug!(channel, tries = server_tries, error = %last, "retrying reply");
            self.metrics.rest_retry(status);
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
}

/// An error and its causes, outermost first: `client error (Connect): tcp connect error: …`.
fn causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
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

    #[tokio::test]
    async fn a_server_that_cannot_be_reached_is_given_up_after_every_try() {
        // A port that was free a moment ago: nothing listens there now.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let poster = Poster::new(Some(&format!("http://127.0.0.1:{port}")), "t").unwrap();
        let e = poster.create_message(42, b"{}".to_vec()).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "gave up after 4 tries: request failed: client error (Connect): tcp connect error: \
             Connection refused (os error 111)"
        );
    }

    #[test]
    fn an_api_base_that_is_not_http_is_refused() {
        for bad in [
            "not a url",
            "mailto:ops@example.org",
            "ftp://example.org",
            "https://proxy.example/?via=1",
            "https://proxy.example/#top",
        ] {
            let e = Poster::new(Some(bad), "t").unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "discord.api_base {bad:?} is not an http(s) URL without a query or fragment"
                )
            );
        }
    }
}
