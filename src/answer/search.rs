//! `!search` (facts and quotes containing some words) and `!sources` (what facts come from).

use super::lookup::Lookup;
use super::phrase::{long_date, one_line, upper_first};
use super::{Field, Miss, NoAnswer, Reply};

/// Most facts a search answer lists.
const SEARCH_LIMIT: usize = 5;

impl<'k> Lookup<'k> {
    /// `!search`: the facts that best match `words`, each with its quote.
    pub(super) fn search(&mut self, words: &str) -> Result<Reply, NoAnswer> {
        let hits = self.k.search(words, SEARCH_LIMIT);
        if hits.is_empty() {
            return Err(NoAnswer::new(Miss::NoResults {
                typed: words.trim().to_string(),
            }));
        }
        let mut r = Reply {
            title: "Search results".into(),
            ..Reply::default()
        };
        for h in hits {
            let quote = self.quoted(&h.source, &h.quote);
            r.fields.push(Field::new(
                format!(
                    "{}: {}",
                    upper_first(&h.subject),
                    one_line(&h.text).trim_end_matches('.')
                ),
                quote,
            ));
        }
        Ok(r)
    }

    /// `!sources`: every source in the knowledge base.
    pub(super) fn sources(&mut self) -> Reply {
        let k = self.k;
        let mut r = Reply {
            title: "Sources".into(),
            description:
                "Every fact carebot gives names one of these, with the words it was taken from."
                    .into(),
            ..Reply::default()
        };
        for s in &k.sources {
            self.cite(&s.id);
            let mut value = s.publisher.clone();
            if let Some(d) = &s.date {
                value.push_str(&format!(", {}", long_date(d)));
            }
            if let Some(u) = &s.url {
                value.push_str(&format!("\n{u}"));
            }
            r.fields.push(Field::new(&s.title, value));
        }
        r
    }
}
