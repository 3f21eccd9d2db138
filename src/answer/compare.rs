//! `!compare`: two or more councils side by side.

use super::lookup::Lookup;
use super::ofsted::overall_words;
use super::people::leaders;
use super::phrase::{figure_line, join_or, long_date, region_phrase, upper_first};
use super::resolve::{resolve, Kind};
use super::stars::compact_rating;
use super::{Correction, Field, Miss, NoAnswer, Reply};
use crate::chart::{Grades, GRADES};
use crate::knowledge::normalize::name_key;
use crate::knowledge::register::Grade;
use crate::knowledge::Resolved;
use crate::query::registry::{CommandId, Topic};

/// The figure topics a comparison shows.
const COMPARED: [Topic; 3] = [Topic::Population, Topic::Area, Topic::Workforce];

/// One council's column in a comparison.
struct Column {
    field: Field,
    /// True when the sources disagree about the council's rating.
    conflict: bool,
}

impl<'k> Lookup<'k> {
    /// `!compare`: stars, Ofsted, leaders, schemes and main figures of each council named.
    pub(super) fn compare(&mut self, names: &[String]) -> Result<Reply, NoAnswer> {
        match self.regions_compared(names).as_deref() {
            Some([region]) => {
                return Err(NoAnswer::new(Miss::Usage(format!(
                    "{} compares two or more regions, or councils: {} is one region; for example `{}compare the North West and the North East`",
                    self.suggest(CommandId::Compare, ""),
                    region_phrase(region),
                    self.prefix
                ))))
            }
            Some(regions) if regions.len() >= 2 => return Ok(self.compare_regions(regions)),
            _ => {}
        }
        let names = self.split_names(names);
        let mut found: Vec<usize> = Vec::new();
        let mut corrected: Vec<Correction> = Vec::new();
        for name in &names {
            let council = resolve(self.k, Kind::Council, name)?;
            corrected.extend(council.corrected);
            if !found.contains(&council.index) {
                found.push(council.index);
            }
        }
        if found.len() < 2 {
            let compare = CommandId::Compare.command();
            return Err(NoAnswer::new(Miss::Usage(format!(
                "{} needs at least two different councils: for example `{}{}`",
                self.suggest(CommandId::Compare, ""),
                self.prefix,
                compare.example
            ))));
        }
        let k = self.k;
        let names: Vec<String> = found.iter().map(|&c| k.councils[c].name.clone()).collect();
        let mut r = Reply {
            title: format!("Comparing {}", join_or(&names, "and")),
            ..Reply::default()
        };
        if !corrected.is_empty() {
            let typed: Vec<&str> = corrected.iter().map(|c| c.typed.as_str()).collect();
            let taken: Vec<&str> = corrected.iter().map(|c| c.taken_as.as_str()).collect();
            r.corrected = Some(Correction {
                typed: typed.join(", "),
                taken_as: taken.join(", "),
            });
        }
        for c in found {
            let column = self.column(c);
            r.conflict |= column.conflict;
            r.fields.push(column.field);
        }
        Ok(r)
    }

    /// The regions `names` name, when every one names a region (and, unless it names one whole,
    /// no council exactly): "the north west", "yorkshire", "midlands" (the East and the West
    /// Midlands).
    fn regions_compared(&self, names: &[String]) -> Option<Vec<&'k str>> {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let mut regions: Vec<&'k str> = Vec::new();
        for name in names {
            let named = k.regions_named(name);
            // "London" names a region whole, and a council by an alias.
            let whole =
                || named.len() == 1 && name_key(name, &["the"]) == name_key(named[0], &["the"]);
            let council = || matches!(k.find_council(name), Resolved::Exact(_));
            if named.is_empty() || (!whole() && council()) {
                return None;
            }
            for r in named {
                if !regions.contains(&r) {
                    regions.push(r);
                }
            }
        }
        Some(regions)
    }

    /// Regions side by side: how many of each one's councils have each overall Ofsted grade
    /// today, and which are inadequate.
    fn compare_regions(&mut self, regions: &[&'k str]) -> Reply {
        let k: &'k crate::knowledge::Knowledge = self.k;
        let phrases: Vec<String> = regions.iter().map(|r| region_phrase(r)).collect();
        let every = regions.len() == k.council_region_names().len();
        let mut r = Reply {
            title: match every {
                true => "England's regions compared".to_string(),
                false => format!("Comparing {}", join_or(&phrases, "and")),
            },
            ..Reply::default()
        };
        for &region in regions {
            let (councils, _) = k.councils_in(region, usize::MAX);
            let mut grades = Grades::default();
            let (mut ungraded, mut inadequate) = (Vec::new(), Vec::new());
            for &c in &councils {
                if let Some(a) = k.authority_of(c) {
                    self.cite_table(&a.row.table);
                }
                let i = k.inspection_of(c);
                grades.count(i);
                let Some(i) = i else { continue };
                self.cite_table(&i.row.table);
                match i.overall {
                    Some(Grade::Inadequate) => inadequate.push(k.councils[c].name.as_str()),
                    None => ungraded.push(k.councils[c].name.as_str()),
                    Some(_) => {}
                }
            }
            let n = councils.len();
            let mut lines: Vec<String> = (GRADES.iter().zip(grades.counts))
                .map(|(g, count)| format!("{}: {count} of {n}", upper_first(g.as_str())))
                .collect();
            if !inadequate.is_empty() {
                lines[GRADES.len() - 1].push_str(&format!(" ({})", inadequate.join(", ")));
            }
            if !ungraded.is_empty() {
                lines.push(format!("No overall grade: {}", ungraded.join(", ")));
            }
            if grades.not_inspected > 0 {
                lines.push(format!("No inspection recorded: {}", grades.not_inspected));
            }
            let disputed = self.region_disputes(&councils);
            lines.extend(disputed.into_iter().map(|d| format!("⚠ {d}")));
            r.fields.push(Field {
                name: format!(
                    "{} ({n} council{})",
                    upper_first(region),
                    if n == 1 { "" } else { "s" }
                ),
                value: lines.join("\n"),
                inline: true,
            });
        }
        r.description = format!(
            "Overall effectiveness of children's services in each council's latest Ofsted inspection, as Ofsted's summary of {} gives it. A council whose sources place it in two regions is counted in both.",
            self.ofsted_edition()
        );
        r
    }

    /// Council `c`'s column: its star rating, Ofsted judgement, leaders, schemes and main
    /// figures.
    fn column(&mut self, c: usize) -> Column {
        let k = self.k;
        let links = k.links(c);
        let mut lines = Vec::new();
        let summary = self.rating_summary(c, "");
        for &i in &links.ratings {
            self.cite(&k.ratings[i].source);
        }
        lines.push(if !summary.text.is_empty() {
            compact_rating(k, c)
        } else if let Some((stars, _)) = self.latest_press_stars(c) {
            format!("Star rating: {stars}")
        } else {
            "Star rating: no source gives one".to_string()
        });
        lines.push(match k.inspection_of(c) {
            Some(i) => {
                self.cite_inspection(i);
                format!(
                    "Ofsted: {} (report published {})",
                    overall_words(i),
                    long_date(&i.published)
                )
            }
            None => "Ofsted: no source gives a judgement".to_string(),
        });
        let leaders: Vec<&str> = leaders(k, c)
            .into_iter()
            .map(|l| {
                self.cite(&l.role.source);
                l.name
            })
            .collect();
        lines.push(format!("Led by: {}", or_no_data(&leaders)));
        let schemes = self.scheme_names(c);
        lines.push(format!("Schemes: {}", or_no_data(&schemes)));
        for &f in &links.figures {
            let fig = &k.figures[f];
            if COMPARED.iter().any(|t| t.word() == fig.topic) {
                self.cite(&fig.source);
                lines.push(figure_line(fig));
            }
        }
        Column {
            field: Field {
                name: k.councils[c].name.clone(),
                value: lines.join("\n"),
                inline: true,
            },
            conflict: summary.conflict,
        }
    }

    /// Splits "Solihull Coventry" into known council names where the user gave no separators.
    fn split_names(&self, names: &[String]) -> Vec<String> {
        if names.len() != 1 {
            return names.to_vec();
        }
        let words: Vec<&str> = names[0].split_whitespace().collect();
        let mut out = Vec::new();
        let mut start = 0;
        while start < words.len() {
            // Longest run of words from `start` that names a council exactly.
            let end = (start + 1..=words.len()).rev().find(|&end| {
                matches!(
                    self.k.find_council(&words[start..end].join(" ")),
                    Resolved::Exact(_)
                )
            });
            match end {
                Some(end) => {
                    out.push(words[start..end].join(" "));
                    start = end;
                }
                None => {
                    out.push(words[start].to_string());
                    start += 1;
                }
            }
        }
        out
    }
}

/// The names joined with commas, or "no data".
fn or_no_data(names: &[&str]) -> String {
    if names.is_empty() {
        "no data".to_string()
    } else {
        names.join(", ")
    }
}
