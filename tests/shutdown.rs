//! SIGTERM and SIGINT stop `carebot run` with status 0 within a few seconds whatever its
//! Discord client is doing: fetching the gateway URL from a server that never answers,
//! connecting to a gateway that never answers, waiting to retry a gateway that refuses,
//! resuming after the gateway went away, or retrying a rate-limited reply.
//!
//! Each test runs the real binary against the stand-in or a port on 127.0.0.1 that accepts and
//! never answers, or refuses.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::*;

const TOKEN: &str = "Shutdown.Test.Token-0123456789";
const WAIT: Duration = Duration::from_secs(15);
/// The longest a signal may take to stop the bot.
const STOP_WITHIN: Duration = Duration::from_secs(5);

/// `carebot run` in a child process, its standard error collected as it comes.
struct Bot {
    child: Child,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Bot {
    /// Starts `carebot run` with REST at `api_base`, one shard, no knowledge watching.
    fn run(api_base: &str) -> Bot {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_carebot"));
        for (k, _) in std::env::vars() {
            if k.starts_with("CAREBOT_") || k == "RUST_LOG" || k == "DISCORD_TOKEN" {
                cmd.env_remove(k);
            }
        }
        cmd.arg("run")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DISCORD_TOKEN", TOKEN)
            .env("CAREBOT_DISCORD_API_BASE", api_base)
            .env("CAREBOT_DISCORD_SHARDS", "range")
            .env("CAREBOT_DISCORD_GUILDS", GUILD_ID.to_string())
            .env("CAREBOT_KNOWLEDGE_WATCH", "false")
            .env("CAREBOT_COOLDOWN_COMMANDS", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start the carebot binary");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let reader = std::thread::spawn({
            let stderr = stderr.clone();
            move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    let mut s = stderr.lock().unwrap();
                    s.push_str(&plain(&line));
                    s.push('\n');
                }
            }
        });
        Bot {
            child,
            stderr,
            reader: Some(reader),
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until standard error has a line containing `needle`.
    async fn wait_for_log(&self, needle: &str) {
        let end = Instant::now() + WAIT;
        while !self.stderr().contains(needle) {
            assert!(
                Instant::now() < end,
                "no {needle:?} in the log:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends `signal` (`TERM`, `INT`) and waits for the process to end, killing it after
    /// [`STOP_WITHIN`]. Returns its status, how long it took and its standard error.
    async fn stop_with(mut self, signal: &str) -> (ExitStatus, Duration, String) {
        let sent = Instant::now();
        let killed = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for carebot") {
                let took = sent.elapsed();
                if let Some(r) = self.reader.take() {
                    let _ = r.join();
                }
                return (status, took, self.stderr());
            }
            if sent.elapsed() > STOP_WITHIN {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "still running {STOP_WITHIN:?} after SIG{signal}; log:\n{}",
                    self.stderr()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `line` without its colours (ANSI escape sequences `ESC [ … m`).
fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks a clean stop: status 0, the shutdown logged, no error.
fn assert_clean(state: &str, signal: &str, (status, took, log): &(ExitStatus, Duration, String)) {
    assert_eq!(status.code(), Some(0), "{state}: {status}; log:\n{log}");
    assert!(log.contains("shutting down"), "{state}: log:\n{log}");
    assert!(!log.contains("ERROR"), "{state}: log:\n{log}");
    eprintln!(
        "{state}: SIG{signal} to exit 0 in {:.2} s",
        took.as_secs_f64()
    );
}

/// A port that accepts connections and never answers; counts the connections it holds.
struct BlackHole {
    port: u16,
    held: Arc<Mutex<Vec<std::net::TcpStream>>>,
}

impl BlackHole {
    fn open() -> BlackHole {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let held = Arc::new(Mutex::new(Vec::new()));
        std::thread::spawn({
            let held = held.clone();
            move || {
                for s in l.incoming().map_while(Result::ok) {
                    held.lock().unwrap().push(s);
                }
            }
        });
        BlackHole { port, held }
    }

    /// Waits until something has connected.
    async fn wait_connected(&self) {
        let end = Instant::now() + WAIT;
        while self.held.lock().unwrap().is_empty() {
            assert!(Instant::now() < end, "nothing connected to the black hole");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A port nothing listens on: connections are refused.
fn refused() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Fetching the gateway URL from a REST server that never answers.
async fn fetching_the_gateway_url(signal: &str) {
    let hole = BlackHole::open();
    let bot = Bot::run(&format!("http://127.0.0.1:{}", hole.port));
    hole.wait_connected().await;
    // The request is sent and never answered.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ended = bot.stop_with(signal).await;
    assert_clean("fetching the gateway URL", signal, &ended);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_fetching_the_gateway_url_from_a_server_that_never_answers() {
    fetching_the_gateway_url("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_while_fetching_the_gateway_url_from_a_server_that_never_answers() {
    fetching_the_gateway_url("INT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_connecting_to_a_gateway_that_never_answers() {
    let fake = FakeDiscord::start().await;
    let hole = BlackHole::open();
    fake.set_gateway_url(Some(format!("ws://127.0.0.1:{}", hole.port)));
    let bot = Bot::run(&fake.base_url());
    hole.wait_connected().await;
    // The WebSocket handshake is sent and never answered.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(fake.identifies().is_empty());
    let ended = bot.stop_with("TERM").await;
    assert_clean("connecting", "TERM", &ended);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_waiting_to_retry_a_gateway_that_refuses() {
    let fake = FakeDiscord::start().await;
    fake.set_gateway_url(Some(format!("ws://127.0.0.1:{}", refused())));
    let bot = Bot::run(&fake.base_url());
    // serenity waits 5 s between attempts to start a shard.
    bot.wait_for_log("Err starting shard 0").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ended = bot.stop_with("TERM").await;
    assert_clean("waiting to retry", "TERM", &ended);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_resuming_after_the_gateway_went_away() {
    let fake = FakeDiscord::start().await;
    let bot = Bot::run(&fake.base_url());
    fake.wait_identified(WAIT).await.expect("IDENTIFY");
    assert!(fake.wait_live(WAIT).await);
    // Once the slash commands are registered, so that their request does not fail.
    assert!(fake.wait_for_command_registration(WAIT).await.is_some());
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Discord goes away: every attempt to resume is refused.
    fake.shutdown().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let ended = bot.stop_with("TERM").await;
    assert_clean("resuming", "TERM", &ended);
}

/// A reply waiting to retry after a 429 (30 s) when the signal comes: it is given up and
/// logged, and the gateway still closes with 1000.
async fn retrying_a_reply(signal: &str) {
    let fake = FakeDiscord::start().await;
    fake.script_create_message([ScriptedResponse::rate_limited(30.0, false)]);
    let bot = Bot::run(&fake.base_url());
    fake.wait_identified(WAIT).await.expect("IDENTIFY");
    assert!(fake.wait_live(WAIT).await);
    let id = fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "!stars Solihull",
        Some(GUILD_ID),
        false,
    );
    assert!(
        fake.wait_for_attempts(Endpoint::CreateMessage, 1, WAIT)
            .await
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ended = bot.stop_with(signal).await;
    assert_eq!(ended.0.code(), Some(0), "log:\n{}", ended.2);
    let given_up: Vec<_> = ended
        .2
        .lines()
        .filter(|l| l.contains("reply not sent"))
        .collect();
    assert_eq!(given_up.len(), 1, "log:\n{}", ended.2);
    assert!(
        given_up[0].contains(&format!("message_id={id}"))
            && given_up[0].ends_with("error=given up: shutting down"),
        "{}",
        given_up[0]
    );
    assert_eq!(fake.attempts(Endpoint::CreateMessage), 1);
    assert_eq!(fake.client_close_codes(), vec![Some(1000)]);
    assert_clean("retrying a reply", signal, &ended);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_a_reply_waits_to_retry_gives_it_up_and_logs_it() {
    retrying_a_reply("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_while_a_reply_waits_to_retry_gives_it_up_and_logs_it() {
    retrying_a_reply("INT").await;
}
