//! Full-text search over every recorded fact, quote and note.

use std::collections::HashMap;

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

/// Words too common to search by.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "to", "was", "with", "about", "what",
    "who", "how", "does", "do",
];

/// An inverted index from folded words to facts.
#[derive(Debug, Default)]
pub struct SearchIndex {
    hits: Vec<Hit>,
    words: HashMap<String, Vec<u32>>,
}

impl SearchIndex {
    /// Indexes every fact of `k`.
    pub fn build(k: &Knowledge) -> Self {
        let mut hits = Vec::new();
        let mut add = |subject: &str, text: &str, quote: &str, source: &str| {
            hits.push(Hit {
                subject: subject.to_string(),
                text: text.to_string(),
                quote: quote.to_string(),
                source: source.to_string(),
            })
        };
        for c in &k.councils {
            for n in &c.notes {
                add(&c.name, &n.text, &n.quote, &n.source);
            }
        }
        for r in &k.regions {
            for n in &r.notes {
                add(&r.name, &n.text, &n.quote, &n.source);
            }
        }
        for p in &k.people {
            for r in &p.roles {
                let text = format!("{}, {}", r.title, r.organisation);
                add(&p.name, &text, &r.quote, &r.source);
            }
            for s in &p.quotes {
                add(
                    &p.name,
                    s.topic.as_deref().unwrap_or("quoted"),
                    &s.quote,
                    &s.source,
                );
            }
            for n in &p.notes {
                add(&p.name, &n.text, &n.quote, &n.source);
            }
        }
        for s in &k.schemes {
            let details = [&s.description]
                .into_iter()
                .chain(&s.started)
                .chain(&s.cost)
                .chain(&s.reach)
                .chain(&s.outcome)
                .chain(&s.details);
            for d in details {
                add(
                    &s.name,
                    &d.text,
                    &d.quote,
                    d.source.as_deref().unwrap_or(&s.source),
                );
            }
        }
        for r in &k.ratings {
            let name = &k.council_by_id(&r.council).name;
            let text = format!("{} stars for {} ({})", r.stars, r.area.label(), r.when);
            add(name, &text, &r.quote, &r.source);
        }
        for f in &k.figures {
            let subject = match (&f.council, &f.region) {
                (Some(c), _) => k.council_by_id(c).name.as_str(),
                (None, Some(r)) => k
                    .regions
                    .iter()
                    .find(|x| &x.id == r)
                    .map_or("", |x| x.name.as_str()),
                (None, None) => "",
            };
            add(subject, &f.what, &f.quote, &f.source);
        }
        let mut words: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, h) in hits.iter().enumerate() {
            let all = format!("{} {} {}", h.subject, h.text, h.quote);
            let mut seen: Vec<String> = fold(&all).split(' ').map(stem).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                words.entry(w).or_default().push(i as u32);
            }
        }
        SearchIndex { hits, words }
    }

    /// Facts matching the most words of `query` (at least half of them), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Hit> {
        let folded = fold(query);
        let mut terms: Vec<String> = folded
            .split(' ')
            .filter(|w| !w.is_empty() && !STOP.contains(w))
            .map(stem)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut score: HashMap<u32, usize> = HashMap::new();
        for t in &terms {
            for &d in self.words.get(t).map(Vec::as_slice).unwrap_or_default() {
                *score.entry(d).or_default() += 1;
            }
        }
        let need = terms.len().div_ceil(2);
        let mut found: Vec<(usize, u32)> = score
            .into_iter()
            .filter(|&(_, s)| s >= need)
            .map(|(d, s)| (s, d))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found
            .into_iter()
            .take(limit)
            .map(|(_, d)| &self.hits[d as usize])
            .collect()
    }
}

/// A crude plural folding so "workbook" finds "workbooks".
fn stem(word: &str) -> String {
    match word.strip_suffix('s') {
        Some(w) if w.len() > 3 && !w.ends_with('s') => w.to_string(),
        _ => word.to_string(),
    }
}
