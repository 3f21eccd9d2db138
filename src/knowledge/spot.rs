//! Finding the names a whole message mentions, wherever they are: councils, people, schemes
//! and regions, by their names and aliases, longest first, with typos inside a word, plural or
//! possessive endings and county abbreviations ("staffs") forgiven.
//!
//! Work per message is a few hash lookups per word; only a word that is neither a known name
//! word nor a common word costs a trigram lookup in the index of name words, so it does not
//! grow with the number of names.

use std::collections::{HashMap, HashSet};

use super::index::{Fx, NameIndex};
use super::normalize::{fold, name_key};

/// The kinds of entry a name can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Council,
    Person,
    Scheme,
    Region,
}

/// A name found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// What kind of entry it names.
    pub kind: NameKind,
    /// The entry's index among those of its kind.
    pub entity: usize,
    /// The first word of the message it covers.
    pub start: usize,
    /// The word after the last it covers.
    pub end: usize,
    /// True when a word was misspelt.
    pub corrected: bool,
}

/// Who a name word belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Owner {
    /// One entity; `half` when the word is half or more of one of its names ("nvq" of "NVQ
    /// training", not "safe" of "Safe and Sound"), so that alone it names the entity.
    One {
        kind: NameKind,
        entity: usize,
        half: bool,
    },
    Many,
}

/// The names of every kind, by the words they are written with.
#[derive(Debug, Default)]
pub struct Spotter {
    /// A name's folded words -> what it names.
    phrases: HashMap<String, Vec<(NameKind, usize)>, Fx>,
    /// Most words in a name.
    longest: usize,
    /// Every word of every name, sorted (for abbreviations).
    vocab: Vec<String>,
    known: HashSet<String, Fx>,
    /// The name words, for misspellings.
    words: NameIndex,
    /// A word that alone is enough to name one scheme, council or region: it is in no other
    /// name, and half of one of this one's ("nvq").
    telling: HashMap<String, (NameKind, usize), Fx>,
}

/// Shortest word taken as a misspelling of a name word.
const MIN_TYPO_LEN: usize = 3;

impl Spotter {
    /// Builds the spotter from `(kind, entity, name)` triples; `filler` gives the words each
    /// kind's lookups ignore.
    pub fn build<'a>(
        names: impl IntoIterator<Item = (NameKind, usize, &'a str)>,
        filler: impl Fn(NameKind) -> &'static [&'static str],
    ) -> Self {
        let mut s = Spotter::default();
        let mut word_owners: HashMap<String, Owner, Fx> = HashMap::default();
        for (kind, entity, name) in names {
            let folded = fold(&name.replace('&', " and "));
            let key = name_key(&folded, filler(kind));
            for form in [folded, key] {
                if form.is_empty() {
                    continue;
                }
                let count = form.split(' ').count();
                s.longest = s.longest.max(count);
                for w in form.split(' ') {
                    let owner = word_owners.entry(w.to_string()).or_insert(Owner::One {
                        kind,
                        entity,
                        half: false,
                    });
                    match owner {
                        Owner::One {
                            kind: k,
                            entity: e,
                            half,
                        } if *k == kind && *e == entity => *half |= count <= 2,
                        _ => *owner = Owner::Many,
                    }
                }
                // An entity's names come one after another: only the last can be its own.
                let list = s.phrases.entry(form).or_default();
                if list.last() != Some(&(kind, entity)) {
                    list.push((kind, entity));
                }
            }
        }
        for (w, owner) in &word_owners {
            if let Owner::One {
                kind,
                entity,
                half: true,
            } = *owner
            {
                if kind != NameKind::Person && w.len() >= 3 && !filler(kind).contains(&w.as_str()) {
                    s.telling.insert(w.clone(), (kind, entity));
                }
            }
        }

        s.vocab = word_owners.into_keys().collect();
        s.vocab.sort();
        s.known = s.vocab.iter().cloned().collect();
        s.words = NameIndex::build(
            &[],
            s.vocab.iter().enumerate().map(|(i, w)| (i, w.as_str())),
        )
        .0;
        s
    }

    /// The names in `words` (a message folded and split), longest first and left to right.
    /// `common` says which words are ordinary English or question words: those are never taken
    /// as misspelt names, nor alone as a name ("staff" is not Staffordshire).
    pub fn spot(&self, words: &[&str], common: &dyn Fn(&str) -> bool) -> Vec<Spot> {
        let canon: Vec<Option<(&str, bool)>> =
            words.iter().map(|w| self.canonical(w, common)).collect();
        let mut out = Vec::new();
        let mut key = String::new();
        let mut i = 0;
        while i < words.len() {
            let Some((first, _)) = canon[i] else {
                i += 1;
                continue;
            };
            let most = self.longest.min(words.len() - i);
            let mut taken = 0;
            for len in (1..=most).rev() {
                let span = &canon[i..i + len];
                if span.iter().any(Option::is_none) {
                    continue;
                }
                key.clear();
                for (j, (w, _)) in span.iter().flatten().enumerate() {
                    if j > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                let Some(named) = self.phrases.get(&key) else {
                    continue;
                };
                // A lone common word is not a name ("region" is short for "the region").
                if len == 1 && common(words[i]) {
                    continue;
                }
                let corrected = span.iter().flatten().any(|&(_, c)| c);
                for &(kind, entity) in named {
                    out.push(Spot {
                        kind,
                        entity,
                        start: i,
                        end: i + len,
                        corrected,
                    });
                }
                taken = len;
                break;
            }
            if taken == 0 {
                if let Some(&(kind, entity)) = self.telling.get(first) {
                    if !common(words[i]) {
                        out.push(Spot {
                            kind,
                            entity,
                            start: i,
                            end: i + 1,
                            corrected: canon[i].is_some_and(|(_, c)| c),
                        });
                    }
                }
                taken = 1;
            }
            i += taken;
        }
        out
    }

    /// The name word `word` stands for, and whether it was misspelt.
    fn canonical<'s>(
        &'s self,
        word: &'s str,
        common: &dyn Fn(&str) -> bool,
    ) -> Option<(&'s str, bool)> {
        if self.known.contains(word) {
            return Some((word, false));
        }
        if word == "n" || word == "an" {
            // "safe n sound"
            return self.known.get("and").map(|w| (w.as_str(), false));
        }
        if common(word) {
            return None;
        }
        // "solihulls": a possessive without its apostrophe.
        if let Some(stem) = word.strip_suffix('s') {
            if let Some((w, _)) = self.phrases.get_key_value(stem) {
                return Some((w.as_str(), false));
            }
            // "staffs", "notts": the start of a long county name, with an s.
            if stem.len() >= 4 {
                let from = self.vocab.partition_point(|v| v.as_str() < stem);
                let mut starting = self.vocab[from..]
                    .iter()
                    .take_while(|v| v.starts_with(stem))
                    .filter(|v| v.len() >= 8);
                if let (Some(w), None) = (starting.next(), starting.next()) {
                    return Some((w.as_str(), false));
                }
            }
            if let Some(w) = self.known.get(stem) {
                return Some((w.as_str(), false));
            }
        }
        if word.chars().count() < MIN_TYPO_LEN || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        // Two letters swapped: too few trigrams in a short word to find it by.
        let mut swapped: Vec<char> = word.chars().collect();
        for i in 1..swapped.len() {
            swapped.swap(i - 1, i);
            let candidate: String = swapped.iter().collect();
            swapped.swap(i - 1, i);
            if let Some(w) = self.known.get(&candidate) {
                if typo_of(word, w, 1) {
                    return Some((w.as_str(), true));
                }
            }
        }
        let near = self.words.near(word);
        let mut fits = near.iter().filter(|(_, w, edits)| typo_of(word, w, *edits));
        let (best, _, edits) = fits.next()?;
        if fits
            .next()
            .is_some_and(|(other, _, e)| e == edits && other != best)
        {
            return None;
        }
        Some((self.vocab[*best].as_str(), true))
    }
}

/// True when `typed` is a misspelling of the name word `known`, `edits` apart: it starts the
/// same way (or with its first two letters swapped) and has few edits for its length. A
/// different word ("blake" for "lake", "hain" for "hay") is not a misspelling.
pub fn typo_of(typed: &str, known: &str, edits: usize) -> bool {
    let (t, k): (Vec<char>, Vec<char>) = (typed.chars().collect(), known.chars().collect());
    if edits == 0 {
        return true;
    }
    let starts_alike =
        t.first() == k.first() || (t.len() > 1 && k.len() > 1 && t[0] == k[1] && t[1] == k[0]);
    let allowed = match t.len().max(k.len()) {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    };
    // In a short word only two letters swapped: one letter changed makes another word
    // ("lame" is not "lake").
    let short_ok = t.len().max(k.len()) > 4 || {
        let (mut a, mut b) = (t.clone(), k.clone());
        a.sort_unstable();
        b.sort_unstable();
        a == b
    };
    starts_alike && edits <= allowed && short_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spotter() -> Spotter {
        let names = [
            (NameKind::Council, 0, "Birmingham"),
            (NameKind::Council, 0, "Birmingham City Council"),
            (NameKind::Council, 1, "Staffordshire"),
            (NameKind::Council, 2, "Bolton"),
            (NameKind::Person, 0, "Peter Hay"),
            (NameKind::Person, 0, "Hay"),
            (NameKind::Person, 1, "John Bolton"),
            (NameKind::Person, 1, "Bolton"),
            (NameKind::Scheme, 0, "Safe and Sound"),
            (NameKind::Scheme, 1, "NVQ training for care assistants"),
            (NameKind::Scheme, 1, "NVQ training"),
        ];
        Spotter::build(names, |kind| match kind {
            NameKind::Council | NameKind::Region => &["council", "city", "the"],
            NameKind::Person => &[],
            NameKind::Scheme => &["the", "scheme"],
        })
    }

    /// `(kind, entity, first word, corrected)` of each name in `text`.
    fn spots(text: &str) -> Vec<(NameKind, usize, usize, bool)> {
        let folded = fold(text);
        let words: Vec<&str> = folded.split(' ').collect();
        let common = |w: &str| ["the", "of", "stars", "staff", "for", "is", "who"].contains(&w);
        spotter()
            .spot(&words, &common)
            .into_iter()
            .map(|s| (s.kind, s.entity, s.start, s.corrected))
            .collect()
    }

    #[test]
    fn finds_names_anywhere_longest_first() {
        assert_eq!(
            spots("stars for Birmingham City Council"),
            [(NameKind::Council, 0, 2, false)]
        );
        assert_eq!(
            spots("safe and sound for peter hay"),
            [
                (NameKind::Scheme, 0, 0, false),
                (NameKind::Person, 0, 4, false)
            ]
        );
        assert_eq!(spots("is hay"), [(NameKind::Person, 0, 1, false)]);
    }

    #[test]
    fn forgives_typos_possessives_and_abbreviations() {
        assert_eq!(spots("birmingam"), [(NameKind::Council, 0, 0, true)]);
        assert_eq!(spots("peter hya"), [(NameKind::Person, 0, 0, true)]);
        assert_eq!(
            spots("birminghams stars"),
            [(NameKind::Council, 0, 0, false)]
        );
        assert_eq!(spots("staffs"), [(NameKind::Council, 1, 0, false)]);
        // A common word is no abbreviation, and a different word no misspelling.
        assert_eq!(spots("staff"), []);
        assert_eq!(spots("peter hain"), []);
    }

    #[test]
    fn a_telling_word_names_its_scheme_and_a_shared_name_both() {
        assert_eq!(spots("the nvq thing"), [(NameKind::Scheme, 1, 1, false)]);
        // A word that is a small part of every name it is in names nothing alone.
        assert_eq!(spots("is it safe"), []);
        assert_eq!(
            spots("who is bolton"),
            [
                (NameKind::Council, 2, 2, false),
                (NameKind::Person, 1, 2, false)
            ]
        );
    }

    #[test]
    fn misspellings_keep_the_first_letters_and_few_edits() {
        assert!(typo_of("covnetry", "coventry", 1));
        assert!(typo_of("hya", "hay", 1));
        assert!(!typo_of("blake", "lake", 1));
        assert!(!typo_of("hain", "hay", 2));
        assert!(typo_of("stafordshire", "staffordshire", 1));
        assert!(!typo_of("lame", "lake", 1));
        assert!(!typo_of("jon", "john", 1));
    }
}
