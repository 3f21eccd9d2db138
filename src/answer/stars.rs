//! The seed article's star ratings in short: a council's latest, for profiles and comparisons.

use super::lookup::Lookup;
use super::phrase::{join_or, push_line, push_list, stars_words, Stars};
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
        // Ratings of the latest year, grouped by area in the order of the areas' names.
        let mut of_latest: Vec<&Rating> =
            ratings.into_iter().filter(|r| r.year == latest).collect();
        of_latest.sort_by_key(|r| r.area.label());
        let mut text = String::with_capacity(160);
        let mut conflict = false;
        for list in of_latest.chunk_by(|a, b| a.area.label() == b.area.label()) {
            let area = list[0].area.label();
            let mut stars: Vec<i64> = list.iter().map(|r| r.stars).collect();
            stars.sort_unstable();
            stars.dedup();
            let when = &list[0].when;
            push_line(&mut text);
            if stars.len() > 1 {
                conflict = true;
                let claims: Vec<String> = stars.iter().map(|&s| stars_words(s)).collect();
                let same = list.windows(2).all(|w| w[0].source == w[1].source);
                let who = if same {
                    "The source disagrees with itself"
                } else {
                    "The sources disagree"
                };
                for part in [
                    "⚠ ",
                    who,
                    ": it gives ",
                    &council.name,
                    "'s ",
                    area,
                    " both ",
                ] {
                    text.push_str(part);
                }
                push_list(&mut text, &claims, "and");
                for part in [" for ", when, "."] {
                    text.push_str(part);
                }
                if !then.is_empty() {
                    text.push(' ');
                    text.push_str(then);
                }
            } else {
                for part in [&council.name, "'s ", area, ": "] {
                    text.push_str(part);
                }
                let _ = Stars(stars[0]).write_to(&mut text);
                for part in [" (", when, ")."] {
                    text.push_str(part);
                }
            }
        }
        RatingSummary { text, conflict }
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
