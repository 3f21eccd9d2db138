//! Councils: `!council` (one council's profile) and `!councils` (the councils known, or those
//! in a region).

use std::fmt::Write as _;

use super::lookup::Lookup;
use super::phrase::{
    bullets, join_or, long_date, more, push_line, push_list, push_long_date, push_region_phrase,
    push_upper_first, region_phrase, stars_words, upper_first, Stars,
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
        let mut description = self.identity(c);
        let disputed = self.region_dispute(c);
        if let Some(dispute) = &disputed {
            description.push_str("\n⚠ The sources disagree on its region: ");
            description.push_str(dispute);
            description.push('.');
        }
        for line in self.lineage(c) {
            description.push('\n');
            description.push_str(&line);
        }
        let mut r = Reply {
            title: council.name.clone(),
            description,
            corrected,
            conflict: disputed.is_some(),
            ..Reply::default()
        };
        r.fields.push(self.ofsted_summary(c));
        let stars = self.stars_summary(c);
        r.fields.push(Field::new("Star ratings (2002-2008)", stars));
        if !links.ratings.is_empty() {
            let mut then = self.suggest(CommandId::Stars, &council.name);
            then.push_str(" shows each claim with the source's words.");
            let summary = self.rating_summary(c, &then);
            for &i in &links.ratings {
                self.cite(&k.ratings[i].source);
            }
            r.conflict |= summary.conflict;
            r.fields
                .push(Field::new("Star rating in the seed article", summary.text));
        }
        if !links.roles.is_empty() {
            let mut value = String::with_capacity(96 * links.roles.len());
            for &(p, ri) in &links.roles {
                let role = &k.people[p].roles[ri];
                self.cite(&role.source);
                push_line(&mut value);
                for part in ["• ", &k.people[p].name, ", ", &role.title, " ("] {
                    value.push_str(part);
                }
                match &role.period {
                    Some(period) => value.push_str(period),
                    None => self.push_source_date(&mut value, &role.source),
                }
                value.push(')');
            }
            r.fields.push(Field::new("People", value));
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

    /// "as of 19 November 2004", the date of `source`: when a curated fact with no period
    /// held.
    fn push_source_date(&self, out: &mut String, source: &str) {
        match &self.k.source(source).date {
            Some(d) => {
                out.push_str("as of ");
                push_long_date(out, d);
            }
            None => out.push_str("undated"),
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
        let mut s = String::with_capacity(160);
        let renamed = a.name != k.councils[c].name;
        if renamed {
            s.push_str(&a.name);
            s.push_str(" (");
            s.push_str(authority_label(a.kind));
        } else {
            push_upper_first(&mut s, authority_label(a.kind));
        }
        if let Some(region) = &a.region {
            s.push_str(" in ");
            push_region_phrase(&mut s, region);
        }
        if let Some(gss) = &a.gss {
            s.push_str(", GSS code ");
            s.push_str(gss);
        }
        if renamed {
            s.push(')');
        }
        let table = k.register.tables.iter().find(|t| t.id == a.row.table);
        if let (Some(d), None) = (table.and_then(|t| t.date.as_deref()), &a.ended) {
            s.push_str(", as the register of ");
            push_long_date(&mut s, d);
            s.push_str(" gives it");
        }
        s.push('.');
        s
    }

    /// "Derbyshire: the register gives …, Ofsted's summary …" for each of `councils` whose
    /// sources place it in different regions.
    pub(super) fn region_disputes(&mut self, councils: &[usize]) -> Vec<String> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        (councils.iter())
            .filter_map(|&c| {
                Some(format!(
                    "{}: {}",
                    k.councils[c].name,
                    self.region_dispute(c)?
                ))
            })
            .collect()
    }

    /// "the register gives the West Midlands, Ofsted's summary the East Midlands" when council
    /// `c`'s sources disagree on its region, citing both.
    pub(super) fn region_dispute(&mut self, c: usize) -> Option<String> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let own = k.councils[c].region.as_deref()?;
        let i = k.inspection_of(c)?;
        let ofsted = i.region.as_deref().filter(|r| *r != own)?;
        self.cite_inspection(i);
        let mut out = String::with_capacity(96);
        match k.authority_of(c) {
            Some(a) => {
                self.cite_table(&a.row.table);
                out.push_str("the register gives ");
            }
            None => out.push_str("the curated entry gives "),
        }
        push_region_phrase(&mut out, own);
        out.push_str(", Ofsted's summary ");
        push_region_phrase(&mut out, ofsted);
        Some(out)
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

    /// "★★☆ 2 stars in November 2004 (social services), the latest a press report gives; press
    /// reports give 3 of the 8 rounds." for the councils whose ratings answer for `c`.
    fn stars_summary(&mut self, c: usize) -> String {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let rated = self.star_councils(c);
        let mut out = String::with_capacity(200 * rated.len().max(1));
        let rounds = ROUNDS.len();
        for &s in &rated {
            push_line(&mut out);
            if s != c {
                out.push_str(&k.councils[s].name);
                out.push_str(": ");
            }
            match self.push_latest_press_stars(&mut out, s) {
                Some(given) => {
                    let _ = write!(
                        out,
                        ", the latest a press report gives; press reports give {given} of the {rounds} rounds."
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "no press report gives a star rating in any of the {rounds} rounds."
                    );
                }
            }
        }
        push_line(&mut out);
        let name = &k.councils[c].name;
        if rated.is_empty() {
            for part in [
                "No source gives one: ",
                name,
                " was created after star ratings ended in 2008.",
            ] {
                out.push_str(part);
            }
        } else {
            self.push_suggestion(&mut out, CommandId::Stars, name);
            out.push_str(" shows every round.");
        }
        out
    }

    /// "★★☆ 2 stars in November 2004 (social services)" for council `s`'s latest star rating
    /// in a press report ("⚠ disputed: …" when reports differ), citing its table, with the
    /// number of rounds press reports rate it in; `None` when none does.
    pub(super) fn latest_press_stars(&mut self, s: usize) -> Option<(String, usize)> {
        let mut out = String::with_capacity(64);
        let rounds = self.push_latest_press_stars(&mut out, s)?;
        Some((out, rounds))
    }

    /// [`Lookup::latest_press_stars`], written onto `out`; nothing is written when no press
    /// report rates council `s`.
    fn push_latest_press_stars(&mut self, out: &mut String, s: usize) -> Option<usize> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        // Newest first: the latest round's rows come first, and each round's rows together.
        let mut press = k.star_ratings_of(s).filter(|r| r.stars.is_some());
        let latest = press.next()?;
        self.cite_table(&latest.row.table);
        let mut rounds = 1;
        let mut last_round = latest.round.as_str();
        let mut same: Vec<i64> = latest.stars.map(i64::from).into_iter().collect();
        for r in press {
            if r.round == latest.round {
                same.extend(r.stars.map(i64::from));
            } else if r.round != last_round {
                rounds += 1;
                last_round = &r.round;
            }
        }
        if same.iter().all(|&n| n == same[0]) {
            let _ = Stars(same[0]).write_to(out);
        } else {
            let words: Vec<String> = same.iter().map(|&n| stars_words(n)).collect();
            out.push_str("⚠ disputed: ");
            push_list(out, &words, "or");
        }
        out.push_str(" in ");
        out.push_str(&round_label(&latest.round));
        for part in [" (", scope_label(latest.scope), ")"] {
            out.push_str(part);
        }
        Some(rounds)
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
                if let Some(dispute) = self.region_dispute(c) {
                    line.push_str(" · ⚠ ");
                    line.push_str(&dispute);
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
