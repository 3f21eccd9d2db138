//! `!stars`: a council's star ratings round by round, newest first, from the seed article and
//! the press, with each round no source gives said plainly beside that round's national totals.

use super::lookup::Lookup;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::phrase::{
    long_date, push_line, push_list, push_number, push_separator, stars_words, Stars,
};
use super::resolve::{resolve, Kind};
use super::{Field, Reply};
use crate::knowledge::register::{
    scope_of_round, Confidence, Scope, StarRating, StarTotal, ROUNDS,
};
use crate::knowledge::{Knowledge, Rating};

/// What every star-rating answer says about the ratings' time.
pub(super) const ENDED: &str = "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.";

/// A round as people name it: `2004-11` is "November 2004". The labels of [`ROUNDS`] are
/// written once; any other round is written when asked for.
pub(super) fn round_label(round: &str) -> Cow<'static, str> {
    static LABELS: OnceLock<[String; ROUNDS.len()]> = OnceLock::new();
    let labels = LABELS.get_or_init(|| ROUNDS.map(long_date));
    match ROUNDS.iter().position(|r| *r == round) {
        Some(i) => Cow::Borrowed(labels[i].as_str()),
        None => Cow::Owned(long_date(round)),
    }
}

/// What a round's ratings covered.
pub(super) fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::SocialServices => "social services",
        Scope::Adults => "adult social care",
    }
}

/// The round (its index in [`ROUNDS`]) a curated rating of `year` belongs to, when the year
/// had one round.
fn round_of_year(year: i64) -> Option<usize> {
    let of_year = |r: &&str| r.get(..4).and_then(|y| y.parse::<i64>().ok()) == Some(year);
    let mut rounds = (ROUNDS.iter().enumerate()).filter(|(_, r)| of_year(r));
    match (rounds.next(), rounds.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// The index in [`ROUNDS`] of `round`.
fn round_index(round: &str) -> Option<usize> {
    ROUNDS.iter().position(|r| *r == round)
}

/// Writes "20 councils had three stars, 82 two, 40 one and 8 none" onto `out`, leaving out
/// counts no source states.
fn push_totals(out: &mut String, t: &StarTotal) {
    // Each count in full words when it opens the sentence, short after.
    let counts = [
        (t.three, "three stars", "three"),
        (t.two, "two stars", "two"),
        (t.one, "one star", "one"),
        (t.zero, "no stars", "none"),
    ];
    let given: Vec<(u32, &str, &str)> = (counts.iter())
        .filter_map(|&(n, full, short)| n.map(|n| (n, full, short)))
        .collect();
    for (i, &(n, full, short)) in given.iter().enumerate() {
        push_separator(out, i, given.len(), "and");
        push_number(out, f64::from(n));
        if i == 0 {
            let noun = if n == 1 {
                " council had "
            } else {
                " councils had "
            };
            out.push_str(noun);
            out.push_str(full);
        } else {
            out.push(' ');
            out.push_str(short);
        }
    }
    let missing: Vec<&str> = (counts.iter())
        .filter(|(n, _, _)| n.is_none())
        .map(|&(_, _, short)| if short == "none" { "no" } else { short })
        .collect();
    if !missing.is_empty() {
        out.push_str(" (no source states how many had ");
        push_list(out, &missing, "or");
        out.push_str(if missing == ["one"] {
            " star)"
        } else {
            " stars)"
        });
    }
}

impl<'k> Lookup<'k> {
    /// `!stars`: every sourced rating of a council (or of the councils it replaced, when it was
    /// created after the ratings ended), round by round, newest first.
    pub(super) fn stars(&mut self, typed: &str) -> Result<Reply, super::NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let k = self.k;
        let mut r = Reply {
            title: format!("{}: star rating", k.councils[c].name),
            corrected: found.corrected,
            ..Reply::default()
        };
        let mut description = String::with_capacity(ENDED.len() + 128);
        description.push_str(ENDED);
        for line in self.lineage(c) {
            description.push('\n');
            description.push_str(&line);
        }
        let rated = self.star_councils(c);
        if rated.is_empty() {
            for part in [
                "\nNo source gives a star rating for ",
                &k.councils[c].name,
                ": it was created after star ratings ended.",
            ] {
                description.push_str(part);
            }
        }
        for &s in &rated {
            let own = s == c && rated.len() == 1;
            let (fields, conflict) = self.round_fields(s, own);
            r.conflict |= conflict;
            r.fields.extend(fields);
        }
        r.description = description;
        Ok(r)
    }

    /// The councils whose star ratings answer for council `c`: itself when it was rated, else
    /// the councils it replaced that were.
    pub(super) fn star_councils(&self, c: usize) -> Vec<usize> {
        let k = self.k;
        let rated = |i: usize| k.authority_of(i).is_none_or(|a| a.star_years);
        if rated(c) {
            return vec![c];
        }
        let mut out = Vec::new();
        let mut todo: Vec<usize> = k.predecessors(c).to_vec();
        while let Some(p) = todo.pop() {
            if rated(p) {
                if !out.contains(&p) {
                    out.push(p);
                }
            } else {
                todo.extend_from_slice(k.predecessors(p));
            }
        }
        out.sort_unstable();
        out
    }

    /// One field per round with a sourced rating of council `c`, newest first, then one listing
    /// the rounds no source gives with their national totals; and whether sources disagree.
    /// `own` leaves the council's name out of the field titles.
    fn round_fields(&mut self, c: usize, own: bool) -> (Vec<Field>, bool) {
        let k: &'k Knowledge = self.k;
        let name = &k.councils[c].name;
        // Each press rating and curated rating with its round, matched by index; a curated
        // rating has the round of its year when the year had one round.
        let press: Vec<(Option<usize>, &'k StarRating)> = (k.star_ratings_of(c))
            .map(|s| (round_index(&s.round), s))
            .collect();
        let curated: Vec<(&'k Rating, Option<usize>)> = (k.ratings_of(c))
            .map(|r| (r, round_of_year(r.year)))
            .collect();
        let mut fields = Vec::with_capacity(ROUNDS.len() + 1);
        let mut conflict = false;
        let mut missing = Vec::new();
        for (at, &round) in ROUNDS.iter().enumerate().rev() {
            let here: Vec<&StarRating> = (press.iter())
                .filter(|(of, _)| *of == Some(at))
                .map(|&(_, s)| s)
                .collect();
            let seed: Vec<&Rating> = (curated.iter())
                .filter(|(_, of)| *of == Some(at))
                .map(|(r, _)| *r)
                .collect();
            if here.is_empty() && seed.is_empty() {
                missing.push(round);
                continue;
            }
            let mut stars: Vec<Option<i64>> = here
                .iter()
                .map(|s| s.stars.map(i64::from))
                .chain(seed.iter().map(|r| Some(r.stars)))
                .collect();
            stars.sort_unstable();
            stars.dedup();
            let mut value = String::with_capacity(256 * (here.len() + seed.len()));
            if stars.len() > 1 {
                conflict = true;
                let claims: Vec<String> = stars
                    .iter()
                    .map(|s| s.map_or("not rated".into(), stars_words))
                    .collect();
                value.push_str("⚠ The sources disagree: ");
                push_list(&mut value, &claims, "and");
                for part in [
                    " for ",
                    &round_label(round),
                    ". Every claim is shown with its source.",
                ] {
                    value.push_str(part);
                }
            }
            for r in &seed {
                push_line(&mut value);
                let _ = Stars(r.stars).write_to(&mut value);
                for part in [" · ", r.area.label(), ", ", &r.when, ":\n"] {
                    value.push_str(part);
                }
                self.push_quoted(&mut value, &r.source, &r.quote);
            }
            // A press row quoting the seed article is the seed article's claim, shown once.
            for s in here.iter().filter(|s| {
                !seed
                    .iter()
                    .any(|r| r.quote == s.quote && s.stars.map(i64::from) == Some(r.stars))
            }) {
                push_line(&mut value);
                self.push_press_line(&mut value, s);
            }
            let (label, scope) = (round_label(round), scope_label(scope_of_round(round)));
            let mut title = String::with_capacity(name.len() + 48);
            if !own {
                title.push_str(name);
                title.push_str(", ");
            }
            for part in [&label, " · ", scope] {
                title.push_str(part);
            }
            fields.push(Field::new(title, value));
        }
        // Curated ratings of a year with two rounds (2002) keep their own words for when.
        for (r, _) in curated.iter().filter(|(_, of)| of.is_none()) {
            let mut value = String::with_capacity(r.quote.len() + 48);
            let _ = Stars(r.stars).write_to(&mut value);
            for part in [" · ", r.area.label(), ":\n"] {
                value.push_str(part);
            }
            self.push_quoted(&mut value, &r.source, &r.quote);
            fields.push(Field::new(
                format!("{}{}", if own { "" } else { name.as_str() }, r.when),
                value,
            ));
        }
        if !missing.is_empty() {
            let mut value = String::with_capacity(160 * missing.len());
            for &round in &missing {
                push_line(&mut value);
                self.push_missing_round(&mut value, round);
            }
            let title = if own {
                "Rounds no source gives".to_string()
            } else {
                format!("{name}, rounds no source gives")
            };
            fields.push(Field::new(title, value));
        }
        (fields, conflict)
    }

    /// "★★☆ 2 stars: “…” (url)", with how the round follows for a derived rating.
    fn push_press_line(&mut self, out: &mut String, s: &'k StarRating) {
        // The URL is in the line; the table is cited once for all.
        self.cite_table(&s.row.table);
        match s.stars {
            Some(n) => {
                let _ = Stars(i64::from(n)).write_to(out);
            }
            None => out.push_str("not rated"),
        }
        for part in [": “", &s.quote, "” (", &s.url, ")"] {
            out.push_str(part);
        }
        if s.confidence == Confidence::Derived {
            if let Some(n) = &s.note {
                let _ = write!(out, " The round follows from the article: {n}.");
            }
        }
    }

    /// "No sourced rating for November 2004: 20 councils had three stars, … that year.", written
    /// onto `out`.
    fn push_missing_round(&mut self, out: &mut String, round: &str) {
        let k: &'k Knowledge = self.k;
        let label = round_label(round);
        out.push_str("No sourced rating for ");
        out.push_str(&label);
        if let Some(t) = k.star_total(round) {
            self.cite_table(&t.row.table);
            out.push_str(": ");
            push_totals(out, t);
            out.push_str(" that year");
            if t.scope == Scope::Adults {
                out.push_str(", for adult social care");
            }
        }
        out.push('.');
    }
}
