//! Ofsted's judgements of children's services: `!ofsted` (a council's latest inspection) and
//! `!neighbours` (its ten statistical neighbours' judgements beside its own).

use super::lookup::Lookup;
use super::phrase::{long_date, push_long_date, push_upper_first, upper_first};
use super::resolve::{resolve, Kind};
use super::{Field, NoAnswer, Reply};
use crate::knowledge::register::Inspection;
use crate::knowledge::Knowledge;
use crate::query::registry::CommandId;

/// "good", or that the summary gives no overall grade.
pub(super) fn overall_words(i: &Inspection) -> &'static str {
    match i.overall {
        Some(g) => g.as_str(),
        None => "no overall grade in Ofsted's summary",
    }
}

/// "inspected 10 to 21 July 2023, report published 4 September 2023".
fn dates(i: &Inspection) -> String {
    let mut out = String::with_capacity(80);
    push_dates(&mut out, i);
    out
}

/// [`dates`], written onto `out`.
fn push_dates(out: &mut String, i: &Inspection) {
    if let (Some(s), Some(f)) = (&i.started, &i.finished) {
        out.push_str("inspected ");
        push_long_date(out, s);
        out.push_str(" to ");
        push_long_date(out, f);
        out.push_str(", ");
    }
    out.push_str("report published ");
    push_long_date(out, &i.published);
}

impl<'k> Lookup<'k> {
    /// Cites inspection `i`: its report, dated, and the table it comes from.
    pub(super) fn cite_inspection(&mut self, i: &'k Inspection) {
        self.cite_page("Ofsted", &i.report, Some(&i.published));
        self.cite_table(&i.row.table);
    }

    /// `!ofsted`: a council's latest Ofsted judgement of children's services, or its
    /// successors' when it no longer exists.
    pub(super) fn ofsted(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let k: &'k Knowledge = self.k;
        let name = &k.councils[c].name;
        let mut r = Reply {
            title: format!("{name}: Ofsted, children's services"),
            corrected: found.corrected,
            ..Reply::default()
        };
        let Some(i) = k.inspection_of(c) else {
            let mut lines = self.lineage(c);
            lines.push(format!(
                "No source gives an Ofsted judgement of children's services for {name}."
            ));
            r.description = lines.join("\n");
            for &s in k.successors(c) {
                r.fields.push(self.ofsted_summary(s));
            }
            if let Some(a) = k.authority_of(c) {
                self.cite_table(&a.row.table);
            }
            return Ok(r);
        };
        self.cite_inspection(i);
        r.description = match i.overall {
            Some(g) => format!(
                "Overall effectiveness: {} ({}).",
                upper_first(g.as_str()),
                dates(i)
            ),
            None => format!(
                "Ofsted's published summary gives no overall effectiveness grade for this inspection ({}); its four judgements are below.",
                dates(i)
            ),
        };
        let care_leavers = i.care_leavers.map_or_else(
            || "not judged in this inspection".to_string(),
            |g| g.as_str().to_string(),
        );
        let lines = [
            format!("Impact of leaders: {}", i.leaders.as_str()),
            format!(
                "Children who need help and protection: {}",
                i.help_and_protection.as_str()
            ),
            format!("Children in care: {}", i.in_care.as_str()),
            format!("Care leavers: {care_leavers}"),
        ];
        r.fields.push(Field::new("Judgements", lines.join("\n")));
        if let Some(f) = &i.framework {
            r.fields
                .push(Field::new("Inspection", format!("{f} inspection (ILACS)")));
        }
        r.fields.push(Field::new("Report", i.report.clone()));
        Ok(r)
    }

    /// One line on council `c`'s latest Ofsted judgement for a profile, or its successors'.
    pub(super) fn ofsted_summary(&mut self, c: usize) -> Field {
        let k: &'k Knowledge = self.k;
        let name = &k.councils[c].name;
        let value = match k.inspection_of(c) {
            Some(i) => {
                self.cite_inspection(i);
                let mut value = String::with_capacity(160 + name.len());
                push_upper_first(&mut value, overall_words(i));
                value.push_str(" (");
                push_dates(&mut value, i);
                value.push_str("). ");
                self.push_suggestion(&mut value, CommandId::Ofsted, name);
                value.push_str(" gives the four judgements.");
                value
            }
            None if !k.successors(c).is_empty() => {
                let lines: Vec<String> = k
                    .successors(c)
                    .iter()
                    .filter_map(|&s| {
                        let i = k.inspection_of(s)?;
                        self.cite_inspection(i);
                        Some(format!(
                            "{}: {} (report published {})",
                            k.councils[s].name,
                            overall_words(i),
                            long_date(&i.published)
                        ))
                    })
                    .collect();
                format!(
                    "No source gives one for {name}, which no longer exists. Its successors:\n{}",
                    lines.join("\n")
                )
            }
            None => format!("No source gives an Ofsted judgement for {name}."),
        };
        Field::new(format!("Ofsted, children's services: {name}"), value)
    }

    /// `!neighbours`: a council's ten statistical neighbours, closest first, each with its
    /// latest overall judgement, after the council's own.
    pub(super) fn neighbours(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let found = resolve(self.k, Kind::Council, typed)?;
        let c = found.index;
        let k: &'k Knowledge = self.k;
        let name = &k.councils[c].name;
        let mut r = Reply {
            title: format!("{name}: statistical neighbours"),
            corrected: found.corrected,
            ..Reply::default()
        };
        let Some(i) = k.inspection_of(c) else {
            let mut lines = self.lineage(c);
            lines.push(format!(
                "No source gives statistical neighbours for {name}: the Department for Education lists them with each council's Ofsted inspection, and there is none for {name}."
            ));
            r.description = lines.join("\n");
            if let Some(a) = k.authority_of(c) {
                self.cite_table(&a.row.table);
            }
            return Ok(r);
        };
        self.cite_inspection(i);
        r.description = format!(
            "{name}: {} ({}). Its ten closest statistical neighbours (the Department for Education's, as the Ofsted summary lists them), closest first, with their latest Ofsted judgements of children's services:",
            overall_words(i),
            dates(i)
        );
        let mut lines = Vec::new();
        for (n, code) in i.neighbours.iter().enumerate() {
            let line = match k.council_by_la_code(code).and_then(|s| {
                let j = k.inspection_of(s)?;
                Some((s, j))
            }) {
                Some((s, j)) => {
                    self.cite_inspection(j);
                    format!(
                        "{}. {}: {} (report published {})",
                        n + 1,
                        k.councils[s].name,
                        overall_words(j),
                        long_date(&j.published)
                    )
                }
                None => format!(
                    "{}. council code {code}: no inspection in the summary",
                    n + 1
                ),
            };
            lines.push(line);
        }
        r.fields.push(Field::new("Neighbours", lines.join("\n")));
        Ok(r)
    }
}
