//! The running fake: start-up, addresses, REST scripts and records, and waiting on them.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::gateway::ws_handler;
use crate::rest::rest_handler;
use crate::state::{Inner, St};
use crate::{
    CommandRegistration, Endpoint, FakeDiscordConfig, Identify, RecordedFollowup,
    RecordedInteractionResponse, RecordedMessage, RecordedRequest, Resume, ScriptedResponse,
    APPLICATION_ID, BOT_USER_ID, GUILD_ID,
};

/// The running fake. Dropping it stops the server and closes gateway connections.
pub struct FakeDiscord {
    pub(crate) inner: Arc<Inner>,
    addr: SocketAddr,
    server: Option<JoinHandle<()>>,
}

impl FakeDiscord {
    /// Starts a fake with default settings on 127.0.0.1 and a free port.
    pub async fn start() -> FakeDiscord {
        Self::start_with(FakeDiscordConfig::default()).await
    }

    /// Starts a fake with `config`.
    pub async fn start_with(config: FakeDiscordConfig) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake discord: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake discord: local addr");
        // Small writes go out at once, as from Discord's servers, not after a delayed ACK.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let (changed, _) = watch::channel(0u64);
        let (shutdown, _) = watch::channel(false);
        let inner = Arc::new(Inner {
            state: Mutex::new(St::new(addr, config)),
            changed,
            shutdown,
        });
        let app = Router::new()
            .route("/ws", get(ws_handler))
            .fallback(rest_handler)
            .with_state(Arc::clone(&inner));
        let mut stop = inner.shutdown.subscribe();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await;
        });
        FakeDiscord {
            inner,
            addr,
            server: Some(server),
        }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT/ws`, what `GET /gateway` answers.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// [`BOT_USER_ID`].
    pub fn bot_user_id(&self) -> u64 {
        BOT_USER_ID
    }

    /// [`APPLICATION_ID`].
    pub fn application_id(&self) -> u64 {
        APPLICATION_ID
    }

    /// [`GUILD_ID`].
    pub fn guild_id(&self) -> u64 {
        GUILD_ID
    }

    /// Stops the server and gateway connections and waits (up to 5 s) for the server to finish.
    pub async fn shutdown(mut self) {
        self.inner.shutdown.send_replace(true);
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
        }
    }

    // ----- REST: faults, records, waits -----

    /// Queues `response` for the next request to `endpoint`; queued responses are used one per
    /// request, in order, before normal answers resume.
    pub fn script(&self, endpoint: Endpoint, response: ScriptedResponse) {
        self.inner
            .lock()
            .scripts
            .entry(endpoint)
            .or_default()
            .push_back(response);
    }

    /// [`Self::script`] for message creation, several at once.
    pub fn script_create_message(&self, responses: impl IntoIterator<Item = ScriptedResponse>) {
        let mut st = self.inner.lock();
        let q = st.scripts.entry(Endpoint::CreateMessage).or_default();
        q.extend(responses);
    }

    /// Scripted responses not yet used for `endpoint`.
    pub fn scripts_left(&self, endpoint: Endpoint) -> usize {
        self.inner
            .lock()
            .scripts
            .get(&endpoint)
            .map_or(0, VecDeque::len)
    }

    /// Requests received for `endpoint`, scripted failures included.
    pub fn attempts(&self, endpoint: Endpoint) -> usize {
        self.inner
            .lock()
            .attempts
            .get(&endpoint)
            .copied()
            .unwrap_or(0)
    }

    /// All recorded REST requests, in arrival order (since the last [`Self::clear_records`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.lock().requests.clone()
    }

    /// Recorded requests to `endpoint`.
    pub fn requests_to(&self, endpoint: Endpoint) -> Vec<RecordedRequest> {
        let st = self.inner.lock();
        st.requests
            .iter()
            .filter(|r| r.endpoint == endpoint)
            .cloned()
            .collect()
    }

    /// REST requests received since start (not reset by [`Self::clear_records`]).
    pub fn request_count(&self) -> usize {
        self.inner.lock().request_count
    }

    /// Channel messages created so far, in order.
    pub fn messages(&self) -> Vec<RecordedMessage> {
        self.inner.lock().messages.clone()
    }

    /// Number of channel messages created (cheap, for benches).
    pub fn message_count(&self) -> usize {
        self.inner.lock().messages.len()
    }

    /// Accepted interaction callbacks so far.
    pub fn interaction_responses(&self) -> Vec<RecordedInteractionResponse> {
        self.inner.lock().interaction_responses.clone()
    }

    /// Successful follow-up / original-response requests so far.
    pub fn followups(&self) -> Vec<RecordedFollowup> {
        self.inner.lock().followups.clone()
    }

    /// Successful command registrations so far.
    pub fn command_registrations(&self) -> Vec<CommandRegistration> {
        self.inner.lock().registrations.clone()
    }

    /// Forgets recorded requests, messages, interaction responses, follow-ups and registrations
    /// (for long benches). Attempt counts, scripts and gateway state stay.
    pub fn clear_records(&self) {
        let mut st = self.inner.lock();
        st.requests.clear();
        st.messages.clear();
        st.interaction_responses.clear();
        st.followups.clear();
        st.registrations.clear();
    }

    /// Waits until at least `n` channel messages were created or `timeout` passes, then returns
    /// all created so far (fewer than `n` on timeout).
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<RecordedMessage> {
        self.wait_until(timeout, |st| (st.messages.len() >= n).then_some(()))
            .await;
        self.messages()
    }

    /// Waits until at least `n` channel messages were created; returns whether they were. Clones
    /// nothing (for benches).
    pub async fn wait_for_message_count(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| (st.messages.len() >= n).then_some(()))
            .await
            .is_some()
    }

    /// Waits for at least `n` accepted interaction callbacks; returns all so far.
    pub async fn wait_for_interaction_responses(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedInteractionResponse> {
        self.wait_until(timeout, |st| {
            (st.interaction_responses.len() >= n).then_some(())
        })
        .await;
        self.interaction_responses()
    }

    /// Waits for at least `n` successful follow-up requests; returns all so far.
    pub async fn wait_for_followups(&self, n: usize, timeout: Duration) -> Vec<RecordedFollowup> {
        self.wait_until(timeout, |st| (st.followups.len() >= n).then_some(()))
            .await;
        self.followups()
    }

    /// Waits for a command registration; returns the latest one.
    pub async fn wait_for_command_registration(
        &self,
        timeout: Duration,
    ) -> Option<CommandRegistration> {
        self.wait_until(timeout, |st| st.registrations.last().cloned())
            .await
    }

    /// Waits until `endpoint` saw at least `n` requests; returns whether it did.
    pub async fn wait_for_attempts(&self, endpoint: Endpoint, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |st| {
            (st.attempts.get(&endpoint).copied().unwrap_or(0) >= n).then_some(())
        })
        .await
        .is_some()
    }

    /// Waits until `f` returns `Some` over the fake's records, re-checking on every change of
    /// the fake's state (only: a condition on outside state is re-checked only when the fake
    /// changes). `f` sees [`Snapshot`] accessors.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&Snapshot<'_>) -> Option<T>,
    ) -> Option<T> {
        self.wait_until(timeout, |st| f(&Snapshot { st })).await
    }

    /// Waits until `f` returns `Some` over the state, re-checking on every change.
    pub(crate) async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&St) -> Option<T>,
    ) -> Option<T> {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            rx.mark_unchanged();
            if let Some(v) = f(&self.inner.lock()) {
                return Some(v);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => return f(&self.inner.lock()),
            }
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.inner.shutdown.send_replace(true);
    }
}

/// Read access to the fake's records inside [`FakeDiscord::wait_for`].
pub struct Snapshot<'a> {
    st: &'a St,
}

impl Snapshot<'_> {
    /// Recorded REST requests.
    pub fn requests(&self) -> &[RecordedRequest] {
        &self.st.requests
    }

    /// Created channel messages.
    pub fn messages(&self) -> &[RecordedMessage] {
        &self.st.messages
    }

    /// Accepted interaction callbacks.
    pub fn interaction_responses(&self) -> &[RecordedInteractionResponse] {
        &self.st.interaction_responses
    }

    /// Successful follow-up requests.
    pub fn followups(&self) -> &[RecordedFollowup] {
        &self.st.followups
    }

    /// IDENTIFYs.
    pub fn identifies(&self) -> &[Identify] {
        &self.st.identifies
    }

    /// RESUMEs.
    pub fn resumes(&self) -> &[Resume] {
        &self.st.resumes
    }

    /// Attempts per endpoint.
    pub fn attempts(&self, endpoint: Endpoint) -> usize {
        self.st.attempts.get(&endpoint).copied().unwrap_or(0)
    }

    /// Whether a session is live.
    pub fn is_live(&self) -> bool {
        self.st.live.is_some()
    }
}
