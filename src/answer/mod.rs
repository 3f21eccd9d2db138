//! Answers: a [`Query`] looked up in the [`Knowledge`] gives an [`Answer`], a structured value
//! that the text and Discord renderers turn into words.
//!
//! [`lookup`] dispatches each query to the module of its subject (`stars.rs` answers `!stars`
//! and `!rated`, `people.rs` `!director` and `!person`, …); [`resolve`] turns typed names into
//! knowledge-base entries; [`phrase`] holds the English shared by every answer.

mod about;
mod compare;
mod councils;
mod figures;
mod help;
mod lookup;
mod no_answer;
mod people;
mod phrase;
mod regions;
mod reply;
mod resolve;
mod schemes;
mod search;
mod stars;
pub mod text;

pub use no_answer::{Miss, NoAnswer};
pub use reply::{Answer, Cite, Correction, Field, Reply};

use crate::knowledge::Knowledge;
use crate::query::{Mode, Parsed, Parser, Query};

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
    let prefix = parser.prefix();
    let len = text.chars().count();
    if len > max_len {
        // In a channel only commands get the notice; the prefix is matched as the parser
        // matches it, ignoring case ("CB!" for "cb!").
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
    let miss = match parser.parse(text, mode) {
        Parsed::Query(q) => return Some(answer(k, parser, &q)),
        Parsed::Ignore => return None,
        Parsed::NotUnderstood => Miss::NotUnderstood {
            prefix: prefix.to_string(),
        },
        Parsed::Usage { message, .. } => Miss::Usage(message),
        Parsed::UnknownCommand { word, suggestion } => Miss::UnknownCommand {
            typed: word,
            suggestion: suggestion.map(String::from),
            prefix: prefix.to_string(),
        },
    };
    Some(Answer::NoAnswer(NoAnswer::new(miss)))
}

/// Looks a query up.
pub fn answer(k: &Knowledge, parser: &Parser, q: &Query) -> Answer {
    lookup::Lookup::new(k, parser.prefix()).answer(q)
}
