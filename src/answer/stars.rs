//! Star ratings: `!stars` (one council's ratings) and `!rated` (the councils with n stars).

use std::collections::BTreeMap;

use super::lookup::Lookup;
use super::phrase::{bullets, join_or, more, star_adjective, star_glyphs, stars_words};
use super::resolve::{resolve, Kind};
use super::{Field, Miss, NoAnswer, Reply};
use crate::knowledge::{Knowledge, Rating};

/// One line per area on a council's latest rating.
pub(super) struct RatingSummary {
    pub text: String,
    /// True when the sources disagree about the latest rating.
    pub conflict: bool,
}

impl<'k> Lookup<'k> {
    /// `!stars`: every rating of a council, with a summary and any disagreement.
    pub(super) fn stars(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let council = &self.k.councils[c];
        let ratings = &self.k.links(c).ratings;
        if ratings.is_empty() {
            return Err(self.no_facts(&council.name, "a star rating", c));
        }
        let summary = self.rating_summary(c, "Both claims are shown below.");
        let mut r = Reply {
            title: format!("{}: star rating", council.name),
            description: summary.text,
            conflict: summary.conflict,
            corrected: found.corrected,
            ..Reply::default()
        };
        for &i in ratings {
            let rating = &self.k.ratings[i];
            r.fields.push(self.rating_field(rating));
        }
        Ok(r)
    }

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
                    "{}'s {area}: {} {} ({when}).",
                    council.name,
                    star_glyphs(stars[0]),
                    stars_words(stars[0])
                ));
            }
        }
        RatingSummary {
            text: lines.join("\n"),
            conflict,
        }
    }

    fn rating_field(&mut self, rating: &'k Rating) -> Field {
        let mut value = format!(
            "{}\n{}",
            rating.when,
            self.quoted(&rating.source, &rating.quote)
        );
        if let Some(b) = &rating.body {
            value = format!("{b}, {value}");
        }
        Field::new(
            format!(
                "{} {} · {}",
                star_glyphs(rating.stars),
                stars_words(rating.stars),
                rating.area.label()
            ),
            value,
        )
    }

    /// `!rated`: the councils rated `n` stars now, and those rated so earlier.
    pub(super) fn rated(&mut self, n: u8) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let n = i64::from(n);
        let (now, before) = k.rated(n);
        let current = self.rated_now(now, n);
        let earlier = self.rated_earlier(before, n);
        if current.is_empty() && earlier.is_empty() {
            return Err(NoAnswer::new(Miss::NoFacts {
                subject: "any council".into(),
                what: format!("a {} rating", star_adjective(n)),
            }));
        }
        let mut r = Reply {
            title: format!("Councils rated {} {}", star_glyphs(n), stars_words(n)),
            ..Reply::default()
        };
        r.conflict = current.iter().any(|l| l.contains("disputed"));
        r.description = if current.is_empty() {
            "No council has this rating now.".into()
        } else {
            bullets(current.iter().map(String::as_str)) + &more(now.len(), self.list_limit)
        };
        if !earlier.is_empty() {
            r.fields.push(Field::new(
                "Earlier",
                bullets(earlier.iter().map(String::as_str)) + &more(before.len(), self.list_limit),
            ));
        }
        Ok(r)
    }

    /// A line for each of `councils` whose latest rating is `n` stars, saying when any source
    /// also gives it another.
    fn rated_now(&mut self, councils: &[usize], n: i64) -> Vec<String> {
        let k = self.k;
        let mut lines = Vec::new();
        for &c in councils.iter().take(self.list_limit) {
            let ratings: Vec<&Rating> = k.ratings_of(c).collect();
            let latest = ratings[0].year;
            let now: Vec<&Rating> = ratings
                .iter()
                .copied()
                .filter(|r| r.year == latest)
                .collect();
            let Some(hit) = now.iter().find(|r| r.stars == n) else {
                continue;
            };
            self.cite(&hit.source);
            let others: Vec<i64> = now
                .iter()
                .filter(|r| r.area == hit.area && r.stars != n)
                .map(|r| r.stars)
                .collect();
            let mut line = format!(
                "{} ({}, {})",
                k.councils[c].name,
                hit.area.label(),
                hit.year
            );
            if !others.is_empty() {
                let words: Vec<String> = others.iter().map(|&s| stars_words(s)).collect();
                line.push_str(&format!(
                    " ⚠ disputed: the source also says {}",
                    join_or(&words, "or")
                ));
            }
            lines.push(line);
        }
        lines
    }

    /// A line for each earlier `n`-star rating of `councils`.
    fn rated_earlier(&mut self, councils: &[usize], n: i64) -> Vec<String> {
        let k = self.k;
        let mut lines = Vec::new();
        for &c in councils.iter().take(self.list_limit) {
            let ratings: Vec<&Rating> = k.ratings_of(c).collect();
            let latest = ratings[0].year;
            for r in ratings.iter().filter(|r| r.year < latest && r.stars == n) {
                self.cite(&r.source);
                lines.push(format!(
                    "{} ({}, {})",
                    k.councils[c].name,
                    r.area.label(),
                    r.when
                ));
            }
        }
        lines
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
        [s] => format!("{} {} ({latest})", star_glyphs(*s), stars_words(*s)),
        many => {
            let words: Vec<String> = many.iter().map(|&s| stars_words(s)).collect();
            format!("⚠ disputed: {} ({latest})", join_or(&words, "or"))
        }
    }
}
