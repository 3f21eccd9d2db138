//! Name lookup for one kind of entity: exact, by alias, typo-tolerant, and by prefix for
//! autocomplete.
//!
//! Typo tolerance uses a trigram index to pick a few candidates and [`strsim`] to score them,
//! so a lookup costs about the same whether the index holds ten names or a hundred thousand.

use std::collections::HashMap;

use super::normalize::name_key;

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The name, or one of its aliases, matched exactly (after folding).
    Exact(usize),
    /// One entity is a close, unambiguous match for a misspelt name.
    Corrected(usize),
    /// Nothing matched with confidence; these entities are the closest, best first (at most three).
    Unknown(Vec<usize>),
}

/// Most suggestions a "did you mean" gives.
pub const MAX_SUGGESTIONS: usize = 3;

/// Candidates scored in full after trigram filtering.
const CANDIDATES: usize = 48;

/// An index of the names and aliases of one kind of entity.
#[derive(Debug, Default)]
pub struct NameIndex {
    filler: &'static [&'static str],
    /// Folded keys with the entity they name, sorted by key for prefix search.
    keys: Vec<(Box<str>, u32)>,
    exact: HashMap<Box<str>, u32>,
    /// Trigram -> positions in `keys`.
    grams: HashMap<[u8; 3], Vec<u32>>,
}

impl NameIndex {
    /// Builds an index from `(entity, name)` pairs. `filler` lists the words that lookups ignore.
    /// Returns the index and the pairs whose folded key was already taken by another entity.
    pub fn build<'a>(
        filler: &'static [&'static str],
        names: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> (Self, Vec<Clash>) {
        let mut exact: HashMap<Box<str>, u32> = HashMap::new();
        let mut clashes = Vec::new();
        for (entity, name) in names {
            let key: Box<str> = name_key(name, filler).into();
            match exact.get(&key) {
                Some(&other) if other as usize != entity => clashes.push(Clash {
                    entity,
                    other: other as usize,
                    key: key.to_string(),
                }),
                Some(_) => {}
                None => {
                    exact.insert(key, entity as u32);
                }
            }
        }
        let mut keys: Vec<(Box<str>, u32)> = exact.iter().map(|(k, &e)| (k.clone(), e)).collect();
        keys.sort_unstable();
        let mut grams: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        for (pos, (key, _)) in keys.iter().enumerate() {
            let mut seen = trigrams(key);
            seen.sort_unstable();
            seen.dedup();
            for g in seen {
                grams.entry(g).or_default().push(pos as u32);
            }
        }
        (
            NameIndex {
                filler,
                keys,
                exact,
                grams,
            },
            clashes,
        )
    }

    /// Number of distinct keys (names and aliases).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the index holds no names.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Resolves a name: exactly, then a unique close match, else up to three suggestions.
    pub fn resolve(&self, name: &str) -> Resolved {
        let key = name_key(name, self.filler);
        if let Some(&e) = self.exact.get(key.as_str()) {
            return Resolved::Exact(e as usize);
        }
        if key.is_empty() {
            return Resolved::Unknown(Vec::new());
        }
        let scored = self.scored(&key);
        let allowed = allowed_edits(key.chars().count());
        if let Some(best) = scored.first() {
            let unique = scored
                .iter()
                .skip(1)
                .all(|c| c.entity == best.entity || c.edits > best.edits);
            if best.edits <= allowed && unique {
                return Resolved::Corrected(best.entity);
            }
        }
        let mut out: Vec<usize> = Vec::new();
        for c in scored.iter().filter(|c| c.similar) {
            if !out.contains(&c.entity) {
                out.push(c.entity);
                if out.len() == MAX_SUGGESTIONS {
                    break;
                }
            }
        }
        Resolved::Unknown(out)
    }

    /// Up to `limit` entities for a partly typed name, best first: names that start with the
    /// text, then names with a word that starts with it, then close misspellings.
    pub fn complete(&self, partial: &str, limit: usize) -> Vec<usize> {
        let key = name_key(partial, self.filler);
        let mut out: Vec<usize> = Vec::with_capacity(limit);
        let push = |e: usize, out: &mut Vec<usize>| {
            if out.len() < limit && !out.contains(&e) {
                out.push(e);
            }
        };
        let start = self
            .keys
            .partition_point(|(k, _)| k.as_ref() < key.as_str());
        for (k, e) in &self.keys[start..] {
            if !k.starts_with(key.as_str()) || out.len() == limit {
                break;
            }
            push(*e as usize, &mut out);
        }
        if out.len() < limit && !key.is_empty() {
            for c in self.scored(&key) {
                let k = &self.keys[c.pos].0;
                let word_prefix = k.split(' ').any(|w| w.starts_with(key.as_str()));
                if word_prefix || c.similar {
                    push(c.entity, &mut out);
                }
            }
        }
        out
    }

    /// Candidates sharing trigrams with `key`, scored and sorted best first.
    fn scored(&self, key: &str) -> Vec<Candidate> {
        let mut counts: HashMap<u32, u16> = HashMap::new();
        for g in trigrams(key) {
            if let Some(positions) = self.grams.get(&g) {
                for &p in positions {
                    *counts.entry(p).or_default() += 1;
                }
            }
        }
        let mut top: Vec<(u32, u16)> = counts.into_iter().collect();
        let cut = top.len().min(CANDIDATES);
        if top.len() > cut {
            top.select_nth_unstable_by(cut - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(cut);
        }
        let mut scored: Vec<Candidate> = top
            .into_iter()
            .map(|(pos, _)| {
                let (k, e) = &self.keys[pos as usize];
                let edits = strsim::damerau_levenshtein(key, k);
                let jw = strsim::jaro_winkler(key, k);
                let longest = key.chars().count().max(k.chars().count());
                Candidate {
                    pos: pos as usize,
                    entity: *e as usize,
                    edits,
                    similar: jw >= 0.8 || edits * 2 <= longest,
                    jw,
                }
            })
            .collect();
        scored.sort_by(|a, b| {
            a.edits
                .cmp(&b.edits)
                .then(b.jw.total_cmp(&a.jw))
                .then(a.pos.cmp(&b.pos))
        });
        scored
    }
}

/// Two entities whose names fold to the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub entity: usize,
    pub other: usize,
    pub key: String,
}

#[derive(Debug)]
struct Candidate {
    pos: usize,
    entity: usize,
    edits: usize,
    similar: bool,
    jw: f64,
}

/// Edits a misspelling may have and still be corrected without asking.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The byte trigrams of a key padded with spaces, so short keys and word starts count too.
fn trigrams(key: &str) -> Vec<[u8; 3]> {
    let padded: Vec<u8> = [b' ']
        .into_iter()
        .chain(key.bytes())
        .chain([b' '])
        .collect();
    padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex {
        let names = [
            (0, "Birmingham"),
            (0, "Birmingham City Council"),
            (1, "Solihull"),
            (2, "Coventry"),
            (3, "Staffordshire"),
            (4, "Kirklees"),
        ];
        NameIndex::build(&["council", "city"], names).0
    }

    #[test]
    fn resolves_exact_alias_and_typo() {
        let ix = index();
        assert_eq!(ix.resolve("birmingham city council"), Resolved::Exact(0));
        assert_eq!(ix.resolve("BIRMINGHAM"), Resolved::Exact(0));
        assert_eq!(ix.resolve("Birmingam"), Resolved::Corrected(0));
        assert_eq!(ix.resolve("Solihul"), Resolved::Corrected(1));
        assert_eq!(ix.resolve("Wolverhampton"), Resolved::Unknown(vec![]));
    }

    #[test]
    fn suggests_when_unsure() {
        let ix = index();
        assert_eq!(ix.resolve("Staffs shire"), Resolved::Unknown(vec![3]));
    }

    #[test]
    fn completes_by_prefix_then_fuzzy() {
        let ix = index();
        assert_eq!(ix.complete("co", 25), vec![2]);
        assert_eq!(ix.complete("", 3), vec![0, 2, 4]);
        assert_eq!(ix.complete("solli", 25), vec![1]);
    }

    #[test]
    fn reports_clashing_names() {
        let (_, clashes) = NameIndex::build(&[], [(0, "Hay"), (1, "hay")]);
        assert_eq!(
            clashes,
            vec![Clash {
                entity: 1,
                other: 0,
                key: "hay".into()
            }]
        );
    }
}
