//! carebot end to end: the real serenity client and carebot's handler against a Discord
//! stand-in on 127.0.0.1, over real HTTP and WebSocket round trips.

mod support;

use std::sync::Arc;
use std::time::Duration;

use fake_discord::*;
use serde_json::{json, Value};
use support::carebot::{self as bot, TOKEN};
use support::synthetic;

const WAIT: Duration = Duration::from_secs(10);
const SOURCE: &str = "Source: Community Care, “Stars in the making”, 19 November 2004";

/// The `allowed_mentions` every carebot message must carry: nothing may ping.
fn no_pings() -> Value {
    json!({ "parse": [], "users": [], "roles": [], "replied_user": false })
}

async fn setup() -> (FakeDiscord, bot::Running) {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), bot::bundled()).await;
    (fake, running)
}

/// Asks in the guild channel as Alice and returns carebot's one reply.
async fn ask_channel(fake: &FakeDiscord, text: &str) -> RecordedMessage {
    let before = fake.message_count();
    let id = fake.message_create(CHANNEL_ID, &Author::alice(), text, Some(GUILD_ID), false);
    let messages = fake.wait_for_messages(before + 1, WAIT).await;
    let reply = messages.last().expect("a reply").clone();
    assert_eq!(
        reply.reply_to,
        Some(id),
        "the reply answers the asking message"
    );
    reply
}

fn embed(m: &RecordedMessage) -> &Value {
    assert_eq!(m.embeds.len(), 1, "{:?}", m.body);
    &m.embeds[0]
}

fn field_names(e: &Value) -> Vec<String> {
    e["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| f["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn identifies_with_the_token_and_intents_from_config() {
    let (fake, running) = setup().await;
    let identify = fake.identifies()[0].clone();
    assert_eq!(identify.token, format!("Bot {TOKEN}"));
    let want = intents::GUILDS
        | intents::GUILD_MESSAGES
        | intents::DIRECT_MESSAGES
        | intents::MESSAGE_CONTENT;
    assert_eq!(identify.intents, want);
    assert_eq!(identify.shard, Some([0, 1]));
    running.shutdown().await;

    // Without the privileged intent the bot does not ask for it.
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.discord.message_content = false;
    let running = bot::start(&fake, config, bot::bundled()).await;
    assert_eq!(
        fake.identifies()[0].intents,
        intents::GUILDS | intents::GUILD_MESSAGES | intents::DIRECT_MESSAGES
    );
    running.shutdown().await;
}

#[tokio::test]
async fn prefix_command_gets_the_right_embed_as_a_reply_that_pings_no_one() {
    let (fake, running) = setup().await;
    let reply = ask_channel(&fake, "!stars Birmingham").await;
    assert_eq!(reply.channel_id, CHANNEL_ID);
    assert_eq!(reply.body["allowed_mentions"], no_pings());
    assert_eq!(reply.content, "");
    let e = embed(&reply);
    assert_eq!(e["title"], "Birmingham: star rating");
    assert!(e["description"].as_str().unwrap().starts_with(
        "Star ratings of councils' social services ran from May 2002 to November 2008"
    ));
    assert_eq!(
        field_names(e),
        vec![
            "November 2007 · adult social care",
            "December 2005 · social services",
            "November 2004 · social services",
            "November 2003 · social services",
            "November 2002 · social services",
            "May 2002 · social services",
            "Rounds no source gives"
        ]
    );
    let november_2004 = e["fields"][2]["value"].as_str().unwrap();
    assert!(
        november_2004.starts_with("⚠ The sources disagree: 0 stars and 1 star for November 2004.")
            && november_2004.contains("“Birmingham has a one-star rating”"),
        "{november_2004}"
    );
    let footer = e["footer"]["text"].as_str().unwrap();
    assert!(footer.contains(&SOURCE["Source: ".len()..]), "{footer}");
    // The request went to carebot's REST base with the bot token.
    let post = &fake.requests_to(Endpoint::CreateMessage)[0];
    assert_eq!(
        post.authorization.as_deref(),
        Some(&*format!("Bot {TOKEN}"))
    );
    assert_eq!(
        post.path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    running.shutdown().await;
}

#[tokio::test]
async fn questions_are_answered_when_the_bot_is_mentioned_and_in_dms() {
    let (fake, running) = setup().await;
    let text = format!(
        "{} who runs social services in Coventry?",
        mention(BOT_USER_ID)
    );
    let id = fake.message_create(CHANNEL_ID, &Author::alice(), &text, Some(GUILD_ID), true);
    let m = fake.wait_for_messages(1, WAIT).await;
    assert_eq!(m[0].reply_to, Some(id));
    assert_eq!(embed(&m[0])["title"], "Coventry: who leads social services");
    assert_eq!(
        embed(&m[0])["description"],
        "John Bolton led social services at Coventry in November 2004."
    );

    let id = fake.message_create(
        DM_CHANNEL_ID,
        &Author::alice(),
        "Who is Peter Hay?",
        None,
        false,
    );
    let m = fake.wait_for_messages(2, WAIT).await;
    assert_eq!(m[1].channel_id, DM_CHANNEL_ID);
    assert_eq!(m[1].reply_to, Some(id));
    assert_eq!(embed(&m[1])["title"], "Peter Hay");
    for m in &m {
        assert_eq!(m.body["allowed_mentions"], no_pings());
    }
    running.shutdown().await;
}

#[tokio::test]
async fn chatter_and_bots_get_no_reply() {
    let (fake, running) = setup().await;
    fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "hello everyone, who runs Coventry?",
        Some(GUILD_ID),
        false,
    );
    fake.message_create(
        CHANNEL_ID,
        &Author::bot(42, "otherbot"),
        "!stars Birmingham",
        Some(GUILD_ID),
        false,
    );
    fake.message_create(
        DM_CHANNEL_ID,
        &Author::bot(43, "dmbot"),
        "Who is Peter Hay?",
        None,
        false,
    );
    fake.message_create(
        CHANNEL_ID,
        &Author::bot(BOT_USER_ID, BOT_NAME),
        "!stars Solihull",
        Some(GUILD_ID),
        false,
    );
    // A command after them is the only thing answered.
    let reply = ask_channel(&fake, "!stars Coventry").await;
    assert_eq!(embed(&reply)["title"], "Coventry: star rating");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.message_count(), 1);
    running.shutdown().await;
}

#[tokio::test]
async fn slash_commands_are_registered_from_the_registry() {
    let (fake, running) = setup().await;
    let reg = fake
        .wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    assert_eq!(reg.guild_id, Some(GUILD_ID));
    let commands = reg.body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let registry: Vec<&str> = carebot::query::COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, registry);
    for want in [
        "stars", "director", "person", "schemes", "scheme", "council", "compare", "rated",
        "councils", "search", "help",
    ] {
        assert!(names.contains(&want), "/{want} is registered");
    }
    let name_rule = regex::Regex::new(r"^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$").unwrap();
    for c in commands {
        assert!(name_rule.is_match(c["name"].as_str().unwrap()));
        let d = c["description"].as_str().unwrap().chars().count();
        assert!((1..=100).contains(&d), "{c}");
        for o in c["options"].as_array().into_iter().flatten() {
            assert!(name_rule.is_match(o["name"].as_str().unwrap()), "{o}");
            let d = o["description"].as_str().unwrap().chars().count();
            assert!((1..=100).contains(&d), "{o}");
        }
    }
    let stars = &commands[0]["options"][0];
    for (key, want) in [
        ("type", json!(3)),
        ("name", json!("council")),
        ("description", json!("The council, e.g. Birmingham")),
        ("required", json!(true)),
        ("autocomplete", json!(true)),
        ("max_length", json!(100)),
    ] {
        assert_eq!(stars[key], want, "{key}");
    }
    let compare = commands.iter().find(|c| c["name"] == "compare").unwrap();
    let opts: Vec<(&str, bool)> = compare["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap(),
                o["required"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        opts,
        vec![
            ("council1", true),
            ("council2", true),
            ("council3", false),
            ("council4", false)
        ]
    );
    // Only one registration per start, even with several READYs.
    assert_eq!(fake.command_registrations().len(), 1);
    running.shutdown().await;
}

#[tokio::test]
async fn slash_command_is_answered_through_the_interaction_callback() {
    let (fake, running) = setup().await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    fake.interaction_command(
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Solihull" }]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(1, WAIT).await;
    assert_eq!(r[0].kind, 4, "CHANNEL_MESSAGE_WITH_SOURCE");
    assert_eq!(r[0].data["allowed_mentions"], no_pings());
    let e = &r[0].data["embeds"][0];
    assert_eq!(e["title"], "Solihull: star rating");
    assert_eq!(
        e["description"],
        "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008."
    );
    let footer = e["footer"]["text"].as_str().unwrap();
    assert!(footer.contains(&SOURCE["Source: ".len()..]), "{footer}");

    fake.interaction_command(
        "compare",
        json!([
            { "type": 3, "name": "council1", "value": "Solihull" },
            { "type": 3, "name": "council2", "value": "Coventry" }
        ]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(2, WAIT).await;
    assert_eq!(
        r[1].data["embeds"][0]["title"],
        "Comparing Solihull and Coventry"
    );

    fake.interaction_command(
        "rated",
        json!([{ "type": 3, "name": "scale", "value": "2" }]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(3, WAIT).await;
    assert_eq!(
        r[2].data["embeds"][0]["title"],
        "Councils rated ★★☆ 2 stars"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn autocomplete_offers_at_most_25_names_best_first_and_tolerates_typos() {
    let (fake, running) = setup().await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    let choices = |r: &RecordedInteractionResponse| -> Vec<String> {
        assert_eq!(r.kind, 8, "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT");
        r.data["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                assert_eq!(c["name"], c["value"]);
                c["name"].as_str().unwrap().to_string()
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
    assert_eq!(
        choices(&ask(1, "stars", "council", "Bir").await),
        vec!["Birmingham"]
    );
    assert_eq!(
        choices(&ask(2, "stars", "council", "Solihul").await),
        vec!["Solihull"]
    );
    // The exact alias first, then a close name.
    assert_eq!(
        choices(&ask(3, "person", "name", "hay").await),
        vec!["Peter Hay", "Michael Hake"]
    );
    assert_eq!(
        choices(&ask(4, "scheme", "name", "safe").await),
        vec!["Safe and Sound"]
    );
    // Every council of the register is offered: the first 25, in the order of their names.
    let all = choices(&ask(5, "stars", "council", "").await);
    assert_eq!(all.len(), 25, "{all:?}");
    assert_eq!(all[..3], ["Barking and Dagenham", "Barnet", "Barnsley"]);
    running.shutdown().await;

    // With more names than Discord accepts, 25 come back.
    let fake = FakeDiscord::start().await;
    let running = bot::start(
        &fake,
        bot::config_for(&fake),
        Arc::new(synthetic::towns(60, 60)),
    )
    .await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    fake.interaction_autocomplete(
        "council",
        json!([{ "type": 3, "name": "council", "value": "Town", "focused": true }]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(1, WAIT).await;
    assert_eq!(r[0].data["choices"].as_array().unwrap().len(), 25);
    running.shutdown().await;
}

#[tokio::test]
async fn the_longest_answers_are_paged_within_discords_limits() {
    let fake = FakeDiscord::start().await;
    let running = bot::start(
        &fake,
        bot::config_for(&fake),
        Arc::new(synthetic::towns(60, 60)),
    )
    .await;
    // 60 schemes of about 1,000 characters each: far over one embed's 6,000.
    fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "!schemes Town 1",
        Some(GUILD_ID),
        false,
    );
    // Wait until the pages stop coming.
    let mut pages = Vec::new();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = fake.messages();
        if !now.is_empty() && now.len() == pages.len() {
            break;
        }
        pages = now;
    }
    assert!(pages.len() >= 10, "{} pages", pages.len());
    let mut schemes = 0;
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p.body["allowed_mentions"], no_pings());
        let e = embed(p);
        let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        let mut total = len(&e["title"]) + len(&e["description"]) + len(&e["footer"]["text"]);
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        assert!(fields.len() <= 25);
        for f in &fields {
            assert!(len(&f["name"]) <= 256 && len(&f["value"]) <= 1024);
            total += len(&f["name"]) + len(&f["value"]);
            schemes += usize::from(f["name"].as_str().unwrap().starts_with("Scheme "));
        }
        assert!(len(&e["description"]) <= 4096);
        assert!(total <= 6000, "page {i}: {total}");
        assert!(e["footer"]["text"].as_str().unwrap().ends_with(&format!(
            "page {}/{}",
            i + 1,
            pages.len()
        )));
        // Only the first page replies to the question.
        assert_eq!(p.reply_to.is_some(), i == 0);
    }
    assert_eq!(schemes, 60, "every scheme is shown once");
    // Every page was accepted by the stand-in, which checks Discord's limits.
    assert!(fake
        .requests_to(Endpoint::CreateMessage)
        .iter()
        .all(|r| r.status == 200));
    running.shutdown().await;
}

#[tokio::test]
async fn user_text_echoed_back_pings_no_one_and_shows_as_typed() {
    let (fake, running) = setup().await;
    let reply = ask_channel(&fake, "!stars @everyone <@&123> **x**").await;
    assert_eq!(reply.body["allowed_mentions"], no_pings());
    let e = embed(&reply);
    assert_eq!(e["title"], "No answer");
    let d = e["description"].as_str().unwrap();
    assert!(
        d.starts_with("I have no data on a council called “@\u{200B}everyone \\<@\u{200B}&123\\> \\*\\*x\\*\\*”."),
        "{d}"
    );
    assert!(!d.contains("@everyone") && !d.contains("<@&123>"));
    running.shutdown().await;
}

#[tokio::test]
async fn cooldown_gives_one_notice_then_silence_and_leaves_others_alone() {
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.cooldown.commands = 2;
    config.cooldown.window_secs = 60;
    let running = bot::start(&fake, config, bot::bundled()).await;
    let alice = Author::alice();
    for i in 0..5 {
        fake.message_create(CHANNEL_ID, &alice, "!stars Solihull", Some(GUILD_ID), false);
        // Handlers run concurrently; space the messages so the order is fixed.
        fake.wait_for_messages((i + 1).min(3), WAIT).await;
    }
    let bob = Author::user(USER_ID + 1, "bob");
    fake.message_create(CHANNEL_ID, &bob, "!stars Coventry", Some(GUILD_ID), false);
    let m = fake.wait_for_messages(4, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let m2 = fake.messages();
    assert_eq!(
        m2.len(),
        4,
        "two answers, one notice, silence, then Bob's answer"
    );
    let titles: Vec<&str> = m
        .iter()
        .map(|m| embed(m)["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Solihull: star rating",
            "Solihull: star rating",
            "carebot",
            "Coventry: star rating"
        ]
    );
    let notice = embed(&m[2])["description"].as_str().unwrap();
    assert!(
        notice.starts_with("You're asking faster than I answer: please wait "),
        "{notice}"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn a_command_after_a_reconnect_is_answered_once() {
    let (fake, running) = setup().await;
    assert_eq!(
        embed(&ask_channel(&fake, "!stars Solihull").await)["title"],
        "Solihull: star rating"
    );
    assert!(fake.send_reconnect());
    assert!(fake.wait_resumes(1, WAIT).await, "serenity resumed");
    assert!(fake.wait_live(WAIT).await);
    let reply = ask_channel(&fake, "!director Coventry").await;
    assert_eq!(
        embed(&reply)["title"],
        "Coventry: who leads social services"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.message_count(), 2);
    assert_eq!(fake.identifies().len(), 1, "resumed, not re-identified");
    running.shutdown().await;
}

#[tokio::test]
async fn a_shard_range_starts_exactly_those_shards() {
    let fake = FakeDiscord::start().await;
    let mut config = bot::config_for(&fake);
    config.discord.shard_start = 1;
    config.discord.shard_count = 2;
    config.discord.total_shards = 4;
    let running = bot::start(&fake, config, bot::bundled()).await;
    // Discord allows one IDENTIFY per 5 s, so the second shard comes 5 s after the first.
    assert!(fake.wait_identifies(2, Duration::from_secs(15)).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shards: Vec<Option<[u64; 2]>> = fake.identifies().iter().map(|i| i.shard).collect();
    assert_eq!(shards, vec![Some([1, 4]), Some([2, 4])]);
    running.shutdown().await;
}
