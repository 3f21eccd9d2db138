//! Councils: `!council` (one council's profile) and `!councils` (the councils known, or those
//! in a region).

use super::lookup::Lookup;
use super::phrase::{
    bullets, join_or, long_date, more, region_phrase, stars_words, upper_first, Stars,
};
use super::resolve::{resolve, Kind};
use super::rounds::{round_label, scope_label};
use super::stars::compact_rating;
use super::{Correction, Field, Miss, NoAnswer, Reply};
use crate::knowledge::normalize::name_key;
use crate::knowledge::register::{AuthorityKind, ROUNDS};
use crate::knowledge::{Council, Resolved};
use crate::query::registry::CommandId;

impl<'k> Lookup<'k> {
    /// `!council`: a council's profile.
    pub(super) fn council(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        Ok(self.council_reply(found.index, found.corrected))
    }

    /// Council `c`'s profile: who it is (dated by the register), what replaced it or what it
    /// replaced, its latest Ofsted judgement, its star ratings, people, figures, schemes and
    /// notes.
    pub(super) fn council_reply(&mut self, c: usize, corrected: Option<Correction>) -> Reply {
        let k = self.k;
        let council = &k.councils[c];
        let links = k.links(c);
        let mut lines = vec![self.identity(c)];
        lines.extend(self.lineage(c));
        let mut r = Reply {
            title: council.name.clone(),
            description: lines.join("\n"),
            corrected,
            ..Reply::default()
        };
        r.fields.push(self.ofsted_summary(c));
        let stars = self.stars_summary(c);
        r.fields.push(Field::new("Star ratings (2002-2008)", stars));
        if !links.ratings.is_empty() {
            let then = format!(
                "{} shows each claim with the source's words.",
                self.suggest(CommandId::Stars, &council.name)
            );
            let summary = self.rating_summary(c, &then);
            for &i in &links.ratings {
                self.cite(&k.ratings[i].source);
            }
            r.conflict = summary.conflict;
            r.fields
                .push(Field::new("Star rating in the seed article", summary.text));
        }
        if !links.roles.is_empty() {
            let lines: Vec<String> = links
                .roles
                .iter()
                .map(|&(p, ri)| {
                    let role = &k.people[p].roles[ri];
                    self.cite(&role.source);
                    let when = role
                        .period
                        .clone()
                        .unwrap_or_else(|| self.source_date(&role.source));
                    format!("{}, {} ({when})", k.people[p].name, role.title)
                })
                .collect();
            r.fields.push(Field::new(
                "People",
                bullets(lines.iter().map(String::as_str)),
            ));
        }
        r.fields
            .extend(self.figures_field(links.figures.iter().map(|&f| &k.figures[f])));
        if !links.schemes.is_empty() {
            let names = self.scheme_names(c);
            r.fields.push(Field::new("Schemes", names.join(", ")));
        }
        r.fields.extend(self.notes_field(&council.notes));
        r
    }

    /// "as the source of 19 November 2004 gives it": when a curated fact with no period held.
    fn source_date(&self, source: &str) -> String {
        match &self.k.source(source).date {
            Some(d) => format!("as of {}", long_date(d)),
            None => "undated".into(),
        }
    }

    /// "Metropolitan borough in the West Midlands, GSS code E08000031, in the register of
    /// July 2025.", citing the register; the curated entry's words when the register lacks it.
    pub(super) fn identity(&mut self, c: usize) -> String {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let Some(a) = k.authority_of(c) else {
            if let Some(reg) = &k.councils[c].register {
                self.cite(&reg.source);
            }
            return identity(&k.councils[c]);
        };
        self.cite_table(&a.row.table);
        let mut s = authority_label(a.kind).to_string();
        if a.name != k.councils[c].name {
            s = format!("{} ({s}", a.name);
        } else {
            s = upper_first(&s);
        }
        if let Some(region) = &a.region {
            s.push_str(&format!(" in {}", region_phrase(region)));
        }
        if let Some(gss) = &a.gss {
            s.push_str(&format!(", GSS code {gss}"));
        }
        if a.name != k.councils[c].name {
            s.push(')');
        }
        let table = k.register.tables.iter().find(|t| t.id == a.row.table);
        match table.and_then(|t| t.date.as_deref()) {
            Some(d) if a.ended.is_none() => {
                format!("{s}, as the register of {} gives it.", long_date(d))
            }
            _ => format!("{s}."),
        }
    }

    /// What replaced council `c`, or what it replaced: "Cumbria County Council, replaced in
    /// April 2023 by Cumberland and Westmorland and Furness."
    pub(super) fn lineage(&mut self, c: usize) -> Vec<String> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let mut lines = Vec::new();
        if let Some(line) = self.replaced(c) {
            lines.push(format!("No longer exists: {line}"));
        }
        for &p in k.predecessors(c) {
            if let Some(line) = self.replaced(p) {
                lines.push(format!("Before it: {line}"));
            }
        }
        lines
    }

    /// "Cumbria County Council, replaced in April 2023 by Cumberland and Westmorland and
    /// Furness." when council `c` has ended.
    fn replaced(&mut self, c: usize) -> Option<String> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let a = k.authority_of(c)?;
        let ended = a.ended.as_deref()?;
        self.cite_table(&a.row.table);
        let names: Vec<String> = (k.successors(c).iter())
            .map(|&s| k.councils[s].name.clone())
            .collect();
        Some(format!(
            "{}, replaced in {} by {}.",
            a.name,
            replaced_when(ended),
            join_or(&names, "and")
        ))
    }

    /// "★★☆ 2 stars in November 2004 (social services), the latest sourced rating; sourced for
    /// 3 of the 8 rounds." for the councils whose ratings answer for `c`.
    fn stars_summary(&mut self, c: usize) -> String {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let rated = self.star_councils(c);
        let mut lines = Vec::new();
        for &s in &rated {
            let whose = if s == c {
                String::new()
            } else {
                format!("{}: ", k.councils[s].name)
            };
            match self.latest_press_stars(s) {
                Some((stars, rounds)) => {
                    lines.push(format!(
                        "{whose}{stars}, the latest a press report gives; press reports give {rounds} of the {} rounds.",
                        ROUNDS.len()
                    ));
                }
                None => lines.push(format!(
                    "{whose}no press report gives a star rating in any of the {} rounds.",
                    ROUNDS.len()
                )),
            }
        }
        if rated.is_empty() {
            lines.push(format!(
                "No source gives one: {} was created after star ratings ended in 2008.",
                k.councils[c].name
            ));
        } else {
            lines.push(format!(
                "{} shows every round.",
                self.suggest(CommandId::Stars, &k.councils[c].name)
            ));
        }
        lines.join("\n")
    }

    /// "★★☆ 2 stars in November 2004 (social services)" for council `s`'s latest star rating
    /// in a press report ("⚠ disputed: …" when reports differ), citing its table, with the
    /// number of rounds press reports rate it in; `None` when none does.
    pub(super) fn latest_press_stars(&mut self, s: usize) -> Option<(String, usize)> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let press: Vec<&crate::knowledge::register::StarRating> =
            k.star_ratings_of(s).filter(|r| r.stars.is_some()).collect();
        let latest = press.first()?;
        let mut rounds: Vec<&str> = press.iter().map(|r| r.round.as_str()).collect();
        rounds.dedup();
        self.cite_table(&latest.row.table);
        let same: Vec<i64> = press
            .iter()
            .filter(|r| r.round == latest.round)
            .filter_map(|r| r.stars.map(i64::from))
            .collect();
        let stars = if same.iter().all(|&n| n == same[0]) {
            Stars(same[0]).to_string()
        } else {
            let words: Vec<String> = same.iter().map(|&n| stars_words(n)).collect();
            format!("⚠ disputed: {}", join_or(&words, "or"))
        };
        let text = format!(
            "{stars} in {} ({})",
            round_label(&latest.round),
            scope_label(latest.scope)
        );
        Some((text, rounds.len()))
    }

    /// `!councils`: every council (the first `list_limit`), or those in a region.
    pub(super) fn councils(&mut self, region: Option<&str>) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let listed = match region {
            None => Listed {
                title: "Councils in the knowledge base".into(),
                councils: (0..k.councils.len().min(self.list_limit)).collect(),
                total: k.councils.len(),
            },
            Some(typed) => self.councils_in(typed)?,
        };
        let lines: Vec<String> = listed
            .councils
            .iter()
            .map(|&c| {
                let council = &k.councils[c];
                if let Some(reg) = &council.register {
                    self.cite(&reg.source);
                }
                let mut line = council.name.clone();
                if let Some(a) = k.authority_of(c) {
                    self.cite_table(&a.row.table);
                    line.push_str(&format!(" — {}", authority_label(a.kind)));
                    if let Some(e) = &a.ended {
                        line.push_str(&format!(", until {}", replaced_when(e)));
                    }
                } else {
                    let id = identity(council);
                    if !id.is_empty() {
                        line.push_str(&format!(" — {}", id.trim_end_matches('.')));
                    }
                }
                if !k.links(c).ratings.is_empty() {
                    for r in k.ratings_of(c) {
                        self.cite(&r.source);
                    }
                    line.push_str(&format!(" · {}", compact_rating(k, c)));
                }
                line
            })
            .collect();
        Ok(Reply {
            title: listed.title,
            description: bullets(lines.iter().map(String::as_str))
                + &more(listed.total, self.list_limit),
            ..Reply::default()
        })
    }

    /// The councils in the region `typed` names, or why there are none.
    fn councils_in(&self, typed: &str) -> Result<Listed, NoAnswer> {
        let k = self.k;
        // "councils in the West Midlands" reaches here as "in the West Midlands".
        let typed = typed.trim();
        let typed = match typed.split_once(' ') {
            Some((first, rest)) if first.eq_ignore_ascii_case("in") => rest.trim(),
            _ => typed,
        };
        let region = match k.find_region(typed) {
            Resolved::Exact(i) | Resolved::Corrected(i) => Some(&k.regions[i]),
            Resolved::Unknown(_) => None,
        };
        let named = region.map_or(typed, |r| r.name.as_str());
        let key = name_key(named, &["the"]);
        let (councils, total) = k.councils_in(named, self.list_limit);
        if councils.is_empty() {
            let mut n = NoAnswer::new(Miss::Unknown {
                kind: "councils in",
                typed: typed.to_string(),
            });
            n.known = k.council_region_names();
            return Err(n);
        }
        // The region as the knowledge base names it when the user named it whole.
        let whole = k.councils[councils[0]]
            .region
            .as_deref()
            .filter(|r| name_key(r, &["the"]) == key);
        let place = match (region, whole) {
            (Some(r), _) => r.name.clone(),
            (None, Some(r)) => region_phrase(r),
            (None, None) => upper_first(typed),
        };
        Ok(Listed {
            title: format!("Councils in {place}"),
            councils,
            total,
        })
    }
}

/// A list of councils to show.
struct Listed {
    title: String,
    /// The councils shown, at most the list limit.
    councils: Vec<usize>,
    /// How many there are in all.
    total: usize,
}

/// The words for a kind of authority.
pub(super) fn authority_label(kind: AuthorityKind) -> &'static str {
    match kind {
        AuthorityKind::County => "county council",
        AuthorityKind::Unitary => "unitary authority",
        AuthorityKind::MetropolitanBorough => "metropolitan borough",
        AuthorityKind::LondonBorough => "London borough",
        AuthorityKind::CityCorporation => "city corporation",
    }
}

/// When an authority that ended on `ended` (the register's date: the old council's last day
/// or the new one's first) was replaced: "April 2023"; the year alone when that is all.
pub(super) fn replaced_when(ended: &str) -> String {
    match ended.strip_suffix("-03-31") {
        Some(year) => format!("April {year}"),
        None => long_date(ended.get(..7).unwrap_or(ended)),
    }
}

/// "Metropolitan borough in the West Midlands, GSS code E08000025."
fn identity(c: &Council) -> String {
    let mut s = String::new();
    if let Some(kind) = c.kind {
        s.push_str(&upper_first(kind.label()));
    }
    if let Some(region) = &c.region {
        if s.is_empty() {
            s.push_str(&format!("In {}", region_phrase(region)));
        } else {
            s.push_str(&format!(" in {}", region_phrase(region)));
        }
    }
    if let Some(gss) = &c.gss {
        if s.is_empty() {
            s.push_str(&format!("GSS code {gss}"));
        } else {
            s.push_str(&format!(", GSS code {gss}"));
        }
    }
    if !s.is_empty() {
        s.push('.');
    }
    s
}
