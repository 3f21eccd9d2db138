//! What the registry is made of: commands, their arguments, cue words and figure topics.

use super::registry::COMMANDS;
use super::Query;
use crate::knowledge::normalize::fold;

/// What kind of value an argument takes; slash commands autocomplete the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Council,
    Person,
    Scheme,
    /// A council, person, scheme or region.
    Name,
    Region,
    /// A number of stars, 0 to 3, in digits or words.
    Stars,
    /// Free words.
    Text,
    /// A command name.
    Command,
    /// A topic of figures, one of [`Topic::ALL`].
    Topic,
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The argument's name in usage (`<council>`), slash options and question patterns.
    pub name: &'static str,
    /// What kind of value it takes.
    pub kind: ArgKind,
    /// The command needs it (else it is optional).
    pub required: bool,
    /// Takes several values (the rest of the line, split on commas, "and", "or", "vs").
    pub many: bool,
    /// One line of help; also the slash option's description.
    pub description: &'static str,
}

/// One command: its words, arguments, help and the plain questions that mean it.
#[derive(Debug)]
pub struct Command {
    /// How code names this command; [`CommandId::command`] finds the entry.
    pub id: CommandId,
    /// The command word, without the prefix.
    pub name: &'static str,
    /// Other words for the same command.
    pub aliases: &'static [&'static str],
    /// The arguments, in the order they are typed.
    pub args: &'static [Arg],
    /// One line of help; also the slash command's description (at most 100 characters).
    pub summary: &'static str,
    /// An example, without the prefix.
    pub example: &'static str,
    /// Words that ask for this command in a question naming a thing of the kind its first
    /// argument takes ("boss" with a council asks for its director), one a line. A question is
    /// read by the longest cue it holds; a cue of `!figures` asks for the topics
    /// [`Topic::asked_by`] gives it.
    pub cues: &'static [Cue],
    /// Plain-English questions meaning this command: case-insensitive regexes matched against
    /// the whole question, with named groups for the arguments.
    pub questions: &'static [&'static str],
    /// Builds the query from the argument values, in argument order.
    pub build: fn(Vec<String>) -> Result<Query, String>,
}

/// Names a command in code. Replies that suggest a command read its word, usage and example
/// from the registry through this, so no reply repeats them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandId {
    Stars,
    Director,
    Person,
    Schemes,
    Scheme,
    Council,
    Figures,
    Compare,
    Chart,
    Rated,
    Councils,
    Ofsted,
    Neighbours,
    About,
    Search,
    Sources,
    Help,
}

impl CommandId {
    /// This command's registry entry ([`COMMANDS`] lists them in `CommandId` order).
    pub fn command(self) -> &'static Command {
        &COMMANDS[self as usize]
    }
}

/// The plain question that replies offer as an example of asking in words.
pub const EXAMPLE_QUESTION: &str = "Who runs social services in Coventry?";

/// A topic of the figures the knowledge base holds (a figure's `topic`), as `!figures` asks
/// for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Population,
    Ethnicity,
    Area,
    Housing,
    Workforce,
    /// How many local authorities a county or region has.
    Authorities,
}

impl Topic {
    /// Every topic, in the order help lists them.
    pub const ALL: [Topic; 6] = [
        Topic::Population,
        Topic::Ethnicity,
        Topic::Area,
        Topic::Housing,
        Topic::Workforce,
        Topic::Authorities,
    ];

    /// The word a figure's `topic` holds.
    pub fn word(self) -> &'static str {
        match self {
            Topic::Population => "population",
            Topic::Ethnicity => "ethnicity",
            Topic::Area => "area",
            Topic::Housing => "housing",
            Topic::Workforce => "workforce",
            Topic::Authorities => "authorities",
        }
    }

    /// The topics a word in a question asks about ("big" asks for population and area).
    pub fn asked_by(word: &str) -> &'static [Topic] {
        let w = fold(word);
        match w.as_str() {
            "population" | "pop" | "people" | "residents" | "inhabitants" | "people live"
            | "how many people" | "how many ppl" => &[Topic::Population],
            "size" | "big" | "large" => &[Topic::Population, Topic::Area],
            "area" | "green belt" | "land" | "square miles" => &[Topic::Area],
            "housing" | "home ownership" | "homes" | "households" | "own their homes"
            | "homeowners" => &[Topic::Housing],
            "workforce" | "staff" | "vacancy rate" | "vacancies" | "vacancy" | "recruitment"
            | "average age" => &[Topic::Workforce],
            w if w.starts_with("ethnic")
                || matches!(
                    w,
                    "race" | "diversity" | "diverse" | "demographics" | "asian" | "black" | "white"
                ) =>
            {
                &[Topic::Ethnicity]
            }
            "authorities"
            | "local authorities"
            | "councils"
            | "how many local authorities"
            | "how many councils" => &[Topic::Authorities],
            _ => &[],
        }
    }
}

/// A word or phrase in a question that asks for a command, folded to lower case without
/// apostrophes; a cue of `!scheme` also says which of the scheme's facts it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// The cue's words, lower case, one space between.
    pub words: &'static str,
    /// For a cue of `!scheme`, the fact it asks for.
    pub fact: Option<SchemeFact>,
}

/// A cue asking for its command.
pub(super) const fn cue(words: &'static str) -> Cue {
    Cue { words, fact: None }
}

/// A cue asking for one fact of a scheme.
pub(super) const fn fact(words: &'static str, fact: SchemeFact) -> Cue {
    Cue {
        words,
        fact: Some(fact),
    }
}

/// One fact of a scheme, as a question asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeFact {
    Cost,
    Reach,
    Started,
    Outcome,
}

impl Command {
    /// `stars <council>` style usage, without the prefix.
    pub fn usage(&self) -> String {
        let mut s = self.name.to_string();
        for a in self.args {
            let dots = if a.many { "…" } else { "" };
            if a.required {
                s.push_str(&format!(" <{}>{dots}", a.name));
            } else {
                s.push_str(&format!(" [{}]{dots}", a.name));
            }
        }
        s
    }
}

pub(super) const fn arg(name: &'static str, kind: ArgKind, description: &'static str) -> Arg {
    Arg {
        name,
        kind,
        required: true,
        many: false,
        description,
    }
}

pub(super) const fn optional(name: &'static str, kind: ArgKind, description: &'static str) -> Arg {
    Arg {
        name,
        kind,
        required: false,
        many: false,
        description,
    }
}
