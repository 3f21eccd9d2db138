//! The fake's shared state: records, remembered messages and interactions, connections and
//! the session.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::clock::unix_ms;
use crate::{
    CommandRegistration, Delivery, Endpoint, FakeDiscordConfig, Identify, RecordedFollowup,
    RecordedInteractionResponse, RecordedMessage, RecordedRequest, Resume, ScriptedResponse,
    CHANNEL_ID, DISCORD_EPOCH_MS, GUILD_ID, REMEMBERED, REPLAY_LOG,
};

pub(crate) struct Inner {
    pub(crate) state: Mutex<St>,
    pub(crate) changed: watch::Sender<u64>,
    pub(crate) shutdown: watch::Sender<bool>,
}

impl Inner {
    pub(crate) fn lock(&self) -> MutexGuard<'_, St> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }
}

pub(crate) enum Out {
    Text(String),
    Close(u16, String),
    Drop,
}

pub(crate) struct Conn {
    pub(crate) tx: mpsc::UnboundedSender<Out>,
}

pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) log: VecDeque<(u64, String)>,
}

/// One shard's session when the fake is sharded.
pub(crate) struct ShardSession {
    /// The connection it is live on, if any.
    pub(crate) conn: Option<u64>,
    pub(crate) session: Session,
}

pub(crate) struct InteractionState {
    pub(crate) token: String,
    pub(crate) channel_id: u64,
    pub(crate) kind: u64,
    pub(crate) acknowledged: Option<u64>,
    pub(crate) original: Option<Value>,
    pub(crate) followups: HashMap<u64, Value>,
    pub(crate) dispatched_at: Instant,
    /// For a component interaction (type 3): the interaction whose original response holds
    /// the component.
    pub(crate) message_of: Option<u64>,
}

/// Insertion-ordered map that forgets its oldest entries beyond a capacity.
pub(crate) struct Bounded<K, V> {
    pub(crate) map: HashMap<K, V>,
    pub(crate) order: VecDeque<K>,
    pub(crate) cap: usize,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    pub(crate) fn new(cap: usize) -> Self {
        Bounded {
            map: HashMap::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    pub(crate) fn insert(&mut self, k: K, v: V) {
        if self.map.insert(k.clone(), v).is_none() {
            self.order.push_back(k);
            while self.order.len() > self.cap {
                if let Some(old) = self.order.pop_front() {
                    self.map.remove(&old);
                }
            }
        }
    }

    pub(crate) fn get(&self, k: &K) -> Option<&V> {
        self.map.get(k)
    }

    pub(crate) fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.map.get_mut(k)
    }

    pub(crate) fn remove(&mut self, k: &K) -> Option<V> {
        self.map.remove(k)
    }
}

pub(crate) struct St {
    pub(crate) addr: SocketAddr,
    pub(crate) config: FakeDiscordConfig,
    pub(crate) last_id: u64,
    // REST
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) request_count: usize,
    pub(crate) attempts: HashMap<Endpoint, usize>,
    pub(crate) scripts: HashMap<Endpoint, VecDeque<ScriptedResponse>>,
    pub(crate) messages: Vec<RecordedMessage>,
    pub(crate) known_messages: Bounded<u64, Value>,
    pub(crate) dispatched_at: Bounded<u64, Instant>,
    /// The message posted with each enforced nonce, as the JSON text it was answered with.
    pub(crate) nonces: Bounded<(u64, String), String>,
    pub(crate) channel_guild: HashMap<u64, u64>,
    pub(crate) interactions: Bounded<u64, InteractionState>,
    pub(crate) tokens: Bounded<String, u64>,
    pub(crate) interaction_responses: Vec<RecordedInteractionResponse>,
    pub(crate) followups: Vec<RecordedFollowup>,
    pub(crate) registrations: Vec<CommandRegistration>,
    pub(crate) commands: HashMap<Option<u64>, Vec<Value>>,
    pub(crate) command_ids: HashMap<(Option<u64>, u64, String), u64>,
    // gateway
    pub(crate) conn_counter: u64,
    pub(crate) conns: HashMap<u64, Conn>,
    pub(crate) newest: Option<u64>,
    pub(crate) live: Option<u64>,
    pub(crate) session: Option<Session>,
    pub(crate) session_counter: u64,
    pub(crate) session_intents: Option<u64>,
    pub(crate) undelivered: VecDeque<(String, String)>,
    pub(crate) identifies: Vec<Identify>,
    pub(crate) resumes: Vec<Resume>,
    pub(crate) heartbeats: u64,
    pub(crate) connections: Vec<Option<String>>,
    pub(crate) client_frames: Vec<Value>,
    pub(crate) client_closes: Vec<Option<u16>>,
    pub(crate) fail_identify: Option<u16>,
    /// What `GET /gateway` and `GET /gateway/bot` answer instead of [`St::ws_url`].
    pub(crate) gateway_url: Option<String>,
    pub(crate) ack_heartbeats: bool,
    // sharded (see `FakeDiscordConfig::shard_guilds`)
    /// `total_shards`, from the first IDENTIFY.
    pub(crate) total_shards: Option<u64>,
    pub(crate) shards: HashMap<u64, ShardSession>,
    /// Dispatches for shards with no live session: (event, d, shard), the shard `None` while
    /// no IDENTIFY has told the number of shards.
    pub(crate) shard_undelivered: Vec<(String, String, Option<u64>)>,
    pub(crate) deliveries: Vec<Delivery>,
}

impl St {
    pub(crate) fn new(addr: SocketAddr, config: FakeDiscordConfig) -> Self {
        St {
            addr,
            config,
            last_id: 0,
            requests: Vec::new(),
            request_count: 0,
            attempts: HashMap::new(),
            scripts: HashMap::new(),
            messages: Vec::new(),
            known_messages: Bounded::new(REMEMBERED),
            dispatched_at: Bounded::new(REMEMBERED),
            nonces: Bounded::new(REMEMBERED),
            channel_guild: HashMap::from([(CHANNEL_ID, GUILD_ID)]),
            interactions: Bounded::new(REMEMBERED),
            tokens: Bounded::new(REMEMBERED),
            interaction_responses: Vec::new(),
            followups: Vec::new(),
            registrations: Vec::new(),
            commands: HashMap::new(),
            command_ids: HashMap::new(),
            conn_counter: 0,
            conns: HashMap::new(),
            newest: None,
            live: None,
            session: None,
            session_counter: 0,
            session_intents: None,
            undelivered: VecDeque::new(),
            identifies: Vec::new(),
            resumes: Vec::new(),
            heartbeats: 0,
            connections: Vec::new(),
            client_frames: Vec::new(),
            client_closes: Vec::new(),
            fail_identify: None,
            gateway_url: None,
            ack_heartbeats: true,
            total_shards: None,
            shards: HashMap::new(),
            shard_undelivered: Vec::new(),
            deliveries: Vec::new(),
        }
    }

    /// A fresh snowflake, increasing.
    pub(crate) fn next_id(&mut self) -> u64 {
        let ms = unix_ms().saturating_sub(DISCORD_EPOCH_MS);
        let id = (ms << 22).max(self.last_id + 1);
        self.last_id = id;
        id
    }

    pub(crate) fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The gateway URL `GET /gateway` answers: the fake's own unless set otherwise.
    pub(crate) fn gateway_answer(&self) -> String {
        self.gateway_url.clone().unwrap_or_else(|| self.ws_url())
    }

    pub(crate) fn remember_dispatch(&mut self, event: &str, d: Value) {
        let Some(id) = d["id"].as_str().and_then(|s| s.parse::<u64>().ok()) else {
            return;
        };
        match event {
            "MESSAGE_CREATE" => {
                if let (Some(c), Some(g)) = (snowflake(&d["channel_id"]), snowflake(&d["guild_id"]))
                {
                    self.channel_guild.insert(c, g);
                }
                self.known_messages.insert(id, d);
                self.dispatched_at.insert(id, Instant::now());
            }
            "INTERACTION_CREATE" => {
                let token = d["token"].as_str().unwrap_or_default().to_string();
                self.tokens.insert(token.clone(), id);
                self.interactions.insert(
                    id,
                    InteractionState {
                        token,
                        channel_id: snowflake(&d["channel_id"]).unwrap_or(CHANNEL_ID),
                        kind: d["type"].as_u64().unwrap_or(2),
                        acknowledged: None,
                        original: None,
                        followups: HashMap::new(),
                        dispatched_at: Instant::now(),
                        message_of: None,
                    },
                );
            }
            _ => {}
        }
    }

    /// Sends a dispatch on the live connection, or buffers it.
    pub(crate) fn emit(&mut self, event: &str, d: Value) -> Option<u64> {
        self.emit_json(event, d.to_string())
    }

    /// [`St::emit`] for a `d` already serialised.
    pub(crate) fn emit_json(&mut self, event: &str, d: String) -> Option<u64> {
        if self.sharded() {
            let Some(shard) = self.shard_for(&d) else {
                self.shard_undelivered.push((event.to_string(), d, None));
                return None;
            };
            return self.emit_to_shard(shard, event, d);
        }
        let live = self
            .live
            .and_then(|id| self.conns.get(&id).map(|c| c.tx.clone()));
        match (live, self.session.as_mut()) {
            (Some(tx), Some(session)) => {
                session.seq += 1;
                let seq = session.seq;
                let frame = format!(r#"{{"t":{},"s":{seq},"op":0,"d":{d}}}"#, Value::from(event));
                session.log.push_back((seq, frame.clone()));
                while session.log.len() > REPLAY_LOG {
                    session.log.pop_front();
                }
                let _ = tx.send(Out::Text(frame));
                Some(seq)
            }
            _ => {
                self.undelivered.push_back((event.to_string(), d));
                None
            }
        }
    }

    /// Whether the fake is sharded ([`FakeDiscordConfig::shard_guilds`]).
    pub(crate) fn sharded(&self) -> bool {
        !self.config.shard_guilds.is_empty()
    }

    /// The shard Discord sends dispatch `d` to: `(guild_id >> 22) % total_shards`, DMs to
    /// shard 0; `None` while the number of shards is unknown.
    fn shard_for(&self, d: &str) -> Option<u64> {
        let total = self.total_shards?;
        let guild = serde_json::from_str::<Value>(d)
            .ok()
            .and_then(|v| snowflake(&v["guild_id"]));
        Some(guild.map_or(0, |g| (g >> 22) % total))
    }

    /// Sends a dispatch on `shard`'s live session, or keeps it for the shard's next session.
    pub(crate) fn emit_to_shard(&mut self, shard: u64, event: &str, d: String) -> Option<u64> {
        let live = self.shards.get(&shard).and_then(|s| {
            let conn = s.conn?;
            Some((conn, self.conns.get(&conn)?.tx.clone()))
        });
        let (Some((conn, tx)), Some(s)) = (live, self.shards.get_mut(&shard)) else {
            self.shard_undelivered
                .push((event.to_string(), d, Some(shard)));
            return None;
        };
        let session = &mut s.session;
        session.seq += 1;
        let seq = session.seq;
        if let Ok(v) = serde_json::from_str::<Value>(&d) {
            self.deliveries.push(Delivery {
                event: event.to_string(),
                shard,
                connection: conn,
                guild_id: snowflake(&v["guild_id"]),
                id: snowflake(&v["id"]),
            });
        }
        let frame = format!(r#"{{"t":{},"s":{seq},"op":0,"d":{d}}}"#, Value::from(event));
        let _ = tx.send(Out::Text(frame));
        Some(seq)
    }

    /// Sends the dispatches kept for `shard`, once those that waited for the number of shards
    /// are routed.
    pub(crate) fn flush_shard(&mut self, shard: u64) {
        let mut kept = std::mem::take(&mut self.shard_undelivered);
        for (_, d, s) in &mut kept {
            if s.is_none() {
                *s = self.shard_for(d);
            }
        }
        let (now, later): (Vec<_>, Vec<_>) =
            kept.into_iter().partition(|(_, _, s)| *s == Some(shard));
        self.shard_undelivered = later;
        for (event, d, _) in now {
            self.emit_to_shard(shard, &event, d);
        }
    }

    pub(crate) fn flush_undelivered(&mut self) -> usize {
        let pending: Vec<_> = self.undelivered.drain(..).collect();
        let n = pending.len();
        for (event, d) in pending {
            self.emit_json(&event, d);
        }
        n
    }

    pub(crate) fn token_ok(&self, presented: &str) -> bool {
        match &self.config.token {
            None => true,
            Some(expected) => strip_bot(presented) == strip_bot(expected),
        }
    }

    pub(crate) fn make_live(&mut self, conn: u64) {
        if let Some(old) = self.live.filter(|&old| old != conn) {
            // Discord closes the session's previous connection.
            if let Some(c) = self.conns.get(&old) {
                let _ = c.tx.send(Out::Drop);
            }
        }
        self.live = Some(conn);
    }
}

pub(crate) fn snowflake(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

pub(crate) fn strip_bot(token: &str) -> &str {
    token.trim().strip_prefix("Bot ").unwrap_or(token.trim())
}
