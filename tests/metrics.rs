//! `/metrics` and `/healthz` against the Discord stand-in: scraped while questions flow, while
//! REST calls fail and while the gateway goes away and comes back; and the real `carebot run`
//! serving them and counting reloads on SIGHUP.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use carebot::discord::{self, State};
use fake_discord::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use support::carebot as bot;

const WAIT: Duration = Duration::from_secs(20);

/// One HTTP/1.1 GET on a fresh connection: the status and the body.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr)
        .await
        .expect("connect to the listener");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_string())
}

/// Every sample of a scrape, `name{labels}` to its value.
async fn scrape(addr: SocketAddr) -> BTreeMap<String, f64> {
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200, "{text}");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, value) = l.rsplit_once(' ').expect("a sample");
            (name.to_string(), value.parse().expect("a number"))
        })
        .collect()
}

/// The value of `series` in `samples`, 0 when absent.
fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

/// Polls `/healthz` until it answers `status`; returns its body.
async fn wait_health(addr: SocketAddr, status: u16) -> String {
    let end = Instant::now() + WAIT;
    loop {
        let (got, body) = get(addr, "/healthz").await;
        if got == status {
            return body;
        }
        assert!(
            Instant::now() < end,
            "/healthz still {got} {body:?}, not {status}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// carebot with `config` and metrics on a free port, started but not waited for.
async fn start_with_metrics(
    mut config: carebot::config::Config,
) -> (Arc<State>, SocketAddr, Arc<serenity::gateway::ShardManager>) {
    config.metrics.listen = Some("127.0.0.1:0".parse().unwrap());
    let discord_config = config.discord.clone();
    let state = Arc::new(State::new(config, bot::bundled()));
    let addr = discord::serve_metrics(&state)
        .await
        .unwrap()
        .expect("metrics served");
    let client = discord::client(state.clone(), bot::TOKEN).await.unwrap();
    let manager = client.shard_manager.clone();
    tokio::spawn(async move { discord::serve(client, &discord_config).await });
    (state, addr, manager)
}

/// A gateway between carebot and the stand-in that can be taken down: while down it drops
/// every connection through it and closes each new one at once.
struct Gateway {
    up: watch::Sender<bool>,
}

impl Gateway {
    async fn start(fake: &FakeDiscord) -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        fake.set_gateway_url(Some(format!("ws://{addr}/ws")));
        let (up, _) = watch::channel(false);
        let target = fake.addr();
        let mut watching = up.subscribe();
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !*watching.borrow_and_update() {
                    drop(client);
                    continue;
                }
                let mut down = watching.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = down.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Gateway { up }
    }

    fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_follows_the_gateway_and_counts_sessions() {
    let fake = FakeDiscord::start().await;
    let gateway = Gateway::start(&fake).await;
    let (_state, addr, manager) = start_with_metrics(bot::config_for(&fake)).await;

    // Before READY: the gateway refuses, so the shard has no session.
    let (status, body) = get(addr, "/healthz").await;
    assert_eq!(
        (status, body.as_str()),
        (503, "shard 0 has no live gateway session\n")
    );
    let samples = scrape(addr).await;
    assert_eq!(
        value(&samples, "carebot_gateway_connected{shard=\"0\"}"),
        0.0
    );
    assert_eq!(
        value(&samples, "carebot_gateway_identifies_total{shard=\"0\"}"),
        0.0
    );

    gateway.set_up(true);
    assert!(fake.wait_live(WAIT).await);
    assert_eq!(wait_health(addr, 200).await, "ok\n");
    let samples = scrape(addr).await;
    assert_eq!(
        value(&samples, "carebot_gateway_connected{shard=\"0\"}"),
        1.0
    );
    assert_eq!(
        value(&samples, "carebot_gateway_identifies_total{shard=\"0\"}"),
        1.0
    );
    assert_eq!(
        value(&samples, "carebot_gateway_resumes_total{shard=\"0\"}"),
        0.0
    );

    // The gateway drops: unhealthy until serenity has resumed the session.
    gateway.set_up(false);
    assert_eq!(
        wait_health(addr, 503).await,
        "shard 0 has no live gateway session\n"
    );
    assert_eq!(
        value(
            &scrape(addr).await,
            "carebot_gateway_connected{shard=\"0\"}"
        ),
        0.0
    );
    gateway.set_up(true);
    assert_eq!(wait_health(addr, 200).await, "ok\n");
    // serenity resumes, or gives the session up and identifies anew, depending on how its
    // tries to reconnect failed: either way the shard came back once.
    let samples = scrape(addr).await;
    let sessions = value(&samples, "carebot_gateway_identifies_total{shard=\"0\"}")
        + value(&samples, "carebot_gateway_resumes_total{shard=\"0\"}");
    assert_eq!(sessions, 2.0, "{samples:?}");
    assert_eq!(
        value(&samples, "carebot_gateway_reconnects_total{shard=\"0\"}"),
        1.0
    );

    // Shut down: no shard runs.
    manager.shutdown_all().await;
    assert_eq!(
        wait_health(addr, 503).await,
        "shard 0 has no live gateway session\n"
    );
    let (status, _) = get(addr, "/nothing").await;
    assert_eq!(status, 404);
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_replies_and_rest_trouble_are_counted_as_they_flow() {
    let fake = FakeDiscord::start().await;
    fake.set_heartbeat_interval(Duration::from_millis(100));
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 2;
    config.cooldown.window_secs = 600;
    let (state, addr, _manager) = start_with_metrics(config).await;
    assert!(fake.wait_live(WAIT).await);
    let user = |i: u64| Author::user(USER_ID + i, &format!("user{i}"));
    let ask =
        |i: u64, text: &str| fake.message_create(CHANNEL_ID, &user(i), text, Some(GUILD_ID), false);
    // Waits until `series` reads at least `n`.
    let wait_for = |series: &'static str, n: f64| async move {
        let end = Instant::now() + WAIT;
        while value(&scrape(addr).await, series) < n {
            assert!(Instant::now() < end, "{series} never reached {n}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };

    for (i, council) in [(1, "Birmingham"), (2, "Birmingham"), (3, "Solihull")] {
        ask(i, &format!("!stars {council}"));
    }
    assert_eq!(fake.wait_for_messages(3, WAIT).await.len(), 3);
    let samples = scrape(addr).await;
    let stars = "carebot_questions_total{command=\"stars\",outcome=\"answered\"}";
    assert_eq!(value(&samples, stars), 3.0);
    assert_eq!(value(&samples, "carebot_answer_seconds_count"), 3.0);

    ask(4, "!director Wolverhampton");
    ask(5, "!starz Birmingham");
    ask(6, "!rated");
    let mention = format!(
        "{} Who runs social services in Coventry?",
        mention(BOT_USER_ID)
    );
    fake.message_create(CHANNEL_ID, &user(7), &mention, Some(GUILD_ID), true);
    // Over the cooldown of two: the third gets the notice.
    for _ in 0..3 {
        ask(8, "!sources");
    }
    assert_eq!(fake.wait_for_messages(10, WAIT).await.len(), 10);
    // A reply is counted once posted, just after the stand-in records it.
    let posted = "carebot_reply_post_seconds_count";
    wait_for(posted, 10.0).await;
    let samples = scrape(addr).await;
    let questions: BTreeMap<&str, f64> = samples
        .iter()
        .filter(|(k, _)| k.starts_with("carebot_questions_total"))
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        questions,
        BTreeMap::from([
            (
                "carebot_questions_total{command=\"director\",outcome=\"no_answer\"}",
                1.0
            ),
            (
                "carebot_questions_total{command=\"question\",outcome=\"answered\"}",
                1.0
            ),
            (
                "carebot_questions_total{command=\"question\",outcome=\"not_understood\"}",
                1.0
            ),
            (
                "carebot_questions_total{command=\"rated\",outcome=\"usage_error\"}",
                1.0
            ),
            (
                "carebot_questions_total{command=\"sources\",outcome=\"answered\"}",
                2.0
            ),
            (
                "carebot_questions_total{command=\"sources\",outcome=\"cooldown\"}",
                1.0
            ),
            (stars, 3.0),
        ])
    );
    assert_eq!(value(&samples, "carebot_answer_seconds_count"), 10.0);
    assert_eq!(value(&samples, posted), 10.0);
    assert_eq!(
        value(&samples, "carebot_answer_seconds_bucket{le=\"+Inf\"}"),
        10.0
    );

    // A slash command is counted under its name.
    fake.interaction_command(
        "stars",
        serde_json::json!([{"type": 3, "name": "council", "value": "Coventry"}]),
        &user(9),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    assert_eq!(fake.wait_for_interaction_responses(1, WAIT).await.len(), 1);
    wait_for(stars, 4.0).await;
    assert_eq!(value(&scrape(addr).await, stars), 4.0);

    // A 429 and a 500 are retried; four 500s and a 403 are given up.
    fake.script_create_message([
        ScriptedResponse::rate_limited(0.05, false),
        ScriptedResponse::server_error(),
    ]);
    ask(10, "!stars Coventry");
    assert_eq!(fake.wait_for_messages(11, WAIT).await.len(), 11);
    fake.script_create_message((0..4).map(|_| ScriptedResponse::server_error()));
    ask(11, "!stars Coventry");
    wait_for("carebot_rest_give_ups_total{status=\"500\"}", 1.0).await;
    fake.script_create_message([ScriptedResponse::missing_permissions()]);
    ask(12, "!stars Coventry");
    wait_for("carebot_rest_give_ups_total{status=\"403\"}", 1.0).await;
    let samples = scrape(addr).await;
    assert_eq!(
        value(&samples, "carebot_rest_retries_total{status=\"429\"}"),
        1.0
    );
    assert_eq!(
        value(&samples, "carebot_rest_retries_total{status=\"500\"}"),
        4.0
    );
    assert_eq!(
        value(&samples, "carebot_rest_give_ups_total{status=\"500\"}"),
        1.0
    );
    assert_eq!(
        value(&samples, "carebot_rest_give_ups_total{status=\"403\"}"),
        1.0
    );
    assert_eq!(value(&samples, stars), 7.0);
    // Only replies posted are timed: the ten, the slash answer and the one retried.
    assert_eq!(value(&samples, posted), 12.0);

    // Heartbeats every 100 ms: the latest latency is known, and small on the loopback.
    assert!(fake.wait_heartbeats(2, WAIT).await);
    let latency = value(
        &scrape(addr).await,
        "carebot_gateway_heartbeat_latency_seconds{shard=\"0\"}",
    );
    assert!(latency > 0.0 && latency < 1.0, "{latency}");

    // The knowledge answered from, by kind.
    let counts = bot::bundled().counts();
    assert_eq!(
        value(&samples, "carebot_knowledge_entities{kind=\"councils\"}"),
        counts.councils as f64
    );
    assert_eq!(
        value(&samples, "carebot_knowledge_entities{kind=\"quotes\"}"),
        counts.quotes as f64
    );
    let loaded = value(
        &samples,
        "carebot_knowledge_last_good_load_timestamp_seconds",
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(loaded > now - 60.0 && loaded <= now, "{loaded} {now}");
    drop(state);
    fake.shutdown().await;
}

/// `carebot health` with `CAREBOT_METRICS_LISTEN` set to `listen`, run where there is no config
/// file: its exit status and what it printed.
async fn health_check(listen: &str) -> (i32, String, String) {
    let listen = listen.to_string();
    tokio::task::spawn_blocking(move || {
        let empty = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_carebot"));
        command
            .arg("health")
            .current_dir(empty.path())
            .env_remove("RUST_LOG")
            .env_remove("CAREBOT_METRICS_LISTEN");
        if !listen.is_empty() {
            command.env("CAREBOT_METRICS_LISTEN", &listen);
        }
        let out = command.output().expect("run carebot health");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    })
    .await
    .unwrap()
}

/// `carebot health`, the container health check, follows `/healthz`: 1 while a shard has no
/// session, 0 once it has, 1 when nothing listens; an address on every interface is asked on
/// the loopback; 2 when there is no address to ask.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_exits_by_what_healthz_answers() {
    let fake = FakeDiscord::start().await;
    let gateway = Gateway::start(&fake).await;
    let (_state, addr, manager) = start_with_metrics(bot::config_for(&fake)).await;

    assert_eq!(
        health_check(&addr.to_string()).await,
        (
            1,
            "unhealthy: shard 0 has no live gateway session\n".into(),
            String::new()
        )
    );
    gateway.set_up(true);
    assert!(fake.wait_live(WAIT).await);
    wait_health(addr, 200).await;
    let healthy = (0, "healthy: ok\n".to_string(), String::new());
    assert_eq!(health_check(&addr.to_string()).await, healthy);
    let everywhere = format!("0.0.0.0:{}", addr.port());
    assert_eq!(health_check(&everywhere).await, healthy);

    // Nothing listens on the port any more.
    manager.shutdown_all().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let (code, out, err) = health_check(&closed.to_string()).await;
    assert_eq!((code, err.as_str()), (1, ""));
    assert!(
        out.starts_with(&format!(
            "unhealthy: no answer from http://{closed}/healthz: "
        )),
        "{out}"
    );
    assert!(out.contains("refused"), "{out}");

    assert_eq!(
        health_check("").await,
        (
            2,
            String::new(),
            "carebot: metrics.listen is not set, so the bot serves no /healthz: set it (or CAREBOT_METRICS_LISTEN) for both the bot and the check\n".into()
        )
    );
    fake.shutdown().await;
}

/// `carebot run` serves metrics on `CAREBOT_METRICS_LISTEN`, and counts the reloads SIGHUP asks
/// for: a good one, then a refused one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_serves_metrics_and_counts_reloads_on_sighup() {
    let fake = FakeDiscord::start().await;
    let (_tmp, knowledge) = support::bundled::copy_knowledge();
    let (mut child, log) = bot::spawn_binary(
        &fake,
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--knowledge", knowledge.to_str().unwrap(), "run"],
        &[("CAREBOT_METRICS_LISTEN", "127.0.0.1:0")],
    );
    let wait_log = |needle: &'static str| {
        let log = log.clone();
        async move {
            let end = Instant::now() + WAIT;
            loop {
                let text = log.lock().unwrap().clone();
                if let Some(line) = text.lines().find(|l| l.contains(needle)) {
                    return line.to_string();
                }
                assert!(Instant::now() < end, "no {needle:?} in the log:\n{text}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let line = wait_log("serving /metrics and /healthz").await;
    let addr: SocketAddr = line
        .split("address=")
        .nth(1)
        .expect("the address is logged")
        .trim()
        .parse()
        .unwrap();
    assert!(fake.wait_live(WAIT).await);
    assert_eq!(wait_health(addr, 200).await, "ok\n");
    let invite = wait_log("invite the bot").await;
    assert!(
        invite.ends_with(&format!(
            "invite=https://discord.com/oauth2/authorize?client_id={APPLICATION_ID}&scope=bot+applications.commands&permissions=274878024704"
        )),
        "{invite}"
    );

    let hup = |pid: u32| {
        let sent = Command::new("kill")
            .args(["-HUP", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    };
    let reloads = |result: &str| format!("carebot_knowledge_reloads_total{{result=\"{result}\"}}");
    let wait_reloads = |result: &'static str, n: f64| async move {
        let end = Instant::now() + WAIT;
        loop {
            let samples = scrape(addr).await;
            if value(&samples, &reloads(result)) == n {
                return samples;
            }
            assert!(Instant::now() < end, "{result} reloads: {samples:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    hup(child.id());
    let samples = wait_reloads("ok", 1.0).await;
    assert_eq!(value(&samples, &reloads("refused")), 0.0);
    let first_load = value(
        &samples,
        "carebot_knowledge_last_good_load_timestamp_seconds",
    );

    // A broken edit is refused: counted, and the last good load's time stays.
    let councils = knowledge.join("councils.toml");
    let mut text = std::fs::read_to_string(&councils).unwrap();
    text.push_str("\n[[council]]\nid = \"Not A Slug\"\n");
    std::fs::write(&councils, text).unwrap();
    hup(child.id());
    let samples = wait_reloads("refused", 1.0).await;
    assert_eq!(value(&samples, &reloads("ok")), 1.0);
    assert_eq!(
        value(
            &samples,
            "carebot_knowledge_last_good_load_timestamp_seconds"
        ),
        first_load
    );
    assert_eq!(wait_health(addr, 200).await, "ok\n");
    let _ = child.kill();
    let _ = child.wait();
    fake.shutdown().await;
}
