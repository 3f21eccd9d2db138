//! Turning what people type into [`Query`] values: prefix commands, slash command options and
//! plain-English questions, all driven by the one command [`registry`].

pub mod cues;
pub mod parse;
pub mod registry;

pub use cues::{CueHit, Cues};
pub use parse::{Mode, Parsed, Parser};
pub use registry::{Arg, ArgKind, Command, SchemeFact, COMMANDS};

/// A question carebot knows how to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Star ratings of a council.
    Stars(String),
    /// Who leads a council's social services.
    Director(String),
    /// Who a person is.
    Person(String),
    /// Schemes a council runs.
    Schemes(String),
    /// One scheme.
    Scheme(String),
    /// One fact of a scheme.
    SchemeFact { name: String, fact: SchemeFact },
    /// A council's profile.
    Council(String),
    /// Anything by name: a council, person, scheme or region. `guessed` is true when the whole
    /// message was taken as a name because nothing else matched.
    About { name: String, guessed: bool },
    /// A council's figures, optionally on one topic (population, area, …).
    Figures {
        council: String,
        topic: Option<String>,
    },
    /// Two or more councils side by side. One entry may hold several names separated by spaces.
    Compare(Vec<String>),
    /// A chart of a council, several councils (one entry, names separated by spaces, commas or
    /// "and"), a region or England.
    Chart(String),
    /// Councils with this many stars.
    Rated(u8),
    /// Every council, or those in a region.
    Councils(Option<String>),
    /// Facts and quotes containing these words.
    Search(String),
    /// The sources the knowledge base cites.
    Sources,
    /// Help, on everything or one command.
    Help(Option<String>),
}
