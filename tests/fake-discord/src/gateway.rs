//! The gateway side: the WebSocket connection, Hello, IDENTIFY, RESUME and heartbeats.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::payloads;
use crate::state::{Conn, Inner, Out, Session, ShardSession, St};
use crate::{Identify, Resume, GUILD_ID};

impl St {
    pub(crate) fn on_client_text(
        &mut self,
        conn: u64,
        tx: &mpsc::UnboundedSender<Out>,
        text: &str,
    ) {
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            let _ = tx.send(Out::Close(4002, close_reason(4002).into()));
            return;
        };
        match v["op"].as_u64() {
            Some(1) => {
                self.heartbeats += 1;
                if self.ack_heartbeats {
                    let _ = tx.send(Out::Text(op_frame(11, Value::Null)));
                }
            }
            Some(2) => {
                self.client_frames.push(v.clone());
                self.on_identify(conn, tx, &v["d"]);
            }
            Some(6) => {
                self.client_frames.push(v.clone());
                self.on_resume(conn, tx, &v["d"]);
            }
            Some(_) => self.client_frames.push(v),
            None => {
                let _ = tx.send(Out::Close(4001, close_reason(4001).into()));
            }
        }
    }

    pub(crate) fn on_identify(&mut self, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
        let token = d["token"].as_str().unwrap_or_default().to_string();
        let intents = d["intents"].as_u64().unwrap_or(0);
        let shard = d["shard"]
            .as_array()
            .and_then(|a| Some([a.first()?.as_u64()?, a.get(1)?.as_u64()?]));
        self.identifies.push(Identify {
            token: token.clone(),
            intents,
            shard,
            payload: d.clone(),
            at: Instant::now(),
        });
        if let Some(code) = self.fail_identify.take() {
            let _ = tx.send(Out::Close(code, close_reason(code).into()));
            return;
        }
        if !self.token_ok(&token) {
            let _ = tx.send(Out::Close(4004, close_reason(4004).into()));
            return;
        }
        if self.sharded() {
            self.identify_shard(conn, tx, shard);
            return;
        }
        self.session_counter += 1;
        let id = format!(
            "{:016x}{:016x}",
            u64::from(self.addr.port()).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            self.session_counter.wrapping_mul(0xbf58_476d_1ce4_e5b9)
        );
        self.session = Some(Session {
            id: id.clone(),
            seq: 0,
            log: VecDeque::new(),
        });
        self.session_intents = Some(intents);
        self.make_live(conn);
        let ready = payloads::ready(&id, &self.ws_url(), shard, &[GUILD_ID]);
        self.emit("READY", ready);
        self.flush_undelivered();
    }

    /// IDENTIFY when sharded: a session for the shard, READY with its guilds, and the
    /// dispatches that waited for it.
    fn identify_shard(
        &mut self,
        conn: u64,
        tx: &mpsc::UnboundedSender<Out>,
        shard: Option<[u64; 2]>,
    ) {
        let valid =
            shard.filter(|&[id, total]| id < total && self.total_shards.is_none_or(|t| t == total));
        let Some([id, total]) = valid else {
            let _ = tx.send(Out::Close(4010, close_reason(4010).into()));
            return;
        };
        self.total_shards = Some(total);
        if let Some(old) = self
            .shards
            .get(&id)
            .and_then(|s| s.conn)
            .filter(|&c| c != conn)
        {
            // Discord closes the shard's previous connection.
            if let Some(c) = self.conns.get(&old) {
                let _ = c.tx.send(Out::Drop);
            }
        }
        self.session_counter += 1;
        let session_id = format!(
            "{:016x}{:016x}",
            u64::from(self.addr.port()).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            self.session_counter.wrapping_mul(0xbf58_476d_1ce4_e5b9)
        );
        self.shards.insert(
            id,
            ShardSession {
                conn: Some(conn),
                session: Session {
                    id: session_id.clone(),
                    seq: 0,
                    log: VecDeque::new(),
                },
            },
        );
        let guilds: Vec<u64> = self
            .config
            .shard_guilds
            .iter()
            .copied()
            .filter(|g| (g >> 22) % total == id)
            .collect();
        let ready = payloads::ready(&session_id, &self.ws_url(), shard, &guilds);
        self.emit_to_shard(id, "READY", ready.to_string());
        self.flush_shard(id);
    }

    pub(crate) fn on_resume(&mut self, conn: u64, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
        let token = d["token"].as_str().unwrap_or_default().to_string();
        let session_id = d["session_id"].as_str().unwrap_or_default().to_string();
        let seq = d["seq"].as_u64().unwrap_or(0);
        let token_ok = self.token_ok(&token);
        if self.sharded() {
            // Sessions of a sharded fake are not resumed: the shard identifies again.
            self.resumes.push(Resume {
                token,
                session_id,
                seq,
                accepted: false,
                replayed: 0,
                at: Instant::now(),
            });
            let _ = tx.send(Out::Text(op_frame(9, json!(false))));
            return;
        }
        let frames = match &self.session {
            Some(s) if s.id == session_id && token_ok => {
                let complete = s
                    .log
                    .front()
                    .map_or(s.seq <= seq, |&(first, _)| first <= seq + 1);
                complete.then(|| {
                    s.log
                        .iter()
                        .filter(|(sq, _)| *sq > seq)
                        .map(|(_, f)| f.clone())
                        .collect::<Vec<_>>()
                })
            }
            _ => None,
        };
        let Some(frames) = frames else {
            self.resumes.push(Resume {
                token,
                session_id,
                seq,
                accepted: false,
                replayed: 0,
                at: Instant::now(),
            });
            let _ = tx.send(Out::Text(op_frame(9, json!(false))));
            return;
        };
        let mut replayed = frames.len();
        for f in frames {
            let _ = tx.send(Out::Text(f));
        }
        self.make_live(conn);
        replayed += self.flush_undelivered();
        self.emit(
            "RESUMED",
            json!({ "_trace": ["[\"fake-discord\",{\"micros\":1}]"] }),
        );
        self.resumes.push(Resume {
            token,
            session_id,
            seq,
            accepted: true,
            replayed,
            at: Instant::now(),
        });
    }
}

pub(crate) async fn ws_handler(
    State(inner): State<Arc<Inner>>,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    let query = uri.query().map(str::to_owned);
    ws.on_upgrade(move |socket| run_connection(inner, socket, query))
}

pub(crate) async fn run_connection(inner: Arc<Inner>, socket: WebSocket, query: Option<String>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut stop = inner.shutdown.subscribe();
    if *stop.borrow_and_update() {
        return;
    }
    let id = {
        let mut st = inner.lock();
        st.conn_counter += 1;
        let id = st.conn_counter;
        st.conns.insert(id, Conn { tx: tx.clone() });
        st.newest = Some(id);
        st.connections.push(query);
        let interval = st.config.heartbeat_interval.as_millis() as u64;
        let hello = json!({
            "t": null, "s": null, "op": 10,
            "d": { "heartbeat_interval": interval, "_trace": ["[\"fake-discord\",{\"micros\":0}]"] }
        });
        let _ = tx.send(Out::Text(hello.to_string()));
        id
    };
    inner.bump();

    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Text(text)) => {
                    if sink.send(WsMessage::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code, reason)) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    // Read until the client's close reply (or give up).
                    let _ = tokio::time::timeout(Duration::from_secs(2), async {
                        while let Some(Ok(m)) = stream.next().await {
                            if let WsMessage::Close(f) = m {
                                inner.lock().client_closes.push(f.map(|f| f.code));
                                break;
                            }
                        }
                    })
                    .await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
            msg = stream.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    inner.lock().on_client_text(id, &tx, text.as_str());
                    inner.bump();
                }
                Some(Ok(WsMessage::Binary(_))) => {
                    // serenity never sends binary; treat it like Discord: decode error.
                    let _ = tx.send(Out::Close(4002, close_reason(4002).into()));
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    let code = frame.map(|f| f.code);
                    {
                        let mut st = inner.lock();
                        st.client_closes.push(code);
                        // A client closing with 1000/1001 ends its session.
                        if matches!(code, Some(1000 | 1001)) && st.live == Some(id) {
                            st.session = None;
                        }
                        if matches!(code, Some(1000 | 1001)) {
                            st.shards.retain(|_, s| s.conn != Some(id));
                        }
                    }
                    let _ = sink.close().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            _ = stop.changed() => break,
        }
    }
    drop(sink);
    drop(stream);
    {
        let mut st = inner.lock();
        st.conns.remove(&id);
        if st.live == Some(id) {
            st.live = None;
        }
        for s in st.shards.values_mut() {
            if s.conn == Some(id) {
                s.conn = None;
            }
        }
        if st.newest == Some(id) {
            st.newest = st.conns.keys().max().copied();
        }
    }
    inner.bump();
}

pub(crate) fn op_frame(op: u64, d: Value) -> String {
    json!({ "t": null, "s": null, "op": op, "d": d }).to_string()
}

pub(crate) fn close_reason(code: u16) -> &'static str {
    match code {
        4000 => "Unknown error.",
        4001 => "Unknown opcode.",
        4002 => "Error while decoding payload.",
        4003 => "Not authenticated.",
        4004 => "Authentication failed.",
        4005 => "Already authenticated.",
        4007 => "Invalid seq.",
        4008 => "Rate limited.",
        4009 => "Session timed out.",
        4010 => "Invalid shard.",
        4011 => "Sharding required.",
        4012 => "Invalid API version.",
        4013 => "Invalid intent(s).",
        4014 => "Disallowed intent(s).",
        _ => "",
    }
}
