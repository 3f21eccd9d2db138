//! "No answer", said plainly: why, and what the user may have meant.

use crate::query::registry::{CommandId, EXAMPLE_QUESTION};

/// Why there is no answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NoAnswer {
    /// Why there is no answer.
    pub miss: Miss,
    /// Names the user may have meant (at most three).
    pub suggestions: Vec<String>,
    /// What the knowledge base does hold that is close to the question.
    pub known: Vec<String>,
}

/// The kinds of "no answer". Fields named `typed` hold the user's own words, which renderers
/// must escape before echoing them. `prefix` is the command prefix that suggested commands
/// start with.
#[derive(Debug, Clone, PartialEq)]
pub enum Miss {
    /// No council, person, scheme or region by that name; `kind` is "a council called" and
    /// the like.
    Unknown { kind: &'static str, typed: String },
    /// The subject is known but the knowledge base holds no such fact about it.
    NoFacts { subject: String, what: String },
    /// The subject is known but not the one fact asked about; `what` says which ("figure
    /// for what NVQ training costs").
    NoFact { what: String },
    /// A name that names several things (a council and a person); `options` are the commands
    /// that ask about each, written out.
    Which { typed: String, options: Vec<String> },
    /// A search found nothing.
    NoResults { typed: String },
    /// The message made no sense to the parser.
    NotUnderstood { prefix: String },
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
    /// No answer, with no suggestions yet.
    pub(super) fn new(miss: Miss) -> Self {
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
            Miss::NoFact { what } => format!("I have no {what}."),
            Miss::Which { typed, options } => format!(
                "{} is more than one thing I know of: ask {}.",
                echo(typed),
                options.join(" or ")
            ),
            Miss::NoResults { typed } => format!("No recorded fact mentions {}.", echo(typed)),
            Miss::NotUnderstood { prefix } => format!(
                "Sorry, I didn't understand that. Try a command such as `{prefix}{}`, or ask \"{EXAMPLE_QUESTION}\"",
                CommandId::Stars.command().example
            ),
            Miss::Usage(m) => m.clone(),
            Miss::UnknownCommand {
                typed,
                suggestion,
                prefix,
            } => {
                let typed = echo(&format!("{prefix}{typed}"));
                match suggestion {
                    Some(s) => format!("There is no command {typed}. Did you mean `{prefix}{s}`?"),
                    None => format!(
                        "There is no command {typed}. `{prefix}{}` lists the commands.",
                        CommandId::Help.command().name
                    ),
                }
            }
            Miss::TooLong { len, max } => format!(
                "That message is too long for me ({len} characters; I read up to {max}). Please ask a shorter question."
            ),
        }
    }
}
