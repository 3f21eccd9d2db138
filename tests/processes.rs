//! One bot across several processes: two `carebot run` processes, shards 0-1 and 2-3 of 4,
//! against a sharded Discord stand-in that sends each guild's events only to the shard Discord
//! would pick, `(guild_id >> 22) % 4`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fake_discord::*;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);
/// serenity identifies one shard every 5 s, so a process's second shard is up 5 s after its
/// first.
const SHARDS_UP: Duration = Duration::from_secs(30);
const TOTAL_SHARDS: u64 = 4;

/// Eight guilds, two on each shard, each with a channel of its own.
fn guilds() -> Vec<u64> {
    let first = GUILD_ID >> 22;
    (0..8).map(|i| (first + i) << 22).collect()
}

fn shard_of(guild: u64) -> u64 {
    (guild >> 22) % TOTAL_SHARDS
}

fn channel_of(guild: u64) -> u64 {
    guild + 7
}

/// `carebot run` for shards `start` and `start + 1` of 4, talking to `fake`, its log in `log`.
fn carebot_run(fake: &FakeDiscord, start: u32, dir: &Path, log: &Path) -> Child {
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    Command::new(env!("CARGO_BIN_EXE_carebot"))
        .arg("--knowledge")
        .arg(knowledge)
        .arg("run")
        .current_dir(dir)
        .env_clear()
        .env("DISCORD_TOKEN", "Carebot.Test.Token-0123456789")
        .env("CAREBOT_DISCORD_API_BASE", fake.base_url())
        .env("CAREBOT_DISCORD_SHARDS", "range")
        .env("CAREBOT_DISCORD_SHARD_START", start.to_string())
        .env("CAREBOT_DISCORD_SHARD_COUNT", "2")
        .env("CAREBOT_DISCORD_TOTAL_SHARDS", TOTAL_SHARDS.to_string())
        .env("CAREBOT_KNOWLEDGE_WATCH", "false")
        .env("CAREBOT_COOLDOWN_COMMANDS", "0")
        .env("CAREBOT_GAPS_ENABLED", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("carebot starts")
}

/// Stops `child` with SIGTERM and returns its exit status.
fn stop(mut child: Child) -> Option<i32> {
    // SAFETY: kill(2) on the id of a child this test started and has not reaped.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Stops the process when a test fails before it does.
struct Running(Option<Child>);

impl Running {
    fn stop(&mut self) -> Option<i32> {
        self.0.take().and_then(stop)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The connection each shard's READY went out on.
fn ready_connections(fake: &FakeDiscord) -> BTreeMap<u64, u64> {
    fake.deliveries()
        .into_iter()
        .filter(|d| d.event == "READY")
        .map(|d| (d.shard, d.connection))
        .collect()
}

/// Asks "!stars Solihull" in every guild; returns each question's id by guild.
fn ask_everywhere(fake: &FakeDiscord, guilds: &[u64]) -> BTreeMap<u64, u64> {
    guilds
        .iter()
        .map(|&g| {
            let id = fake.message_create(
                channel_of(g),
                &Author::alice(),
                "!stars Solihull",
                Some(g),
                false,
            );
            (g, id)
        })
        .collect()
}

/// How many replies each of `questions` got.
fn replies_to(fake: &FakeDiscord, questions: &BTreeMap<u64, u64>) -> BTreeMap<u64, usize> {
    let messages = fake.messages();
    questions
        .iter()
        .map(|(&g, &q)| (g, messages.iter().filter(|m| m.reply_to == Some(q)).count()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_shards_and_answer_each_guild_once() {
    let guilds = guilds();
    let fake = FakeDiscord::start_with(FakeDiscordConfig {
        shard_guilds: guilds.clone(),
        ..FakeDiscordConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (log_a, log_b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    let logs = || {
        format!(
            "process A:\n{}\nprocess B:\n{}",
            std::fs::read_to_string(&log_a).unwrap_or_default(),
            std::fs::read_to_string(&log_b).unwrap_or_default()
        )
    };

    // A question asked before any shard is up waits for its own: shard 2's.
    let late_guild = *guilds.iter().find(|&&g| shard_of(g) == 2).unwrap();
    let early = fake.message_create(
        channel_of(late_guild),
        &Author::alice(),
        "!director Coventry",
        Some(late_guild),
        false,
    );

    // Process A first: the connections open before B starts are A's.
    let mut a = Running(Some(carebot_run(&fake, 0, dir.path(), &log_a)));
    assert!(
        fake.wait_live_shards(&[0, 1], SHARDS_UP).await,
        "{}",
        logs()
    );
    let of_a: BTreeSet<u64> = ready_connections(&fake).into_values().collect();
    let mut b = Running(Some(carebot_run(&fake, 2, dir.path(), &log_b)));
    assert!(
        fake.wait_live_shards(&[0, 1, 2, 3], SHARDS_UP).await,
        "{}",
        logs()
    );

    // Each shard identified once, with Discord's shard array.
    let mut shards: Vec<[u64; 2]> = fake.identifies().iter().filter_map(|i| i.shard).collect();
    shards.sort_unstable();
    assert_eq!(shards, vec![[0, 4], [1, 4], [2, 4], [3, 4]]);
    let readies = ready_connections(&fake);
    assert!(of_a.contains(&readies[&0]) && of_a.contains(&readies[&1]));
    assert!(!of_a.contains(&readies[&2]) && !of_a.contains(&readies[&3]));

    // The early question went to B, which runs shard 2, and was answered there once.
    fake.wait_for_messages(1, WAIT).await;
    let sent: Vec<Delivery> = fake
        .deliveries()
        .into_iter()
        .filter(|d| d.id == Some(early))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].shard, sent[0].connection), (2, readies[&2]));

    // Every question in every guild answered exactly once.
    let questions = ask_everywhere(&fake, &guilds);
    fake.wait_for_messages(guilds.len() + 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let once: BTreeMap<u64, usize> = guilds.iter().map(|&g| (g, 1)).collect();
    assert_eq!(replies_to(&fake, &questions), once, "{}", logs());
    let messages = fake.messages();
    assert_eq!(messages.len(), guilds.len() + 1);
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.reply_to == Some(early))
            .count(),
        1
    );
    // Each went only to its guild's shard, on the connection of the process running it.
    for (&g, &q) in &questions {
        let sent: Vec<Delivery> = fake
            .deliveries()
            .into_iter()
            .filter(|d| d.id == Some(q))
            .collect();
        assert_eq!(sent.len(), 1, "guild {g}");
        assert_eq!(sent[0].shard, shard_of(g), "guild {g}");
        assert_eq!(sent[0].connection, readies[&shard_of(g)], "guild {g}");
    }

    // A slash command in every guild: one response each.
    for &g in &guilds {
        fake.interaction_command(
            "director",
            json!([{ "type": 3, "name": "council", "value": "Coventry" }]),
            &Author::alice(),
            channel_of(g),
            Some(g),
        );
    }
    let responses = fake
        .wait_for_interaction_responses(guilds.len(), WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(responses.len(), guilds.len());
    assert_eq!(fake.attempts(Endpoint::InteractionCallback), guilds.len());
    assert!(responses
        .iter()
        .all(|r| r.data["embeds"][0]["title"] == "Coventry: who leads social services"));

    // The slash commands were registered once, by the process running shard 0.
    let registrations = fake.command_registrations();
    let registered_in: Vec<Option<u64>> = registrations.iter().map(|r| r.guild_id).collect();
    assert_eq!(registered_in, vec![None], "one global registration");
    let registered = |log: &Path| {
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .contains("registered global slash commands")
    };
    assert!(registered(&log_a) && !registered(&log_b), "{}", logs());

    // Stopping B leaves A's guilds answered; B's shards go quiet.
    assert_eq!(b.stop(), Some(0), "{}", logs());
    assert!(fake.wait_live_shards(&[0, 1], WAIT).await);
    let before = fake.messages().len();
    let questions = ask_everywhere(&fake, &guilds);
    let of_a_guilds: Vec<u64> = guilds
        .iter()
        .copied()
        .filter(|&g| shard_of(g) < 2)
        .collect();
    fake.wait_for_messages(before + of_a_guilds.len(), WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let want: BTreeMap<u64, usize> = guilds
        .iter()
        .map(|&g| (g, usize::from(shard_of(g) < 2)))
        .collect();
    assert_eq!(replies_to(&fake, &questions), want, "{}", logs());
    assert_eq!(a.stop(), Some(0), "{}", logs());
}
