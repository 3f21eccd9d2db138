//! Serenity events to engine answers to replies.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use hyper::header::HeaderValue;
use serde::Serialize;
use serenity::all::{
    ChannelId, Context, EventHandler, GuildId, Interaction, Message, MessageId, Ready,
    ResumedEvent, ShardInfo,
};
use serenity::async_trait;
use serenity::builder::{CreateAllowedMentions, GetMessages};
use serenity::model::application::Command as AppCommand;
use serenity::model::channel::MessageType;
use tokio::sync::watch;

use super::attach;
use super::catchup::{self, Seen};
use super::cooldown::Verdict;
use super::embed::{self, Embed};
use super::metrics::Outcome;
use super::rest::{Poster, SendError};
use super::slash;
use super::State;
use crate::answer;
use crate::chart::Chart;
use crate::gaps::Gap;
use crate::query::Mode;

mod interactions;

/// The longest a guild message waits for READY's handler to record the bot's id.
const READY_WAIT: Duration = Duration::from_secs(10);

/// A message's answer as embed pages, with its outcome, the gap it leaves for curators and
/// its chart.
type Answered = (Outcome, Vec<Embed>, Option<Gap>, Option<Chart>);

/// Said when answering failed inside carebot.
const APOLOGY: &str = "Sorry, something went wrong while answering. The problem has been logged.";

/// carebot's serenity event handler.
pub struct Handler {
    state: Arc<State>,
    poster: Poster,
    /// The bot's own user id, 0 until READY. serenity runs each event's handler in a task of
    /// its own, so a message that came just after READY can be handled before it.
    bot_id: watch::Sender<u64>,
    registered: AtomicBool,
    /// The last message seen per recently active channel, and the messages handled.
    seen: Seen,
}

impl Handler {
    /// A handler over shared state, posting replies with `poster`.
    pub fn new(state: Arc<State>, poster: Poster) -> Self {
        Handler {
            state,
            poster,
            bot_id: watch::Sender::new(0),
            registered: AtomicBool::new(false),
            seen: Seen::default(),
        }
    }

    /// The bot's user id, waiting (at most `READY_WAIT`) for READY's handler to record it.
    async fn bot_id(&self) -> u64 {
        let id = *self.bot_id.borrow();
        if id != 0 {
            return id;
        }
        let mut ready = self.bot_id.subscribe();
        let waited = tokio::time::timeout(READY_WAIT, ready.wait_for(|id| *id != 0)).await;
        waited.ok().and_then(Result::ok).map_or(0, |id| *id)
    }

    /// Decides whether a message is for carebot and how to read it.
    async fn read(&self, msg: &Message) -> Option<(Mode, String)> {
        if msg.author.bot || !matches!(msg.kind, MessageType::Regular | MessageType::InlineReply) {
            return None;
        }
        if msg.guild_id.is_none() {
            return Some((Mode::Direct, msg.content.clone()));
        }
        let me = self.bot_id().await;
        let mentioned = me != 0 && msg.mentions.iter().any(|u| u.id.get() == me);
        if mentioned {
            let text = msg
                .content
                .replace(&format!("<@{me}>"), " ")
                .replace(&format!("<@!{me}>"), " ");
            return Some((Mode::Direct, text));
        }
        Some((Mode::Channel, msg.content.clone()))
    }

    /// The answer to `text` as embed pages, with its outcome, the gap it leaves for curators
    /// and the chart it asks for, or `None` when it is not for carebot. A panic while
    /// answering or rendering becomes an apology.
    fn answer(&self, text: &str, mode: Mode) -> Option<Result<Answered, ()>> {
        let state = &self.state;
        let k = state.knowledge.load();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            answer::ask_charted(&k, &state.parser, text, mode, state.config.max_message_len).map(
                |(a, chart)| {
                    let gap = Gap::of(&k, &state.parser, text, &a, SystemTime::now());
                    (Outcome::of(&a), embed::render(&a), gap, chart)
                },
            )
        }));
        match result {
            Ok(a) => a.map(Ok),
            Err(_) => {
                tracing::error!("answering a message panicked");
                Some(Err(()))
            }
        }
    }

    /// Applies the user's cooldown; `Some(notice)` when they just went over it.
    fn over_limit(&self, user: u64) -> Option<Option<Embed>> {
        match self.state.cooldown.check(user, Instant::now()) {
            Verdict::Allow => None,
            Verdict::Notify { retry_after } => Some(Some(notice(&format!(
                "You're asking faster than I answer: please wait {} s before the next question.",
                retry_after.as_secs().max(1)
            )))),
            Verdict::Silent => Some(None),
        }
    }

    /// Claims `msg` for handling and handles it, unless it was claimed before (read back after
    /// a new session and also delivered by the gateway).
    async fn on_new_message(&self, msg: &Message) {
        let (channel, guild) = (msg.channel_id.get(), msg.guild_id.map(GuildId::get));
        if self
            .seen
            .claim(channel, guild, msg.id.get(), Instant::now())
        {
            self.on_message(msg).await;
        }
    }

    /// After a new session: reads back the messages sent since the last one seen in each
    /// recently active channel of `shard`, and handles those not handled yet (see [`catchup`]).
    async fn catch_up(&self, ctx: &Context, shard: Option<ShardInfo>) {
        let behind = self
            .seen
            .behind(shard.map(|s| (s.id.0, s.total)), Instant::now());
        if behind.is_empty() {
            return;
        }
        let (mut read, mut handled) = (0, 0);
        for b in &behind {
            let recent = ChannelId::new(b.channel)
                .messages(
                    &ctx.http,
                    GetMessages::new()
                        .after(MessageId::new(b.after))
                        .limit(catchup::PER_CHANNEL),
                )
                .await;
            let mut recent = match recent {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(channel = b.channel, error = %e, "cannot read back recent messages; questions sent while the session was down may go unanswered");
                    continue;
                }
            };
            read += recent.len();
            // Discord lists the newest first; questions are answered in the order asked.
            recent.sort_by_key(|m| m.id);
            let now = SystemTime::now();
            for mut msg in recent {
                if msg.id.get() <= b.after || catchup::too_old(msg.id.get(), now) {
                    continue;
                }
                // Messages read over REST do not say which guild they are in.
                msg.guild_id = b.guild.map(GuildId::new);
                if self
                    .seen
                    .claim(b.channel, b.guild, msg.id.get(), Instant::now())
                {
                    handled += 1;
                    self.on_message(&msg).await;
                }
            }
        }
        tracing::info!(
            channels = behind.len(),
            read,
            handled,
            "caught up on messages sent while no session was up"
        );
    }

    async fn on_message(&self, msg: &Message) {
        let Some((mode, text)) = self.read(msg).await else {
            return;
        };
        let asked = Instant::now();
        let Some(result) = self.answer(&text, mode) else {
            return;
        };
        let (outcome, pages, chart) = match self.over_limit(msg.author.id.get()) {
            Some(Some(notice)) => (Outcome::Cooldown, vec![notice], None),
            Some(None) => (Outcome::Cooldown, Vec::new(), None),
            None => match result {
                Ok((outcome, pages, gap, chart)) => {
                    if let Some(gap) = gap {
                        self.state.gaps.record(gap);
                    }
                    (outcome, pages, chart)
                }
                Err(()) => (Outcome::Error, vec![notice(APOLOGY)], None),
            },
        };
        let metrics = &self.state.metrics;
        metrics.message_question(self.state.parser.prefix(), &text, outcome, asked.elapsed());
        let mut png = match chart {
            Some(c) => attach::draw(c).await,
            None => None,
        };
        // Shutdown waits (briefly) for this reply to be posted or given up and logged.
        let _working = self.state.stop.working();
        let posting = Instant::now();
        for (i, page) in pages.iter().enumerate() {
            let m = NewMessage {
                embeds: [page],
                allowed_mentions: NoPings::default(),
                // Discord drops a second message with the same nonce, so a retried send
                // never posts twice.
                nonce: format!("{}-{i}", msg.id.get()),
                enforce_nonce: true,
                message_reference: (i == 0).then(|| Reference::to(msg)),
            };
            // Allocated once at about its final size, rather than grown from nothing.
            let mut body = Vec::with_capacity(page.json_len_hint());
            let body = match serde_json::to_writer(&mut body, &m) {
                Ok(()) => body,
                Err(e) => {
                    tracing::error!(error = %e, "cannot serialise a reply");
                    return;
                }
            };
            // The chart is the first page's image, in the same message.
            let (body, kind) = match png.take().map(|png| attach::multipart(&body, &png)) {
                None => (body, HeaderValue::from_static("application/json")),
                Some(Ok(multipart)) => multipart,
                Some(Err(e)) => {
                    tracing::error!(error = %e, "cannot attach a chart");
                    (body, HeaderValue::from_static("application/json"))
                }
            };
            let channel = msg.channel_id.get();
            let posted = tokio::select! {
                biased;
                () = self.state.stop.requested() => Err(SendError::ShuttingDown),
                posted = self.poster.create_message_as(channel, body, kind) => posted,
            };
            if let Err(e) = posted {
                // `message` would be taken as the event's text, so the id is `message_id`.
                tracing::warn!(
                    channel = msg.channel_id.get(),
                    message_id = msg.id.get(),
                    error = %e,
                    "reply not sent"
                );
                return;
            }
        }
        if !pages.is_empty() {
            metrics.reply_posted(posting.elapsed());
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.bot_id.send_replace(ready.user.id.get());
        self.state.metrics.session_started(ready.shard);
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
        // READY starts a new session (a resumed one gets RESUMED): nothing missed by the old
        // one will be replayed.
        self.catch_up(&ctx, ready.shard).await;
        let first_shard = ready.shard.is_none_or(|s| s.id.0 == 0);
        if !first_shard || self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let invite = super::invite::url(ready.application.id.get());
        tracing::info!(%invite, "invite the bot to a server with this link");
        let defs = slash::definitions();
        let guilds = &self.state.config.discord.guilds;
        if guilds.is_empty() {
            match AppCommand::set_global_commands(&ctx.http, defs).await {
                Ok(c) => tracing::info!(count = c.len(), "registered global slash commands"),
                Err(e) => tracing::error!(error = %e, "could not register slash commands"),
            }
        } else {
            for &g in guilds {
                match GuildId::new(g).set_commands(&ctx.http, defs.clone()).await {
                    Ok(c) => {
                        tracing::info!(guild = g, count = c.len(), "registered slash commands")
                    }
                    Err(e) => {
                        tracing::error!(guild = g, error = %e, "could not register slash commands")
                    }
                }
            }
        }
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        self.state.metrics.resumed(ctx.shard_id.0);
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        self.on_new_message(&msg).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => self.on_command(&ctx, &cmd).await,
            Interaction::Autocomplete(ac) => self.on_autocomplete(&ctx, &ac).await,
            Interaction::Component(c) => self.on_component(&ctx, &c).await,
            _ => {}
        }
    }
}

/// A channel message as carebot posts it: serialised directly, as serenity's `CreateMessage`
/// would write it (less the defaults `tts`, `attachments` and `sticker_ids`), without building
/// one.
#[derive(Serialize)]
struct NewMessage<'a> {
    embeds: [&'a Embed; 1],
    allowed_mentions: NoPings,
    nonce: String,
    enforce_nonce: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_reference: Option<Reference>,
}

/// [`no_pings`] as Discord's allowed mentions object.
#[derive(Serialize, Default)]
struct NoPings {
    parse: [(); 0],
    users: [(); 0],
    roles: [(); 0],
    replied_user: bool,
}

/// A reply's reference to the message it answers.
#[derive(Serialize)]
struct Reference {
    #[serde(rename = "type")]
    kind: u8,
    message_id: String,
    channel_id: String,
    guild_id: Option<String>,
    fail_if_not_exists: Option<bool>,
}

impl Reference {
    /// A plain reply (type 0) to `msg`.
    fn to(msg: &Message) -> Self {
        Reference {
            kind: 0,
            message_id: msg.id.to_string(),
            channel_id: msg.channel_id.to_string(),
            guild_id: msg.guild_id.map(|g| g.to_string()),
            fail_if_not_exists: None,
        }
    }
}

/// Mentions allowed in carebot's messages: none, not even the replied-to user.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

fn notice(text: &str) -> Embed {
    Embed {
        title: "carebot".into(),
        description: text.into(),
        fields: Vec::new(),
        footer: String::new(),
        colour: 0x757575,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::builder::CreateMessage;

    /// A message as the gateway delivers it, in `guild` or a DM.
    fn question(guild: Option<&str>) -> Message {
        let mut m = serde_json::json!({
            "id": "1180000000000000200", "channel_id": "1180000000000000300",
            "author": { "id": "1180000000000000400", "username": "alice", "discriminator": "0",
                        "global_name": null, "avatar": null },
            "content": "!stars Birmingham", "timestamp": "2026-11-26T03:00:00.000000+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
        });
        if let Some(g) = guild {
            m["guild_id"] = g.into();
        }
        serde_json::from_value(m).expect("a message")
    }

    #[tokio::test]
    async fn a_mention_handled_before_ready_waits_for_the_bot_id() {
        let state = Arc::new(State::new(
            crate::config::Config::default(),
            Arc::new(crate::knowledge::Knowledge::default()),
        ));
        let handler = Arc::new(Handler::new(state, Poster::new(None, "t").unwrap()));
        let mut msg = question(Some("1180000000000000100"));
        msg.content = "<@77> Who is Peter Hay?".into();
        msg.mentions = vec![serde_json::from_value(serde_json::json!({
            "id": "77", "username": "carebot", "discriminator": "0", "global_name": null,
            "avatar": null, "bot": true
        }))
        .unwrap()];
        let reading = tokio::spawn({
            let handler = Arc::clone(&handler);
            let msg = msg.clone();
            async move { handler.read(&msg).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!reading.is_finished(), "waits for READY");
        handler.bot_id.send_replace(77);
        assert_eq!(
            reading.await.unwrap(),
            Some((Mode::Direct, "  Who is Peter Hay?".to_string()))
        );
        // Once known, the id is not waited for; chatter in a channel is read as such.
        msg.mentions.clear();
        msg.content = "hello".into();
        assert_eq!(
            handler.read(&msg).await,
            Some((Mode::Channel, "hello".to_string()))
        );
    }

    #[test]
    fn a_reply_fits_the_room_made_for_it() {
        let msg = question(Some("1180000000000000100"));
        for text in [
            "",
            "short",
            &"“Quoted”, \"escaped\" and ★ starred. ".repeat(90),
        ] {
            let page = notice(text);
            let m = NewMessage {
                embeds: [&page],
                allowed_mentions: NoPings::default(),
                nonce: format!("{}-0", u64::MAX),
                enforce_nonce: true,
                message_reference: Some(Reference::to(&msg)),
            };
            let json = serde_json::to_vec(&m).unwrap();
            assert!(json.len() <= page.json_len_hint(), "{} bytes", json.len());
        }
    }

    #[test]
    fn replies_serialise_as_serenity_builds_them() {
        let page = notice("text");
        for msg in [question(Some("1180000000000000100")), question(None)] {
            for first in [true, false] {
                let mine = NewMessage {
                    embeds: [&page],
                    allowed_mentions: NoPings::default(),
                    nonce: "1-0".into(),
                    enforce_nonce: true,
                    message_reference: first.then(|| Reference::to(&msg)),
                };
                let mut theirs = CreateMessage::new()
                    .embed(page.to_builder())
                    .allowed_mentions(no_pings())
                    .nonce(serenity::all::Nonce::String("1-0".into()))
                    .enforce_nonce(true);
                if first {
                    theirs = theirs.reference_message(&msg);
                }
                let mut theirs = serde_json::to_value(&theirs).unwrap();
                // serenity also sends Discord's defaults for these; carebot leaves them out.
                for default in ["attachments", "sticker_ids", "tts"] {
                    theirs.as_object_mut().unwrap().remove(default);
                }
                assert_eq!(serde_json::to_value(&mine).unwrap(), theirs);
            }
        }
    }
}
