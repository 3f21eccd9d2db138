//! Answers: a [`Query`] looked up in the [`Knowledge`] gives an [`Answer`], a structured value
//! that the text and Discord renderers turn into words.
//!
//! `understand` reads a plain question by the names it holds and the commands' cue words;
//! `lookup` dispatches each query to the module of its subject (`stars.rs` answers `!stars`
//! and `!rated`, `people.rs` `!director` and `!person`, …); `resolve` turns typed names into
//! knowledge-base entries; `phrase` holds the English shared by every answer.

mod about;
mod chart;
mod compare;
mod councils;
mod figures;
mod help;
mod lookup;
mod no_answer;
mod ofsted;
mod people;
mod phrase;
mod rated;
mod regions;
mod reply;
mod resolve;
mod rounds;
mod schemes;
mod search;
mod stars;
pub mod text;
mod understand;

pub use chart::ask_charted;
pub use no_answer::{Miss, NoAnswer};
pub use reply::{Answer, Cite, Correction, Field, Reply};

use crate::knowledge::Knowledge;
use crate::query::registry::CommandId;
use crate::query::{Mode, Parsed, Parser, Query};
use understand::{Plural, Reading, Understood};

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
    let parsed = if mode == Mode::Direct && !parser.is_prefixed(text) {
        // A plain question: read by the names it holds, else by the patterns, honestly.
        let folded = Reading::fold(text);
        let reading = Reading::new(k, parser.cues(), text, &folded);
        match reading.plural(k) {
            Some(Plural::InRegion(region)) => {
                return Some(answer(k, parser, &Query::Councils(Some(region))))
            }
            Some(Plural::ByRegion) => {
                let regions = k.council_region_names();
                return Some(answer(k, parser, &Query::Compare(regions)));
            }
            Some(Plural::Rated(words)) => {
                // Asked as the command, so that its usage is said as the command's would be.
                let rated = CommandId::Rated.command().name;
                let command = format!("{prefix}{rated} {words}");
                return Some(match parser.parse(&command, Mode::Direct) {
                    Parsed::Query(q) => answer(k, parser, &q),
                    Parsed::Usage { message, .. } => {
                        Answer::NoAnswer(NoAnswer::new(Miss::Usage(message)))
                    }
                    _ => Answer::NoAnswer(NoAnswer::new(Miss::NotUnderstood {
                        prefix: prefix.to_string(),
                    })),
                });
            }
            None => {}
        }
        match reading.understood(k, prefix) {
            Some(Understood::Query(q, corrected)) => {
                let mut a = answer(k, parser, &q);
                if let (Answer::Reply(r), Some(c)) = (&mut a, corrected) {
                    r.corrected.get_or_insert(c);
                }
                return Some(a);
            }
            Some(Understood::Which(n)) => return Some(Answer::NoAnswer(n)),
            None => match reading.honest(parser.cues(), parser.parse(text, mode)) {
                Parsed::Query(q) => return Some(or_search(k, parser, answer(k, parser, &q))),
                other => other,
            },
        }
    } else {
        parser.parse(text, mode)
    };
    let miss = match parsed {
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

/// `a`, or when it is that no scheme is called what was asked about and none is close, the
/// facts that mention those words ("how much is the alarm pendant").
fn or_search(k: &Knowledge, parser: &Parser, a: Answer) -> Answer {
    match &a {
        Answer::NoAnswer(NoAnswer {
            miss: Miss::Unknown { kind, typed },
            suggestions,
            ..
        }) if *kind == resolve::Kind::Scheme.called()
            && suggestions.is_empty()
            && !k.search(typed, 1).is_empty() =>
        {
            answer(k, parser, &Query::Search(typed.clone()))
        }
        _ => a,
    }
}

/// The names of what `text` mentions that the knowledge base holds, as it writes them, in the
/// order they come, each once: the names a plain question would be read by.
pub fn names_in(k: &Knowledge, parser: &Parser, text: &str) -> Vec<String> {
    let folded = Reading::fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut spots = k.spot(&words, &|w| parser.cues().is_common(w));
    spots.sort_by_key(|s| s.start);
    let mut names: Vec<String> = Vec::new();
    for s in spots {
        let name = resolve::Kind::of(s.kind).name(k, s.entity);
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// Looks a query up.
pub fn answer(k: &Knowledge, parser: &Parser, q: &Query) -> Answer {
    lookup::Lookup::new(k, parser.prefix()).answer(q)
}

/// Looks a query up with every item of its lists, for replies that page through them.
pub fn answer_in_full(k: &Knowledge, parser: &Parser, q: &Query) -> Answer {
    let mut lookup = lookup::Lookup::new(k, parser.prefix());
    lookup.list_limit = usize::MAX;
    lookup.answer(q)
}

/// Every command a reply suggests is written with the parser's prefix.
#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::OnceLock;

    fn kb() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
            crate::knowledge::load_dir(&dir).expect("the bundled knowledge base loads")
        })
    }

    /// What carebot says to `input` with the prefix `cb!`, as the command line prints it.
    fn say(input: &str) -> String {
        let parser = Parser::new("cb!");
        let a = ask(kb(), &parser, input, Mode::Direct, 500).expect("an answer");
        text::render(&a)
    }

    #[test]
    fn not_understood_suggests_a_command_in_the_prefix() {
        let hint = "Sorry, I didn't understand that. Try a command such as `cb!stars Birmingham`, or ask \"Who runs social services in Coventry?\"";
        // Too many words to be a name; and a short message close to no name.
        assert_eq!(
            say("the quick brown fox jumps over the lazy dog again"),
            hint
        );
        assert_eq!(say("xyzzy plugh"), hint);
    }

    #[test]
    fn unknown_commands_and_help_use_the_prefix() {
        assert_eq!(
            say("cb!frobnicate"),
            "There is no command “cb!frobnicate”. `cb!help` lists the commands."
        );
        assert_eq!(
            say("cb!help frobnicate"),
            "There is no command “cb!frobnicate”. `cb!help` lists the commands."
        );
        let help = say("cb!help");
        assert!(help.contains("\n`cb!stars <council>` "), "{help}");
        assert!(help.ends_with("`cb!help <command>` tells more."), "{help}");
        assert!(say("cb!help stars").starts_with("cb!stars <council>\n"));
    }

    /// A knowledge base where Bolton is a council and a person.
    fn two_boltons() -> Knowledge {
        let toml = r#"
[[source]]
id = "s"
title = "Test"
publisher = "Tests"

[[council]]
id = "bolton"
name = "Bolton"

[[person]]
id = "john-bolton"
name = "John Bolton"
aliases = ["Bolton"]

[[person.role]]
title = "director"
organisation = "Bolton Council"
council = "bolton"
leads_social_services = true
source = "s"
quote = "John Bolton is the director of social services at Bolton"
"#;
        crate::knowledge::load_texts(
            Path::new("."),
            vec![crate::knowledge::KnowledgeText {
                path: "two.toml".into(),
                text: toml.into(),
            }],
        )
        .expect("the test knowledge base loads")
    }

    #[test]
    fn a_name_that_is_a_council_and_a_person_asks_which_unless_the_question_says() {
        let k = two_boltons();
        let parser = Parser::new("cb!");
        let say = |q: &str| text::render(&ask(&k, &parser, q, Mode::Direct, 500).unwrap());
        assert_eq!(
            say("Tell me about Bolton"),
            "“Bolton” is more than one thing I know of: ask `cb!council Bolton` or `cb!person John Bolton`."
        );
        assert!(say("who runs bolton").starts_with("Bolton: who leads social services\n"));
        assert!(say("what did bolton say").starts_with("John Bolton\n"));
        assert!(say("who is john bolton").starts_with("John Bolton\n"));
    }

    #[test]
    fn replies_suggest_commands_in_the_prefix() {
        assert_eq!(
            say("cb!compare Solihull Solihull"),
            "`cb!compare` needs at least two different councils: for example `cb!compare Solihull Coventry`"
        );
        assert!(say("cb!schemes Solihull").contains("`cb!scheme <name>` tells more."));
        assert!(say("cb!council Birmingham")
            .contains("`cb!stars Birmingham` shows each claim with the source's words."));
    }
}
