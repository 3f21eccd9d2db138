//! What the running bot is doing, for operators: Prometheus series at `/metrics` and a health
//! check at `/healthz`, served on `metrics.listen` when it is set (off by default).
//!
//! The series are kept by `prometheus-client` and written in Prometheus' text format. When the
//! listener is off, [`Metrics`] records nothing at all.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use serenity::all::{ShardId, ShardInfo};
use serenity::gateway::{ConnectionStage, ShardManager};

use crate::answer::{Answer, Miss};
use crate::config::{DiscordConfig, ShardMode};
use crate::knowledge::{Counts, LoadErrors};
use crate::query::registry;

/// The command label of a question that names no command: a plain question.
const PLAIN: &str = "question";
/// The longest a client may take to send its request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How a question ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Facts were given.
    Answered,
    /// The question was understood but the knowledge base has no answer.
    NoAnswer,
    /// The words made no sense to carebot, or named a command that does not exist.
    NotUnderstood,
    /// A command used wrongly, or a message too long to read.
    UsageError,
    /// The asker was over the cooldown.
    Cooldown,
    /// Answering failed inside carebot (the asker got an apology).
    Error,
}

impl Outcome {
    /// The outcome of an answer.
    pub fn of(answer: &Answer) -> Self {
        match answer {
            Answer::Reply(_) => Outcome::Answered,
            Answer::NoAnswer(n) => match n.miss {
                Miss::NotUnderstood { .. } | Miss::UnknownCommand { .. } => Outcome::NotUnderstood,
                Miss::Usage(_) | Miss::TooLong { .. } => Outcome::UsageError,
                _ => Outcome::NoAnswer,
            },
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::NoAnswer => "no_answer",
            Outcome::NotUnderstood => "not_understood",
            Outcome::UsageError => "usage_error",
            Outcome::Cooldown => "cooldown",
            Outcome::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QuestionLabels {
    command: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ShardLabels {
    shard: u32,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

/// The bot's metrics, shared by the handler, the poster and the reloads; cheap to clone.
/// [`Metrics::off`] records nothing.
#[derive(Debug, Clone, Default)]
pub struct Metrics(Option<Arc<Series>>);

#[derive(Debug)]
struct Series {
    registry: Registry,
    questions: Family<QuestionLabels, Counter>,
    answer_seconds: Histogram,
    post_seconds: Histogram,
    rest_retries: Family<StatusLabels, Counter>,
    rest_give_ups: Family<StatusLabels, Counter>,
    identifies: Family<ShardLabels, Counter>,
    resumes: Family<ShardLabels, Counter>,
    reconnects: Family<ShardLabels, Counter>,
    heartbeat_seconds: Family<ShardLabels, Gauge<f64, AtomicU64>>,
    connected: Family<ShardLabels, Gauge>,
    reloads: Family<ResultLabels, Counter>,
    last_good_load: Gauge<f64, AtomicU64>,
    entities: Family<KindLabels, Gauge>,
    shards: Mutex<Shards>,
}

/// The shards this process runs, as far as they are known, and serenity's view of them.
#[derive(Debug, Default)]
struct Shards {
    /// The first shard and how many: from the config's range, or from READY with `auto`.
    range: Option<(u32, u32)>,
    /// Shards that have had a session, so a later one is a reconnect.
    had_session: Vec<u32>,
    manager: Weak<ShardManager>,
}

impl Metrics {
    /// Metrics that record, for a bot running the shards `discord` asks for.
    pub fn new(discord: &DiscordConfig) -> Self {
        let mut registry = Registry::with_prefix("carebot");
        let questions = Family::default();
        registry.register(
            "questions",
            "Questions handled, by the command named (\"question\" for plain questions) and how they ended",
            questions.clone(),
        );
        // 10 µs to about 1.3 s.
        let answer_seconds = Histogram::new(exponential_buckets(0.000_01, 4.0, 9));
        registry.register(
            "answer_seconds",
            "Time to work out an answer and render it",
            answer_seconds.clone(),
        );
        // 1 ms to about 65 s: a reply waiting out a rate limit takes seconds.
        let post_seconds = Histogram::new(exponential_buckets(0.001, 4.0, 9));
        registry.register(
            "reply_post_seconds",
            "Time to post a reply, every page and retry included, for replies posted",
            post_seconds.clone(),
        );
        let rest_retries = Family::default();
        registry.register(
            "rest_retries",
            "Reply posts retried, by the HTTP status that caused it (\"network\" for a failed request)",
            rest_retries.clone(),
        );
        let rest_give_ups = Family::default();
        registry.register(
            "rest_give_ups",
            "Replies given up, by the last HTTP status (\"network\" for a failed request)",
            rest_give_ups.clone(),
        );
        let identifies = Family::default();
        registry.register(
            "gateway_identifies",
            "Gateway sessions started (IDENTIFY answered by READY), by shard",
            identifies.clone(),
        );
        let resumes = Family::default();
        registry.register(
            "gateway_resumes",
            "Gateway sessions resumed (RESUMED), by shard",
            resumes.clone(),
        );
        let reconnects = Family::default();
        registry.register(
            "gateway_reconnects",
            "Times a shard had a session again after its first, resumed or new, by shard",
            reconnects.clone(),
        );
        let heartbeat_seconds = Family::default();
        registry.register(
            "gateway_heartbeat_latency_seconds",
            "Time from the latest acknowledged heartbeat to its acknowledgement, by shard",
            heartbeat_seconds.clone(),
        );
        let connected = Family::default();
        registry.register(
            "gateway_connected",
            "1 when the shard has a live session, else 0",
            connected.clone(),
        );
        let reloads = Family::default();
        registry.register(
            "knowledge_reloads",
            "Knowledge reloads, by result: ok, or refused (the last good version kept)",
            reloads.clone(),
        );
        let last_good_load = Gauge::default();
        registry.register(
            "knowledge_last_good_load_timestamp_seconds",
            "When the knowledge answered from was loaded, in seconds since the Unix epoch",
            last_good_load.clone(),
        );
        let entities = Family::default();
        registry.register(
            "knowledge_entities",
            "Entries in the knowledge answered from, by kind",
            entities.clone(),
        );
        let range = (discord.shards == ShardMode::Range)
            .then_some((discord.shard_start, discord.shard_count));
        Metrics(Some(Arc::new(Series {
            registry,
            questions,
            answer_seconds,
            post_seconds,
            rest_retries,
            rest_give_ups,
            identifies,
            resumes,
            reconnects,
            heartbeat_seconds,
            connected,
            reloads,
            last_good_load,
            entities,
            shards: Mutex::new(Shards {
                range,
                ..Shards::default()
            }),
        })))
    }

    /// Metrics that record nothing.
    pub fn off() -> Self {
        Metrics(None)
    }

    /// A question from a message: its command is the one it names after the prefix, if any.
    pub fn message_question(&self, prefix: &str, text: &str, outcome: Outcome, took: Duration) {
        if let Some(s) = &self.0 {
            s.question(command_of(prefix, text), outcome, took);
        }
    }

    /// A question from a slash command.
    pub fn slash_question(&self, name: &str, outcome: Outcome, took: Duration) {
        if let Some(s) = &self.0 {
            s.question(
                registry::find(name).map_or(PLAIN, |c| c.name),
                outcome,
                took,
            );
        }
    }

    /// A reply posted in full, all its pages, in `took`.
    pub fn reply_posted(&self, took: Duration) {
        if let Some(s) = &self.0 {
            s.post_seconds.observe(took.as_secs_f64());
        }
    }

    /// A post about to be retried after `status` (`None`: the request failed).
    pub fn rest_retry(&self, status: Option<u16>) {
        if let Some(s) = &self.0 {
            s.rest_retries.get_or_create(&status_labels(status)).inc();
        }
    }

    /// A reply given up after `status` (`None`: the request failed).
    pub fn rest_give_up(&self, status: Option<u16>) {
        if let Some(s) = &self.0 {
            s.rest_give_ups.get_or_create(&status_labels(status)).inc();
        }
    }

    /// A READY: a new session on `shard` (none: the only shard, 0 of 1).
    pub fn session_started(&self, shard: Option<ShardInfo>) {
        let Some(s) = &self.0 else { return };
        let (id, total) = shard.map_or((0, 1), |i| (i.id.0, i.total));
        s.identifies.get_or_create(&ShardLabels { shard: id }).inc();
        let mut shards = s.shards.lock().unwrap_or_else(|e| e.into_inner());
        // With `auto` this process runs every shard Discord asked for.
        shards.range.get_or_insert((0, total));
        if shards.had_session.contains(&id) {
            s.reconnects.get_or_create(&ShardLabels { shard: id }).inc();
        } else {
            shards.had_session.push(id);
        }
    }

    /// A RESUMED on `shard`.
    pub fn resumed(&self, shard: u32) {
        if let Some(s) = &self.0 {
            s.resumes.get_or_create(&ShardLabels { shard }).inc();
            s.reconnects.get_or_create(&ShardLabels { shard }).inc();
        }
    }

    /// Follows the shards `manager` runs, for their state and heartbeat latency.
    pub fn watch_shards(&self, manager: &Arc<ShardManager>) {
        if let Some(s) = &self.0 {
            s.shards.lock().unwrap_or_else(|e| e.into_inner()).manager = Arc::downgrade(manager);
        }
    }

    /// The knowledge answered from was loaded now and holds `counts`.
    pub fn knowledge_loaded(&self, counts: &Counts) {
        let Some(s) = &self.0 else { return };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        s.last_good_load.set(now.as_secs_f64());
        let kinds = [
            ("sources", counts.sources),
            ("councils", counts.councils),
            ("people", counts.people),
            ("schemes", counts.schemes),
            ("ratings", counts.ratings),
            ("regions", counts.regions),
            ("figures", counts.figures),
            ("quotes", counts.quotes),
        ];
        for (kind, n) in kinds {
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            s.entities.get_or_create(&KindLabels { kind }).set(n);
        }
    }

    /// A reload's result.
    pub fn reloaded(&self, result: &Result<Counts, LoadErrors>) {
        let Some(s) = &self.0 else { return };
        let label = match result {
            Ok(counts) => {
                self.knowledge_loaded(counts);
                "ok"
            }
            Err(_) => "refused",
        };
        s.reloads
            .get_or_create(&ResultLabels { result: label })
            .inc();
    }

    /// Why the bot is not healthy, or `None` when every shard of this process has a live
    /// session (the knowledge is loaded before the bot starts).
    pub async fn unhealthy(&self) -> Option<String> {
        let Some(s) = &self.0 else {
            return Some("metrics are off".into());
        };
        s.refresh().await.err()
    }

    /// The series in Prometheus' text format.
    pub async fn render(&self) -> String {
        let Some(s) = &self.0 else {
            return String::new();
        };
        // The shards' gauges are read from serenity at each scrape.
        let _ = s.refresh().await;
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &s.registry);
        text
    }
}

impl Series {
    fn question(&self, command: &'static str, outcome: Outcome, took: Duration) {
        let labels = QuestionLabels {
            command,
            outcome: outcome.label(),
        };
        self.questions.get_or_create(&labels).inc();
        self.answer_seconds.observe(took.as_secs_f64());
    }

    /// Reads each shard's state and latency from serenity into the gauges; `Err` names the
    /// first shard without a live session.
    async fn refresh(&self) -> Result<(), String> {
        let (range, manager) = {
            let shards = self.shards.lock().unwrap_or_else(|e| e.into_inner());
            (shards.range, shards.manager.upgrade())
        };
        let Some(manager) = manager else {
            return Err("the gateway has not been started".into());
        };
        let Some((start, count)) = range else {
            return Err("no shard has connected yet".into());
        };
        let runners = manager.runners.lock().await;
        let mut down = None;
        for id in start..start.saturating_add(count) {
            let labels = ShardLabels { shard: id };
            let runner = runners.get(&ShardId(id));
            let live = runner.is_some_and(|r| r.stage == ConnectionStage::Connected);
            self.connected.get_or_create(&labels).set(i64::from(live));
            if let Some(latency) = runner.and_then(|r| r.latency) {
                self.heartbeat_seconds
                    .get_or_create(&labels)
                    .set(latency.as_secs_f64());
            }
            if !live && down.is_none() {
                down = Some(format!("shard {id} has no live gateway session"));
            }
        }
        down.map_or(Ok(()), Err)
    }
}

/// The command whose word (or alias) follows the prefix, or "question".
fn command_of(prefix: &str, text: &str) -> &'static str {
    let text = text.trim_start();
    let Some(rest) = text
        .get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
    else {
        return PLAIN;
    };
    rest.split_whitespace()
        .next()
        .and_then(registry::find)
        .map_or(PLAIN, |c| c.name)
}

fn status_labels(status: Option<u16>) -> StatusLabels {
    StatusLabels {
        status: status.map_or_else(|| "network".into(), |s| s.to_string()),
    }
}

/// Serves `/metrics` and `/healthz` on `addr` until the runtime stops; returns the address
/// bound (port 0 picks a free one).
pub async fn serve(metrics: Metrics, addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "metrics listener: cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let metrics = metrics.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let metrics = metrics.clone();
                    async move { Ok::<_, Infallible>(respond(&metrics, &req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(bound)
}

async fn respond(metrics: &Metrics, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return text(StatusCode::METHOD_NOT_ALLOWED, "GET only\n".into());
    }
    match req.uri().path() {
        "/metrics" => {
            let mut r = text(StatusCode::OK, metrics.render().await);
            r.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            r
        }
        "/healthz" => match metrics.unhealthy().await {
            None => text(StatusCode::OK, "ok\n".into()),
            Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("{why}\n")),
        },
        _ => text(StatusCode::NOT_FOUND, "/metrics or /healthz\n".into()),
    }
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_counted_under_the_command_it_names() {
        assert_eq!(command_of("!", "!stars Birmingham"), "stars");
        assert_eq!(command_of("!", "  !STARS Birmingham"), "stars");
        assert_eq!(command_of("cb!", "CB! director Coventry"), "director");
        assert_eq!(command_of("!", "!starz Birmingham"), "question");
        assert_eq!(
            command_of("!", "Who runs social services in Coventry?"),
            "question"
        );
        // The word typed names the command, even when the parser reads a question after it.
        assert_eq!(
            command_of("!", "!who runs social services in Coventry?"),
            "person"
        );
        assert_eq!(command_of("!", "!"), "question");
        assert_eq!(command_of("★", "★stars x"), "stars");
        assert_eq!(command_of("★", "\u{e2}x"), "question");
    }

    #[test]
    fn nothing_is_recorded_when_off() {
        let off = Metrics::off();
        off.message_question("!", "!stars x", Outcome::Answered, Duration::ZERO);
        off.rest_retry(Some(429));
        assert!(off.0.is_none());
    }
}
