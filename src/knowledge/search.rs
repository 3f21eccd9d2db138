//! Full-text search over every recorded fact, quote and note.
//!
//! The index holds, for each fact, only where it is in the knowledge base; the [`Hit`] with its
//! words is made the first time a search returns it, so a large knowledge base does not keep a
//! second copy of every quote.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::index::Fx;
use super::normalize::fold;
use super::Knowledge;

/// One searchable fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Who or what the fact is about.
    pub subject: String,
    /// The fact in plain words.
    pub text: String,
    /// The words of the source that support it.
    pub quote: String,
    /// Id of the source.
    pub source: String,
}

/// Where one fact is: the entity and which of its facts, as indices into [`Knowledge`].
#[derive(Debug, Clone, Copy)]
enum Fact {
    CouncilNote(u32, u32),
    RegionNote(u32, u32),
    Role(u32, u32),
    Said(u32, u32),
    PersonNote(u32, u32),
    /// A scheme's description (0), started, cost, reach, outcome (1 to 4) or `details[n - 5]`.
    SchemeDetail(u32, u32),
    Rating(u32),
    Figure(u32),
}

/// An inverted index from folded words to facts.
#[derive(Debug, Default)]
pub struct SearchIndex {
    facts: Vec<Fact>,
    /// Each fact's hit, made when first returned.
    hits: Vec<OnceLock<Box<Hit>>>,
    /// Word -> its range in `postings`.
    words: HashMap<Box<str>, (u32, u32), Fx>,
    /// Facts (indices into `facts`), grouped by word, ascending within each word.
    postings: Vec<u32>,
}

impl SearchIndex {
    /// Indexes every fact of `k`, on every core for a large knowledge base.
    pub fn build(k: &Knowledge) -> Self {
        let facts = facts(k);
        let cores = super::parallel::cores();
        let threads = cores.min(facts.len().div_ceil(PARALLEL_FACTS)).max(1);
        Self::build_on(k, facts, threads)
    }

    /// Indexes `facts` in `threads` runs, each on a thread of its own; the index is the same
    /// for any number of runs.
    fn build_on(k: &Knowledge, facts: Vec<Fact>, threads: usize) -> Self {
        let chunk = facts.len().div_ceil(threads).max(1);
        let mut runs = facts.chunks(chunk);
        let first = runs.next().unwrap_or_default();
        let Words { ids, lists } = std::thread::scope(|s| {
            let later: Vec<_> = (1..)
                .zip(runs)
                .map(|(n, run)| s.spawn(move || Words::of(k, run, n * chunk)))
                .collect();
            // The first run on this thread, the later ones beside it, joined in order.
            let mut all = Words::of(k, first, 0);
            for run in later {
                all.append(run.join().expect("indexing does not panic"));
            }
            all
        });
        // One array of postings, sliced per word.
        let mut postings = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        let mut ranges = Vec::with_capacity(lists.len());
        for list in lists {
            let from = postings.len() as u32;
            postings.extend_from_slice(&list);
            ranges.push((from, postings.len() as u32));
        }
        let words = ids
            .into_iter()
            .map(|(w, id)| (w, ranges[id as usize]))
            .collect();
        SearchIndex {
            hits: (0..facts.len()).map(|_| OnceLock::new()).collect(),
            facts,
            words,
            postings,
        }
    }

    /// Facts matching the most words of `query` (at least half of them), best first.
    pub fn search<'s>(&'s self, k: &Knowledge, query: &str, limit: usize) -> Vec<&'s Hit> {
        let folded = fold(query);
        let mut terms: Vec<&str> = folded
            .split(' ')
            .filter(|w| !w.is_empty() && !is_stop(w))
            .map(stem)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut score: HashMap<u32, usize, Fx> = HashMap::default();
        for t in &terms {
            if let Some(&(from, to)) = self.words.get(*t) {
                for &d in &self.postings[from as usize..to as usize] {
                    *score.entry(d).or_default() += 1;
                }
            }
        }
        let need = terms.len().div_ceil(2);
        let mut found: Vec<(usize, u32)> = score
            .into_iter()
            .filter(|&(_, s)| s >= need)
            .map(|(d, s)| (s, d))
            .collect();
        let order = |a: &(usize, u32), b: &(usize, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if limit == 0 {
            return Vec::new();
        }
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, order);
            found.truncate(limit);
        }
        found.sort_by(order);
        found
            .into_iter()
            .map(|(_, d)| self.hit(k, d as usize))
            .collect()
    }

    /// The hit of fact `d`, made on first use.
    fn hit(&self, k: &Knowledge, d: usize) -> &Hit {
        self.hits[d].get_or_init(|| {
            let (subject, text, quote, source) = parts(k, self.facts[d]);
            Box::new(Hit {
                subject: subject.to_string(),
                text: text.into_owned(),
                quote: quote.to_string(),
                source: source.to_string(),
            })
        })
    }
}

/// Facts below which indexing stays on one thread: starting one costs more than it saves.
const PARALLEL_FACTS: usize = 4096;

/// The words of a run of facts: word ids in first-seen order, and each word's facts.
#[derive(Default)]
struct Words {
    ids: HashMap<Box<str>, u32, Fx>,
    /// Facts (indices into all facts) by word id, ascending.
    lists: Vec<Vec<u32>>,
}

impl Words {
    /// Indexes `run`, the facts from index `first` on.
    fn of(k: &Knowledge, run: &[Fact], first: usize) -> Self {
        let mut words = Words::default();
        let mut seen: Vec<u32> = Vec::new();
        for (i, &f) in run.iter().enumerate() {
            let (subject, text, quote, _) = parts(k, f);
            seen.clear();
            for part in [subject, &text, quote] {
                let folded = fold(part);
                for w in folded.split(' ').filter(|w| !w.is_empty()).map(stem) {
                    if searchable(w) {
                        seen.push(words.id(w));
                    }
                }
            }
            seen.sort_unstable();
            seen.dedup();
            for &id in &seen {
                words.lists[id as usize].push((first + i) as u32);
            }
        }
        words
    }

    /// The id of `w`, new words taking the next.
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.lists.len() as u32;
        self.ids.insert(w.into(), id);
        self.lists.push(Vec::new());
        id
    }

    /// Adds the words of the run of facts after this one's, as if indexed in one go: its new
    /// words take ids in its own first-seen order, and its facts follow this run's.
    fn append(&mut self, later: Words) {
        let mut lists = later.lists;
        let mut in_order: Vec<(u32, Box<str>)> =
            later.ids.into_iter().map(|(w, id)| (id, w)).collect();
        in_order.sort_unstable_by_key(|&(id, _)| id);
        for (id, w) in in_order {
            let facts = std::mem::take(&mut lists[id as usize]);
            let next = self.lists.len() as u32;
            let to = *self.ids.entry(w).or_insert(next);
            if to == next {
                self.lists.push(facts);
            } else {
                self.lists[to as usize].extend(facts);
            }
        }
    }
}

/// Every fact of `k`, in the order search results list them on equal scores.
fn facts(k: &Knowledge) -> Vec<Fact> {
    let mut out = Vec::new();
    let n = |i: usize| i as u32;
    for (c, council) in k.councils.iter().enumerate() {
        out.extend((0..council.notes.len()).map(|j| Fact::CouncilNote(n(c), n(j))));
    }
    for (r, region) in k.regions.iter().enumerate() {
        out.extend((0..region.notes.len()).map(|j| Fact::RegionNote(n(r), n(j))));
    }
    for (p, person) in k.people.iter().enumerate() {
        out.extend((0..person.roles.len()).map(|j| Fact::Role(n(p), n(j))));
        out.extend((0..person.quotes.len()).map(|j| Fact::Said(n(p), n(j))));
        out.extend((0..person.notes.len()).map(|j| Fact::PersonNote(n(p), n(j))));
    }
    for (i, s) in k.schemes.iter().enumerate() {
        out.push(Fact::SchemeDetail(n(i), 0));
        let named = [&s.started, &s.cost, &s.reach, &s.outcome];
        for (j, d) in named.into_iter().enumerate() {
            if d.is_some() {
                out.push(Fact::SchemeDetail(n(i), n(j + 1)));
            }
        }
        out.extend((0..s.details.len()).map(|j| Fact::SchemeDetail(n(i), n(j + 5))));
    }
    out.extend((0..k.ratings.len()).map(|i| Fact::Rating(n(i))));
    out.extend((0..k.figures.len()).map(|i| Fact::Figure(n(i))));
    out
}

/// A fact's subject, text, quote and source id.
fn parts(k: &Knowledge, f: Fact) -> (&str, Cow<'_, str>, &str, &str) {
    let u = |i: u32| i as usize;
    match f {
        Fact::CouncilNote(c, j) => {
            let c = &k.councils[u(c)];
            let n = &c.notes[u(j)];
            (&c.name, Cow::Borrowed(&n.text), &n.quote, &n.source)
        }
        Fact::RegionNote(r, j) => {
            let r = &k.regions[u(r)];
            let n = &r.notes[u(j)];
            (&r.name, Cow::Borrowed(&n.text), &n.quote, &n.source)
        }
        Fact::Role(p, j) => {
            let p = &k.people[u(p)];
            let r = &p.roles[u(j)];
            let text = format!("{}, {}", r.title, r.organisation);
            (&p.name, Cow::Owned(text), &r.quote, &r.source)
        }
        Fact::Said(p, j) => {
            let p = &k.people[u(p)];
            let s = &p.quotes[u(j)];
            let topic = s.topic.as_deref().unwrap_or("quoted");
            (&p.name, Cow::Borrowed(topic), &s.quote, &s.source)
        }
        Fact::PersonNote(p, j) => {
            let p = &k.people[u(p)];
            let n = &p.notes[u(j)];
            (&p.name, Cow::Borrowed(&n.text), &n.quote, &n.source)
        }
        Fact::SchemeDetail(i, j) => {
            let s = &k.schemes[u(i)];
            let d = match j {
                0 => &s.description,
                1..=4 => [&s.started, &s.cost, &s.reach, &s.outcome][u(j) - 1]
                    .as_ref()
                    .expect("indexed only when present"),
                _ => &s.details[u(j) - 5],
            };
            let source = d.source.as_deref().unwrap_or(&s.source);
            (&s.name, Cow::Borrowed(&d.text), &d.quote, source)
        }
        Fact::Rating(i) => {
            let r = &k.ratings[u(i)];
            let name = &k.council_by_id(&r.council).name;
            let text = format!("{} stars for {} ({})", r.stars, r.area.label(), r.when);
            (name, Cow::Owned(text), &r.quote, &r.source)
        }
        Fact::Figure(i) => {
            let f = &k.figures[u(i)];
            let subject = match (&f.council, &f.region) {
                (Some(c), _) => k.council_by_id(c).name.as_str(),
                (None, Some(r)) => k
                    .regions
                    .iter()
                    .find(|x| &x.id == r)
                    .map_or("", |x| x.name.as_str()),
                (None, None) => "",
            };
            (subject, Cow::Borrowed(&f.what), &f.quote, &f.source)
        }
    }
}

/// True for a word too common to search by.
fn is_stop(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "to"
            | "was"
            | "with"
            | "about"
            | "what"
            | "who"
            | "how"
            | "does"
            | "do"
    )
}

/// A crude plural folding so "workbook" finds "workbooks".
fn stem(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(w) if w.len() > 3 && !w.ends_with('s') => w,
        _ => word,
    }
}

/// False for an indexed word no search can look up: a stop word that no other word stems to
/// (searches drop stop words before stemming, so "its" is never looked up, while "with" is
/// looked up for "withs").
fn searchable(word: &str) -> bool {
    if !is_stop(word) {
        return true;
    }
    // The plural, written on the stack: this runs for every stop word of every fact at load.
    let mut buf = [0u8; 16];
    let Some(plural) = buf.get_mut(..word.len() + 1) else {
        return false; // No stop word is that long.
    };
    plural[..word.len()].copy_from_slice(word.as_bytes());
    plural[word.len()] = b's';
    let plural = std::str::from_utf8(plural).expect("a word and an s");
    stem(plural) == word && !is_stop(plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words() {
        let stop = [
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
            "is", "it", "its", "of", "on", "or", "that", "the", "their", "to", "was", "with",
            "about", "what", "who", "how", "does", "do",
        ];
        for w in stop {
            assert!(is_stop(w), "{w}");
        }
        for w in ["", "ab", "the ", "them", "withs", "whom", "cent"] {
            assert!(!is_stop(w), "{w}");
        }
    }

    #[test]
    fn indexing_in_runs_on_several_threads_gives_the_same_index() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let k = crate::knowledge::load_dir(&dir).expect("the bundled knowledge loads");
        let one = SearchIndex::build_on(&k, facts(&k), 1);
        assert!(one.words.len() > 100 && one.postings.len() > 100);
        for threads in [2, 3, 7] {
            let runs = SearchIndex::build_on(&k, facts(&k), threads);
            assert_eq!(runs.words, one.words, "{threads} runs");
            assert_eq!(runs.postings, one.postings, "{threads} runs");
        }
    }

    #[test]
    fn stop_words_are_searchable_only_through_plurals() {
        assert!(searchable("vacancy"));
        assert!(!searchable("the"));
        assert!(!searchable("its"));
        assert!(!searchable("does"));
        assert!(searchable("with"));
        assert!(searchable("about"));
    }
}
