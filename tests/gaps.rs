//! What carebot could not answer, for curators: a session of mixed questions against the
//! Discord stand-in fills the gaps file, and `carebot gaps` reports it grouped and counted.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use fake_discord::*;
use serde_json::json;
use support::carebot as bot;

const WAIT: Duration = Duration::from_secs(10);

/// `carebot gaps --file <file>`: its status and standard output.
fn report(file: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(["gaps", "--file"])
        .arg(file)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("carebot runs");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[tokio::test]
async fn a_session_of_mixed_questions_gives_a_report_for_curators() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data").join("gaps.jsonl");
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 0;
    config.gaps.enabled = true;
    config.gaps.file = file.clone();
    let running = bot::start(&fake, config, bot::bundled()).await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    let alice = Author::alice();
    let mention = mention(BOT_USER_ID);
    let someone = mention_of_someone();
    // (text, mentions the bot, in a DM)
    let messages = [
        ("!stars Solihull".to_string(), false, false),
        ("!stars Narnia".into(), false, false),
        ("!stars Narnia".into(), false, false),
        ("!stars Narnia".into(), false, false),
        ("!stars narnia".into(), false, false),
        ("!stars Soli".into(), false, false),
        ("!person Jane Doe".into(), false, false),
        (
            format!("{mention} Who runs social services in Leeds?"),
            true,
            false,
        ),
        (
            format!("{mention} what's the weather like in the dales tomorrow then"),
            true,
            false,
        ),
        ("!director Kirklees".into(), false, false),
        ("!director Kirklees".into(), false, false),
        ("!figures Kirklees housing".into(), false, false),
        ("!search zebra crossings".into(), false, false),
        (
            format!("can you book me a care assessment for {someone} please"),
            false,
            true,
        ),
        (
            format!("{mention} How many care homes are in Leeds?"),
            true,
            false,
        ),
        ("how many care homes are in leeds".into(), false, true),
        // Not gaps: a usage error, an unknown command, chatter.
        ("!stars".into(), false, false),
        ("!frobnicate".into(), false, true),
    ];
    for (i, (text, mentions_bot, dm)) in messages.iter().enumerate() {
        let (channel, guild) = if *dm {
            (DM_CHANNEL_ID, None)
        } else {
            (CHANNEL_ID, Some(GUILD_ID))
        };
        fake.message_create(channel, &alice, text, guild, *mentions_bot);
        // One at a time, so the file's order is the order asked.
        assert_eq!(
            fake.wait_for_messages(i + 1, WAIT).await.len(),
            i + 1,
            "{text}"
        );
    }
    let mut answered = 0;
    for (name, option, value) in [
        ("stars", "council", "Narnia"),
        ("person", "name", "Jane Doe"),
    ] {
        fake.interaction_command(
            name,
            json!([{ "type": 3, "name": option, "value": value }]),
            &alice,
            CHANNEL_ID,
            Some(GUILD_ID),
        );
        answered += 1;
        fake.wait_for_interaction_responses(answered, WAIT).await;
    }
    let lines = |f: &Path| std::fs::read_to_string(f).map_or(0, |t| t.lines().count());
    for _ in 0..100 {
        if lines(&file) >= 17 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running.shutdown().await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 17, "{text}");
    // No user, guild or channel id is kept.
    for id in [
        USER_ID,
        GUILD_ID,
        CHANNEL_ID,
        DM_CHANNEL_ID,
        BOT_USER_ID,
        SOMEONE,
    ] {
        assert!(!text.contains(&id.to_string()), "{id} in {text}");
    }
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["outcome"], "unknown_name");
    assert_eq!(first["question"], "!stars Narnia");
    assert_eq!(first["unrecognised"], json!(["Narnia"]));

    let (code, out) = report(&file);
    assert_eq!(code, 0);
    let (head, body) = out.split_once('\n').unwrap();
    let stamp = regex::Regex::new(
        r"^17 unanswered questions, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.$",
    )
    .unwrap();
    assert!(stamp.is_match(head), "{head}");
    assert_eq!(
        body,
        "
Unknown names (10):
    5  Narnia (council)
    2  Jane Doe (person)
    1  Leeds (council)
    1  Soli (council; suggested Solihull)
    1  the weather like in the dales tomorrow then (name)

Missing facts (4):
    2  who leads social services for Kirklees
    1  anything mentioning “zebra crossings”
    1  the housing for Kirklees

Phrasings not understood (3):
    2  “How many care homes are in Leeds?”
    1  “can you book me a care assessment for @someone please”
"
    );
    // The README's example is this report.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&format!("{body}```")),
        "README's example differs"
    );
}

/// A user other than the asker.
const SOMEONE: u64 = 1_180_000_000_000_000_555;

fn mention_of_someone() -> String {
    mention(SOMEONE)
}

#[test]
fn an_empty_or_missing_file_reports_nothing_and_bad_lines_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gaps.jsonl");
    assert_eq!(
        report(&file),
        (0, "No unanswered questions recorded.\n".into())
    );
    std::fs::write(
        &file,
        "not json\n{\"time\":\"2026-12-01T10:00:00Z\",\"outcome\":\"not_understood\",\"question\":\"hello there?\"}\n\n",
    )
    .unwrap();
    // The rotated file is read first.
    std::fs::write(
        dir.path().join("gaps.jsonl.1"),
        "{\"time\":\"2026-11-30T09:00:00Z\",\"outcome\":\"no_facts\",\"question\":\"!director Kirklees\",\"recognised\":[\"Kirklees\"],\"missing\":\"who leads social services\"}\n",
    )
    .unwrap();
    assert_eq!(
        report(&file),
        (
            0,
            "2 unanswered questions, 2026-11-30 09:00:00 to 2026-12-01 10:00:00.

Missing facts (1):
    1  who leads social services for Kirklees

Phrasings not understood (1):
    1  “hello there?”

1 line could not be read and was skipped.
"
            .into()
        )
    );
}
