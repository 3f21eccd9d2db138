//! Citations: a source reference, a quote found in its source's text, and a quote that
//! supports its fact.

use super::*;
use crate::knowledge::quote::{quotes_in, Gives, Quoted, Rule};

impl Validator<'_> {
    /// Checks a source reference, that the quote appears in the source's text, and that it
    /// supports the fact: at least `rule.min_words` words giving each of `rule.gives`, unless
    /// `quote_note` says why it cannot. Only the first problem with a quote is reported.
    pub(super) fn citation(&mut self, refs: &Refs, at: &Origin, q: Quoted, rule: Rule) {
        let Some(&s) = refs.sources.get(q.source) else {
            self.reference(&at.key("source"), Kind::Source, q.source, refs.sources);
            return;
        };
        let at_quote = at.key("quote");
        if q.quote.trim().is_empty() {
            self.error(
                &at_quote,
                "quote must not be empty: copy the words of the source that support this fact",
            );
            return;
        }
        let then = match q.note {
            Some(note) if note.trim().is_empty() => Some((
                at.key("quote_note"),
                "quote_note must not be empty: say why the quote cannot meet the quote rules, or remove it".to_string(),
            )),
            Some(_) => None,
            None => rule.broken_by(q.quote).map(|m| (at_quote, m)),
        };
        if refs.texts[s].is_some() {
            let quote = fold_for_quote(q.quote);
            self.lookups.push(Lookup {
                source: s,
                quote,
                at: at_quote,
                then,
            });
        } else if let Some((at, message)) = then {
            self.error(&at, message);
        }
    }

    /// Looks for every quote in its source's text, one pass over each text for all its
    /// quotes, and reports those not found, or else their other problem.
    pub(super) fn find_quotes(&mut self, k: &Knowledge, texts: &[Option<String>]) {
        let lookups = std::mem::take(&mut self.lookups);
        let mut by_source: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, l) in lookups.iter().enumerate() {
            by_source.entry(l.source).or_default().push(i);
        }
        let mut found = vec![false; lookups.len()];
        for (s, list) in by_source {
            let text = texts[s].as_deref().unwrap_or_default();
            for (i, hit) in list.iter().zip(quotes_in(
                text,
                list.iter().map(|&i| lookups[i].quote.as_str()),
            )) {
                found[*i] = hit;
            }
        }
        for (l, found) in lookups.into_iter().zip(found) {
            if !found {
                let source = &k.sources[l.source].id;
                self.error(
                    &l.at,
                    format!("quote not found in source `{source}`: copy the words exactly as the source has them (spacing, case and quote marks may differ)"),
                );
            } else if let Some((at, message)) = l.then {
                self.error(&at, message);
            }
        }
    }

    /// Checks the `note` tables of the entry at `at`.
    pub(super) fn notes(&mut self, refs: &Refs, at: &Origin, notes: &[Note]) {
        for (j, n) in notes.iter().enumerate() {
            let at = at.item("note", j);
            self.citation(refs, &at, Quoted::of(n), Rule::giving(&[]));
            if let Some(by) = &n.by {
                self.reference(&at.key("by"), Kind::Person, by, refs.people);
            }
        }
    }

    pub(super) fn detail(
        &mut self,
        refs: &Refs,
        at: &Origin,
        d: &Detail,
        default: &str,
        gives: &[Gives],
    ) {
        if d.source.is_none() && !refs.sources.contains_key(default) {
            // The scheme's own `source` is unknown and already reported once; the quote
            // cannot be checked against a source that does not exist.
            return;
        }
        let q = Quoted {
            source: d.source.as_deref().unwrap_or(default),
            quote: &d.quote,
            note: d.quote_note.as_deref(),
        };
        self.citation(refs, at, q, Rule::giving(gives));
    }
}
