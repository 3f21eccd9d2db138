//! The seed article's star ratings in short: a council's latest, for profiles and comparisons.

use std::collections::BTreeMap;

use super::lookup::Lookup;
use super::phrase::{join_or, stars_words, Stars};
use crate::knowledge::{Knowledge, Rating};

/// One line per area on a council's latest rating.
pub(super) struct RatingSummary {
    pub text: String,
    /// True when the sources disagree about the latest rating.
    pub conflict: bool,
}

impl<'k> Lookup<'k> {
    /// One line on a council's current rating, and whether its sources disagree. `then` follows
    /// the warning when they do, to say where the conflicting claims can be read.
    pub(super) fn rating_summary(&mut self, c: usize, then: &str) -> RatingSummary {
        let k = self.k;
        let council = &k.councils[c];
        let ratings: Vec<&Rating> = k.ratings_of(c).collect();
        let Some(latest) = ratings.first().map(|r| r.year) else {
            return RatingSummary {
                text: String::new(),
                conflict: false,
            };
        };
        // Ratings of the latest year, grouped by area.
        let mut by_area: BTreeMap<&str, Vec<&Rating>> = BTreeMap::new();
        for r in ratings.iter().filter(|r| r.year == latest) {
            by_area.entry(r.area.label()).or_default().push(r);
        }
        let mut lines = Vec::new();
        let mut conflict = false;
        for (area, list) in by_area {
            let mut stars: Vec<i64> = list.iter().map(|r| r.stars).collect();
            stars.sort_unstable();
            stars.dedup();
            let when = &list[0].when;
            if stars.len() > 1 {
                conflict = true;
                let claims: Vec<String> = stars.iter().map(|&s| stars_words(s)).collect();
                let sources: Vec<&str> = list.iter().map(|r| r.source.as_str()).collect();
                let same = sources.windows(2).all(|w| w[0] == w[1]);
                let who = if same {
                    "The source disagrees with itself"
                } else {
                    "The sources disagree"
                };
                lines.push(format!(
                    "⚠ {who}: it gives {}'s {area} both {} for {when}.{}{then}",
                    council.name,
                    join_or(&claims, "and"),
                    if then.is_empty() { "" } else { " " },
                ));
            } else {
                lines.push(format!(
                    "{}'s {area}: {} ({when}).",
                    council.name,
                    Stars(stars[0])
                ));
            }
        }
        RatingSummary {
            text: lines.join("\n"),
            conflict,
        }
    }
}

/// "★☆☆ 1 star (2004)", with a warning when the latest claims disagree.
pub(super) fn compact_rating(k: &Knowledge, c: usize) -> String {
    let ratings: Vec<&Rating> = k.ratings_of(c).collect();
    let Some(latest) = ratings.first().map(|r| r.year) else {
        return String::new();
    };
    let mut stars: Vec<i64> = ratings
        .iter()
        .filter(|r| r.year == latest)
        .map(|r| r.stars)
        .collect();
    stars.sort_unstable();
    stars.dedup();
    match stars.as_slice() {
        [s] => format!("{} ({latest})", Stars(*s)),
        many => {
            let words: Vec<String> = many.iter().map(|&s| stars_words(s)).collect();
            format!("⚠ disputed: {} ({latest})", join_or(&words, "or"))
        }
    }
}
