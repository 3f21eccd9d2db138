//! Typed names to knowledge-base entries: exact, corrected, or a "no answer" with "did you
//! mean" suggestions.

use super::{Correction, Miss, NoAnswer};
use crate::knowledge::normalize::fold;
use crate::knowledge::spot::typo_of;
use crate::knowledge::{Knowledge, NameKind, Resolved};

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

    /// The name and aliases of entry `i` of this kind.
    pub(super) fn names(self, k: &Knowledge, i: usize) -> Vec<&str> {
        let (name, aliases) = match self {
            Kind::Council => (&k.councils[i].name, &k.councils[i].aliases),
            Kind::Person => (&k.people[i].name, &k.people[i].aliases),
            Kind::Scheme => (&k.schemes[i].name, &k.schemes[i].aliases),
            Kind::Region => (&k.regions[i].name, &k.regions[i].aliases),
        };
        std::iter::once(name.as_str())
            .chain(aliases.iter().map(String::as_str))
            .collect()
    }

    /// The kind of a name spotted in a message.
    pub(super) fn of(kind: NameKind) -> Kind {
        match kind {
            NameKind::Council => Kind::Council,
            NameKind::Person => Kind::Person,
            NameKind::Scheme => Kind::Scheme,
            NameKind::Region => Kind::Region,
        }
    }

    /// The first names of this kind, to list as "what I do know".
    pub(super) fn first_names(self, k: &Knowledge) -> Vec<String> {
        let register = &k.register.authorities;
        if self == Kind::Council && !register.is_empty() {
            let former = register.iter().filter(|a| a.ended.is_some()).count();
            return vec![format!(
                "the {} English councils with social services duties, and {former} abolished since 2002",
                register.len() - former
            )];
        }
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
    pub(super) fn called(self) -> &'static str {
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
    let result = checked(k, kind, typed, kind.find(k, typed));
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

/// `result` of looking `typed` up, made stricter where a name index is lenient:
/// - a person's name corrected only when each word is a misspelling of the name's word, so a
///   different name ("Peter Hain", "Robert Blake") is not taken for a known one but suggested,
///   and a suggestion must be like the name word for word ("John Smith" is not John Bolton);
/// - a name typed as a whole word of exactly one name ("NVQ") found as that name.
pub(super) fn checked(k: &Knowledge, kind: Kind, typed: &str, result: Resolved) -> Resolved {
    if let Resolved::Exact(_) = result {
        return result;
    }
    let words: Vec<String> = fold(typed)
        .split(' ')
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .map(String::from)
        .collect();
    match result {
        Resolved::Corrected(i) if kind == Kind::Person => {
            if kind
                .names(k, i)
                .iter()
                .any(|n| word_for_word(&words, n, typo))
            {
                Resolved::Corrected(i)
            } else if kind.names(k, i).iter().any(|n| like_words(&words, n)) {
                Resolved::Unknown(vec![i])
            } else {
                Resolved::Unknown(Vec::new())
            }
        }
        Resolved::Unknown(close) => {
            let within: Vec<usize> = close
                .iter()
                .copied()
                .filter(|&i| {
                    kind.names(k, i).iter().any(|n| {
                        let name = fold(n);
                        let name: Vec<&str> =
                            name.split(' ').filter(|w| !FILLER.contains(w)).collect();
                        !words.is_empty()
                            && words.len() * 2 >= name.len()
                            && words.iter().all(|w| name.contains(&w.as_str()))
                    })
                })
                .collect();
            if let ([one], false) = (within.as_slice(), kind == Kind::Person) {
                return Resolved::Corrected(*one);
            }
            if kind == Kind::Scheme {
                return Resolved::Unknown(close);
            }
            if kind != Kind::Person {
                // A name found the way questions find them ("staffs" for Staffordshire).
                let folded = fold(typed);
                let typed_words: Vec<&str> = folded.split(' ').collect();
                let spots = k.spot(&typed_words, &|_| false);
                let of_kind: Vec<_> = spots.iter().filter(|s| Kind::of(s.kind) == kind).collect();
                let covered = (0..typed_words.len()).all(|i| {
                    FILLER.contains(&typed_words[i])
                        || of_kind.iter().any(|s| s.start <= i && i < s.end)
                });
                if let (Some(first), true) = (of_kind.first(), covered) {
                    if of_kind.iter().all(|s| s.entity == first.entity) {
                        return Resolved::Corrected(first.entity);
                    }
                }
                return Resolved::Unknown(close);
            }
            Resolved::Unknown(
                close
                    .into_iter()
                    .filter(|&i| kind.names(k, i).iter().any(|n| like_words(&words, n)))
                    .collect(),
            )
        }
        other => other,
    }
}

/// Words no name is told apart by.
const FILLER: &[&str] = &[
    "the", "mr", "mrs", "ms", "dr", "council", "city", "borough", "county", "scheme",
];

/// True when `typed` has as many words as `name` and each pair passes `same`.
fn word_for_word(typed: &[String], name: &str, same: fn(&str, &str) -> bool) -> bool {
    let name = fold(name);
    let name: Vec<&str> = name.split(' ').filter(|w| !FILLER.contains(w)).collect();
    typed.len() == name.len() && typed.iter().zip(&name).all(|(t, n)| same(t, n))
}

/// True when each typed word is like the name's word in its place, counting from the first
/// or from the last ("Pete" is like Peter Hay; "John Smith" is not like John Bolton).
fn like_words(typed: &[String], name: &str) -> bool {
    let name = fold(name);
    let name: Vec<&str> = name.split(' ').filter(|w| !FILLER.contains(w)).collect();
    let n = typed.len();
    n > 0
        && n <= name.len()
        && (typed.iter().zip(&name).all(|(t, w)| alike(t, w))
            || typed
                .iter()
                .zip(&name[name.len() - n..])
                .all(|(t, w)| alike(t, w)))
}

/// A misspelling of the word.
fn typo(typed: &str, name: &str) -> bool {
    typo_of(typed, name, strsim::damerau_levenshtein(typed, name))
}

/// Like enough to suggest: a misspelling, or at most half the letters changed.
fn alike(typed: &str, name: &str) -> bool {
    let edits = strsim::damerau_levenshtein(typed, name);
    typo(typed, name) || edits * 2 <= typed.chars().count().max(name.chars().count())
}
