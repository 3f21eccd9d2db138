//! Interaction callbacks and the follow-up webhooks that come after them.

use serde_json::{json, Value};

use crate::message::apply_edit;
use crate::reply::Reply;
use crate::rest::Incoming;
use crate::state::St;
use crate::validate::{form_errors, validate_choices, validate_flags, validate_message};
use crate::{
    payloads, FollowupTarget, RecordedFollowup, RecordedInteractionResponse, APPLICATION_ID,
};

impl St {
    pub(crate) fn interaction_callback(
        &mut self,
        interaction: Option<u64>,
        token: &str,
        body: &Value,
        raw: Option<&str>,
    ) -> Reply {
        let validate = self.config.validate;
        let Some((iid, st)) = interaction.and_then(|i| {
            self.interactions
                .get_mut(&i)
                .filter(|s| s.token == token)
                .map(|s| (i, s))
        }) else {
            return Reply::error(404, 10062, "Unknown interaction");
        };
        if st.acknowledged.is_some() {
            return Reply::error(400, 40060, "Interaction has already been acknowledged.");
        }
        let kind = body["type"].as_u64().unwrap_or(0);
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let autocomplete = st.kind == 4;
        // Deferred and immediate updates are for a component's message only.
        let update = matches!(kind, 6 | 7);
        if autocomplete != (kind == 8)
            || (update && st.kind != 3)
            || !matches!(kind, 1 | 4 | 5 | 6 | 7 | 8 | 9 | 12)
        {
            return Reply::form_error(form_errors(&[(
                vec!["type".into()],
                "INTERACTION_RESPONSE_TYPE_INVALID",
                format!("Interaction response type {kind} is not valid for this interaction."),
            )]));
        }
        if validate {
            let checked = match kind {
                4 | 7 => {
                    validate_message(&data, kind == 4, raw).and_then(|()| validate_flags(&data))
                }
                8 => validate_choices(&data),
                _ => Ok(()),
            };
            if let Err(r) = checked.map_err(|r| r.prefixed("data")) {
                return r;
            }
        }
        st.acknowledged = Some(kind);
        let latency = st.dispatched_at.elapsed();
        let token = st.token.clone();
        let channel_id = st.channel_id;
        let updates = st.message_of.filter(|_| kind == 7);
        if matches!(kind, 4 | 5) {
            let id = self.next_id();
            let mut msg = payloads::posted_message(id, channel_id, &data);
            msg["type"] = json!(20);
            msg["webhook_id"] = json!(APPLICATION_ID.to_string());
            msg["application_id"] = json!(APPLICATION_ID.to_string());
            if kind == 5 {
                let flags = data["flags"].as_u64().unwrap_or(0) | 128;
                msg["flags"] = json!(flags);
                msg["content"] = json!("");
            }
            if let Some(st) = self.interactions.get_mut(&iid) {
                st.original = Some(msg);
            }
        }
        // UPDATE_MESSAGE edits the message whose component was used.
        if let Some(orig) = updates.and_then(|m| self.interactions.get_mut(&m)?.original.as_mut()) {
            apply_edit(orig, &data);
        }
        self.interaction_responses
            .push(RecordedInteractionResponse {
                interaction_id: iid,
                token,
                kind,
                data,
                body: body.clone(),
                latency: Some(latency),
            });
        Reply::empty(204)
    }

    pub(crate) fn followup(
        &mut self,
        req: &Incoming,
        app: Option<u64>,
        token: &str,
        target: FollowupTarget,
        body: &Value,
    ) -> Reply {
        let unknown_webhook = || Reply::error(404, 10015, "Unknown Webhook");
        if app != Some(APPLICATION_ID) {
            return unknown_webhook();
        }
        let Some(iid) = self.tokens.get(&token.to_string()).copied() else {
            return unknown_webhook();
        };
        let validate = self.config.validate;
        let method = req.method.as_str();
        let new_id = self.next_id();
        let Some(st) = self.interactions.get_mut(&iid) else {
            return unknown_webhook();
        };
        if st.acknowledged.is_none() {
            return unknown_webhook();
        }
        if validate && matches!(method, "POST" | "PATCH") {
            if let Err(r) = validate_message(body, method == "POST", req.raw_body.as_deref()) {
                return r;
            }
        }
        let unknown_message = || Reply::error(404, 10008, "Unknown Message");
        let response = match (method, target) {
            ("POST", FollowupTarget::New) => {
                let mut msg = payloads::posted_message(new_id, st.channel_id, body);
                msg["webhook_id"] = json!(APPLICATION_ID.to_string());
                msg["application_id"] = json!(APPLICATION_ID.to_string());
                st.followups.insert(new_id, msg.clone());
                Some(msg)
            }
            (_, FollowupTarget::Original) => {
                let Some(orig) = st.original.as_mut() else {
                    return unknown_message();
                };
                match method {
                    "PATCH" => {
                        apply_edit(orig, body);
                        if let Some(f) = orig["flags"].as_u64() {
                            orig["flags"] = json!(f & !128);
                        }
                        Some(orig.clone())
                    }
                    "DELETE" => {
                        st.original = None;
                        None
                    }
                    _ => Some(orig.clone()),
                }
            }
            (_, FollowupTarget::Message(m)) => {
                let Some(msg) = st.followups.get_mut(&m) else {
                    return unknown_message();
                };
                match method {
                    "PATCH" => {
                        apply_edit(msg, body);
                        Some(msg.clone())
                    }
                    "DELETE" => {
                        st.followups.remove(&m);
                        None
                    }
                    _ => Some(msg.clone()),
                }
            }
            _ => return Reply::error(405, 0, "405: Method Not Allowed"),
        };
        if method != "GET" {
            self.followups.push(RecordedFollowup {
                method: method.to_string(),
                token: token.to_string(),
                interaction_id: iid,
                target,
                body: req.body.clone(),
                response: response.clone(),
            });
        }
        match response {
            Some(r) => Reply::json(200, r),
            None => Reply::empty(204),
        }
    }
}
