//! Charts in Discord, against the stand-in: the chart goes as the embed's image in a
//! multipart message, with the retries and nonce of every reply; other answers carry none.

mod support;

use std::time::Duration;

use carebot::chart::{self, FILE_NAME, HEIGHT, WIDTH};
use fake_discord::*;
use serde_json::json;
use support::carebot as bot;

const WAIT: Duration = Duration::from_secs(10);

/// Asks in the guild channel as Alice; carebot's one reply.
async fn ask(fake: &FakeDiscord, text: &str) -> RecordedMessage {
    let before = fake.message_count();
    let id = fake.message_create(CHANNEL_ID, &Author::alice(), text, Some(GUILD_ID), false);
    let reply = fake
        .wait_for_messages(before + 1, WAIT)
        .await
        .pop()
        .expect("a reply");
    assert_eq!(reply.reply_to, Some(id));
    reply
}

/// The size of a PNG, decoded.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    (reader.info().width, reader.info().height)
}

/// The chart carebot draws for `q` on the bundled knowledge base.
fn drawn(q: &str) -> Vec<u8> {
    let k = bot::bundled();
    let parser = carebot::query::Parser::new("!");
    let (_, c) = carebot::answer::ask_charted(&k, &parser, q, carebot::query::Mode::Channel, 500)
        .expect("an answer");
    chart::render(&c.expect("a chart")).unwrap().bytes
}

#[tokio::test]
async fn a_chart_is_the_image_of_the_replys_embed_attached_to_the_same_message() {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), bot::bundled()).await;
    let reply = ask(&fake, "!chart Birmingham").await;
    assert_eq!(reply.embeds.len(), 1);
    let e = &reply.embeds[0];
    assert_eq!(e["title"], "Chart: Birmingham");
    assert_eq!(e["image"], json!({ "url": "attachment://chart.png" }));
    assert_eq!(
        reply.body["attachments"],
        json!([{ "id": 0, "filename": FILE_NAME }])
    );
    assert_eq!(
        reply.body["allowed_mentions"],
        json!({ "parse": [], "users": [], "roles": [], "replied_user": false })
    );
    assert_eq!(reply.files.len(), 1);
    let f = &reply.files[0];
    assert_eq!(
        (
            f.field.as_str(),
            f.filename.as_str(),
            f.content_type.as_deref()
        ),
        ("files[0]", "chart.png", Some("image/png"))
    );
    assert_eq!(png_size(&f.bytes), (WIDTH, HEIGHT));
    assert_eq!(f.bytes, drawn("!chart Birmingham"));
    let request = &fake.requests_to(Endpoint::CreateMessage)[0];
    let kind = request.content_type.as_deref().unwrap_or_default();
    assert!(kind.starts_with("multipart/form-data; boundary="), "{kind}");
    // The answer's words are in the embed for screen readers.
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert!(fields[0].contains("November 2004 (social services): 0 stars (press); 0 stars and 1 star (Community Care article): the sources disagree"), "{fields:?}");
    running.shutdown().await;
}

#[tokio::test]
async fn a_chart_message_is_retried_whole_under_one_nonce() {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), bot::bundled()).await;
    fake.script_create_message([ScriptedResponse::server_error()]);
    let reply = ask(&fake, "!chart England").await;
    let tries = fake.requests_to(Endpoint::CreateMessage);
    assert_eq!(
        tries.iter().map(|t| t.status).collect::<Vec<_>>(),
        [500, 200]
    );
    let nonces: Vec<_> = tries
        .iter()
        .map(|t| t.body.as_ref().unwrap()["nonce"].clone())
        .collect();
    assert_eq!(nonces[0], nonces[1]);
    assert!(tries.iter().all(|t| t
        .raw_body
        .as_deref()
        .is_some_and(|b| b.contains("name=\"files[0]\""))));
    assert_eq!(reply.files[0].bytes, drawn("!chart England"));
    assert!(
        !fake
            .wait_for_message_count(2, Duration::from_millis(500))
            .await
    );
    running.shutdown().await;
}

#[tokio::test]
async fn an_answer_without_a_chart_is_plain_json_with_no_image_or_file() {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), bot::bundled()).await;
    for q in [
        "!stars Birmingham",
        "!compare Birmingham Solihull",
        "!chart Atlantis",
    ] {
        let reply = ask(&fake, q).await;
        assert!(reply.files.is_empty(), "{q}");
        assert_eq!(reply.embeds[0].get("image"), None, "{q}");
        assert_eq!(reply.body.get("attachments"), None, "{q}");
        let request = fake.requests_to(Endpoint::CreateMessage).pop().unwrap();
        assert_eq!(
            request.content_type.as_deref(),
            Some("application/json"),
            "{q}"
        );
    }
    running.shutdown().await;
}

#[tokio::test]
async fn a_slash_chart_answer_carries_its_chart_and_other_slash_answers_none() {
    let fake = FakeDiscord::start().await;
    let running = bot::start(&fake, bot::config_for(&fake), bot::bundled()).await;
    fake.wait_for_command_registration(WAIT)
        .await
        .expect("registered");
    let alice = Author::alice();
    fake.interaction_command(
        "chart",
        json!([{ "type": 3, "name": "councils", "value": "Birmingham" }]),
        &alice,
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(1, WAIT).await.remove(0);
    assert_eq!(r.kind, 4);
    assert_eq!(r.data["embeds"][0]["title"], "Chart: Birmingham");
    assert_eq!(
        r.data["embeds"][0]["image"]["url"],
        "attachment://chart.png"
    );
    // Public, like every answer.
    assert_eq!(
        r.data.get("flags").and_then(|f| f.as_u64()).unwrap_or(0) & 64,
        0
    );
    let request = fake.requests_to(Endpoint::InteractionCallback).remove(0);
    let kind = request.content_type.as_deref().unwrap_or_default();
    assert!(kind.starts_with("multipart/form-data; boundary="), "{kind}");
    assert_eq!(request.files.len(), 1);
    assert_eq!(request.files[0].filename, FILE_NAME);
    assert_eq!(png_size(&request.files[0].bytes), (WIDTH, HEIGHT));
    assert_eq!(request.files[0].bytes, drawn("!chart Birmingham"));

    fake.interaction_command(
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Birmingham" }]),
        &alice,
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let r = fake.wait_for_interaction_responses(2, WAIT).await.remove(1);
    assert_eq!(r.data["embeds"][0].get("image"), None);
    let request = fake.requests_to(Endpoint::InteractionCallback).remove(1);
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    assert!(request.files.is_empty());
    running.shutdown().await;
}
