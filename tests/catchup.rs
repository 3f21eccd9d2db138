//! No question is lost when serenity gives a session up: after unacknowledged heartbeats it
//! stops reading the connection and, 5 s later, identifies anew instead of resuming, so Discord
//! never replays what it sent in between. carebot reads those messages back after the new READY
//! and answers each exactly once.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fake_discord::*;
use support::carebot as bot;

const WAIT: Duration = Duration::from_secs(15);
/// How long to watch for an extra (duplicate) reply after the expected ones arrived.
const QUIET: Duration = Duration::from_millis(500);

const QUESTIONS: [(&str, &str); 3] = [
    ("!stars Solihull", "Solihull: star rating"),
    ("!director Coventry", "Coventry: who leads social services"),
    ("!person Peter Hay", "Peter Hay"),
];

/// Asks `n` questions in the guild channel; returns each id with the title its answer must have.
fn ask(fake: &FakeDiscord, n: usize) -> Vec<(u64, &'static str)> {
    (0..n)
        .map(|i| {
            let (q, title) = QUESTIONS[i % QUESTIONS.len()];
            let id = fake.message_create(CHANNEL_ID, &Author::alice(), q, Some(GUILD_ID), false);
            (id, title)
        })
        .collect()
}

/// Every question answered exactly once with the right answer, and not even a second post
/// attempted.
async fn assert_each_answered_once(fake: &FakeDiscord, asked: &[(u64, &'static str)]) {
    let n = asked.len();
    assert!(
        fake.wait_for_message_count(n, WAIT).await,
        "only {} of {n} questions answered",
        fake.message_count()
    );
    assert!(
        !fake.wait_for_message_count(n + 1, QUIET).await,
        "more replies than questions"
    );
    let mut replies: HashMap<u64, Vec<String>> = HashMap::new();
    for m in fake.messages() {
        let title = m.embeds.first().and_then(|e| e["title"].as_str());
        replies
            .entry(m.reply_to.unwrap_or(0))
            .or_default()
            .push(title.unwrap_or("(no embed)").to_string());
    }
    for (id, title) in asked {
        assert_eq!(
            replies.get(id).map(Vec::as_slice),
            Some(&[title.to_string()][..]),
            "question {id}"
        );
    }
    assert_eq!(fake.attempts(Endpoint::CreateMessage), n);
}

#[tokio::test]
async fn questions_sent_to_a_session_serenity_gave_up_are_read_back_and_answered_once() {
    let interval = Duration::from_millis(1500);
    let fake = FakeDiscord::start_with(FakeDiscordConfig {
        heartbeat_interval: interval,
        ..FakeDiscordConfig::default()
    })
    .await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 0;
    let running = bot::start(&fake, config, bot::bundled()).await;
    let mut asked = ask(&fake, 3);
    assert!(fake.wait_for_message_count(3, WAIT).await);

    fake.set_ack_heartbeats(false);
    let beats = fake.heartbeats();
    assert!(fake.wait_heartbeats(beats + 1, WAIT).await);
    // serenity finds that heartbeat unacknowledged at the next one and stops reading.
    tokio::time::sleep(interval + Duration::from_millis(500)).await;
    assert_eq!(fake.heartbeats(), beats + 1, "serenity gave the session up");
    // The dead window: sent on the connection serenity no longer reads.
    for _ in 0..3 {
        assert!(fake.is_live(), "still the old session");
        asked.extend(ask(&fake, 1));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(fake.identifies().len(), 1);
    assert_eq!(fake.message_count(), 3, "not read in the dead window");

    assert!(
        fake.wait_identifies(2, WAIT).await,
        "serenity re-identified"
    );
    fake.set_ack_heartbeats(true);
    assert!(fake.wait_live(WAIT).await);
    asked.extend(ask(&fake, 3));
    assert_each_answered_once(&fake, &asked).await;
    assert!(fake.resumes().is_empty(), "a new session, not a resume");
    // One read of the channel, after the last message seen before the dead window.
    let reads = fake.requests_to(Endpoint::GetChannelMessages);
    assert_eq!(reads.len(), 1);
    assert_eq!(
        reads[0].path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    let query = reads[0].query.clone().unwrap_or_default();
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    params.sort();
    let after = format!("after={}", asked[2].0);
    assert_eq!(params, [after.as_str(), "limit=50"]);
    running.shutdown().await;
}

/// A session that ends with nothing missed reads the channel back and posts nothing more.
#[tokio::test]
async fn a_new_session_with_nothing_missed_answers_nothing_twice() {
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 0;
    let running = bot::start(&fake, config, bot::bundled()).await;
    let mut asked = ask(&fake, 3);
    assert!(fake.wait_for_message_count(3, WAIT).await);
    assert!(fake.send_invalid_session(false));
    // Held back while no session is up, delivered after the new READY while the channel is
    // also being read back: each is answered once all the same.
    asked.extend(ask(&fake, 3));
    assert!(fake.wait_identifies(2, WAIT).await);
    assert!(fake.wait_live(WAIT).await);
    asked.extend(ask(&fake, 2));
    assert_each_answered_once(&fake, &asked).await;
    assert!(
        fake.wait_for_attempts(Endpoint::GetChannelMessages, 1, WAIT)
            .await
    );
    let started = Instant::now();
    running.shutdown().await;
    assert!(started.elapsed() < WAIT);
}
