//! A REST answer as the fake builds it.

use axum::body::Body;
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::ScriptedResponse;

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) content_type: String,
    pub(crate) body: Option<String>,
    pub(crate) json: Option<Value>,
}

impl Reply {
    pub(crate) fn json(status: u16, v: Value) -> Self {
        Self::serialised(status, v.to_string(), Some(v))
    }

    /// A JSON answer already serialised, with its value when it is to be recorded.
    pub(crate) fn serialised(status: u16, text: String, json: Option<Value>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            content_type: "application/json".into(),
            json,
            body: Some(text),
        }
    }

    /// A JSON answer already serialised.
    pub(crate) fn json_text(status: u16, text: String) -> Self {
        let json = serde_json::from_str(&text).ok();
        Self::serialised(status, text, json)
    }

    pub(crate) fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            content_type: String::new(),
            body: None,
            json: None,
        }
    }

    pub(crate) fn error(status: u16, code: u64, message: &str) -> Self {
        Self::json(status, json!({ "message": message, "code": code }))
    }

    pub(crate) fn form_error(errors: Value) -> Self {
        Self::json(
            400,
            json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors }),
        )
    }

    pub(crate) fn scripted(s: &ScriptedResponse) -> Self {
        Reply {
            status: s.status,
            headers: s.headers.clone(),
            content_type: s.content_type.clone(),
            body: Some(s.body.clone()),
            json: serde_json::from_str(&s.body).ok(),
        }
    }

    /// Nests a form error's `errors` under `key` (for interaction callback `data`).
    pub(crate) fn prefixed(mut self, key: &str) -> Self {
        if let Some(j) = self.json.as_mut() {
            if let Some(errors) = j.get_mut("errors") {
                let mut nested = Map::new();
                nested.insert(key.to_string(), errors.take());
                *errors = Value::Object(nested);
            }
            self.body = Some(j.to_string());
        }
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let mut b = axum::http::Response::builder().status(self.status);
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if (200..300).contains(&self.status) && self.body.is_some() {
            b = b
                .header("x-ratelimit-limit", "5")
                .header("x-ratelimit-remaining", "4")
                .header("x-ratelimit-reset-after", "1.000")
                .header("x-ratelimit-bucket", "fake-bucket");
        }
        let resp = match self.body {
            Some(text) => b
                .header("content-type", self.content_type)
                .body(Body::from(text)),
            None => b.body(Body::empty()),
        };
        resp.unwrap_or_else(|_| Response::new(Body::empty()))
    }
}
