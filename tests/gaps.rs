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

/// Where a question is asked.
#[derive(Clone, Copy)]
enum At {
    /// In a guild channel, as typed.
    Channel,
    /// In a guild channel, mentioning the bot first.
    Mention,
    /// In a direct message.
    Dm,
}

/// A session of mixed questions: (where, text, whether it leaves a gap).
fn session() -> Vec<(At, String, bool)> {
    let someone = mention_of_someone();
    let q = |at: At, text: &str, gap: bool| (at, text.to_string(), gap);
    vec![
        // Answered.
        q(At::Channel, "!stars Solihull", false),
        q(At::Mention, "Who runs social services in Coventry?", false),
        q(At::Dm, "tell me about Peter Hay", false),
        q(At::Dm, "how much did Safe and Sound cost", false),
        q(At::Dm, "compare Solihull and Coventry", false),
        q(At::Channel, "!director Staffordshire", false),
        // Names carebot does not know.
        q(At::Channel, "!stars Narnia", true),
        q(At::Channel, "!stars Narnia", true),
        q(At::Channel, "!stars Narnia", true),
        q(At::Channel, "!stars narnia", true),
        q(At::Channel, "!stars Soli", true),
        q(At::Channel, "!person Jane Doe", true),
        q(At::Dm, "who is Andrew Cozens", true),
        q(At::Channel, "!person Andrew Cozens", true),
        q(At::Mention, "how many stars does Cardiff have", true),
        q(At::Dm, "what's the population of Leeds", true),
        q(At::Mention, "Who runs social services in Leeds?", true),
        q(At::Channel, "!scheme Meals on Wheels", true),
        q(At::Channel, "!councils Wales", true),
        // Known subjects without the fact asked for.
        q(At::Channel, "!director Kirklees", true),
        q(At::Channel, "!director Kirklees", true),
        q(At::Channel, "!figures Kirklees housing", true),
        q(At::Dm, "how many people live in Solihull", true),
        q(At::Dm, "!figures Leeds housing", true),
        q(At::Channel, "!search zebra crossings", true),
        q(At::Channel, "!search waiting list", true),
        // Not understood.
        (
            At::Dm,
            format!("can you book me a care assessment for {someone} please"),
            true,
        ),
        q(At::Dm, "how do I complain about my social worker?", true),
        q(
            At::Mention,
            "How do I complain about my social worker",
            true,
        ),
        // Not gaps: a usage error, an unknown command.
        q(At::Channel, "!stars", false),
        q(At::Dm, "!frobnicate", false),
    ]
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
    let session = session();
    for (i, (at, text, _)) in session.iter().enumerate() {
        let (channel, guild, text) = match at {
            At::Channel => (CHANNEL_ID, Some(GUILD_ID), text.clone()),
            At::Mention => (
                CHANNEL_ID,
                Some(GUILD_ID),
                format!("{} {text}", mention(BOT_USER_ID)),
            ),
            At::Dm => (DM_CHANNEL_ID, None, text.clone()),
        };
        fake.message_create(channel, &alice, &text, guild, matches!(at, At::Mention));
        // One at a time, so the file's order is the order asked.
        assert_eq!(
            fake.wait_for_messages(i + 1, WAIT).await.len(),
            i + 1,
            "{text}"
        );
    }
    // Slash commands: two gaps and an answer.
    let slash = [
        ("stars", "council", "Narnia"),
        ("person", "name", "Jane Doe"),
        ("stars", "council", "Coventry"),
    ];
    for (answered, (name, option, value)) in slash.iter().enumerate() {
        fake.interaction_command(
            name,
            json!([{ "type": 3, "name": option, "value": value }]),
            &alice,
            CHANNEL_ID,
            Some(GUILD_ID),
        );
        fake.wait_for_interaction_responses(answered + 1, WAIT)
            .await;
    }
    let gaps = session.iter().filter(|(_, _, gap)| *gap).count() + 2;
    let lines = |f: &Path| std::fs::read_to_string(f).map_or(0, |t| t.lines().count());
    for _ in 0..100 {
        if lines(&file) >= gaps {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running.shutdown().await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), gaps, "{text}");
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
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["outcome"], "unknown_name");
    assert_eq!(records[0]["question"], "!stars Narnia");
    assert_eq!(records[0]["unrecognised"], json!(["Narnia"]));
    assert_eq!(records[0]["kind"], "council");
    let missing = records
        .iter()
        .find(|r| r["question"] == "how many people live in Solihull")
        .unwrap();
    assert_eq!(
        (
            &missing["outcome"],
            &missing["recognised"],
            &missing["subject"]
        ),
        (&json!("no_facts"), &json!(["Solihull"]), &json!("Solihull"))
    );
    let last = &records[gaps - 1];
    assert_eq!(last["question"], "/person Jane Doe");

    let (code, out) = report(&file);
    assert_eq!(code, 0);
    let (head, body) = out.split_once('\n').unwrap();
    let stamp = regex::Regex::new(&format!(
        r"^{gaps} unanswered questions, \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d to \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.$"
    ))
    .unwrap();
    assert!(stamp.is_match(head), "{head}");
    assert_eq!(
        body,
        "
Unknown names (13):
    5  Narnia (council)
    2  Andrew Cozens (person)
    2  Jane Doe (person)
    1  Cardiff (council)
    1  Meals on Wheels (scheme)
    1  Soli (council; suggested Solihull)
    1  Wales (region)

Missing facts (9):
    2  who leads social services for Kirklees
    1  anything mentioning “waiting list”
    1  anything mentioning “zebra crossings”
    1  the housing for Kirklees
    1  the housing for Leeds
    1  the population for Leeds
    1  the population for Solihull
    1  who leads social services for Leeds

Phrasings not understood (3):
    2  “how do I complain about my social worker?”
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
        "{\"time\":\"2026-11-30T09:00:00Z\",\"outcome\":\"no_facts\",\"question\":\"!director Kirklees\",\"recognised\":[\"Kirklees\"],\"missing\":\"who leads social services\",\"subject\":\"Kirklees\"}\n",
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
