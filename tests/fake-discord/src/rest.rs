//! The REST side: routing, authentication, scripted faults, messages and command registrations.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use crate::message::apply_edit;
use crate::reply::Reply;
use crate::state::{snowflake, Inner, St};
use crate::validate::{form_errors, validate_commands, validate_message};
use crate::{
    payloads, CommandRegistration, Endpoint, FollowupTarget, RecordedFile, RecordedMessage,
    RecordedRequest, APPLICATION_ID, BOT_USER_ID,
};

impl St {
    pub(crate) fn handle(&mut self, req: &Incoming) -> (Endpoint, Reply, bool) {
        let rest = req.path.strip_prefix("/api/v10/");
        let segs: Vec<&str> = rest.map(|r| r.split('/').collect()).unwrap_or_default();
        let m = &req.method;
        let id = |s: &str| s.parse::<u64>().ok();
        use Endpoint as E;
        let endpoint = match (m.as_str(), segs.as_slice()) {
            ("GET", ["gateway"]) => E::GetGateway,
            ("GET", ["gateway", "bot"]) => E::GetGatewayBot,
            ("GET", ["users", "@me"]) => E::GetCurrentUser,
            ("GET", ["oauth2", "applications", "@me"]) => E::GetCurrentApplication,
            ("POST", ["channels", _, "messages"]) => E::CreateMessage,
            ("GET", ["channels", _, "messages"]) => E::GetChannelMessages,
            ("GET", ["channels", _, "messages", _]) => E::GetMessage,
            ("PATCH", ["channels", _, "messages", _]) => E::EditMessage,
            ("DELETE", ["channels", _, "messages", _]) => E::DeleteMessage,
            ("POST", ["channels", _, "typing"]) => E::Typing,
            ("PUT", ["applications", _, "commands"]) => E::SetGlobalCommands,
            ("GET", ["applications", _, "commands"]) => E::GetGlobalCommands,
            ("PUT", ["applications", _, "guilds", _, "commands"]) => E::SetGuildCommands,
            ("GET", ["applications", _, "guilds", _, "commands"]) => E::GetGuildCommands,
            ("POST", ["interactions", _, _, "callback"]) => E::InteractionCallback,
            ("POST", ["webhooks", _, _]) => E::CreateFollowup,
            ("GET", ["webhooks", _, _, "messages", "@original"]) => E::GetOriginal,
            ("PATCH", ["webhooks", _, _, "messages", "@original"]) => E::EditOriginal,
            ("DELETE", ["webhooks", _, _, "messages", "@original"]) => E::DeleteOriginal,
            ("GET", ["webhooks", _, _, "messages", _]) => E::GetFollowup,
            ("PATCH", ["webhooks", _, _, "messages", _]) => E::EditFollowup,
            ("DELETE", ["webhooks", _, _, "messages", _]) => E::DeleteFollowup,
            _ => E::Unknown,
        };
        *self.attempts.entry(endpoint).or_default() += 1;

        let needs_auth = !matches!(
            endpoint,
            E::InteractionCallback
                | E::CreateFollowup
                | E::GetOriginal
                | E::EditOriginal
                | E::DeleteOriginal
                | E::GetFollowup
                | E::EditFollowup
                | E::DeleteFollowup
                | E::Unknown
        );
        if needs_auth && !self.token_ok(req.authorization.as_deref().unwrap_or_default()) {
            return (endpoint, Reply::error(401, 0, "401: Unauthorized"), false);
        }

        let script = self
            .scripts
            .get_mut(&endpoint)
            .and_then(VecDeque::pop_front);
        if let Some(s) = &script {
            if !s.after_commit {
                return (endpoint, Reply::scripted(s), true);
            }
        }

        static NO_BODY: Value = Value::Null;
        let body = req.body.as_ref().unwrap_or(&NO_BODY);
        let reply = match (endpoint, segs.as_slice()) {
            (E::GetGateway, _) => Reply::json(200, json!({ "url": self.gateway_answer() })),
            (E::GetGatewayBot, _) => Reply::json(
                200,
                json!({
                    "url": self.gateway_answer(),
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
                    }
                }),
            ),
            (E::GetCurrentUser, _) => Reply::json(200, payloads::bot_user_pii()),
            (E::GetCurrentApplication, _) => Reply::json(200, payloads::application()),
            (E::CreateMessage, [_, c, _]) => match id(c) {
                Some(c) => self.create_message(c, body, req.raw_body.as_deref(), &req.files),
                None => Reply::error(404, 10003, "Unknown Channel"),
            },
            (E::GetChannelMessages, [_, c, _]) => match id(c) {
                Some(c) => self.list_messages(c, req.query.as_deref()),
                None => Reply::error(404, 10003, "Unknown Channel"),
            },
            (E::GetMessage, [_, _, _, m]) => {
                match id(m).and_then(|m| self.known_messages.get(&m)) {
                    Some(msg) => Reply::json(200, msg.clone()),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            (E::EditMessage, [_, _, _, m]) => self.edit_message(id(m), body),
            (E::DeleteMessage, [_, _, _, m]) => {
                match id(m).and_then(|m| self.known_messages.remove(&m)) {
                    Some(_) => Reply::empty(204),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            (E::Typing, _) => Reply::empty(204),
            (E::SetGlobalCommands, [_, a, _]) => self.set_commands(id(a), None, body),
            (E::SetGuildCommands, [_, a, _, g, _]) => match id(g) {
                Some(g) => self.set_commands(id(a), Some(g), body),
                None => Reply::error(404, 10004, "Unknown Guild"),
            },
            (E::GetGlobalCommands, [_, a, _]) => self.get_commands(id(a), None),
            (E::GetGuildCommands, [_, a, _, g, _]) => match id(g) {
                Some(g) => self.get_commands(id(a), Some(g)),
                None => Reply::error(404, 10004, "Unknown Guild"),
            },
            (E::InteractionCallback, [_, i, token, _]) => {
                self.interaction_callback(id(i), token, body, req.raw_body.as_deref())
            }
            (E::CreateFollowup, [_, a, token]) => {
                self.followup(req, id(a), token, FollowupTarget::New, body)
            }
            (E::GetOriginal | E::EditOriginal | E::DeleteOriginal, [_, a, token, _, _]) => {
                self.followup(req, id(a), token, FollowupTarget::Original, body)
            }
            (E::GetFollowup | E::EditFollowup | E::DeleteFollowup, [_, a, token, _, m]) => {
                match id(m) {
                    Some(m) => self.followup(req, id(a), token, FollowupTarget::Message(m), body),
                    None => Reply::error(404, 10008, "Unknown Message"),
                }
            }
            _ => Reply::error(404, 0, "Unknown"),
        };
        match script {
            Some(s) if reply.status < 300 => (endpoint, Reply::scripted(&s), true),
            _ => (endpoint, reply, false),
        }
    }

    /// `GET /channels/{c}/messages?after=&before=&limit=`: the channel's remembered messages
    /// (users' and the bot's), newest first, as REST gives them (without `guild_id` or
    /// `member`). `around` is not supported.
    fn list_messages(&self, channel_id: u64, query: Option<&str>) -> Reply {
        let param = |name: &str| {
            query?
                .split('&')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        };
        let bound = |name: &str| param(name).map(|v| v.parse::<u64>().map_err(|_| ()));
        let (after, before, limit) = match (
            bound("after").transpose(),
            bound("before").transpose(),
            bound("limit").transpose(),
        ) {
            (Ok(a), Ok(b), Ok(l)) => (a.unwrap_or(0), b.unwrap_or(u64::MAX), l.unwrap_or(50)),
            _ => return Reply::error(400, 50035, "Invalid Form Body"),
        };
        if !(1..=100).contains(&limit) {
            return Reply::error(400, 50035, "Invalid Form Body");
        }
        let mut found: Vec<(u64, &Value)> = self
            .known_messages
            .map
            .iter()
            .filter(|(&id, m)| {
                id > after && id < before && snowflake(&m["channel_id"]) == Some(channel_id)
            })
            .map(|(&id, m)| (id, m))
            .collect();
        found.sort_by_key(|&(id, _)| std::cmp::Reverse(id));
        let list: Vec<Value> = found
            .into_iter()
            .take(limit as usize)
            .map(|(_, m)| {
                let mut m = m.clone();
                if let Some(o) = m.as_object_mut() {
                    o.remove("guild_id");
                    o.remove("member");
                }
                m
            })
            .collect();
        Reply::json(200, Value::Array(list))
    }

    pub(crate) fn create_message(
        &mut self,
        channel_id: u64,
        body: &Value,
        raw: Option<&str>,
        files: &[RecordedFile],
    ) -> Reply {
        if !body.is_object() {
            return Reply::error(400, 50109, "The request body contains invalid JSON.");
        }
        if self.config.validate {
            if let Err(r) = validate_message(body, true, raw) {
                return r;
            }
            if let Err(r) = validate_files(body, files) {
                return r;
            }
        }
        let nonce = match &body["nonce"] {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let enforce = self.config.enforce_nonces && body["enforce_nonce"].as_bool() == Some(true);
        if let (Some(n), true) = (&nonce, enforce) {
            if let Some(existing) = self.nonces.get(&(channel_id, n.clone())) {
                return Reply::json_text(200, existing.clone());
            }
        }
        let id = self.next_id();
        let reference = body
            .get("message_reference")
            .filter(|r| r.is_object())
            .cloned();
        let reply_to = reference.as_ref().and_then(|r| snowflake(&r["message_id"]));
        let completed = reference.as_ref().map(|r| {
            let mut r = r.clone();
            r["type"] = r.get("type").cloned().unwrap_or(json!(0));
            if r.get("channel_id").is_none_or(Value::is_null) {
                r["channel_id"] = json!(channel_id.to_string());
            }
            if let Some(g) = self.channel_guild.get(&channel_id) {
                r["guild_id"] = json!(g.to_string());
            }
            r.as_object_mut().map(|o| o.remove("fail_if_not_exists"));
            r
        });
        let record = self.config.record_bodies;
        // Written once, straight from the body: the response, the echo and the nonce's record
        // share the text.
        let (text, msg) = {
            let mut posted = payloads::Posted::new(id, channel_id, body);
            posted.nonce = nonce.as_deref();
            posted.reply = completed.as_ref().map(|r| {
                let replied_to = reply_to.and_then(|m| self.known_messages.get(&m));
                (r, replied_to.unwrap_or(&Value::Null))
            });
            let text = serde_json::to_string(&posted).expect("a message serialises");
            let msg = record.then(|| serde_json::to_value(&posted).expect("a message serialises"));
            (text, msg)
        };
        let since_reference = reply_to
            .and_then(|m| self.dispatched_at.get(&m))
            .map(|t| t.elapsed());
        if let Some(msg) = &msg {
            let mut stored = msg.clone();
            stored["referenced_message"] = Value::Null;
            self.known_messages.insert(id, stored);
        }
        self.messages.push(RecordedMessage {
            id,
            channel_id,
            content: body["content"].as_str().unwrap_or_default().to_string(),
            embeds: if record {
                body["embeds"].as_array().cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            message_reference: reference,
            reply_to,
            since_reference,
            body: if record { body.clone() } else { Value::Null },
            files: files.to_vec(),
            response: msg.clone().unwrap_or(Value::Null),
            at: Instant::now(),
        });
        if self.config.echo_own_messages {
            let d = match self.channel_guild.get(&channel_id) {
                // `msg` is an object without either key: they go in front of its own.
                Some(g) => format!(
                    r#"{{"guild_id":"{g}","member":{},{}"#,
                    payloads::member(None),
                    &text[1..]
                ),
                None => text.clone(),
            };
            self.emit_json("MESSAGE_CREATE", d);
        }
        if let (Some(n), true) = (nonce, enforce) {
            self.nonces.insert((channel_id, n), text.clone());
        }
        Reply::serialised(200, text, msg)
    }

    pub(crate) fn edit_message(&mut self, message: Option<u64>, body: &Value) -> Reply {
        if self.config.validate {
            if let Err(r) = validate_message(body, false, None) {
                return r;
            }
        }
        match message.and_then(|m| self.known_messages.get_mut(&m)) {
            Some(msg) if msg["author"]["id"] == json!(BOT_USER_ID.to_string()) => {
                apply_edit(msg, body);
                Reply::json(200, msg.clone())
            }
            Some(_) => Reply::error(403, 50005, "Cannot edit a message authored by another user"),
            None => Reply::error(404, 10008, "Unknown Message"),
        }
    }

    pub(crate) fn set_commands(
        &mut self,
        app: Option<u64>,
        guild: Option<u64>,
        body: &Value,
    ) -> Reply {
        if app != Some(APPLICATION_ID) {
            return Reply::error(403, 50001, "Missing Access");
        }
        let Some(list) = body.as_array() else {
            return Reply::form_error(form_errors(&[(
                vec![],
                "BASE_TYPE_ARRAY",
                "Must be an array.".into(),
            )]));
        };
        if self.config.validate {
            if let Err(r) = validate_commands(list) {
                return r;
            }
        }
        let version = self.next_id();
        let mut out = Vec::new();
        for c in list {
            let kind = c["type"].as_u64().unwrap_or(1);
            let name = c["name"].as_str().unwrap_or_default().to_string();
            let key = (guild, kind, name.clone());
            let cid = match self.command_ids.get(&key) {
                Some(&cid) => cid,
                None => {
                    let cid = self.next_id();
                    self.command_ids.insert(key, cid);
                    cid
                }
            };
            let mut r = json!({
                "id": cid.to_string(),
                "application_id": APPLICATION_ID.to_string(),
                "version": version.to_string(),
                "default_member_permissions": c.get("default_member_permissions").cloned().unwrap_or(Value::Null),
                "type": kind,
                "name": name,
                "name_localizations": c.get("name_localizations").cloned().unwrap_or(Value::Null),
                "description": c["description"].as_str().unwrap_or_default(),
                "description_localizations": c.get("description_localizations").cloned().unwrap_or(Value::Null),
                "nsfw": c["nsfw"].as_bool().unwrap_or(false),
                "integration_types": c.get("integration_types").cloned().unwrap_or(json!([0])),
                "contexts": c.get("contexts").cloned().unwrap_or(Value::Null),
            });
            match guild {
                Some(g) => r["guild_id"] = json!(g.to_string()),
                None => r["dm_permission"] = json!(c["dm_permission"].as_bool().unwrap_or(true)),
            }
            if let Some(opts) = c["options"].as_array().filter(|o| !o.is_empty()) {
                r["options"] = Value::Array(opts.iter().map(normalize_option).collect());
            }
            out.push(r);
        }
        self.commands.insert(guild, out.clone());
        let response = Value::Array(out);
        self.registrations.push(CommandRegistration {
            guild_id: guild,
            body: body.clone(),
            response: response.clone(),
        });
        Reply::json(200, response)
    }

    pub(crate) fn get_commands(&self, app: Option<u64>, guild: Option<u64>) -> Reply {
        if app != Some(APPLICATION_ID) {
            return Reply::error(403, 50001, "Missing Access");
        }
        Reply::json(
            200,
            Value::Array(self.commands.get(&guild).cloned().unwrap_or_default()),
        )
    }
}

pub(crate) struct Incoming {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) authorization: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Option<Value>,
    pub(crate) raw_body: Option<String>,
    /// The `files[n]` parts of a multipart body.
    pub(crate) files: Vec<RecordedFile>,
}

pub(crate) async fn rest_handler(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let (body, raw_body) = parse_body(content_type.as_deref(), &bytes);
    let files = content_type
        .as_deref()
        .map(|c| multipart_files(c, &bytes))
        .unwrap_or_default();
    let req = Incoming {
        files,
        method,
        path: uri.path().to_string(),
        query: uri.query().map(str::to_owned),
        authorization: header("authorization"),
        content_type,
        body,
        raw_body,
    };
    let reply = {
        let mut st = inner.lock();
        let (endpoint, reply, scripted) = st.handle(&req);
        // Benchmarks keep no bodies: copying them would charge larger messages to their bot.
        let record = st.config.record_bodies;
        let index = st.request_count;
        st.request_count += 1;
        st.requests.push(RecordedRequest {
            index,
            at: Instant::now(),
            method: req.method.to_string(),
            path: req.path,
            query: req.query,
            authorization: req.authorization,
            content_type: req.content_type,
            body: req.body.filter(|_| record),
            raw_body: req.raw_body.filter(|_| record),
            files: if record { req.files } else { Vec::new() },
            endpoint,
            status: reply.status,
            response: if record { reply.json.clone() } else { None },
            scripted,
        });
        reply
    };
    inner.bump();
    reply.into_response()
}

pub(crate) fn parse_body(
    content_type: Option<&str>,
    bytes: &[u8],
) -> (Option<Value>, Option<String>) {
    if bytes.is_empty() {
        return (None, None);
    }
    if content_type.is_some_and(|c| c.starts_with("multipart/")) {
        let raw = String::from_utf8_lossy(bytes).into_owned();
        return (multipart_payload_json(&raw), Some(raw));
    }
    match serde_json::from_slice(bytes) {
        Ok(v) => (Some(v), None),
        Err(_) => (None, Some(String::from_utf8_lossy(bytes).into_owned())),
    }
}

/// The files of a `multipart/form-data` body: its parts named `files[n]`, as bytes.
pub(crate) fn multipart_files(content_type: &str, bytes: &[u8]) -> Vec<RecordedFile> {
    let Some(boundary) = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
    else {
        return Vec::new();
    };
    let delimiter = format!("--{}", boundary.trim_matches('"'));
    let d = delimiter.as_bytes();
    let find = |from: usize, needle: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut out = Vec::new();
    let mut at = find(0, d);
    while let Some(start) = at {
        let head_start = start + d.len() + 2;
        let Some(head_end) = find(head_start, b"\r\n\r\n") else {
            break;
        };
        let Some(next) = find(head_end, &[b"\r\n", d].concat()) else {
            break;
        };
        let head = String::from_utf8_lossy(&bytes[head_start..head_end]);
        let param = |key: &str| {
            let k = format!("{key}=\"");
            let i = head.find(&k)? + k.len();
            Some(head[i..i + head[i..].find('"')?].to_string())
        };
        let content_type = head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        });
        if let Some(field) = param("name").filter(|n| n.starts_with("files[")) {
            out.push(RecordedFile {
                field,
                filename: param("filename").unwrap_or_default(),
                content_type,
                bytes: bytes[head_end + 4..next].to_vec(),
            });
        }
        at = Some(next + 2);
        if bytes[next + 2 + d.len()..].starts_with(b"--") {
            break;
        }
    }
    out
}

/// Discord's checks of a message's files: each `attachments` entry names a `files[id]` part,
/// and no file is over the size limit.
fn validate_files(body: &Value, files: &[RecordedFile]) -> Result<(), Reply> {
    if files.iter().any(|f| f.bytes.len() > 10_485_760) {
        return Err(Reply::error(413, 40005, "Request entity too large"));
    }
    for a in body["attachments"].as_array().into_iter().flatten() {
        let id = match &a["id"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => continue,
        };
        if !files.iter().any(|f| f.field == format!("files[{id}]")) {
            return Err(Reply::error(
                400,
                50035,
                "Invalid Form Body: attachments has no file",
            ));
        }
    }
    Ok(())
}

pub(crate) fn multipart_payload_json(raw: &str) -> Option<Value> {
    let start = raw.find("name=\"payload_json\"")?;
    let rest = &raw[start..];
    let body = &rest[rest.find("\r\n\r\n")? + 4..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    serde_json::from_str(&body[..end]).ok()
}

/// Discord echoes options with defaults filled in.
pub(crate) fn normalize_option(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(obj) = o.as_object_mut() {
        if obj.get("required") == Some(&json!(false)) {
            obj.remove("required");
        }
        if let Some(sub) = obj.get("options").and_then(Value::as_array).cloned() {
            obj.insert(
                "options".into(),
                Value::Array(sub.iter().map(normalize_option).collect()),
            );
        }
    }
    o
}
