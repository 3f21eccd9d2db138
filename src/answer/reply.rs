//! What carebot says back: an [`Answer`], either a [`Reply`] stating facts or a
//! [`NoAnswer`](super::NoAnswer).

use super::phrase::long_date;
use super::NoAnswer;
use crate::knowledge::Source;

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
    /// What the reply is about: "Birmingham: star rating".
    pub title: String,
    /// Opening lines; may be empty.
    pub description: String,
    /// The titled parts, in order.
    pub fields: Vec<Field>,
    /// The sources of the facts stated, each once.
    pub sources: Vec<Cite>,
    /// Set when a misspelt name was corrected.
    pub corrected: Option<Correction>,
    /// True when the sources disagree about something in this answer.
    pub conflict: bool,
}

/// A misspelt name taken as a known one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// What the user typed (their own words: escape before echoing).
    pub typed: String,
    /// The name it was taken as.
    pub taken_as: String,
}

impl Correction {
    /// `typed` (trimmed) taken as `taken_as`.
    pub(super) fn new(typed: &str, taken_as: &str) -> Self {
        Correction {
            typed: typed.trim().to_string(),
            taken_as: taken_as.to_string(),
        }
    }
}

/// One titled part of a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The part's title.
    pub name: String,
    /// Its text; may run over several lines.
    pub value: String,
    /// May sit beside other inline fields in an embed.
    pub inline: bool,
}

impl Field {
    /// A field on a line of its own.
    pub(super) fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            value: value.into(),
            inline: false,
        }
    }
}

/// A source as answers cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    /// The title of the article or dataset.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// `19 November 2004`, when the source has a date.
    pub date: Option<String>,
}

impl Cite {
    pub(super) fn of(s: &Source) -> Self {
        Cite {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.as_deref().map(long_date),
        }
    }
}

impl Cite {
    /// Writes the citation as [`Display`](std::fmt::Display) does, part by part: onto a
    /// `String`, without the formatting machinery (every text answer ends with citations).
    pub fn write_to(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        for part in [&self.publisher, ", “", &self.title, "”"] {
            out.write_str(part)?;
        }
        if let Some(d) = &self.date {
            out.write_str(", ")?;
            out.write_str(d)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Cite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}
