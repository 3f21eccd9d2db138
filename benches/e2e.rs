//! carebot end to end through the loopback Discord stand-in, side by side with a bare serenity
//! handler that answers "pong" to every message through the same stand-in.
//!
//! `cargo bench --bench e2e` runs, in one process, rounds of three bots in rotating order: the
//! bare pong handler, the same handler replying with carebot's first page for each question
//! (made once beforehand: carebot's message sizes without carebot's work), and carebot. Each
//! sends 10,000 questions (at most 32 awaiting a reply at once) and measures the time from
//! the stand-in's dispatch to the reply's arrival, the throughput, and the processor time each
//! question cost the bot's runtime threads, the stand-in's thread and the driver. Then it runs
//! the real `carebot run` binary against a stand-in, sends it 10,000 questions, and reads its
//! peak memory (VmHWM) on the bundled knowledge and on synthetic knowledge bases.
//!
//! Environment: `CAREBOT_E2E_QUESTIONS` (default 10000), `CAREBOT_E2E_ROUNDS` (default 3),
//! `CAREBOT_E2E_SIZES` (synthetic sizes for the memory part, default 20000, which stays under the
//! 64 MiB cap on knowledge text; empty for none),
//! `CAREBOT_E2E_WINDOW` (questions awaiting a reply at once, default 32; 1 measures each
//! question's latency on an otherwise idle bot), `CAREBOT_E2E_RATE` (questions a second at a
//! fixed pace instead of a window: latency at a load every bot keeps up with),
//! `CAREBOT_E2E_PIN=1` (the bots on the first core, the stand-in and the driver on the second),
//! `CAREBOT_E2E_ONLY` (one bot's name: its rounds alone, for a profiler), `CAREBOT_E2E_METRICS=1`
//! (a fourth bot in each round: carebot with its metrics listener on and scraped every 250 ms,
//! compared with carebot without).

#[path = "../tests/support/carebot.rs"]
#[allow(dead_code)]
mod carebot_support;
mod synth;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use carebot_support as bot;
use fake_discord::{Author, FakeDiscord, FakeDiscordConfig, CHANNEL_ID, GUILD_ID};
use serenity::all::{Context, EventHandler, GatewayIntents, Message};
use serenity::async_trait;
use serenity::builder::{CreateAllowedMentions, CreateMessage};

/// How often the metrics-on round scrapes `/metrics`: far more often than Prometheus would.
const SCRAPE_EVERY: Duration = Duration::from_millis(250);

/// Questions awaiting a reply at once, unless `CAREBOT_E2E_WINDOW` says otherwise.
const WINDOW: usize = 32;

fn window() -> usize {
    env_usize("CAREBOT_E2E_WINDOW", WINDOW).max(1)
}

/// Questions a second at a fixed pace (`CAREBOT_E2E_RATE`), whatever the replies: latency at
/// a load every bot keeps up with. Unset or 0: a new question as soon as one is answered.
fn rate() -> usize {
    env_usize("CAREBOT_E2E_RATE", 0)
}

/// With `CAREBOT_E2E_PIN=1`, the bots' threads run on the first core and Discord's side (the
/// stand-in and the driver, which plays the users) on the second, as on a bot's own machine:
/// neither side's work then queues behind, or evicts the caches of, the other's.
fn pinned() -> bool {
    env_usize("CAREBOT_E2E_PIN", 0) == 1
}

/// Keeps the calling thread on one core, when pinning is asked for.
fn pin_to(core: usize) {
    if !pinned() {
        return;
    }
    // SAFETY: `set` is a plain bit set owned by this frame; `sched_setaffinity` only reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(core, &mut set);
        let done = libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
        assert_eq!(done, 0, "cannot pin a thread to core {core}");
    }
}

/// How far a paced round may fall behind (questions awaiting a reply) before it stops: the
/// bot does not keep up with that pace.
const RATE_BACKLOG: usize = 2_000;

/// Questions asked in turn: prefix commands, and plain questions that mention the bot.
const QUESTIONS: &[(&str, bool)] = &[
    ("!stars Birmingham", false),
    ("!director Coventry", false),
    ("Who is Peter Hay?", true),
    ("!scheme Safe and Sound", false),
    ("What is the population of Coventry?", true),
    ("!compare Solihull Coventry", false),
    ("!rated 2", false),
    ("!stars Birmingam", false),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The bare handler: "pong" to every message, as a reply that pings no one. With `embeds`, it
/// replies to each question instead with carebot's first page for it, made once beforehand:
/// messages of carebot's size, without carebot's work.
struct Pong {
    embeds: Option<Vec<(String, serenity::builder::CreateEmbed)>>,
}

#[async_trait]
impl EventHandler for Pong {
    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        let mut reply = CreateMessage::new()
            .reference_message(&msg)
            .allowed_mentions(CreateAllowedMentions::new().replied_user(false));
        let sized = self.embeds.as_ref().and_then(|all| {
            all.iter()
                .find(|(q, _)| msg.content.ends_with(q.as_str()))
                .map(|(_, e)| e.clone())
        });
        reply = match sized {
            Some(e) => reply.embed(e),
            None => reply.content("pong"),
        };
        let _ = msg.channel_id.send_message(&ctx.http, reply).await;
    }
}

/// carebot's first page for each question, as the size-matched pong sends it.
fn carebot_pages() -> Vec<(String, serenity::builder::CreateEmbed)> {
    let k = bot::bundled();
    let parser = carebot::query::Parser::new("!");
    QUESTIONS
        .iter()
        .map(|&(q, mention)| {
            let mode = if mention {
                carebot::query::Mode::Direct
            } else {
                carebot::query::Mode::Channel
            };
            let a = carebot::answer::ask(&k, &parser, q, mode, 500).expect("an answer");
            let page = carebot::discord::embed::render(&a).remove(0);
            (q.to_string(), page.to_builder())
        })
        .collect()
}

/// One round's figures.
struct Round {
    p50: Duration,
    p99: Duration,
    throughput: f64,
    /// Processor time per question, in µs, of the bot's runtime threads, the stand-in's thread
    /// and the driver (the main thread, which also builds and dispatches the questions).
    cpu: [f64; 3],
}

/// Processor time so far, in ns, of this process's threads by role: the bots' runtime (and
/// every other thread), the stand-in's thread and the main thread, which drives the questions.
fn cpu_by_role() -> [u64; 3] {
    let mut by_role = [0; 3];
    let me = std::process::id().to_string();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return by_role;
    };
    for task in tasks.flatten() {
        let dir = task.path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        // schedstat's first figure is the time the thread has run, in ns.
        let ran: u64 = std::fs::read_to_string(dir.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let role = if comm.trim_end() == "stand-in" {
            1
        } else if task.file_name().to_str() == Some(me.as_str()) {
            2
        } else {
            0
        };
        by_role[role] += ran;
    }
    by_role
}

/// Sends `n` questions, with at most [`window`] outstanding or at the fixed [`rate`]; measures
/// dispatch-to-reply times.
async fn drive(fake: &FakeDiscord, n: usize) -> Round {
    let alice = Author::alice();
    let ask = |i: usize| {
        let (q, mention) = QUESTIONS[i % QUESTIONS.len()];
        if mention {
            let text = format!("{} {q}", fake_discord::mention(fake_discord::BOT_USER_ID));
            fake.message_create(CHANNEL_ID, &alice, &text, Some(GUILD_ID), true);
        } else {
            fake.message_create(CHANNEL_ID, &alice, q, Some(GUILD_ID), false);
        }
    };
    let window = window();
    let rate = rate();
    let cpu_before = cpu_by_role();
    let start = Instant::now();
    let mut sent = 0;
    while sent < n {
        let answered = fake.message_count();
        if rate > 0 {
            // Every question due by now goes out; the timer's millisecond grain sends them in
            // small bursts (five at a time at 5,000 a second).
            let due = ((start.elapsed().as_secs_f64() * rate as f64) as usize + 1).min(n);
            let waiting = sent.saturating_sub(answered);
            assert!(
                waiting < RATE_BACKLOG,
                "{waiting} questions awaiting a reply: the bot does not keep up with {rate} a second"
            );
            while sent < due {
                ask(sent);
                sent += 1;
            }
            tokio::time::sleep(Duration::from_micros(250)).await;
            continue;
        }
        while sent < n && sent < answered + window {
            ask(sent);
            sent += 1;
        }
        assert!(
            fake.wait_for_message_count(answered + 1, Duration::from_secs(30))
                .await,
            "replies stopped after {answered}"
        );
    }
    // A long answer is several messages; only the first replies to the question.
    let replies =
        |m: &[fake_discord::RecordedMessage]| m.iter().filter(|m| m.reply_to.is_some()).count();
    let all_answered = fake
        .wait_for(Duration::from_secs(60), |s| {
            (replies(s.messages()) >= n).then_some(())
        })
        .await;
    if all_answered.is_none() {
        let requests = fake.requests();
        let failed: Vec<u16> = requests
            .iter()
            .map(|r| r.status)
            .filter(|s| *s >= 300)
            .collect();
        panic!(
            "{} of {n} questions answered; {} gateway connections, {} identifies, {} resumes, \
             {} requests, failed statuses {failed:?}",
            replies(&fake.messages()),
            fake.gateway_connections().len(),
            fake.identifies().len(),
            fake.resumes().len(),
            requests.len(),
        );
    }
    let elapsed = start.elapsed();
    let cpu_after = cpu_by_role();
    let cpu = std::array::from_fn(|r| (cpu_after[r] - cpu_before[r]) as f64 / 1e3 / n as f64);
    let messages = fake.messages();
    assert_eq!(
        replies(&messages),
        n,
        "every question answered exactly once"
    );
    let mut lat: Vec<Duration> = messages
        .iter()
        .filter(|m| m.reply_to.is_some())
        .filter_map(|m| m.since_reference)
        .collect();
    assert_eq!(lat.len(), n);
    lat.sort();
    Round {
        p50: lat[n / 2],
        p99: lat[n * 99 / 100],
        throughput: n as f64 / elapsed.as_secs_f64(),
        cpu,
    }
}

/// The stand-in's own runtime, one thread, apart from the bots' and the driver's.
fn stand_in_runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("stand-in")
            .on_thread_start(|| pin_to(1))
            .enable_all()
            .build()
            .unwrap()
    })
}

/// A fresh stand-in, serving on its own runtime so that its work is not scheduled among the
/// bot's tasks.
async fn fake() -> FakeDiscord {
    // The stand-in neither checks nor keeps message bodies, nor keeps messages for their nonces:
    // that would charge carebot's larger embeds and its nonces to carebot, as work Discord does
    // on its own machines. The tests check the bodies and the nonces.
    stand_in_runtime()
        .spawn(FakeDiscord::start_with(FakeDiscordConfig {
            validate: false,
            record_bodies: false,
            enforce_nonces: false,
            ..FakeDiscordConfig::default()
        }))
        .await
        .expect("the stand-in starts")
}

async fn pong_round(
    n: usize,
    embeds: Option<Vec<(String, serenity::builder::CreateEmbed)>>,
) -> Round {
    let fake = fake().await;
    let intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT;
    let client = fake_discord::bot::start_client(&fake, bot::TOKEN, intents, Pong { embeds }).await;
    assert!(fake.wait_live(Duration::from_secs(10)).await);
    let r = drive(&fake, n).await;
    client.shard_manager.shutdown_all().await;
    fake.shutdown().await;
    r
}

/// carebot's round; with `metrics`, its listener on and scraped every [`SCRAPE_EVERY`].
async fn carebot_round(n: usize, metrics: bool) -> Round {
    let fake = fake().await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 0;
    if metrics {
        config.metrics.listen = Some("127.0.0.1:0".parse().unwrap());
    }
    let running = bot::start(&fake, config, bot::bundled()).await;
    let scraper = match carebot::discord::serve_metrics(&running.state).await {
        Ok(Some(addr)) => Some(tokio::spawn(scrape_forever(addr))),
        Ok(None) => None,
        Err(e) => panic!("{e}"),
    };
    assert!(fake.wait_live(Duration::from_secs(10)).await);
    let r = drive(&fake, n).await;
    if let Some(s) = scraper {
        s.abort();
    }
    running.shard_manager.shutdown_all().await;
    fake.shutdown().await;
    r
}

/// Scrapes `/metrics` every [`SCRAPE_EVERY`], as Prometheus would (more often).
async fn scrape_forever(addr: std::net::SocketAddr) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tick = tokio::time::interval(SCRAPE_EVERY);
    loop {
        tick.tick().await;
        let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
            continue;
        };
        let request = b"GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
        if s.write_all(request).await.is_ok() {
            let mut text = Vec::new();
            let _ = s.read_to_end(&mut text).await;
            assert!(text.starts_with(b"HTTP/1.1 200"), "scrape failed");
        }
    }
}

/// Prints how `other` did beside `base`: medians, and the median of the rounds' ratios.
fn compare(label: &str, base: &[Round], other: &[Round]) {
    let med = |v: &[Round], f: fn(&Round) -> f64| median(v.iter().map(f).collect());
    println!(
        "{label}: throughput {:.1}%, p50 {:+.1}%, p99 {:+.1}%",
        100.0 * med(other, |r| r.throughput) / med(base, |r| r.throughput),
        100.0 * (med(other, |r| ms(r.p50)) / med(base, |r| ms(r.p50)) - 1.0),
        100.0 * (med(other, |r| ms(r.p99)) / med(base, |r| ms(r.p99)) - 1.0)
    );
    // Each round runs the bots back to back, so the ratio within a round is the least
    // disturbed by the machine's load changing between rounds.
    let paired =
        |f: fn(&Round) -> f64| median(base.iter().zip(other).map(|(p, c)| f(c) / f(p)).collect());
    println!(
        "  paired (median of the rounds' ratios): throughput {:.1}%, p50 {:+.1}%, p99 {:+.1}%, \
         bot's processor time {:+.1}%",
        100.0 * paired(|r| r.throughput),
        100.0 * (paired(|r| ms(r.p50)) - 1.0),
        100.0 * (paired(|r| ms(r.p99)) - 1.0),
        100.0 * (paired(|r| r.cpu[0]) - 1.0)
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs the real binary against a stand-in, sends `n` questions and returns its VmHWM in kB.
async fn binary_peak_kb(knowledge: &std::path::Path, n: usize) -> (u64, u64) {
    let fake = fake().await;
    let project = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(["--knowledge", knowledge.to_str().unwrap(), "run"])
        .current_dir(project)
        .env("DISCORD_TOKEN", bot::TOKEN)
        .env("CAREBOT_DISCORD_API_BASE", fake.base_url())
        .env("CAREBOT_DISCORD_SHARDS", "range")
        .env("CAREBOT_DISCORD_GUILDS", GUILD_ID.to_string())
        .env("CAREBOT_KNOWLEDGE_WATCH", "false")
        .env("CAREBOT_COOLDOWN_COMMANDS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("carebot binary");
    assert!(
        fake.wait_live(Duration::from_secs(120)).await,
        "carebot connected"
    );
    let status = format!("/proc/{}/status", child.id());
    let read = |key: &str| -> u64 {
        std::fs::read_to_string(&status)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    };
    let idle = read("VmRSS:");
    drive(&fake, n).await;
    let peak = read("VmHWM:");
    let _ = child.kill();
    let _ = child.wait();
    (idle, peak)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo bench -- --list` and `cargo test --benches` ask for a listing; there is none.
        return;
    }
    let n = env_usize("CAREBOT_E2E_QUESTIONS", 10_000);
    let rounds = env_usize("CAREBOT_E2E_ROUNDS", 3);
    // The driver is the main thread: with pinning, it plays the users beside the stand-in.
    pin_to(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(|| pin_to(0))
        .enable_all()
        .build()
        .unwrap();
    let pace = match rate() {
        0 => format!("window {}", window()),
        r => format!("{r} questions a second"),
    };
    let cores = if pinned() {
        ", bots on core 0, stand-in and driver on core 1"
    } else {
        ""
    };
    println!(
        "end to end through the loopback stand-in: {n} questions a round, {pace}, {rounds} rounds{cores}"
    );
    let pages = carebot_pages();
    let mut names = vec!["pong", "pong, carebot-sized", "carebot"];
    if env_usize("CAREBOT_E2E_METRICS", 0) == 1 {
        names.push("carebot, metrics on");
    }
    let bots = names.len();
    // `CAREBOT_E2E_ONLY=carebot` (or a pong's name) runs that bot alone, for a profiler.
    let only = std::env::var("CAREBOT_E2E_ONLY").ok();
    let mut results: Vec<Vec<Round>> = names.iter().map(|_| Vec::new()).collect();
    for i in 0..rounds {
        // Rotate which bot goes first so that none always runs on a warmer machine.
        for j in 0..bots {
            let b = (i + j) % bots;
            if only.as_ref().is_some_and(|o| o != names[b]) {
                continue;
            }
            let r = match b {
                0 => rt.block_on(pong_round(n, None)),
                1 => rt.block_on(pong_round(n, Some(pages.clone()))),
                2 => rt.block_on(carebot_round(n, false)),
                _ => rt.block_on(carebot_round(n, true)),
            };
            results[b].push(r);
        }
        let line: Vec<String> = (0..bots)
            .filter(|&b| !results[b].is_empty())
            .map(|b| {
                let r = &results[b][i];
                format!(
                    "{} p50 {:.3} ms p99 {:.3} ms {:.0} msg/s cpu {:.0}/{:.0}/{:.0} µs",
                    names[b],
                    ms(r.p50),
                    ms(r.p99),
                    r.throughput,
                    r.cpu[0],
                    r.cpu[1],
                    r.cpu[2]
                )
            })
            .collect();
        println!("round {}: {}", i + 1, line.join(" | "));
    }
    if only.is_some() {
        return;
    }
    let med = |v: &[Round], f: fn(&Round) -> f64| median(v.iter().map(f).collect());
    println!("| bot | p50 (ms) | p99 (ms) | throughput (msg/s) | processor time a question (µs): bot / stand-in / driver |");
    println!("|---|---|---|---|---|");
    for b in 0..bots {
        let r = &results[b];
        println!(
            "| {} | {:.3} | {:.3} | {:.0} | {:.0} / {:.0} / {:.0} |",
            names[b],
            med(r, |r| ms(r.p50)),
            med(r, |r| ms(r.p99)),
            med(r, |r| r.throughput),
            med(r, |r| r.cpu[0]),
            med(r, |r| r.cpu[1]),
            med(r, |r| r.cpu[2])
        );
    }
    let care = &results[2];
    for (b, base) in results[..2].iter().enumerate() {
        compare(&format!("carebot / {}", names[b]), base, care);
    }
    if let Some(on) = results.get(3) {
        compare("carebot, metrics on / carebot", care, on);
    }

    println!("\npeak memory of `carebot run` answering {n} questions (VmHWM; idle VmRSS after connecting)");
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let (idle, peak) = rt.block_on(binary_peak_kb(&bundled, n));
    println!(
        "bundled knowledge: idle {:.1} MB, peak {:.1} MB",
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    let sizes = std::env::var("CAREBOT_E2E_SIZES").unwrap_or_else(|_| "20000".into());
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let s = synth::generate(size, 2004);
        let dir = tempfile::tempdir().unwrap();
        for f in &s.files {
            let name = f.path.file_name().unwrap();
            std::fs::write(dir.path().join(name), &f.text).unwrap();
        }
        let (idle, peak) = rt.block_on(binary_peak_kb(dir.path(), n));
        println!(
            "{size} synthetic councils: idle {:.1} MB, peak {:.1} MB",
            idle as f64 / 1024.0,
            peak as f64 / 1024.0
        );
    }
}
