//! Typed names to knowledge-base entries: exact, corrected, or a "no answer" with "did you
//! mean" suggestions.

use super::{Correction, Miss, NoAnswer};
use crate::knowledge::{Knowledge, Resolved};

/// Most names listed as "what I do know".
const KNOWN_LIMIT: usize = 10;

/// The kinds of entry a name can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Council,
    Person,
    Scheme,
    Region,
}

impl Kind {
    /// Every kind, in the order `!about` looks a name up.
    pub(super) const ALL: [Kind; 4] = [Kind::Council, Kind::Person, Kind::Scheme, Kind::Region];

    /// Looks `typed` up among the entries of this kind.
    pub(super) fn find(self, k: &Knowledge, typed: &str) -> Resolved {
        match self {
            Kind::Council => k.find_council(typed),
            Kind::Person => k.find_person(typed),
            Kind::Scheme => k.find_scheme(typed),
            Kind::Region => k.find_region(typed),
        }
    }

    /// The name of entry `i` of this kind.
    pub(super) fn name(self, k: &Knowledge, i: usize) -> &str {
        match self {
            Kind::Council => &k.councils[i].name,
            Kind::Person => &k.people[i].name,
            Kind::Scheme => &k.schemes[i].name,
            Kind::Region => &k.regions[i].name,
        }
    }

    /// The first names of this kind, to list as "what I do know".
    pub(super) fn first_names(self, k: &Knowledge) -> Vec<String> {
        let count = match self {
            Kind::Council => k.councils.len(),
            Kind::Person => k.people.len(),
            Kind::Scheme => k.schemes.len(),
            Kind::Region => k.regions.len(),
        };
        (0..count.min(KNOWN_LIMIT))
            .map(|i| self.name(k, i).to_string())
            .collect()
    }

    /// How a "no data" sentence names a miss: "a council called".
    fn called(self) -> &'static str {
        match self {
            Kind::Council => "a council called",
            Kind::Person => "a person called",
            Kind::Scheme => "a scheme called",
            Kind::Region => "a region called",
        }
    }
}

/// An entry found by name.
#[derive(Debug)]
pub(super) struct Found {
    /// Its index among the entries of its kind.
    pub index: usize,
    /// Set when the name was misspelt.
    pub corrected: Option<Correction>,
}

impl Found {
    /// `result` of looking `typed` up, as an entry found, if it was.
    pub(super) fn of(k: &Knowledge, kind: Kind, typed: &str, result: &Resolved) -> Option<Self> {
        match *result {
            Resolved::Exact(index) => Some(Found {
                index,
                corrected: None,
            }),
            Resolved::Corrected(index) => Some(Found {
                index,
                corrected: Some(Correction::new(typed, kind.name(k, index))),
            }),
            Resolved::Unknown(_) => None,
        }
    }
}

/// Resolves `typed` to an entry of `kind`, or says there is none, with the names the user may
/// have meant (or, when nothing is close, the first names known).
pub(super) fn resolve(k: &Knowledge, kind: Kind, typed: &str) -> Result<Found, NoAnswer> {
    let result = kind.find(k, typed);
    if let Some(found) = Found::of(k, kind, typed, &result) {
        return Ok(found);
    }
    let mut n = NoAnswer::new(Miss::Unknown {
        kind: kind.called(),
        typed: typed.trim().to_string(),
    });
    if let Resolved::Unknown(close) = result {
        n.suggestions = close.iter().map(|&i| kind.name(k, i).to_string()).collect();
    }
    if n.suggestions.is_empty() {
        n.known = kind.first_names(k);
    }
    Err(n)
}
