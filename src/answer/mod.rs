//! Answers: a [`Query`] looked up in the [`Knowledge`] gives an [`Answer`], a structured value
//! that the text and Discord renderers turn into words.

mod lookup;
pub mod text;

use crate::knowledge::{Knowledge, Source};
use crate::query::{Mode, Parsed, Parser, Query};

/// What carebot says back.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Facts, with their sources.
    Reply(Reply),
    /// No answer, said plainly, with suggestions where there are any.
    NoAnswer(NoAnswer),
}

impl Answer {
    /// True when the answer states facts.
    pub fn is_reply(&self) -> bool {
        matches!(self, Answer::Reply(_))
    }
}

/// An answer that states facts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    pub title: String,
    /// Opening lines; may be empty.
    pub description: String,
    pub fields: Vec<Field>,
    /// The sources of the facts stated, each once.
    pub sources: Vec<Cite>,
    /// When a misspelt name was corrected: what was typed, and the name it was taken as.
    pub corrected: Option<(String, String)>,
    /// True when the sources disagree about something in this answer.
    pub conflict: bool,
}

/// One titled part of a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: String,
    /// May sit beside other inline fields in an embed.
    pub inline: bool,
}

/// A source as answers cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    pub title: String,
    pub publisher: String,
    /// `19 November 2004`, when the source has a date.
    pub date: Option<String>,
}

impl Cite {
    fn of(s: &Source) -> Self {
        Cite {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.as_deref().map(long_date),
        }
    }
}

impl std::fmt::Display for Cite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, “{}”", self.publisher, self.title)?;
        if let Some(d) = &self.date {
            write!(f, ", {d}")?;
        }
        Ok(())
    }
}

/// Why there is no answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NoAnswer {
    pub miss: Miss,
    /// Names the user may have meant (at most three).
    pub suggestions: Vec<String>,
    /// What the knowledge base does hold that is close to the question.
    pub known: Vec<String>,
}

/// The kinds of "no answer". Fields named `typed` hold the user's own words, which renderers
/// must escape before echoing them.
#[derive(Debug, Clone, PartialEq)]
pub enum Miss {
    /// No council, person, scheme or region by that name.
    Unknown { kind: &'static str, typed: String },
    /// The subject is known but the knowledge base holds no such fact about it.
    NoFacts { subject: String, what: String },
    /// A search found nothing.
    NoResults { typed: String },
    /// The message made no sense to the parser.
    NotUnderstood,
    /// A command used wrongly; the message comes from the registry.
    Usage(String),
    /// A prefix command that does not exist.
    UnknownCommand {
        typed: String,
        suggestion: Option<String>,
        prefix: String,
    },
    /// The message is longer than carebot reads.
    TooLong { len: usize, max: usize },
}

impl NoAnswer {
    fn new(miss: Miss) -> Self {
        NoAnswer {
            miss,
            suggestions: Vec::new(),
            known: Vec::new(),
        }
    }

    /// The main sentence, with the user's words passed through `echo` (quoting or escaping).
    pub fn message(&self, echo: &dyn Fn(&str) -> String) -> String {
        match &self.miss {
            Miss::Unknown { kind, typed } => format!("I have no data on {kind} {}.", echo(typed)),
            Miss::NoFacts { subject, what } => format!("I have no data on {what} for {subject}."),
            Miss::NoResults { typed } => format!("No recorded fact mentions {}.", echo(typed)),
            Miss::NotUnderstood => {
                "Sorry, I didn't understand that. Try a command such as `!stars Birmingham`, or ask \"Who runs social services in Coventry?\"".to_string()
            }
            Miss::Usage(m) => m.clone(),
            Miss::UnknownCommand {
                typed,
                suggestion,
                prefix,
            } => match suggestion {
                Some(s) => format!(
                    "There is no command {}. Did you mean `{prefix}{s}`?",
                    echo(&format!("{prefix}{typed}"))
                ),
                None => format!(
                    "There is no command {}. `{prefix}help` lists the commands.",
                    echo(&format!("{prefix}{typed}"))
                ),
            },
            Miss::TooLong { len, max } => format!(
                "That message is too long for me ({len} characters; I read up to {max}). Please ask a shorter question."
            ),
        }
    }
}

/// Answers one message as carebot would; `None` when the message is not for carebot.
///
/// Messages longer than `max_len` characters are refused without being parsed.
pub fn ask(
    k: &Knowledge,
    parser: &Parser,
    text: &str,
    mode: Mode,
    max_len: usize,
) -> Option<Answer> {
    let len = text.chars().count();
    if len > max_len {
        // In a channel only commands get the notice; the prefix is matched as the parser
        // matches it, ignoring case ("CB!" for "cb!").
        let prefix = parser.prefix();
        let start = text.trim_start();
        let prefixed = start
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix));
        if mode == Mode::Channel && !prefixed {
            return None;
        }
        return Some(Answer::NoAnswer(NoAnswer::new(Miss::TooLong {
            len,
            max: max_len,
        })));
    }
    match parser.parse(text, mode) {
        Parsed::Query(q) => Some(answer(k, parser, &q)),
        Parsed::Ignore => None,
        Parsed::NotUnderstood => Some(not_understood()),
        Parsed::Usage { message, .. } => {
            Some(Answer::NoAnswer(NoAnswer::new(Miss::Usage(message))))
        }
        Parsed::UnknownCommand { word, suggestion } => {
            Some(Answer::NoAnswer(NoAnswer::new(Miss::UnknownCommand {
                typed: word,
                suggestion: suggestion.map(String::from),
                prefix: parser.prefix().to_string(),
            })))
        }
    }
}

/// Looks a query up.
pub fn answer(k: &Knowledge, parser: &Parser, q: &Query) -> Answer {
    lookup::Lookup::new(k, parser.prefix()).answer(q)
}

fn not_understood() -> Answer {
    Answer::NoAnswer(NoAnswer::new(Miss::NotUnderstood))
}

/// Stars drawn as ★★☆ for 2 of 3.
pub fn star_glyphs(n: i64) -> String {
    let n = n.clamp(0, 3) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(3 - n))
}

/// `2004-11-19` as `19 November 2004` (and `2004-11` as `November 2004`).
pub fn long_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
            .copied()
    };
    match parts.as_slice() {
        [y, m, d] => match (month(m), d.parse::<u32>()) {
            (Some(m), Ok(d)) => format!("{d} {m} {y}"),
            _ => iso.to_string(),
        },
        [y, m] => month(m).map_or_else(|| iso.to_string(), |m| format!("{m} {y}")),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_stars() {
        assert_eq!(long_date("2004-11-19"), "19 November 2004");
        assert_eq!(long_date("2004-02"), "February 2004");
        assert_eq!(long_date("2004"), "2004");
        assert_eq!(star_glyphs(2), "★★☆");
        assert_eq!(star_glyphs(0), "☆☆☆");
    }
}
