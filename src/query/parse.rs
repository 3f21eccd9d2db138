//! Prefix commands and plain questions to [`Query`] values, driven by the registry.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::cues::Cues;
use super::registry::{self, ArgKind, Command, COMMANDS};
use super::Query;

/// Where a message was written, which decides what carebot answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A guild channel: only prefix commands are answered; other chatter is ignored.
    Channel,
    /// A DM, a mention of the bot, or the command line: commands with or without the prefix
    /// and plain questions.
    Direct,
}

/// What a message means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A question carebot can look up.
    Query(Query),
    /// A known command used wrongly; `message` says what was missing.
    Usage {
        command: &'static str,
        message: String,
    },
    /// A prefix command that does not exist; `suggestion` is the closest that does.
    UnknownCommand {
        word: String,
        suggestion: Option<&'static str>,
    },
    /// Words addressed to carebot that it could not make sense of.
    NotUnderstood,
    /// Not for carebot (chatter in a channel).
    Ignore,
}

/// Longest message taken as a bare name when nothing else matches.
const MAX_GUESS_WORDS: usize = 6;

/// A parser for one command prefix. Build once; parsing is cheap.
#[derive(Debug)]
pub struct Parser {
    prefix: String,
    questions: Vec<Question>,
    /// The same patterns as `questions`, to find every one that matches in one pass.
    question_set: RegexSet,
    split: Regex,
    polite: Regex,
    /// "Tell me about …" and the like, before a question of its own.
    tell_me: Regex,
    cues: Cues,
}

impl Parser {
    /// A parser for commands that start with `prefix` (such as `!`).
    pub fn new(prefix: &str) -> Self {
        let questions = COMMANDS
            .iter()
            .flat_map(|c| {
                c.questions.iter().map(move |q| Question {
                    source: q,
                    pattern: OnceLock::new(),
                    command: c,
                })
            })
            .collect();
        // The set checks every pattern; each is compiled on its own (for its captures) only
        // once a question matches it, which keeps start-up short.
        let question_set = RegexSetBuilder::new(COMMANDS.iter().flat_map(|c| c.questions.iter()))
            .case_insensitive(true)
            .build()
            .unwrap_or_else(|e| panic!("bad question pattern: {e}"));
        Parser {
            prefix: prefix.to_string(),
            questions,
            question_set,
            split: RegexBuilder::new(r"\s*(?:,|&|\band\b|\bor\b|\bvs\.?(?:\s|$)|\bversus\b|\bagainst\b|\bwith\b|\bv\b)\s*")
                .case_insensitive(true)
                .build()
                .expect("valid regex"),
            polite: RegexBuilder::new(
                r"^(?:(?:please|hi|hey|hello|ok|okay|so|carebot|bot)\b[\s,:;!]*)+|(?:[\s,]+please)+$",
            )
            .case_insensitive(true)
            .build()
            .expect("valid regex"),
            tell_me: RegexBuilder::new(
                r"^(?:(?:can you |please )?tell me|what do you know|what can you tell me|do you know)(?: about)? (?P<rest>.+)$",
            )
            .case_insensitive(true)
            .build()
            .expect("valid regex"),
            cues: Cues::new(),
        }
    }

    /// The commands' cue words, for reading a question by the names it holds.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }

    /// True when `text` starts with the command prefix (any case).
    pub fn is_prefixed(&self, text: &str) -> bool {
        strip_prefix_ci(text.trim_start(), &self.prefix).is_some()
    }

    /// The command prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// What `text` means when written in `mode`.
    pub fn parse(&self, text: &str, mode: Mode) -> Parsed {
        let text = clean(text);
        if let Some(rest) = strip_prefix_ci(&text, &self.prefix) {
            let rest = rest.trim_start();
            // A whole question after the prefix ("!who runs social services in Coventry?") is
            // read as the question, not as the command its first word happens to name, when the
            // question's own words start it ("figures Coventry population" is a command).
            let asked = self.question(trim_end_punct(rest));
            if let Some(Asked {
                parsed,
                anchored: true,
            }) = &asked
            {
                return parsed.clone();
            }
            return match (self.command(rest, mode, true), asked) {
                (Parsed::UnknownCommand { .. } | Parsed::Ignore, Some(a)) => a.parsed,
                (parsed, _) => parsed,
            };
        }
        if mode == Mode::Channel {
            return Parsed::Ignore;
        }
        // "…, please?": the question mark goes first so that the "please" before it can.
        let text = self.polite.replace_all(trim_end_punct(&text), "");
        let text = trim_end_punct(&text);
        if text.is_empty() {
            return Parsed::NotUnderstood;
        }
        // "Tell me about Birmingham's star rating" asks the question after "tell me about".
        if let Some(rest) = self.tell_me.captures(text).and_then(|c| c.name("rest")) {
            if let Some(a) = self.question(rest.as_str()) {
                if !matches!(a.parsed, Parsed::Query(Query::About { .. })) {
                    return a.parsed;
                }
            }
        }
        if let Some(a) = self.question(text) {
            return a.parsed;
        }
        match self.command(text, mode, false) {
            Parsed::UnknownCommand { .. } | Parsed::NotUnderstood => {}
            known => return known,
        }
        if text.split_whitespace().count() <= MAX_GUESS_WORDS {
            return Parsed::Query(Query::About {
                name: text.to_string(),
                guessed: true,
            });
        }
        Parsed::NotUnderstood
    }

    /// Parses `name args…` after the prefix (or, when `prefixed` is false, a bare command).
    fn command(&self, text: &str, mode: Mode, prefixed: bool) -> Parsed {
        let (word, rest) = match text.split_once(char::is_whitespace) {
            Some((w, r)) => (w, trim_end_punct(r.trim())),
            None => (trim_end_punct(text), ""),
        };
        let Some(cmd) = registry::find(word) else {
            let suggestion = closest_command(word);
            return match (prefixed, mode, suggestion) {
                (true, _, Some(_)) | (true, Mode::Direct, None) if !word.is_empty() => {
                    Parsed::UnknownCommand {
                        word: word.to_string(),
                        suggestion,
                    }
                }
                (true, Mode::Channel, _) => Parsed::Ignore,
                _ => Parsed::NotUnderstood,
            };
        };
        let values = self.values(cmd, rest);
        self.build(cmd, values)
    }

    /// Splits the text after a command word into argument values.
    fn values(&self, cmd: &Command, rest: &str) -> Vec<String> {
        if rest.is_empty() {
            return Vec::new();
        }
        match cmd.args {
            [] => Vec::new(),
            [a] if a.many => self
                .split
                .split(rest)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            // "neighbours of Leeds", "stars for Coventry": the council after the word.
            [a] if a.kind == ArgKind::Council => {
                let named = ["of ", "for "].iter().find_map(|w| {
                    let head = rest.get(..w.len())?;
                    head.eq_ignore_ascii_case(w)
                        .then(|| rest[w.len()..].trim_start())
                });
                vec![named.filter(|n| !n.is_empty()).unwrap_or(rest).to_string()]
            }
            [_] => vec![rest.to_string()],
            many => rest
                .splitn(many.len(), ',')
                .map(|s| s.trim().to_string())
                .collect(),
        }
    }

    /// Builds the query for `cmd`, or says what is missing.
    fn build(&self, cmd: &'static Command, values: Vec<String>) -> Parsed {
        let required = cmd.args.iter().filter(|a| a.required).count();
        if values.len() < required {
            let missing = cmd.args[values.len()];
            return Parsed::Usage {
                command: cmd.name,
                message: format!(
                    "`{p}{usage}` needs {article} {name}: for example `{p}{example}`",
                    p = self.prefix,
                    usage = cmd.usage(),
                    article = if missing.name.ends_with('s') {
                        "the"
                    } else {
                        "a"
                    },
                    name = missing.name,
                    example = cmd.example
                ),
            };
        }
        match (cmd.build)(values) {
            Ok(q) => Parsed::Query(q),
            Err(why) => Parsed::Usage {
                command: cmd.name,
                message: format!(
                    "`{p}{usage}`: {why}; for example `{p}{example}`",
                    p = self.prefix,
                    usage = cmd.usage(),
                    example = cmd.example
                ),
            },
        }
    }

    /// Matches a plain question against every command's question patterns. When several
    /// match, the one that leaves the fewest words to its arguments wins: it is the most
    /// specific ("What did Hake say about star ratings?" is about Hake, not about a council
    /// called "What did Hake say about"). Ties go to the earlier command in the registry.
    ///
    /// Also says whether the question is anchored: whether it starts with the pattern's own
    /// words rather than with an argument.
    fn question(&self, text: &str) -> Option<Asked> {
        let mut best: Option<Best> = None;
        for i in self.question_set.matches(text).iter() {
            let question = &self.questions[i];
            let cmd = question.command;
            let Some(caps) = question.pattern().captures(text) else {
                continue;
            };
            let captured: usize = caps.iter().skip(1).flatten().map(|m| m.len()).sum();
            if best.as_ref().is_some_and(|b| b.captured <= captured) {
                continue;
            }
            let anchored = caps.iter().skip(1).flatten().all(|m| m.start() > 0);
            let mut values = Vec::new();
            for a in cmd.args {
                match caps.name(a.name) {
                    Some(m) if a.many => {
                        // A second group, `<name>2`, holds more values ("X compare with Y").
                        let more = caps.name(&format!("{}2", a.name));
                        for m in std::iter::once(m).chain(more) {
                            values.extend(
                                self.split
                                    .split(m.as_str())
                                    .map(str::trim)
                                    .filter(|s| !s.is_empty())
                                    .map(String::from),
                            );
                        }
                    }
                    Some(m) => values.push(m.as_str().trim().to_string()),
                    None => break,
                }
            }
            best = Some(Best {
                captured,
                command: cmd,
                values,
                anchored,
            });
        }
        best.map(|b| Asked {
            parsed: self.build(b.command, b.values),
            anchored: b.anchored,
        })
    }
}

/// One plain-question pattern of a command.
#[derive(Debug)]
struct Question {
    source: &'static str,
    /// `source` compiled, once a question has matched it.
    pattern: OnceLock<Regex>,
    command: &'static Command,
}

impl Question {
    fn pattern(&self) -> &Regex {
        self.pattern.get_or_init(|| {
            RegexBuilder::new(self.source)
                .case_insensitive(true)
                .build()
                .expect("the question set compiled the same pattern")
        })
    }
}

/// The best question pattern matched so far.
struct Best {
    /// How many characters its arguments took: fewer is more specific.
    captured: usize,
    command: &'static Command,
    values: Vec<String>,
    anchored: bool,
}

/// What a plain question means.
struct Asked {
    parsed: Parsed,
    /// The question starts with the pattern's own words rather than with an argument.
    anchored: bool,
}

/// Tidies what people type: curly apostrophes, repeated spaces, surrounding space.
fn clean(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops trailing question marks, full stops and the like.
fn trim_end_punct(text: &str) -> &str {
    text.trim_end_matches(|c: char| {
        matches!(c, '?' | '!' | '.' | ',' | ';' | ':') || c.is_whitespace()
    })
}

/// `text` without `prefix`, compared case-insensitively.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        return None;
    }
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The command name closest to a mistyped one, if any is close.
fn closest_command(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    if w.is_empty() || w.len() > 20 {
        return None;
    }
    COMMANDS
        .iter()
        .flat_map(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(move |n| (n, c.name))
        })
        .map(|(n, name)| (strsim::damerau_levenshtein(&w, n), name))
        .filter(|(d, _)| *d <= if w.len() <= 4 { 1 } else { 2 })
        .min()
        .map(|(_, name)| name)
}
