//! Interactions: slash commands (answers public, paged with Previous/Next buttons when long;
//! notices seen by the asker alone), button presses that turn a page, and autocomplete.

use std::panic::AssertUnwindSafe;
use std::time::{Instant, SystemTime};

use serenity::all::{ButtonStyle, CommandInteraction, ComponentInteraction, Context};
use serenity::builder::{
    CreateActionRow, CreateAttachment, CreateAutocompleteResponse, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
};

use super::{no_pings, notice, Handler, APOLOGY};
use crate::answer::{self, Answer, Miss, NoAnswer};
use crate::chart::{self, FILE_NAME};
use crate::discord::embed::{self, Embed};
use crate::discord::metrics::Outcome;
use crate::discord::{attach, slash};
use crate::gaps::Gap;
use crate::query::registry::CommandId;

impl Handler {
    /// Answers a slash command: answers in public, one page at a time with Previous/Next
    /// buttons when long; notices, usage errors, "did you mean" and apologies seen by the asker
    /// alone.
    pub(super) async fn on_command(&self, ctx: &Context, cmd: &CommandInteraction) {
        let asked = Instant::now();
        let name = cmd.data.name.as_str();
        let values = slash::values(name, &cmd.data.options);
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let answer = self.slash_answer(name, values.as_deref());
            let pages = embed::render_all(&answer);
            let question = std::iter::once(format!("/{name}"))
                .chain(values.iter().flatten().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            let k = self.state.knowledge.load();
            let gap = Gap::of(
                &k,
                &self.state.parser,
                &question,
                &answer,
                SystemTime::now(),
            );
            // `/chart`'s answer carries its chart, drawn below off the async threads.
            let chart = (name == CommandId::Chart.command().name && answer.is_reply())
                .then(|| values.as_ref().ok().map(|v| v.join(" ")))
                .flatten()
                .and_then(|names| chart::plan(&k, &names).ok());
            (answer, pages, gap, chart)
        }));
        let values = values.unwrap_or_default();
        let (outcome, response) = match self.over_limit(cmd.user.id.get()) {
            Some(Some(n)) => (Outcome::Cooldown, Response::notice(n)),
            Some(None) => (
                Outcome::Cooldown,
                Response::notice(notice("Please wait a little before the next question.")),
            ),
            None => match result {
                Ok((answer, pages, gap, chart)) => {
                    if let Some(gap) = gap {
                        self.state.gaps.record(gap);
                    }
                    let response = if answer.is_reply() {
                        let png = match chart {
                            Some(c) => attach::draw(c).await,
                            None => None,
                        };
                        Response::Paged(Paged::new(name, values, pages, 1).with_chart(png))
                    } else {
                        Response::notice(
                            pages.into_iter().next().unwrap_or_else(|| notice(APOLOGY)),
                        )
                    };
                    (Outcome::of(&answer), response)
                }
                Err(_) => {
                    tracing::error!(command = %name, "answering a slash command panicked");
                    (Outcome::Error, Response::notice(notice(APOLOGY)))
                }
            },
        };
        let metrics = &self.state.metrics;
        metrics.slash_question(name, outcome, asked.elapsed());
        let posting = Instant::now();
        let (message, rest) = response.message();
        if let Err(e) = cmd
            .create_response(&ctx.http, CreateInteractionResponse::Message(message))
            .await
        {
            tracing::warn!(command = %name, error = %e, "interaction response not sent");
            return;
        }
        // Pages that buttons can't reach (their custom id would be too long) follow.
        for page in rest.iter().take(embed::MAX_PAGES - 1) {
            let f = CreateInteractionResponseFollowup::new()
                .embed(page.to_builder())
                .allowed_mentions(no_pings());
            if let Err(e) = cmd.create_followup(&ctx.http, f).await {
                tracing::warn!(command = %name, error = %e, "follow-up not sent");
                return;
            }
        }
        metrics.reply_posted(posting.elapsed());
    }

    /// The answer to `/name` with its option `values` (or why they could not be read), lists
    /// in full.
    fn slash_answer(&self, name: &str, values: Result<&[String], &String>) -> Answer {
        let values = match values {
            Ok(v) => v,
            Err(why) => return usage(name, why),
        };
        if name == CommandId::Help.command().name {
            return slash::help(values.first().map(String::as_str));
        }
        match slash::build(name, values.to_vec()) {
            Ok(q) => {
                let k = self.state.knowledge.load();
                answer::answer_in_full(&k, &self.state.parser, &q)
            }
            Err(why) => usage(name, &why),
        }
    }

    /// A Previous/Next button: answers the question its custom id holds again and shows the
    /// page it asks for in place of the message's page.
    pub(super) async fn on_component(&self, ctx: &Context, c: &ComponentInteraction) {
        let Some((name, values, page)) = slash::read_page_id(&c.data.custom_id) else {
            tracing::debug!(custom_id = %c.data.custom_id, "a component carebot did not make");
            return;
        };
        let response = match self.over_limit(c.user.id.get()) {
            Some(notice_) => {
                let n = notice_
                    .unwrap_or_else(|| notice("Please wait a little before the next question."));
                CreateInteractionResponse::Message(Response::notice(n).message().0)
            }
            None => {
                let pages = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    embed::render_all(&self.slash_answer(&name, Ok(&values)))
                }));
                match pages {
                    Ok(pages) => {
                        let page = page.min(pages.len());
                        let (message, _) = Paged::new(&name, values, pages, page).message();
                        CreateInteractionResponse::UpdateMessage(message)
                    }
                    Err(_) => {
                        tracing::error!(command = %name, "answering a page button panicked");
                        CreateInteractionResponse::Message(
                            Response::notice(notice(APOLOGY)).message().0,
                        )
                    }
                }
            }
        };
        if let Err(e) = c.create_response(&ctx.http, response).await {
            tracing::warn!(command = %name, error = %e, "page not sent");
        }
    }

    /// Answers an autocomplete request with names from the knowledge base.
    pub(super) async fn on_autocomplete(&self, ctx: &Context, ac: &CommandInteraction) {
        let choices = match ac.data.autocomplete() {
            Some(focused) => {
                let k = self.state.knowledge.load();
                slash::autocomplete(&k, &ac.data.name, focused.name, focused.value)
            }
            None => Vec::new(),
        };
        let response = choices
            .into_iter()
            .fold(CreateAutocompleteResponse::new(), |r, c| {
                r.add_string_choice(c.label, c.value)
            });
        if let Err(e) = ac
            .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(response))
            .await
        {
            tracing::warn!(command = %ac.data.name, error = %e, "autocomplete not sent");
        }
    }
}

/// What a slash command is answered with.
enum Response {
    /// Seen by the asker alone: a notice, a usage error, "no answer", an apology.
    Notice(Embed),
    /// An answer, in public.
    Paged(Paged),
}

impl Response {
    fn notice(e: Embed) -> Self {
        Response::Notice(e)
    }

    /// The interaction response's message, and pages to post after it as follow-ups.
    fn message(self) -> (CreateInteractionResponseMessage, Vec<Embed>) {
        match self {
            Response::Notice(e) => (
                CreateInteractionResponseMessage::new()
                    .embed(e.to_builder())
                    .allowed_mentions(no_pings())
                    .ephemeral(true),
                Vec::new(),
            ),
            Response::Paged(p) => p.message(),
        }
    }
}

/// One page of an answer, with buttons to the pages either side.
struct Paged {
    command: String,
    values: Vec<String>,
    pages: Vec<Embed>,
    /// The page shown, from 1.
    page: usize,
    /// A chart, attached as the image of the page shown.
    chart: Option<Vec<u8>>,
}

impl Paged {
    fn new(command: &str, values: Vec<String>, pages: Vec<Embed>, page: usize) -> Self {
        Paged {
            command: command.to_string(),
            values,
            pages,
            page: page.max(1),
            chart: None,
        }
    }

    /// The same, with `png` as the image of the page shown.
    fn with_chart(mut self, png: Option<Vec<u8>>) -> Self {
        self.chart = png;
        self
    }

    /// The page as a message with Previous/Next buttons; when a button's custom id can't
    /// hold the question, the first page without buttons and the rest to follow.
    fn message(self) -> (CreateInteractionResponseMessage, Vec<Embed>) {
        let count = self.pages.len();
        let id = |page: usize| slash::page_id(&self.command, &self.values, page);
        let buttons = match (id(self.page - 1), id(self.page + 1)) {
            (Some(previous), Some(next)) if count > 1 => Some(CreateActionRow::Buttons(vec![
                CreateButton::new(previous)
                    .label("Previous")
                    .style(ButtonStyle::Secondary)
                    .disabled(self.page <= 1),
                CreateButton::new(next)
                    .label("Next")
                    .style(ButtonStyle::Secondary)
                    .disabled(self.page >= count),
            ])),
            _ => None,
        };
        let mut pages = self.pages;
        let (shown, rest) = match &buttons {
            Some(_) => (pages.swap_remove(self.page - 1), Vec::new()),
            None => {
                let rest = pages.split_off(1.min(pages.len()));
                (pages.pop().unwrap_or_else(|| notice(APOLOGY)), rest)
            }
        };
        let mut embed = shown.to_builder();
        let mut message = CreateInteractionResponseMessage::new();
        if let Some(png) = self.chart {
            embed = embed.image(format!("attachment://{FILE_NAME}"));
            message = message.add_file(CreateAttachment::bytes(png, FILE_NAME));
        }
        let message = message
            .embed(embed)
            .allowed_mentions(no_pings())
            .components(buttons.into_iter().collect());
        (message, rest)
    }
}

/// "No answer" for a slash command used wrongly.
fn usage(command: &str, why: &str) -> Answer {
    Answer::NoAnswer(NoAnswer {
        miss: Miss::Usage(format!("/{command}: {why}")),
        suggestions: Vec::new(),
        known: Vec::new(),
    })
}
