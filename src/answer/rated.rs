//! `!rated`: the councils with an Ofsted grade today, or with a number of stars in the rounds
//! of 2002-2008, saying how much of each list the sources know.

use super::lookup::Lookup;
use super::phrase::{join_or, long_date, region_phrase, Stars};
use super::rounds::{round_label, scope_label, ENDED};
use super::{Field, Miss, NoAnswer, Reply};
use crate::knowledge::register::{Grade, StarTotal, ROUNDS};
use crate::knowledge::Knowledge;
use crate::query::{Rated, Scale};

/// The count a round's totals give for `n` stars.
fn count_of(t: &StarTotal, n: u8) -> Option<u32> {
    match n {
        3 => t.three,
        2 => t.two,
        1 => t.one,
        _ => t.zero,
    }
}

/// " in the East Midlands and the West Midlands" for `regions`; empty for none.
fn in_regions(regions: &[String]) -> String {
    if regions.is_empty() {
        return String::new();
    }
    let phrases: Vec<String> = regions.iter().map(|r| region_phrase(r)).collect();
    format!(" in {}", join_or(&phrases, "and"))
}

/// "three stars", "no stars": as totals are said.
fn stars_said(n: u8) -> &'static str {
    match n {
        3 => "three stars",
        2 => "two stars",
        1 => "one star",
        _ => "no stars",
    }
}

impl<'k> Lookup<'k> {
    /// `!rated`: councils by Ofsted grade, or by stars round by round.
    pub(super) fn rated(&mut self, q: &Rated) -> Result<Reply, NoAnswer> {
        let regions = match &q.region {
            Some(typed) => self.regions_named(typed)?,
            None => Vec::new(),
        };
        match q.scale {
            Scale::Ofsted(g) => Ok(self.rated_ofsted(g, &regions)),
            Scale::Stars(n) => self.rated_stars(n, q.round.as_deref(), &regions),
        }
    }

    /// The regions, as councils name them, that the words `typed` name (see
    /// [`Knowledge::regions_named`]), or why no council is in one.
    fn regions_named(&self, typed: &str) -> Result<Vec<String>, NoAnswer> {
        let named = self.k.regions_named(typed);
        if named.is_empty() {
            let mut n = NoAnswer::new(Miss::Unknown {
                kind: "region",
                typed: typed.to_string(),
            });
            n.known = self.k.council_region_names();
            return Err(n);
        }
        Ok(named.into_iter().map(String::from).collect())
    }

    /// True when council `c` is in one of `regions` (always when they are none). A council
    /// whose sources disagree on its region is in each region they give.
    fn in_region(&self, c: usize, regions: &[String]) -> bool {
        let k = self.k;
        let register = k.authority_of(c).and_then(|a| a.region.as_deref());
        let ofsted = k.inspection_of(c).and_then(|i| i.region.as_deref());
        regions.is_empty()
            || (regions.iter()).any(|r| register == Some(r.as_str()) || ofsted == Some(r.as_str()))
    }

    /// Councils whose latest Ofsted judgement of children's services is `g`.
    fn rated_ofsted(&mut self, g: Grade, regions: &[String]) -> Reply {
        let k: &'k Knowledge = self.k;
        let mut names = Vec::new();
        let mut ungraded = Vec::new();
        for i in &k.register.inspections {
            let Some(c) = k.council_index(&i.council) else {
                continue;
            };
            if !self.in_region(c, regions) {
                continue;
            }
            self.cite_table(&i.row.table);
            match i.overall {
                Some(o) if o == g => {
                    let mut line = format!(
                        "{} (report published {})",
                        k.councils[c].name,
                        long_date(&i.published)
                    );
                    // In a region's list, a council there by one source's word only says so.
                    let dispute = (!regions.is_empty()).then(|| self.region_dispute(c));
                    if let Some(dispute) = dispute.flatten() {
                        line.push_str(" · ⚠ ");
                        line.push_str(&dispute);
                    }
                    names.push(line);
                }
                None => ungraded.push(k.councils[c].name.clone()),
                _ => {}
            }
        }
        let place = in_regions(regions);
        let mut r = Reply {
            title: format!("Councils{place} judged {} by Ofsted", g.as_str()),
            ..Reply::default()
        };
        let n = names.len();
        r.description = format!(
            "{n} council{}{place} {} “{}” as the overall effectiveness of children's services in {} latest Ofsted inspection, as Ofsted's summary of {} gives it.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" },
            g.as_str(),
            if n == 1 { "its" } else { "their" },
            self.ofsted_edition(),
        );
        if !names.is_empty() {
            r.fields.push(Field::new("Councils", names.join("\n")));
        }
        if !ungraded.is_empty() {
            r.fields.push(Field::new(
                "No overall grade",
                format!(
                    "Ofsted's summary gives no overall grade for {}.",
                    ungraded.join(", ")
                ),
            ));
        }
        r
    }

    /// When Ofsted's summary was taken: "29 June 2026".
    pub(super) fn ofsted_edition(&self) -> String {
        let t = (self.k.register.tables.iter()).find(|t| t.id == crate::knowledge::rows::OFSTED);
        t.and_then(|t| t.date.as_deref())
            .map_or_else(|| "an unstated date".into(), long_date)
    }

    /// Councils with `n` stars, round by round, newest first: how many there were, and the
    /// ones sources name.
    fn rated_stars(
        &mut self,
        n: u8,
        round: Option<&str>,
        regions: &[String],
    ) -> Result<Reply, NoAnswer> {
        let rounds: Vec<&str> = ROUNDS
            .iter()
            .rev()
            .copied()
            .filter(|r| round.is_none_or(|want| r.starts_with(want)))
            .collect();
        if rounds.is_empty() {
            return Err(NoAnswer::new(Miss::NoFacts {
                subject: round.unwrap_or_default().to_string(),
                what: "star ratings (they were published from May 2002 to November 2008)".into(),
            }));
        }
        let place = in_regions(regions);
        let mut r = Reply {
            title: format!("Councils{place} rated {}", Stars(i64::from(n))),
            description: ENDED.to_string(),
            ..Reply::default()
        };
        for round in rounds {
            let (line, disputed) = self.rated_round(n, round, regions);
            r.conflict |= disputed;
            r.fields.push(Field::new(
                format!(
                    "{} · {}",
                    round_label(round),
                    scope_label(crate::knowledge::register::scope_of_round(round))
                ),
                line,
            ));
        }
        Ok(r)
    }

    /// "20 councils had three stars in November 2004; sources name 3: …", and whether the
    /// sources disagree about one of them.
    fn rated_round(&mut self, n: u8, round: &str, regions: &[String]) -> (String, bool) {
        let k: &'k Knowledge = self.k;
        let mut named: Vec<usize> = Vec::new();
        for s in k.star_ratings_in(round) {
            if s.stars != Some(n) {
                continue;
            }
            let Some(c) = k.council_index(&s.council) else {
                continue;
            };
            if !self.in_region(c, regions) {
                continue;
            }
            self.cite_table(&s.row.table);
            if !named.contains(&c) {
                named.push(c);
            }
        }
        // The seed article's ratings of its one round.
        for c in 0..k.councils.len() {
            for rating in k.ratings_of(c) {
                let year = rating.year.to_string();
                let one_round = ROUNDS.iter().filter(|r| r.starts_with(&year)).count() == 1;
                if rating.stars == i64::from(n)
                    && one_round
                    && round.starts_with(&year)
                    && self.in_region(c, regions)
                {
                    self.cite(&rating.source);
                    if !named.contains(&c) {
                        named.push(c);
                    }
                }
            }
        }
        let label = round_label(round);
        let total = k.star_total(round).and_then(|t| {
            self.cite_table(&t.row.table);
            count_of(t, n)
        });
        let had = match total {
            Some(t) => format!(
                "{t} council{} had {} in {label}",
                if t == 1 { "" } else { "s" },
                stars_said(n)
            ),
            None => format!(
                "No source states how many councils had {} in {label}",
                stars_said(n)
            ),
        };
        let place = in_regions(regions);
        let mut disputed = false;
        let list: Vec<String> = named
            .iter()
            .map(|&c| {
                let name = &k.councils[c].name;
                if self.round_disputed(c, round) {
                    disputed = true;
                    format!("{name} (sources disagree)")
                } else {
                    name.clone()
                }
            })
            .collect();
        // Long lists show their first `list_limit` names and count the rest.
        let limit = self.list_limit;
        let shown = |list: &[String]| -> String {
            let first = list.iter().take(limit).cloned().collect::<Vec<_>>();
            match list.len().saturating_sub(limit) {
                0 => first.join(", "),
                rest => format!("{} and {rest} more", first.join(", ")),
            }
        };
        let line = match (list.len(), total) {
            (0, _) => format!("{had}; no source names one{place}."),
            (m, Some(t)) if m as u32 == t && regions.is_empty() => {
                format!("{had}; all {t} are named in sources: {}.", shown(&list))
            }
            (m, _) => format!("{had}; sources name {m}{place}: {}.", shown(&list)),
        };
        (line, disputed)
    }

    /// True when the sources give council `c` more than one rating in `round`.
    fn round_disputed(&self, c: usize, round: &str) -> bool {
        let k = self.k;
        let year = &round[..4];
        let one_round = ROUNDS.iter().filter(|r| r.starts_with(year)).count() == 1;
        let mut stars: Vec<i64> = k
            .star_ratings_of(c)
            .filter(|s| s.round == round)
            .filter_map(|s| s.stars.map(i64::from))
            .chain(
                k.ratings_of(c)
                    .filter(|r| one_round && r.year.to_string() == year)
                    .map(|r| r.stars),
            )
            .collect();
        stars.sort_unstable();
        stars.dedup();
        stars.len() > 1
    }
}
