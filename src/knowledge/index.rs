//! Name lookup for one kind of entity: exact, by alias, typo-tolerant, and by prefix for
//! autocomplete.
//!
//! Typo tolerance uses a trigram index to pick a few candidates and [`strsim`] to score them,
//! so a lookup costs about the same whether the index holds ten names or a hundred thousand.
//!
//! Layout, chosen so that a hundred thousand names load fast and stay small: every folded key
//! lives in one string, `keys` lists them sorted (for prefix search), an open-addressing table
//! finds a key's position by hash (for exact lookup), and the trigram postings are one array
//! sliced per trigram. Candidates are counted in a reusable per-thread array, not a map.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::distance::{damerau_levenshtein, jaro_winkler, Buffers};
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

/// Marks an empty slot of the exact-lookup table.
const EMPTY: u32 = u32::MAX;

/// One folded key: where it is in [`NameIndex::text`] and the entity it names.
#[derive(Debug, Clone, Copy)]
struct Key {
    start: u32,
    len: u32,
    entity: u32,
}

/// An index of the names and aliases of one kind of entity.
#[derive(Debug, Default)]
pub struct NameIndex {
    filler: &'static [&'static str],
    /// Every folded key, one after another.
    text: String,
    /// The keys, sorted for prefix search.
    keys: Vec<Key>,
    /// Open-addressing hash table of positions in `keys` (`EMPTY` when free); its length is a
    /// power of two at least twice the number of keys.
    table: Vec<u32>,
    /// Trigram -> the range of `postings` holding the positions in `keys` that contain it.
    grams: HashMap<u32, (u32, u32), Fx>,
    /// Positions in `keys`, grouped by trigram, ascending within each group.
    postings: Vec<u32>,
}

impl NameIndex {
    /// Builds an index from `(entity, name)` pairs. `filler` lists the words that lookups ignore.
    /// Returns the index and the pairs whose folded key was already taken by another entity.
    pub fn build<'a>(
        filler: &'static [&'static str],
        names: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> (Self, Vec<Clash>) {
        let names = names.into_iter();
        let mut ix = NameIndex {
            filler,
            ..NameIndex::default()
        };
        let mut clashes = Vec::new();
        ix.keys.reserve(names.size_hint().0);
        ix.resize_table(names.size_hint().0);
        // Keys in first-seen order; a later name folding to a taken key is a clash, unless it
        // names the same entity.
        for (entity, name) in names {
            let key = name_key(name, filler);
            if let Some(pos) = ix.position(&key) {
                let other = ix.keys[pos].entity as usize;
                if other != entity {
                    clashes.push(Clash { entity, other, key });
                }
                continue;
            }
            if (ix.keys.len() + 1) * 2 > ix.table.len() {
                ix.resize_table(ix.keys.len() + 1);
            }
            let start = ix.text.len() as u32;
            ix.text.push_str(&key);
            ix.keys.push(Key {
                start,
                len: key.len() as u32,
                entity: entity as u32,
            });
            ix.insert(ix.keys.len() - 1);
        }
        let text = &ix.text;
        ix.keys
            .sort_unstable_by(|a, b| slice(text, *a).cmp(slice(text, *b)));
        ix.resize_table(ix.keys.len());
        ix.build_grams();
        ix.text.shrink_to_fit();
        (ix, clashes)
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
        if let Some(pos) = self.position(&key) {
            return Resolved::Exact(self.keys[pos].entity as usize);
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
        for c in scored.iter().filter(|c| c.suggested) {
            if !out.contains(&c.entity) {
                out.push(c.entity);
                if out.len() == MAX_SUGGESTIONS {
                    break;
                }
            }
        }
        Resolved::Unknown(out)
    }

    /// The entities whose keys are closest to `name` (folded, filler dropped), best first, each
    /// with its key and the edits between them; at most [`MAX_SUGGESTIONS`] * 2.
    pub fn near(&self, name: &str) -> Vec<(usize, &str, usize)> {
        let key = name_key(name, self.filler);
        if key.is_empty() {
            return Vec::new();
        }
        self.scored(&key)
            .into_iter()
            .take(MAX_SUGGESTIONS * 2)
            .map(|c| (c.entity, self.key(self.keys[c.pos]), c.edits))
            .collect()
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
        let start = self.keys.partition_point(|k| self.key(*k) < key.as_str());
        for k in &self.keys[start..] {
            if !self.key(*k).starts_with(key.as_str()) || out.len() == limit {
                break;
            }
            push(k.entity as usize, &mut out);
        }
        if out.len() < limit && !key.is_empty() {
            for c in self.scored(&key) {
                let k = self.key(self.keys[c.pos]);
                let word_prefix = k.split(' ').any(|w| w.starts_with(key.as_str()));
                if word_prefix || c.similar {
                    push(c.entity, &mut out);
                }
            }
        }
        out
    }

    /// The text of a key.
    fn key(&self, k: Key) -> &str {
        slice(&self.text, k)
    }

    /// The position in `keys` of exactly this folded key.
    fn position(&self, key: &str) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut slot = hash(key.as_bytes()) as usize & mask;
        loop {
            match self.table[slot] {
                EMPTY => return None,
                pos if self.key(self.keys[pos as usize]) == key => return Some(pos as usize),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Adds `keys[pos]` to the table, which has room.
    fn insert(&mut self, pos: usize) {
        let mask = self.table.len() - 1;
        let mut slot = hash(self.key(self.keys[pos]).as_bytes()) as usize & mask;
        while self.table[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        self.table[slot] = pos as u32;
    }

    /// Rebuilds the table with room for at least `n` keys, from the keys as they now stand.
    fn resize_table(&mut self, n: usize) {
        let size = (n.max(4) * 2).next_power_of_two();
        self.table.clear();
        self.table.resize(size, EMPTY);
        for pos in 0..self.keys.len() {
            self.insert(pos);
        }
    }

    /// Fills `grams` and `postings` from the sorted keys.
    fn build_grams(&mut self) {
        // Each key's distinct trigrams, and how many keys have each trigram.
        let mut per_key: Vec<u32> = Vec::with_capacity(self.text.len() + 2 * self.keys.len());
        let mut ends: Vec<u32> = Vec::with_capacity(self.keys.len());
        let mut count: HashMap<u32, u32, Fx> = HashMap::default();
        for &k in &self.keys {
            let from = per_key.len();
            per_key.extend(trigrams(slice(&self.text, k)));
            per_key[from..].sort_unstable();
            let mut kept = from;
            for i in from..per_key.len() {
                if i == from || per_key[i] != per_key[kept - 1] {
                    per_key[kept] = per_key[i];
                    kept += 1;
                    *count.entry(per_key[kept - 1]).or_default() += 1;
                }
            }
            per_key.truncate(kept);
            ends.push(kept as u32);
        }
        // Each trigram's range of `postings`, then the positions in key order.
        let mut next = 0u32;
        let mut fill: HashMap<u32, u32, Fx> =
            HashMap::with_capacity_and_hasher(count.len(), Default::default());
        self.grams = HashMap::with_capacity_and_hasher(count.len(), Default::default());
        for (&g, &n) in &count {
            self.grams.insert(g, (next, next + n));
            fill.insert(g, next);
            next += n;
        }
        self.postings = vec![0; next as usize];
        let mut from = 0;
        for (pos, &end) in ends.iter().enumerate() {
            for g in &per_key[from..end as usize] {
                let at = fill.get_mut(g).expect("counted above");
                self.postings[*at as usize] = pos as u32;
                *at += 1;
            }
            from = end as usize;
        }
    }

    /// Candidates sharing trigrams with `key`, scored and sorted best first.
    fn scored(&self, key: &str) -> Vec<Candidate> {
        let mut scored: Vec<Candidate> = SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            let top = self.top_candidates(key, s);
            let Scratch {
                query, other, dl, ..
            } = s;
            query.clear();
            query.extend(key.chars());
            top.into_iter()
                .map(|pos| {
                    other.clear();
                    other.extend(self.key(self.keys[pos as usize]).chars());
                    let edits = damerau_levenshtein(query, other, dl);
                    let jw = jaro_winkler(query, other, dl);
                    let longest = query.len().max(other.len());
                    let near = jw >= 0.8 || is_abbreviation(query, other);
                    Candidate {
                        pos: pos as usize,
                        entity: self.keys[pos as usize].entity as usize,
                        edits,
                        similar: near || edits * 2 <= longest,
                        suggested: near || edits * 2 < longest,
                        jw,
                    }
                })
                .collect()
        });
        scored.sort_by(|a, b| {
            a.edits
                .cmp(&b.edits)
                .then(b.jw.total_cmp(&a.jw))
                .then(a.pos.cmp(&b.pos))
        });
        scored
    }

    /// The positions of the (at most) [`CANDIDATES`] keys sharing the most trigrams with `key`
    /// (each of the key's trigrams counted as often as it occurs), ties to the lower position.
    fn top_candidates(&self, key: &str, s: &mut Scratch) -> Vec<u32> {
        if s.counts.len() < self.keys.len() {
            s.counts.resize(self.keys.len(), 0);
        }
        s.touched.clear();
        // A trigram the key has twice counts twice: one pass over its postings, adding two.
        let mut grams: Vec<u32> = trigrams(key).collect();
        grams.sort_unstable();
        let mut most = 0u16;
        for run in grams.chunk_by(|a, b| a == b) {
            let Some(&(from, to)) = self.grams.get(&run[0]) else {
                continue;
            };
            let times = u16::try_from(run.len()).unwrap_or(u16::MAX);
            for &p in &self.postings[from as usize..to as usize] {
                let c = &mut s.counts[p as usize];
                if *c == 0 {
                    s.touched.push(p);
                }
                *c = c.saturating_add(times);
                most = most.max(*c);
            }
        }
        let mut top: Vec<u32> = Vec::new();
        if s.touched.len() <= CANDIDATES {
            top.extend_from_slice(&s.touched);
        } else {
            // The lowest count that makes the cut, from a histogram of counts.
            let mut histogram = vec![0usize; most as usize + 1];
            for &p in &s.touched {
                histogram[s.counts[p as usize] as usize] += 1;
            }
            let mut cut = most as usize;
            let mut above = 0;
            while above + histogram[cut] < CANDIDATES {
                above += histogram[cut];
                cut -= 1;
            }
            // Everything above the cut, and the lowest positions at it.
            let mut at_cut: Vec<u32> = Vec::new();
            for &p in &s.touched {
                let c = s.counts[p as usize] as usize;
                if c > cut {
                    top.push(p);
                } else if c == cut {
                    at_cut.push(p);
                }
            }
            let room = CANDIDATES - top.len();
            if at_cut.len() > room {
                at_cut.select_nth_unstable(room - 1);
                at_cut.truncate(room);
            }
            top.extend(at_cut);
        }
        for &p in &s.touched {
            s.counts[p as usize] = 0;
        }
        top
    }
}

/// Per-thread buffers for lookups: counters for [`NameIndex::top_candidates`] (kept zeroed
/// between uses), and room for scoring candidates.
#[derive(Default)]
struct Scratch {
    counts: Vec<u16>,
    touched: Vec<u32>,
    query: Vec<char>,
    other: Vec<char>,
    dl: Buffers,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The text of a key in `text`.
fn slice(text: &str, k: Key) -> &str {
    &text[k.start as usize..(k.start + k.len) as usize]
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
    /// Close enough to offer among completions.
    similar: bool,
    /// Close enough to ask "did you mean" about: fewer than half the letters differ, or an
    /// abbreviation; a name half of whose letters differ is another name.
    suggested: bool,
    jw: f64,
}

/// Whether `short` reads as an abbreviation of the one-word name `long`: at least four
/// letters, the same first one, and the rest in order within it ("bham" for Birmingham,
/// "nottm" for Nottingham; not "lol" for Liverpool).
fn is_abbreviation(short: &[char], long: &[char]) -> bool {
    let [first, rest @ ..] = short else {
        return false;
    };
    if short.len() < 4
        || short.len() >= long.len()
        || long.first() != Some(first)
        || short.contains(&' ')
        || long.contains(&' ')
    {
        return false;
    }
    let mut letters = long[1..].iter();
    rest.iter().all(|c| letters.any(|l| l == c))
}

/// Edits a misspelling may have and still be corrected without asking.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The byte trigrams of a key padded with spaces, so short keys and word starts count too; each
/// packed into the low three bytes of a `u32`.
fn trigrams(key: &str) -> impl Iterator<Item = u32> + '_ {
    let bytes = key.as_bytes();
    let at = move |i: usize| -> u32 {
        if i == 0 || i > bytes.len() {
            u32::from(b' ')
        } else {
            u32::from(bytes[i - 1])
        }
    };
    (0..bytes.len()).map(move |i| at(i) << 16 | at(i + 1) << 8 | at(i + 2))
}

/// A string hash for the exact-lookup table.
fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// The Firefox/rustc word-at-a-time hash with a final mix (murmur3's), so that both the low bits
/// (table slots) and the high bits are well spread. Fast for short keys; not DoS-resistant,
/// which is fine for tables built from our own knowledge files.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

/// Hash maps keyed by [`FxHasher`].
pub(super) type Fx = BuildHasherDefault<FxHasher>;

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
        self.add(bytes.len() as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
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
    fn abbreviations_keep_the_first_letter_and_the_order() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let abbreviates = |a: &str, b: &str| is_abbreviation(&chars(a), &chars(b));
        assert!(abbreviates("bham", "birmingham"));
        assert!(abbreviates("nottm", "nottingham"));
        assert!(!abbreviates("lol", "liverpool"), "too short");
        assert!(
            !abbreviates("lbam", "london borough of bam"),
            "more than one word"
        );
        assert!(!abbreviates("hbam", "birmingham"), "out of order");
        assert!(!abbreviates("anch", "manchester"), "another first letter");
        assert!(!abbreviates("leeds", "leeds"), "the name itself");
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
