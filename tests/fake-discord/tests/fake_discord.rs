//! The fake Discord against a real serenity 0.12.5 client: the
//! gateway handshake, replies, resumes after reconnects, REST faults, and every payload the fake
//! builds deserializing into serenity's models.
//!
//! The bare "pong" handler used here (and by benchmarks, as the baseline) is
//! [`fake_discord::bot::PongHandler`].

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serenity::all::{
    ApplicationId, ChannelId, Command, CommandOptionType, Context, EventHandler, GatewayIntents,
    GuildId, InteractionId, MessageId, MessageType, Nonce,
};
use serenity::builder::{
    Builder, CreateAllowedMentions, CreateAttachment, CreateAutocompleteResponse, CreateCommand,
    CreateCommandOption, CreateEmbed, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
};
use serenity::gateway::GatewayError;
use serenity::http::{Http, HttpError};
use serenity::model::application::Interaction;
use serenity::model::event::{Event, GatewayEvent};

use tokio::sync::mpsc;

use fake_discord::bot::{self, PongHandler, RunningClient};
use fake_discord::*;

const TOKEN: &str = "Fake.Token.123";
const WAIT: Duration = Duration::from_secs(5);
/// How long "nothing more arrives" is watched for.
const QUIET: Duration = Duration::from_millis(400);

fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

struct Harness {
    fake: FakeDiscord,
    client: RunningClient,
    pong: PongHandler,
}

/// A fake requiring [`TOKEN`].
async fn with_token(config: FakeDiscordConfig) -> FakeDiscord {
    FakeDiscord::start_with(FakeDiscordConfig {
        token: Some(TOKEN.into()),
        ..config
    })
    .await
}

/// A fake requiring [`TOKEN`] and a pong bot connected to it.
async fn connected(config: FakeDiscordConfig) -> Harness {
    let fake = with_token(config).await;
    let pong = PongHandler::default();
    let client = bot::start_client(&fake, TOKEN, intents(), pong.clone()).await;
    assert!(fake.wait_identified(WAIT).await.is_some(), "no IDENTIFY");
    assert!(fake.wait_live(WAIT).await, "no live session");
    Harness { fake, client, pong }
}

/// Sends "ping" from alice and checks that the bot has now posted exactly `total` messages.
async fn ping_answered_once(h: &Harness, total: usize) {
    h.fake
        .message_create(CHANNEL_ID, &Author::alice(), "ping", Some(GUILD_ID), false);
    let posted = h.fake.wait_for_messages(total, WAIT).await;
    assert_eq!(posted.len(), total, "ping not answered");
    let later = h.fake.wait_for_messages(total + 1, QUIET).await;
    assert_eq!(later.len(), total, "ping answered more than once");
    assert_eq!(later[total - 1].content, "pong");
}

fn http_status(e: &serenity::Error) -> Option<(u16, isize, String)> {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => Some((
            r.status_code.as_u16(),
            r.error.code,
            r.error.message.clone(),
        )),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identify_then_pong() {
    let h = connected(FakeDiscordConfig::default()).await;

    let identify = h.fake.identifies().remove(0);
    assert_eq!(identify.token, format!("Bot {TOKEN}"));
    assert_eq!(identify.intents, intents().bits());
    assert_eq!(identify.shard, Some([0, 1]));
    assert_eq!(h.fake.gateway_connections(), vec![Some("v=10".to_string())]);
    let gateway = h.fake.requests_to(Endpoint::GetGateway);
    assert_eq!(gateway.len(), 1);
    assert_eq!(gateway[0].path, "/api/v10/gateway");
    assert_eq!(
        gateway[0].authorization.as_deref(),
        Some("Bot Fake.Token.123")
    );

    // Guild channel.
    ping_answered_once(&h, 1).await;
    let m = &h.fake.messages()[0];
    assert_eq!(m.channel_id, CHANNEL_ID);
    assert_eq!(m.body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(m.response["author"]["id"], json!(BOT_USER_ID.to_string()));
    let post = h.fake.requests_to(Endpoint::CreateMessage).remove(0);
    assert_eq!(
        post.path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    assert_eq!(post.status, 200);

    // DM, and a bot's message (ignored).
    h.fake
        .message_create(DM_CHANNEL_ID, &Author::alice(), "ping", None, false);
    h.fake.message_create(
        CHANNEL_ID,
        &Author::bot(77, "otherbot"),
        "ping",
        Some(GUILD_ID),
        false,
    );
    let posted = h.fake.wait_for_messages(2, WAIT).await;
    assert_eq!(posted[1].channel_id, DM_CHANNEL_ID);
    assert_eq!(h.fake.wait_for_messages(3, QUIET).await.len(), 2);
    assert_eq!(h.pong.stats.readies.load(Ordering::Relaxed), 1);
    assert_eq!(h.pong.stats.messages.load(Ordering::Relaxed), 2);

    assert!(h.client.shutdown().await.is_some_and(|r| r.is_ok()));
    assert!(h.fake.client_close_codes().contains(&Some(1000)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn op7_reconnect_resumes_and_answers_once() {
    let h = connected(FakeDiscordConfig::default()).await;
    ping_answered_once(&h, 1).await;
    let seq = h.fake.last_seq();

    assert!(h.fake.send_reconnect());
    assert!(h.fake.wait_resumes(1, WAIT).await, "no RESUME after op 7");
    let resume = h.fake.resumes().remove(0);
    assert_eq!(resume.seq, seq, "resumed from the last dispatch seen");
    assert_eq!(resume.session_id, h.fake.session_id().unwrap());
    assert_eq!(resume.token, format!("Bot {TOKEN}"));
    ping_answered_once(&h, 2).await;

    // A message sent while the client reconnects is buffered and delivered after RESUME.
    assert!(h.fake.send_reconnect());
    h.fake
        .message_create(CHANNEL_ID, &Author::alice(), "ping", Some(GUILD_ID), false);
    assert!(h.fake.wait_resumes(2, WAIT).await);
    assert_eq!(h.fake.wait_for_messages(3, WAIT).await.len(), 3);
    assert_eq!(h.fake.wait_for_messages(4, QUIET).await.len(), 3);

    assert_eq!(h.fake.identifies().len(), 1, "resumed, never re-identified");
    h.client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_drop_and_close_4000_resume() {
    let h = connected(FakeDiscordConfig::default()).await;
    ping_answered_once(&h, 1).await;

    assert!(h.fake.drop_tcp());
    // Sent while there is no connection: buffered.
    h.fake
        .message_create(CHANNEL_ID, &Author::alice(), "ping", Some(GUILD_ID), false);
    assert!(
        h.fake.wait_resumes(1, WAIT).await,
        "no RESUME after TCP drop"
    );
    assert_eq!(h.fake.wait_for_messages(2, WAIT).await.len(), 2);
    assert_eq!(h.fake.wait_for_messages(3, QUIET).await.len(), 2);

    assert!(h.fake.close_with(4000));
    assert!(
        h.fake.wait_resumes(2, WAIT).await,
        "no RESUME after close 4000"
    );
    ping_answered_once(&h, 3).await;

    assert_eq!(h.fake.identifies().len(), 1);
    assert!(h.fake.resumes().iter().all(|r| r.accepted));
    h.client.shutdown().await;
}

/// With the ratelimiter disabled (required for the proxy), serenity does not retry a 429: the
/// handler gets the error. Retrying is the bot's job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_reaches_the_handler_unretried() {
    let h = connected(FakeDiscordConfig::default()).await;
    h.fake.script(
        Endpoint::CreateMessage,
        ScriptedResponse::rate_limited(0.2, false),
    );

    h.fake
        .message_create(CHANNEL_ID, &Author::alice(), "ping", Some(GUILD_ID), false);
    assert!(
        h.fake
            .wait_for_attempts(Endpoint::CreateMessage, 1, WAIT)
            .await
    );
    assert!(
        h.pong
            .stats
            .wait_until(WAIT, |s| !s.errors().is_empty())
            .await,
        "the handler saw the 429"
    );
    let got_error = h.pong.stats.errors();
    assert_eq!(got_error[0].status, Some(429));
    // No retry, even well after retry_after.
    assert!(
        !h.fake
            .wait_for_attempts(Endpoint::CreateMessage, 2, Duration::from_millis(600))
            .await
    );
    assert!(h.fake.messages().is_empty());
    let r = h.fake.requests_to(Endpoint::CreateMessage).remove(0);
    assert!(r.scripted);
    assert_eq!(r.status, 429);

    // The next message is answered normally.
    ping_answered_once(&h, 1).await;

    // A sender that honours retry_after posts exactly one message after a 429.
    h.fake.script(
        Endpoint::CreateMessage,
        ScriptedResponse::rate_limited(0.2, false),
    );
    let before = h.fake.attempts(Endpoint::CreateMessage);
    let started = Instant::now();
    let mut tries = 0;
    loop {
        tries += 1;
        let m = CreateMessage::new()
            .content("retried")
            .allowed_mentions(CreateAllowedMentions::new());
        match ChannelId::new(CHANNEL_ID)
            .send_message(&h.client.http, m)
            .await
        {
            Ok(_) => break,
            Err(e) => {
                let (status, code, message) = http_status(&e).expect("an HTTP error");
                assert_eq!(status, 429);
                // Discord's 429 body has no "code": serenity cannot decode it as an error body.
                assert_eq!(code, -1, "{message}");
                assert!(tries < 3);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(h.fake.attempts(Endpoint::CreateMessage) - before, 2);
    let posted = h.fake.messages();
    assert_eq!(posted.len(), 2);
    assert_eq!(posted[1].content, "retried");
    h.client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_faults_surface_as_http_errors() {
    let fake = FakeDiscord::start().await;
    let http = bot::http(&fake, TOKEN);
    fake.script_create_message([
        ScriptedResponse::server_error(),
        ScriptedResponse::bad_gateway(),
        ScriptedResponse::missing_permissions(),
        ScriptedResponse::unknown_channel(),
        ScriptedResponse::service_unavailable(),
    ]);
    let send = || ChannelId::new(CHANNEL_ID).send_message(&http, CreateMessage::new().content("x"));
    let expect = [
        (500, 0),
        (502, -1), // HTML body
        (403, 50013),
        (404, 10003),
        (503, 0),
    ];
    for (status, code) in expect {
        let e = send().await.expect_err("scripted failure");
        let (s, c, _) = http_status(&e).unwrap();
        assert_eq!((s, c), (status, code));
    }
    assert_eq!(fake.scripts_left(Endpoint::CreateMessage), 0);
    send().await.expect("normal answer after the script");
    assert_eq!(fake.attempts(Endpoint::CreateMessage), 6);
    assert_eq!(fake.messages().len(), 1);

    // A lost response: the message is created, the client sees a 500.
    fake.script(
        Endpoint::CreateMessage,
        ScriptedResponse::server_error().after_commit(),
    );
    assert!(send().await.is_err());
    assert_eq!(fake.messages().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fatal_close_codes_end_the_client() {
    for (code, expected) in [
        (4004, GatewayError::InvalidAuthentication),
        (4014, GatewayError::DisallowedGatewayIntents),
    ] {
        let fake = FakeDiscord::start().await;
        fake.fail_identify_with(code);
        let client = bot::start_client(&fake, TOKEN, intents(), PongHandler::default()).await;
        let exit = client.wait_exit(WAIT).await.expect("client returned");
        match exit {
            Err(serenity::Error::Gateway(e)) => {
                assert_eq!(format!("{e:?}"), format!("{expected:?}"))
            }
            other => panic!("close {code}: unexpected {other:?}"),
        }
        assert_eq!(fake.identifies().len(), 1);
    }
}

/// Op 9 with d=false makes serenity restart the shard and IDENTIFY anew; serenity's shard restart
/// waits out a 5 s shutdown timeout first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_session_reidentifies() {
    let h = connected(FakeDiscordConfig::default()).await;
    let first = h.fake.session_id().unwrap();
    let sent = Instant::now();
    assert!(h.fake.send_invalid_session(false));
    assert!(
        h.fake.wait_identifies(2, Duration::from_secs(10)).await,
        "no re-IDENTIFY after op 9"
    );
    let took = sent.elapsed();
    assert!(
        took >= Duration::from_secs(4),
        "re-identified after {took:?}"
    );
    assert!(h.fake.wait_live(WAIT).await);
    assert_ne!(h.fake.session_id().unwrap(), first);
    assert!(h.fake.resumes().is_empty());
    eprintln!("op 9 (d=false) to re-IDENTIFY: {took:?}");
    ping_answered_once(&h, 1).await;
    h.client.shutdown().await;
}

/// An unacknowledged heartbeat also makes serenity restart the shard (no RESUME), after the same
/// 5 s wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zombied_connection_reidentifies() {
    // Heartbeats every 200 ms, none acknowledged.
    let h = connected(FakeDiscordConfig {
        heartbeat_interval: Duration::from_millis(200),
        ..FakeDiscordConfig::default()
    })
    .await;
    h.fake.set_ack_heartbeats(false);
    let sent = Instant::now();
    assert!(h.fake.wait_heartbeats(1, WAIT).await);
    assert!(
        h.fake.wait_identifies(2, Duration::from_secs(10)).await,
        "no re-IDENTIFY of a zombied connection"
    );
    let took = sent.elapsed();
    assert!(
        took >= Duration::from_secs(4),
        "re-identified after {took:?}"
    );
    eprintln!(
        "unacknowledged heartbeats to re-IDENTIFY: {took:?} ({} heartbeats)",
        h.fake.heartbeats()
    );
    h.fake.set_ack_heartbeats(true);
    assert!(h.fake.wait_live(WAIT).await);
    ping_answered_once(&h, 1).await;
    h.client.shutdown().await;
}

fn frame(t: &str, d: Value) -> GatewayEvent {
    serde_json::from_value(json!({ "op": 0, "s": 1, "t": t, "d": d }))
        .unwrap_or_else(|e| panic!("{t} does not deserialize: {e}"))
}

#[test]
fn payloads_deserialize_into_serenity_models() {
    // READY
    let GatewayEvent::Dispatch(1, Event::Ready(r)) = frame(
        "READY",
        payloads::ready("abc", "ws://127.0.0.1:1/ws", Some([0, 1]), &[GUILD_ID]),
    ) else {
        panic!("READY");
    };
    assert_eq!(r.ready.user.id.get(), BOT_USER_ID);
    assert!(r.ready.user.bot);
    assert_eq!(r.ready.application.id.get(), APPLICATION_ID);
    assert_eq!(r.ready.session_id, "abc");
    assert_eq!(r.ready.guilds[0].id.get(), GUILD_ID);

    // MESSAGE_CREATE in a guild, mentioning the bot.
    let mut bot_mention = payloads::user(BOT_USER_ID, BOT_NAME, true);
    bot_mention["member"] = payloads::member(None);
    let d = payloads::message(
        5,
        CHANNEL_ID,
        &Author::alice(),
        &format!("{} hi", mention(BOT_USER_ID)),
        Some(GUILD_ID),
        vec![bot_mention],
    );
    let GatewayEvent::Dispatch(_, Event::MessageCreate(m)) = frame("MESSAGE_CREATE", d) else {
        panic!("MESSAGE_CREATE");
    };
    let m = m.message;
    assert_eq!(m.guild_id.map(|g| g.get()), Some(GUILD_ID));
    assert_eq!(m.author.id.get(), USER_ID);
    assert!(!m.author.bot);
    assert_eq!(m.mentions[0].id.get(), BOT_USER_ID);
    assert!(m.member.is_some());
    assert_eq!(m.kind, MessageType::Regular);

    // MESSAGE_CREATE in a DM.
    let d = payloads::message(6, DM_CHANNEL_ID, &Author::alice(), "hi", None, vec![]);
    let GatewayEvent::Dispatch(_, Event::MessageCreate(m)) = frame("MESSAGE_CREATE", d) else {
        panic!("DM MESSAGE_CREATE");
    };
    assert!(m.message.guild_id.is_none());

    // INTERACTION_CREATE: command in a guild, command in a DM, autocomplete.
    let sent = SentInteraction {
        id: 7,
        token: "tok".into(),
        command_id: 8,
    };
    let options = json!([{ "type": 3, "name": "council", "value": "Solihull" }]);
    for guild in [Some(GUILD_ID), None] {
        let d = payloads::interaction(
            2,
            &sent,
            "stars",
            options.clone(),
            &Author::alice(),
            CHANNEL_ID,
            guild,
        );
        let GatewayEvent::Dispatch(_, Event::InteractionCreate(i)) = frame("INTERACTION_CREATE", d)
        else {
            panic!("INTERACTION_CREATE command");
        };
        let Interaction::Command(c) = i.interaction else {
            panic!("not a command");
        };
        assert_eq!(c.data.name, "stars");
        assert_eq!(c.data.id.get(), 8);
        assert_eq!(c.data.options[0].value.as_str(), Some("Solihull"));
        assert_eq!(c.user.id.get(), USER_ID, "user filled from member too");
        assert_eq!(c.guild_id.map(|g| g.get()), guild);
        assert_eq!(c.token, "tok");
    }
    let d = payloads::interaction(
        4,
        &sent,
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Sol", "focused": true }]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    let GatewayEvent::Dispatch(_, Event::InteractionCreate(i)) = frame("INTERACTION_CREATE", d)
    else {
        panic!("INTERACTION_CREATE autocomplete");
    };
    let Interaction::Autocomplete(a) = i.interaction else {
        panic!("not autocomplete");
    };
    let focused = a.data.autocomplete().expect("focused option");
    assert_eq!((focused.name, focused.value), ("council", "Sol"));

    // RESUMED, and the REST bodies.
    let resumed = json!({ "_trace": ["x"] });
    assert!(matches!(
        frame("RESUMED", resumed),
        GatewayEvent::Dispatch(_, Event::Resumed(_))
    ));
    let app: serenity::model::application::CurrentApplicationInfo =
        serde_json::from_value(payloads::application()).expect("application");
    assert_eq!(app.owner.unwrap().id.get(), OWNER_ID);
    let me: serenity::model::user::CurrentUser =
        serde_json::from_value(payloads::bot_user_pii()).expect("current user");
    assert_eq!(me.id.get(), BOT_USER_ID);
    let body = json!({ "content": "x", "embeds": [{ "title": "t", "fields": [{ "name": "a", "value": "b" }] }] });
    let posted: serenity::model::channel::Message =
        serde_json::from_value(payloads::posted_message(9, CHANNEL_ID, &body)).expect("message");
    assert_eq!(posted.embeds[0].fields[0].name, "a");
    assert!(iso_timestamp(std::time::SystemTime::UNIX_EPOCH).starts_with("1970-01-01T00:00:00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_identity_routes_and_unknown_routes() {
    let fake = with_token(FakeDiscordConfig::default()).await;
    let http = bot::http(&fake, TOKEN);
    assert_eq!(http.get_gateway().await.unwrap().url, fake.gateway_url());
    assert_eq!(http.get_bot_gateway().await.unwrap().shards, 1);
    let me = http.get_current_user().await.unwrap();
    assert_eq!((me.id.get(), me.bot), (BOT_USER_ID, true));
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.id.get(), APPLICATION_ID);

    let e = http
        .get_channel(ChannelId::new(CHANNEL_ID))
        .await
        .unwrap_err();
    assert_eq!(http_status(&e).unwrap().0, 404);
    let unknown = fake.requests_to(Endpoint::Unknown).remove(0);
    assert_eq!(unknown.method, "GET");
    assert_eq!(unknown.path, format!("/api/v10/channels/{CHANNEL_ID}"));

    let wrong = bot::http(&fake, "Wrong.Token");
    let e = wrong.get_current_user().await.unwrap_err();
    assert_eq!(http_status(&e).unwrap().0, 401);
    assert!(fake.requests().iter().all(|r| r
        .authorization
        .as_deref()
        .is_some_and(|a| a.starts_with("Bot "))));
}

fn stars_command() -> CreateCommand {
    CreateCommand::new("stars")
        .description("Star ratings of a council's care providers")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "council", "Council name")
                .required(true)
                .set_autocomplete(true),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_and_interactions() {
    let fake = FakeDiscord::start().await;
    let http = bot::http(&fake, TOKEN);
    http.set_application_id(ApplicationId::new(APPLICATION_ID));

    // Registration: ids, version, application id; ids are stable across re-registration.
    let cmds = Command::set_global_commands(&http, vec![stars_command()])
        .await
        .unwrap();
    assert_eq!(cmds[0].name, "stars");
    assert_eq!(cmds[0].application_id.get(), APPLICATION_ID);
    assert_eq!(cmds[0].options[0].name, "council");
    let reg = fake.wait_for_command_registration(WAIT).await.unwrap();
    assert_eq!(reg.guild_id, None);
    assert_eq!(reg.body[0]["name"], "stars");
    let again = Command::set_global_commands(&http, vec![stars_command()])
        .await
        .unwrap();
    assert_eq!(again[0].id, cmds[0].id);
    assert_eq!(http.get_global_commands().await.unwrap()[0].id, cmds[0].id);
    let guild = GuildId::new(GUILD_ID)
        .set_commands(&http, vec![stars_command()])
        .await
        .unwrap();
    assert_eq!(guild[0].guild_id, Some(GuildId::new(GUILD_ID)));

    // Invalid registrations are refused as Discord does.
    let e = Command::set_global_commands(
        &http,
        vec![CreateCommand::new("Stars").description("upper case")],
    )
    .await
    .unwrap_err();
    match &e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            assert_eq!((r.status_code.as_u16(), r.error.code), (400, 50035));
            assert_eq!(r.error.errors[0].path, "0.name");
        }
        other => panic!("{other:?}"),
    }

    // A command: answered once, then followed up and edited.
    let sent = fake.interaction_command(
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Solihull" }]),
        &Author::alice(),
        CHANNEL_ID,
        Some(GUILD_ID),
    );
    // The guild command shadows the global one of the same name.
    assert_eq!(sent.command_id, guild[0].id.get());
    let iid = InteractionId::new(sent.id);
    let early = CreateInteractionResponseFollowup::new()
        .content("too early")
        .execute(&http, (None, &sent.token))
        .await
        .unwrap_err();
    assert_eq!(http_status(&early).unwrap().1, 10015);
    let answer = || {
        CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new().embed(
                CreateEmbed::new()
                    .title("Solihull")
                    .description("3 providers"),
            ),
        )
    };
    answer().execute(&http, (iid, &sent.token)).await.unwrap();
    let twice = answer()
        .execute(&http, (iid, &sent.token))
        .await
        .unwrap_err();
    assert_eq!(http_status(&twice).unwrap().1, 40060);
    let f = CreateInteractionResponseFollowup::new()
        .content("page 2")
        .execute(&http, (None, &sent.token))
        .await
        .unwrap();
    assert_eq!(f.content, "page 2");
    assert_eq!(f.webhook_id.map(|w| w.get()), Some(APPLICATION_ID));
    let edited = EditInteractionResponse::new()
        .content("edited")
        .execute(&http, &sent.token)
        .await
        .unwrap();
    assert_eq!(edited.content, "edited");
    assert_eq!(edited.embeds[0].title.as_deref(), Some("Solihull"));
    let responses = fake.wait_for_interaction_responses(1, WAIT).await;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].kind, 4);
    assert_eq!(responses[0].data["embeds"][0]["title"], "Solihull");
    assert!(responses[0].latency.is_some());
    let followups = fake.wait_for_followups(2, WAIT).await;
    assert_eq!(followups[0].target, FollowupTarget::New);
    assert_eq!(followups[1].target, FollowupTarget::Original);

    // Autocomplete: only an autocomplete result is accepted.
    let ac = fake.interaction_autocomplete(
        "stars",
        json!([{ "type": 3, "name": "council", "value": "Sol", "focused": true }]),
        &Author::alice(),
        CHANNEL_ID,
        None,
    );
    let acid = InteractionId::new(ac.id);
    let wrong = answer()
        .execute(&http, (acid, &ac.token))
        .await
        .unwrap_err();
    assert_eq!(http_status(&wrong).unwrap().0, 400);
    CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().add_string_choice("Solihull", "Solihull"),
    )
    .execute(&http, (acid, &ac.token))
    .await
    .unwrap();
    let responses = fake.wait_for_interaction_responses(2, WAIT).await;
    assert_eq!(responses[1].kind, 8);
    assert_eq!(responses[1].data["choices"][0]["value"], "Solihull");
    assert_eq!(fake.attempts(Endpoint::InteractionCallback), 4);
}

/// Alice asks "!stars x" in the channel and the bot sends `reply` as a reply to it: the
/// question's id and the message Discord returns.
async fn ask_and_reply(
    fake: &FakeDiscord,
    http: &Http,
    reply: CreateMessage,
) -> (u64, serenity::model::channel::Message) {
    let channel = ChannelId::new(CHANNEL_ID);
    let asked = fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "!stars x",
        Some(GUILD_ID),
        false,
    );
    let reply = reply.reference_message((channel, MessageId::new(asked)));
    (asked, channel.send_message(http, reply).await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_replies_validation_and_nonces() {
    let fake = FakeDiscord::start().await;
    let http: Http = bot::http(&fake, TOKEN);
    let channel = ChannelId::new(CHANNEL_ID);

    // A reply with an embed: echoed as Discord does.
    let (asked, reply) = ask_and_reply(
        &fake,
        &http,
        CreateMessage::new().embed(
            CreateEmbed::new()
                .title("t")
                .description("d")
                .field("a", "b", true),
        ),
    )
    .await;
    assert_eq!(reply.kind, MessageType::InlineReply);
    assert_eq!(reply.embeds[0].title.as_deref(), Some("t"));
    assert_eq!(
        reply
            .referenced_message
            .as_ref()
            .map(|m| m.content.as_str()),
        Some("!stars x")
    );
    let rec = &fake.messages()[0];
    assert_eq!(rec.reply_to, Some(asked));
    assert!(rec.since_reference.is_some());
    assert_eq!(rec.embeds[0]["fields"][0]["value"], "b");

    // Discord's limits.
    let long = "x".repeat(4097);
    let e = channel
        .send_message(
            &http,
            CreateMessage::new().embed(CreateEmbed::new().description(long)),
        )
        .await
        .unwrap_err();
    match &e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            assert_eq!(r.error.code, 50035);
            assert_eq!(r.error.errors[0].path, "embeds.0.description");
        }
        other => panic!("{other:?}"),
    }
    let e = channel
        .send_message(&http, CreateMessage::new().content("  "))
        .await
        .unwrap_err();
    assert_eq!(http_status(&e).unwrap().1, 50006);

    // enforce_nonce: the second send returns the first message.
    let nonced = || {
        CreateMessage::new()
            .content("once")
            .nonce(Nonce::String(format!("{asked}-0")))
            .enforce_nonce(true)
    };
    let a = channel.send_message(&http, nonced()).await.unwrap();
    let b = channel.send_message(&http, nonced()).await.unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(fake.messages().len(), 2);

    // Multipart: payload_json is recorded as the body.
    channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("file")
                .add_file(CreateAttachment::bytes(b"hello".to_vec(), "a.txt")),
        )
        .await
        .unwrap();
    let m = fake.messages().pop().unwrap();
    assert_eq!(m.content, "file");
    let raw = fake
        .requests_to(Endpoint::CreateMessage)
        .pop()
        .unwrap()
        .raw_body
        .unwrap();
    assert!(raw.contains("hello"));

    // Typing, edit, delete.
    channel.broadcast_typing(&http).await.unwrap();
    assert_eq!(fake.attempts(Endpoint::Typing), 1);
    let edited = channel
        .edit_message(&http, a.id, EditMessage::new().content("edited"))
        .await
        .unwrap();
    assert_eq!(edited.content, "edited");
    assert!(edited.edited_timestamp.is_some());
    channel.delete_message(&http, a.id).await.unwrap();
    let e = channel.delete_message(&http, a.id).await.unwrap_err();
    assert_eq!(http_status(&e).unwrap().1, 10008);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_recorded_bodies_replies_are_still_timed() {
    let fake = FakeDiscord::start_with(FakeDiscordConfig {
        record_bodies: false,
        ..FakeDiscordConfig::default()
    })
    .await;
    let http: Http = bot::http(&fake, TOKEN);
    let (asked, reply) = ask_and_reply(
        &fake,
        &http,
        CreateMessage::new()
            .content("c")
            .embed(CreateEmbed::new().title("t")),
    )
    .await;
    // The bot still gets the whole message back, as from Discord.
    assert_eq!(reply.embeds[0].title.as_deref(), Some("t"));
    let rec = &fake.messages()[0];
    assert_eq!((rec.reply_to, rec.content.as_str()), (Some(asked), "c"));
    assert!(rec.since_reference.is_some());
    assert!(rec.embeds.is_empty() && rec.body.is_null() && rec.response.is_null());
    let req = fake.requests_to(Endpoint::CreateMessage).remove(0);
    assert_eq!(req.status, 200);
    assert!(req.body.is_none() && req.raw_body.is_none() && req.response.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_nonce_enforcement_a_repeated_nonce_posts_again() {
    let fake = FakeDiscord::start_with(FakeDiscordConfig {
        enforce_nonces: false,
        ..FakeDiscordConfig::default()
    })
    .await;
    let http: Http = bot::http(&fake, TOKEN);
    let post = || {
        ChannelId::new(CHANNEL_ID).send_message(
            &http,
            CreateMessage::new()
                .content("once")
                .nonce(Nonce::String("n-1".into()))
                .enforce_nonce(true),
        )
    };
    let first = post().await.unwrap();
    let second = post().await.unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(fake.message_count(), 2);
}

/// Sends (content, author is a bot) of every message it sees.
struct Recorder(mpsc::UnboundedSender<(String, bool)>);

#[serenity::async_trait]
impl EventHandler for Recorder {
    async fn message(&self, _ctx: Context, msg: serenity::all::Message) {
        let _ = self.0.send((msg.content, msg.author.bot));
    }
}

/// Passes on every message the bot posted itself, whole.
struct OwnMessages(mpsc::UnboundedSender<serenity::all::Message>);

#[serenity::async_trait]
impl EventHandler for OwnMessages {
    async fn message(&self, _ctx: Context, msg: serenity::all::Message) {
        if msg.author.bot {
            let _ = self.0.send(msg);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_replies_come_back_over_the_gateway_as_posted() {
    let fake = FakeDiscord::start().await;
    let (tx, mut own) = mpsc::unbounded_channel();
    let client = bot::start_client(&fake, TOKEN, intents(), OwnMessages(tx)).await;
    assert!(fake.wait_live(WAIT).await);
    fake.set_echo_own_messages(true);
    let (asked, posted) = ask_and_reply(
        &fake,
        &client.http,
        CreateMessage::new()
            .embed(CreateEmbed::new().title("t").field("a", "b", false))
            .nonce(Nonce::String("n-1".into()))
            .enforce_nonce(true),
    )
    .await;
    let echoed = tokio::time::timeout(WAIT, own.recv())
        .await
        .expect("the reply comes back")
        .unwrap();
    // As the REST response, plus the guild and the bot's member, as Discord sends them.
    assert_eq!(echoed.id, posted.id);
    assert_eq!(echoed.guild_id, Some(GuildId::new(GUILD_ID)));
    assert!(echoed.member.is_some());
    assert_eq!(posted.guild_id, None);
    assert_eq!(echoed.embeds, posted.embeds);
    assert_eq!(echoed.embeds[0].fields[0].value, "b");
    assert!(matches!(echoed.nonce, Some(Nonce::String(ref n)) if n == "n-1"));
    assert_eq!(
        echoed.referenced_message.as_ref().map(|m| m.id.get()),
        Some(asked)
    );
    client.shutdown().await;
}

/// POSTs `body` to the fake over a plain connection and returns the response's JSON.
async fn post_raw(fake: &FakeDiscord, path: &str, body: &str) -> Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = fake.base_url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bot {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let (_, json) = response.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(json).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posted_message_is_answered_as_discord_stores_it() {
    let fake = with_token(FakeDiscordConfig::default()).await;
    let asked = fake.message_create(CHANNEL_ID, &Author::alice(), "q", Some(GUILD_ID), false);
    let body = json!({
        "content": "hi",
        "embeds": [
            {"title": "t", "fields": [
                {"name": "a", "value": "b"},
                {"name": "c", "value": "d", "inline": true},
            ]},
            {"type": "rich", "description": "x"},
        ],
        "nonce": "n-2",
        "message_reference": {"message_id": asked.to_string(), "fail_if_not_exists": false},
    });
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    let posted = post_raw(&fake, &path, &body.to_string()).await;
    // Discord's defaults filled in: the embed's type and each field's `inline`.
    assert_eq!(
        posted["embeds"],
        json!([
            {"type": "rich", "title": "t", "fields": [
                {"name": "a", "value": "b", "inline": false},
                {"name": "c", "value": "d", "inline": true},
            ]},
            {"type": "rich", "description": "x"},
        ])
    );
    assert_eq!(posted["type"], json!(19));
    assert_eq!(posted["content"], json!("hi"));
    assert_eq!(posted["nonce"], json!("n-2"));
    assert_eq!(posted["author"]["id"], json!(BOT_USER_ID.to_string()));
    assert_eq!(posted["referenced_message"]["id"], json!(asked.to_string()));
    assert_eq!(
        posted["message_reference"],
        json!({
            "type": 0,
            "message_id": asked.to_string(),
            "channel_id": CHANNEL_ID.to_string(),
            "guild_id": GUILD_ID.to_string(),
        })
    );
    // What the fake records is what it answered, to the timestamp.
    assert_eq!(fake.messages().last().unwrap().response, posted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intents_are_emulated() {
    let fake = FakeDiscord::start().await;
    let (tx, mut seen) = mpsc::unbounded_channel();
    // GUILD_MESSAGES without MESSAGE_CONTENT, no DIRECT_MESSAGES.
    let client =
        bot::start_client(&fake, TOKEN, GatewayIntents::GUILD_MESSAGES, Recorder(tx)).await;
    assert!(fake.wait_live(WAIT).await);
    fake.message_create(DM_CHANNEL_ID, &Author::alice(), "dm", None, false);
    fake.message_create(
        CHANNEL_ID,
        &Author::alice(),
        "secret",
        Some(GUILD_ID),
        false,
    );
    let text = format!("{} hello", mention(BOT_USER_ID));
    fake.message_create(CHANNEL_ID, &Author::alice(), &text, Some(GUILD_ID), true);
    // Own messages come back when echo is on.
    fake.set_echo_own_messages(true);
    ChannelId::new(CHANNEL_ID)
        .send_message(&client.http, CreateMessage::new().content("mine"))
        .await
        .unwrap();
    let mut got = Vec::new();
    while got.len() < 3 {
        let m = tokio::time::timeout(WAIT, seen.recv()).await;
        got.push(m.expect("three messages").unwrap());
    }
    // The DM was never delivered.
    assert!(tokio::time::timeout(QUIET, seen.recv()).await.is_err());
    // serenity runs each handler call in its own task: arrival order is not guaranteed.
    got.sort();
    let mut want = vec![
        (String::new(), false),
        (text.clone(), false),
        ("mine".to_string(), true),
    ];
    want.sort();
    assert_eq!(got, want);
    client.shutdown().await;
}
