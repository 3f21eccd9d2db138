//! Scripted REST answers: faults injected before the normal answer.

use serde_json::{json, Value};

use crate::clock::unix_secs_f64;

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
