//! The gateway as tests drive it: session state and waits, dispatched events, broken
//! connections.

use std::time::Duration;

use serde_json::{json, Value};

use crate::gateway::{close_reason, op_frame};
use crate::state::{Out, St};
use crate::{
    intents, payloads, Author, Delivery, FakeDiscord, Identify, Resume, SentInteraction, BOT_NAME,
    BOT_USER_ID,
};

impl FakeDiscord {
    /// Waits for an IDENTIFY (answered with READY unless refused); returns the latest.
    pub async fn wait_identified(&self, timeout: Duration) -> Option<Identify> {
        self.wait_until(timeout, |st| st.identifies.last().cloned())
            .await
    }

    /// Waits until at least `n` IDENTIFYs arrived.
    pub async fn wait_identifies(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.identifies.len() >= n).then_some(()))
            .await
            .is_some()
    }

    /// Waits until at least `n` RESUMEs were accepted.
    pub async fn wait_resumes(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.resumes.iter().filter(|r| r.accepted).count() >= n).then_some(())
        })
        .await
        .is_some()
    }

    /// Waits until a connection has an identified or resumed session (dispatches go out live).
    pub async fn wait_live(&self, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| st.live.map(|_| ()))
            .await
            .is_some()
    }

    /// Waits until at least `n` heartbeats (op 1) arrived.
    pub async fn wait_heartbeats(&self, n: u64, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.heartbeats >= n).then_some(()))
            .await
            .is_some()
    }

    /// IDENTIFYs received.
    pub fn identifies(&self) -> Vec<Identify> {
        self.inner.lock().identifies.clone()
    }

    /// Dispatches a sharded fake sent, with the shard each went to.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.lock().deliveries.clone()
    }

    /// Waits until the shards of a sharded fake with a live session are exactly `shards`.
    pub async fn wait_live_shards(&self, shards: &[u64], timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            let mut live: Vec<u64> = st
                .shards
                .iter()
                .filter(|(_, s)| s.conn.is_some())
                .map(|(&id, _)| id)
                .collect();
            live.sort_unstable();
            (live == shards).then_some(())
        })
        .await
        .is_some()
    }

    /// RESUMEs received (accepted or not).
    pub fn resumes(&self) -> Vec<Resume> {
        self.inner.lock().resumes.clone()
    }

    /// Heartbeats (op 1) received.
    pub fn heartbeats(&self) -> u64 {
        self.inner.lock().heartbeats
    }

    /// Query strings of gateway connections opened so far (serenity: `v=10`).
    pub fn gateway_connections(&self) -> Vec<Option<String>> {
        self.inner.lock().connections.clone()
    }

    /// Gateway frames from the client other than heartbeats (IDENTIFY, RESUME, presence …).
    pub fn client_frames(&self) -> Vec<Value> {
        self.inner.lock().client_frames.clone()
    }

    /// Close codes the client sent (serenity: 1000 on shutdown, 4000 on restart).
    pub fn client_close_codes(&self) -> Vec<Option<u16>> {
        self.inner.lock().client_closes.clone()
    }

    /// Whether a session is live on a connection.
    pub fn is_live(&self) -> bool {
        self.inner.lock().live.is_some()
    }

    /// The current session id, if any.
    pub fn session_id(&self) -> Option<String> {
        self.inner.lock().session.as_ref().map(|s| s.id.clone())
    }

    /// The last sequence number assigned in the current session.
    pub fn last_seq(&self) -> u64 {
        self.inner.lock().session.as_ref().map_or(0, |s| s.seq)
    }

    // ----- gateway: control -----

    /// Heartbeat interval for the next Hello.
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        self.inner.lock().config.heartbeat_interval = interval;
    }

    /// Whether heartbeats get op 11 (false simulates a zombied connection).
    pub fn set_ack_heartbeats(&self, ack: bool) {
        self.inner.lock().ack_heartbeats = ack;
    }

    /// Whether the bot's own posted messages are dispatched back as MESSAGE_CREATE.
    pub fn set_echo_own_messages(&self, echo: bool) {
        self.inner.lock().config.echo_own_messages = echo;
    }

    /// Makes `GET /gateway` (and `/gateway/bot`) answer `url` instead of the fake's own gateway,
    /// e.g. a port that refuses or never answers; `None` restores the fake's own.
    pub fn set_gateway_url(&self, url: Option<String>) {
        self.inner.lock().gateway_url = url;
    }

    /// Closes the connection with `code` at the next IDENTIFY instead of READY (4004
    /// authentication failed, 4013 invalid intents, 4014 disallowed intents: fatal for serenity).
    pub fn fail_identify_with(&self, code: u16) {
        self.inner.lock().fail_identify = Some(code);
    }

    /// Sends a dispatch. Goes out at once when a session is live; otherwise it is buffered and
    /// delivered after the next RESUME's replay or the next READY. Returns the sequence number,
    /// or None when buffered. MESSAGE_CREATE and INTERACTION_CREATE are remembered so that
    /// replies and callbacks to them work.
    pub fn dispatch(&self, event: &str, d: Value) -> Option<u64> {
        let seq = {
            let mut st = self.inner.lock();
            st.remember_dispatch(event, d.clone());
            st.emit(event, d)
        };
        self.inner.bump();
        seq
    }

    /// Dispatches MESSAGE_CREATE from `author` in `channel_id` (a guild channel when `guild_id`
    /// is given, else a DM), with the bot in `mentions` if `mentions_bot` (put
    /// [`mention`]`(BOT_USER_ID)` in `content` yourself). Returns the message id. With intent
    /// emulation, it is not delivered without GUILD_MESSAGES/DIRECT_MESSAGES and its content is
    /// blanked without MESSAGE_CONTENT (unless a DM or it mentions the bot).
    pub fn message_create(
        &self,
        channel_id: u64,
        author: &Author,
        content: &str,
        guild_id: Option<u64>,
        mentions_bot: bool,
    ) -> u64 {
        // The message is built and written outside the lock, as a user's message is not
        // Discord's own work: the stand-in's REST handling waits for it as little as it can.
        let (id, intents) = {
            let mut st = self.inner.lock();
            let intents = st.session_intents.filter(|_| st.config.emulate_intents);
            (st.next_id(), intents)
        };
        let mentions = if mentions_bot {
            let mut bot = payloads::user(BOT_USER_ID, BOT_NAME, true);
            if guild_id.is_some() {
                bot["member"] = payloads::member(None);
            }
            vec![bot]
        } else {
            Vec::new()
        };
        let d = payloads::message(id, channel_id, author, content, guild_id, mentions);
        let needed = if guild_id.is_some() {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        };
        let deliver = intents.is_none_or(|i| i & needed != 0);
        let hide_content = guild_id.is_some()
            && !mentions_bot
            && intents.is_some_and(|i| i & intents::MESSAGE_CONTENT == 0);
        // Written once, as the session receives it.
        let text = deliver.then(|| {
            if !hide_content {
                return d.to_string();
            }
            let mut hidden = d.clone();
            hidden["content"] = json!("");
            hidden["embeds"] = json!([]);
            hidden["attachments"] = json!([]);
            hidden["components"] = json!([]);
            hidden.to_string()
        });
        let mut st = self.inner.lock();
        st.remember_dispatch("MESSAGE_CREATE", d);
        if let Some(text) = text {
            st.emit_json("MESSAGE_CREATE", text);
        }
        drop(st);
        self.inner.bump();
        id
    }

    /// Dispatches INTERACTION_CREATE type 2 (slash command `name` with `options`, e.g.
    /// `json!([{"type":3,"name":"council","value":"Solihull"}])`) from `user` in `channel_id`,
    /// in `guild_id` or a DM.
    pub fn interaction_command(
        &self,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        self.interaction(2, name, options, user, channel_id, guild_id)
    }

    /// Dispatches INTERACTION_CREATE type 4 (autocomplete); one option should carry
    /// `"focused": true`, e.g. `json!([{"type":3,"name":"council","value":"Sol","focused":true}])`.
    pub fn interaction_autocomplete(
        &self,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        self.interaction(4, name, options, user, channel_id, guild_id)
    }

    /// Dispatches INTERACTION_CREATE type 3: `user` presses the button `custom_id` on the
    /// message that answered interaction `answered` (its original response, as it stands now).
    /// `None`, and nothing sent, when that message has no such button or it is disabled, as a
    /// user can't press one there.
    pub fn interaction_component(
        &self,
        answered: u64,
        custom_id: &str,
        user: &Author,
        guild_id: Option<u64>,
    ) -> Option<SentInteraction> {
        let sent = {
            let mut st = self.inner.lock();
            let (message, channel_id) = {
                let orig = st.interactions.get(&answered)?;
                (orig.original.clone()?, orig.channel_id)
            };
            let pressable = message["components"]
                .as_array()?
                .iter()
                .flat_map(|row| row["components"].as_array().into_iter().flatten())
                .any(|b| b["custom_id"] == custom_id && b["disabled"] != true);
            if !pressable {
                return None;
            }
            let id = st.next_id();
            let token = format!(
                "aW50ZXJhY3Rpb246{id}.fake{:x}",
                id.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
            let sent = SentInteraction {
                id,
                token,
                command_id: 0,
            };
            let d = payloads::component_interaction(
                &sent, custom_id, message, user, channel_id, guild_id,
            );
            st.remember_dispatch("INTERACTION_CREATE", d.clone());
            if let Some(i) = st.interactions.get_mut(&id) {
                i.message_of = Some(answered);
            }
            st.emit("INTERACTION_CREATE", d);
            sent
        };
        self.inner.bump();
        Some(sent)
    }

    /// The message that answered interaction `id` (its original response), as it stands now.
    pub fn original_response(&self, id: u64) -> Option<Value> {
        self.inner.lock().interactions.get(&id)?.original.clone()
    }

    fn interaction(
        &self,
        kind: u64,
        name: &str,
        options: Value,
        user: &Author,
        channel_id: u64,
        guild_id: Option<u64>,
    ) -> SentInteraction {
        let sent = {
            let mut st = self.inner.lock();
            let id = st.next_id();
            let token = format!(
                "aW50ZXJhY3Rpb246{id}.fake{:x}",
                id.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
            let command_id = st
                .commands
                .get(&guild_id)
                .into_iter()
                .chain(st.commands.get(&None))
                .flatten()
                .find(|c| c["name"] == name)
                .and_then(|c| c["id"].as_str()?.parse().ok());
            let command_id = match command_id {
                Some(c) => c,
                None => st.next_id(),
            };
            let sent = SentInteraction {
                id,
                token,
                command_id,
            };
            let d = payloads::interaction(kind, &sent, name, options, user, channel_id, guild_id);
            st.remember_dispatch("INTERACTION_CREATE", d.clone());
            st.emit("INTERACTION_CREATE", d);
            sent
        };
        self.inner.bump();
        sent
    }

    /// Sends op 7 Reconnect on the newest connection; serenity resumes at once. Dispatches sent
    /// after this are buffered until the RESUME. Returns whether a connection was open.
    pub fn send_reconnect(&self) -> bool {
        self.control(|_| Out::Text(op_frame(7, Value::Null)))
    }

    /// Sends op 9 Invalid Session; with `resumable` false the session is forgotten (serenity
    /// re-identifies after about 5 s), with true serenity resumes.
    pub fn send_invalid_session(&self, resumable: bool) -> bool {
        self.control(|st| {
            if !resumable {
                st.session = None;
            }
            Out::Text(op_frame(9, json!(resumable)))
        })
    }

    /// Closes the newest connection with `code` (4000 makes serenity resume at once; 4007 and
    /// 4009 also forget the session, as Discord does).
    pub fn close_with(&self, code: u16) -> bool {
        self.control(|st| {
            if matches!(code, 4007 | 4009) {
                st.session = None;
            }
            Out::Close(code, close_reason(code).into())
        })
    }

    /// Drops the newest connection's TCP stream without a close frame.
    pub fn drop_tcp(&self) -> bool {
        self.control(|_| Out::Drop)
    }

    /// Sends raw text (e.g. a malformed frame) on the newest connection.
    pub fn send_raw(&self, text: &str) -> bool {
        let text = text.to_string();
        let st = self.inner.lock();
        match st.newest.and_then(|id| st.conns.get(&id)) {
            Some(c) => c.tx.send(Out::Text(text)).is_ok(),
            None => false,
        }
    }

    fn control(&self, f: impl FnOnce(&mut St) -> Out) -> bool {
        let sent = {
            let mut st = self.inner.lock();
            match st.newest {
                Some(id) if st.conns.contains_key(&id) => {
                    if st.live == Some(id) {
                        st.live = None;
                    }
                    let out = f(&mut st);
                    st.conns[&id].tx.send(out).is_ok()
                }
                _ => false,
            }
        };
        self.inner.bump();
        sent
    }
}
