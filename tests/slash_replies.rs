//! Slash commands answered as Discord users expect, against the Discord stand-in: notices seen
//! by the asker alone, answers in public, long answers one message with Previous/Next buttons,
//! `/help` in slash form, choices for closed sets and labelled autocomplete.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use carebot::knowledge::{load_texts, Knowledge, KnowledgeText};
use fake_discord::*;
use serde_json::{json, Value};
use support::carebot as bot;
use support::synthetic;

const WAIT: Duration = Duration::from_secs(10);
/// The EPHEMERAL message flag.
const EPHEMERAL: u64 = 64;

async fn start(knowledge: Arc<Knowledge>) -> (FakeDiscord, bot::Running) {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), knowledge).await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    (fake, running)
}

/// Sends `/name options` as Alice and returns the interaction and carebot's response to it.
async fn slash(
    fake: &FakeDiscord,
    name: &str,
    options: Value,
) -> (SentInteraction, RecordedInteractionResponse) {
    let before = fake.interaction_responses().len();
    let sent =
        fake.interaction_command(name, options, &Author::alice(), CHANNEL_ID, Some(GUILD_ID));
    let r = fake.wait_for_interaction_responses(before + 1, WAIT).await;
    let r = r
        .into_iter()
        .find(|r| r.interaction_id == sent.id)
        .expect("a response");
    (sent, r)
}

fn flags(r: &RecordedInteractionResponse) -> u64 {
    r.data["flags"].as_u64().unwrap_or(0)
}

fn description(r: &RecordedInteractionResponse) -> &str {
    r.data["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn notices_are_for_the_asker_alone_and_answers_for_everyone() {
    let (fake, running) = start(bot::bundled()).await;

    let (_, r) = slash(
        &fake,
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Solihull" }]),
    )
    .await;
    assert_eq!((r.kind, flags(&r)), (4, 0), "an answer is public");
    assert_eq!(r.data["embeds"][0]["title"], "Solihull: star rating");
    assert_eq!(
        r.data["components"],
        json!([]),
        "a one-page answer has no buttons"
    );

    // "Did you mean".
    let (_, r) = slash(
        &fake,
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Soli" }]),
    )
    .await;
    assert_eq!((r.kind, flags(&r)), (4, EPHEMERAL), "{}", r.body);
    assert_eq!(r.data["embeds"][0]["title"], "No answer");
    assert!(
        description(&r).contains("Did you mean **Solihull**?"),
        "{}",
        description(&r)
    );

    // No data.
    let (_, r) = slash(
        &fake,
        "person",
        json!([{ "type": 3, "name": "name", "value": "Nobody Atall" }]),
    )
    .await;
    assert_eq!((r.kind, flags(&r)), (4, EPHEMERAL));
    assert!(
        description(&r).starts_with("I have no data on a person called “Nobody Atall”."),
        "{}",
        description(&r)
    );

    // A usage error.
    let (_, r) = slash(
        &fake,
        "rated",
        json!([{ "type": 3, "name": "scale", "value": "7 stars" }]),
    )
    .await;
    assert_eq!((r.kind, flags(&r)), (4, EPHEMERAL));
    assert_eq!(
        description(&r),
        "/rated: name an Ofsted grade (outstanding, good, requires improvement, inadequate) or 0 to 3 stars"
    );
    running.shutdown().await;

    // The cooldown notice.
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 1;
    config.cooldown.window_secs = 60;
    let running = bot::start(&fake, config, bot::bundled()).await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    let options = json!([{ "type": 3, "name": "council", "value": "Coventry" }]);
    let (_, first) = slash(&fake, "stars", options.clone()).await;
    let (_, second) = slash(&fake, "stars", options.clone()).await;
    let (_, third) = slash(&fake, "stars", options).await;
    assert_eq!(flags(&first), 0);
    assert_eq!(flags(&second), EPHEMERAL);
    assert!(
        description(&second).starts_with("You're asking faster than I answer: please wait "),
        "{}",
        description(&second)
    );
    assert_eq!(flags(&third), EPHEMERAL);
    assert_eq!(
        description(&third),
        "Please wait a little before the next question."
    );
    for r in [&first, &second, &third] {
        assert_eq!(r.data["allowed_mentions"]["parse"], json!([]));
    }
    running.shutdown().await;
}

/// The page buttons on a response or updated message: (label, custom id, disabled).
fn buttons(message: &Value) -> Vec<(String, String, bool)> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                b["label"].as_str().unwrap().to_string(),
                b["custom_id"].as_str().unwrap().to_string(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// Council names in a page's list ("• Town 12 …").
fn towns_listed(page: &Value) -> Vec<String> {
    page["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("• "))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn a_long_list_is_one_message_paged_with_buttons_and_no_ceiling() {
    let (fake, running) = start(Arc::new(synthetic::towns(1000, 0))).await;
    let (sent, r) = slash(&fake, "councils", json!([])).await;
    assert_eq!((r.kind, flags(&r)), (4, 0));
    let footer = r.data["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let pages: usize = footer
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a page count in the footer");
    assert!(pages >= 3, "{footer}");
    assert_eq!(footer, format!("page 1/{pages}"));
    let b = buttons(&r.data);
    assert_eq!(b.len(), 2);
    assert_eq!((b[0].0.as_str(), b[0].2), ("Previous", true));
    assert_eq!((b[1].0.as_str(), b[1].2), ("Next", false));
    assert!(b.iter().all(|(_, id, _)| id.chars().count() <= 100));
    // A disabled button can't be pressed.
    assert!(fake
        .interaction_component(sent.id, &b[0].1, &Author::alice(), Some(GUILD_ID))
        .is_none());

    // Next to the end: each page replaces the last in the same message.
    let mut seen = towns_listed(&r.data);
    let mut next = b[1].1.clone();
    for page in 2..=pages {
        let before = fake.interaction_responses().len();
        let press = fake
            .interaction_component(
                sent.id,
                &next,
                &Author::user(USER_ID + 1, "bob"),
                Some(GUILD_ID),
            )
            .expect("Next can be pressed");
        let r = fake.wait_for_interaction_responses(before + 1, WAIT).await;
        let r = r.iter().find(|r| r.interaction_id == press.id).unwrap();
        assert_eq!(r.kind, 7, "UPDATE_MESSAGE");
        let message = fake.original_response(sent.id).unwrap();
        assert_eq!(
            message["embeds"][0]["footer"]["text"],
            format!("page {page}/{pages}")
        );
        seen.extend(towns_listed(&message));
        let b = buttons(&message);
        assert!(!b[0].2, "Previous works after page 1");
        assert_eq!(b[1].2, page == pages, "Next stops at the last page");
        next = b[1].1.clone();
        if page == pages {
            // Back one page.
            let before = fake.interaction_responses().len();
            fake.interaction_component(sent.id, &b[0].1, &Author::alice(), Some(GUILD_ID))
                .expect("Previous can be pressed");
            fake.wait_for_interaction_responses(before + 1, WAIT).await;
            let message = fake.original_response(sent.id).unwrap();
            assert_eq!(
                message["embeds"][0]["footer"]["text"],
                format!("page {}/{pages}", pages - 1)
            );
        }
    }
    let want: Vec<String> = (1..=1000).map(|i| format!("Town {i}")).collect();
    assert_eq!(seen, want, "every council once, in order, none cut off");

    // The message path keeps its shorter list.
    fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "!councils",
        Some(GUILD_ID),
        false,
    );
    let m = fake.wait_for_messages(1, WAIT).await;
    let d = m[0].embeds[0]["description"].as_str().unwrap();
    assert!(d.ends_with("\n…and 950 more."), "{d}");
    running.shutdown().await;
}

#[tokio::test]
async fn help_lists_the_slash_commands() {
    let (fake, running) = start(bot::bundled()).await;
    let (_, r) = slash(&fake, "help", json!([])).await;
    assert_eq!((r.kind, flags(&r)), (4, 0));
    assert_eq!(r.data["embeds"][0]["title"], "Slash commands");
    let d = description(&r);
    let lines: Vec<&str> = d.lines().collect();
    assert_eq!(
        lines[0],
        "`/stars council` A council's social services star rating, with its history and any disagreement"
    );
    assert!(lines.contains(&"`/figures council [topic]` A council's figures: population, ethnicity, area, housing, workforce"), "{d}");
    assert!(lines.contains(&"`/compare council1 council2` Councils side by side (stars, leaders, figures, schemes), or regions (Ofsted grades)"), "{d}");
    assert_eq!(lines.len(), carebot::query::COMMANDS.len() + 2);
    assert!(d.ends_with("\n\n`/help command` tells more about one."));
    assert!(!d.contains('!'), "no prefix commands: {d}");

    let (_, r) = slash(
        &fake,
        "help",
        json!([{ "type": 3, "name": "command", "value": "compare" }]),
    )
    .await;
    assert_eq!(r.data["embeds"][0]["title"], "/compare");
    assert_eq!(
        description(&r),
        "`/compare council1 council2`\nCouncils side by side (stars, leaders, figures, schemes), or regions (Ofsted grades)\n`council1, council2, council3, council4`: Two or more councils or regions, e.g. Solihull Coventry"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn the_figures_topic_is_a_choice_from_the_registry() {
    let (fake, running) = start(bot::bundled()).await;
    let reg = fake.command_registrations().pop().unwrap();
    let figures = reg
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "figures")
        .unwrap()
        .clone();
    let topic = &figures["options"][1];
    assert_eq!(topic["name"], "topic");
    assert_ne!(topic["autocomplete"], true);
    let choices: Vec<(&str, &str)> = topic["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["value"].as_str().unwrap()))
        .collect();
    let want: Vec<(&str, &str)> = carebot::query::registry::Topic::ALL
        .iter()
        .map(|t| (t.word(), t.word()))
        .collect();
    assert_eq!(choices, want);
    let (_, r) = slash(
        &fake,
        "figures",
        json!([
            { "type": 3, "name": "council", "value": "Coventry" },
            { "type": 3, "name": "topic", "value": "population" }
        ]),
    )
    .await;
    assert_eq!(flags(&r), 0);
    assert!(r.data["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Coventry"));
    running.shutdown().await;
}

/// A knowledge base where one word names a council, a person and a scheme.
fn boltons() -> Knowledge {
    let toml = r#"
[[source]]
id = "s"
title = "Test"
publisher = "Tests"

[[council]]
id = "bolton"
name = "Bolton"

[[council]]
id = "boston"
name = "Boston"

[[person]]
id = "john-bolton"
name = "John Bolton"

[[person.role]]
title = "director"
organisation = "Bolton Council"
council = "bolton"
source = "s"
quote = "John Bolton is the director of social services at Bolton"

[[scheme]]
id = "bolton-befrienders"
name = "Bolton Befrienders"
council = "bolton"
source = "s"
description = { text = "Visits.", quote = "Bolton Befrienders visit people who live alone" }
"#;
    let text = KnowledgeText {
        path: "boltons.toml".into(),
        text: toml.into(),
    };
    load_texts(Path::new("."), vec![text]).expect("loads")
}

#[tokio::test]
async fn autocomplete_ranks_across_kinds_and_labels_them() {
    let (fake, running) = start(Arc::new(boltons())).await;
    let choices = |r: &RecordedInteractionResponse| -> Vec<(String, String)> {
        assert_eq!(r.kind, 8);
        r.data["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["value"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let ask = |n: usize, command: &'static str, option: &'static str, value: &'static str| {
        fake.interaction_autocomplete(
            command,
            json!([{ "type": 3, "name": option, "value": value, "focused": true }]),
            &Author::alice(),
            CHANNEL_ID,
            Some(GUILD_ID),
        );
        let fake = &fake;
        async move { fake.wait_for_interaction_responses(n, WAIT).await[n - 1].clone() }
    };
    let pair = |l: &str, v: &str| (l.to_string(), v.to_string());
    assert_eq!(
        choices(&ask(1, "about", "name", "bolton").await),
        vec![
            pair("Bolton (council)", "Bolton"),
            pair("Bolton Befrienders (scheme)", "Bolton Befrienders"),
            pair("John Bolton (person)", "John Bolton"),
            // A close spelling comes after every name that holds the word.
            pair("Boston (council)", "Boston"),
        ]
    );
    // One kind: plain names.
    assert_eq!(
        choices(&ask(2, "stars", "council", "bo").await),
        vec![pair("Bolton", "Bolton"), pair("Boston", "Boston")]
    );
    running.shutdown().await;
}
