//! Turning what people type into [`Query`] values: prefix commands, slash command options and
//! plain-English questions, all driven by the one command [`registry`].

mod args;
mod command;
pub mod cues;
pub mod parse;
pub mod registry;

pub use cues::{CueHit, Cues};
pub use parse::{Mode, Parsed, Parser};
pub use registry::{Arg, ArgKind, Command, SchemeFact, COMMANDS};

use crate::knowledge::register::Grade;

/// What `!rated` asks for: a scale, and optionally a round and a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rated {
    pub scale: Scale,
    /// A year (`2003`) or a month (`2004-11`) of the star ratings.
    pub round: Option<String>,
    /// A region's words ("north west").
    pub region: Option<String>,
}

/// The two scales councils have been judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Social services star ratings, 0 to 3 (2002-2008).
    Stars(u8),
    /// Ofsted's overall effectiveness of children's services (today).
    Ofsted(Grade),
}

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
    /// Two or more councils, or regions, side by side. One entry may hold several names
    /// separated by spaces.
    Compare(Vec<String>),
    /// A chart of a council, several councils (one entry, names separated by spaces, commas or
    /// "and"), a region or England.
    Chart(String),
    /// Councils with a grade or a number of stars.
    Rated(Rated),
    /// A council's latest Ofsted judgement of children's services.
    Ofsted(String),
    /// A council's statistical neighbours and their Ofsted judgements.
    Neighbours(String),
    /// Every council, or those in a region.
    Councils(Option<String>),
    /// Facts and quotes containing these words.
    Search(String),
    /// The sources the knowledge base cites.
    Sources,
    /// Help, on everything or one command.
    Help(Option<String>),
}
