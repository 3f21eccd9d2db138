//! `carebot gaps`: the gaps file read back, grouped and counted, most frequent first.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{rotated, Gap, Outcome};
use crate::knowledge::normalize::fold;

/// The gaps recorded, grouped and counted for curators.
#[derive(Debug, Default)]
pub struct Report {
    questions: usize,
    first: Option<String>,
    last: Option<String>,
    unknown: Tally,
    missing: Tally,
    phrasings: Tally,
    unreadable: usize,
}

/// Counts of one group, each under the first wording seen.
#[derive(Debug, Default)]
struct Tally {
    counts: HashMap<String, (usize, String)>,
}

impl Tally {
    fn add(&mut self, key: String, label: String) {
        self.counts.entry(key).or_insert((0, label)).0 += 1;
    }

    fn total(&self) -> usize {
        self.counts.values().map(|(n, _)| n).sum()
    }

    /// Most frequent first; ties in label order.
    fn sorted(&self) -> Vec<(usize, &str)> {
        let mut rows: Vec<(usize, &str)> = self
            .counts
            .values()
            .map(|(n, label)| (*n, label.as_str()))
            .collect();
        rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        rows
    }
}

impl Report {
    /// Reads the gaps file at `path` and its rotated predecessor; missing files hold nothing.
    pub fn read(path: &Path) -> std::io::Result<Report> {
        let mut report = Report::default();
        for p in [rotated(path), path.to_path_buf()] {
            let f = match File::open(&p) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for line in BufReader::new(f).split(b'\n') {
                let line = line?;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<Gap>(&line) {
                    Ok(gap) => report.add(&gap),
                    Err(_) => report.unreadable += 1,
                }
            }
        }
        Ok(report)
    }

    /// Counts one gap.
    pub fn add(&mut self, gap: &Gap) {
        self.questions += 1;
        if self.first.as_ref().is_none_or(|f| gap.time < *f) {
            self.first = Some(gap.time.clone());
        }
        if self.last.as_ref().is_none_or(|l| gap.time > *l) {
            self.last = Some(gap.time.clone());
        }
        match gap.outcome {
            Outcome::UnknownName => {
                let name = gap.unrecognised.join(", ");
                let kind = gap.kind.as_deref().unwrap_or("name");
                let mut label = format!("{name} ({kind}");
                if !gap.suggested.is_empty() {
                    let _ = write!(label, "; suggested {}", gap.suggested.join(", "));
                }
                label.push(')');
                self.unknown.add(format!("{kind}\n{}", fold(&name)), label);
            }
            Outcome::NoFacts => {
                let what = gap.missing.as_deref().unwrap_or("facts");
                let label = match &gap.subject {
                    Some(subject) => format!("{what} for {subject}"),
                    None => what.to_string(),
                };
                self.missing.add(fold(&label), label);
            }
            Outcome::NoResults => {
                let words = gap.missing.as_deref().unwrap_or_default();
                let label = format!("anything mentioning “{words}”");
                self.missing.add(fold(&label), label);
            }
            Outcome::NotUnderstood => {
                let key = fold(gap.question.trim_end_matches(['?', '!', '.', ' ']));
                let mut label = format!("“{}”", gap.question);
                if !gap.recognised.is_empty() {
                    let _ = write!(label, " (names {})", gap.recognised.join(", "));
                }
                self.phrasings.add(key, label);
            }
        }
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (Some(first), Some(last)) = (&self.first, &self.last) else {
            writeln!(f, "No unanswered questions recorded.")?;
            return self.unreadable_note(f);
        };
        let s = if self.questions == 1 { "" } else { "s" };
        writeln!(
            f,
            "{} unanswered question{s}, {} to {}.",
            self.questions,
            first.replace('T', " ").trim_end_matches('Z'),
            last.replace('T', " ").trim_end_matches('Z'),
        )?;
        for (title, tally) in [
            ("Unknown names", &self.unknown),
            ("Missing facts", &self.missing),
            ("Phrasings not understood", &self.phrasings),
        ] {
            if tally.counts.is_empty() {
                continue;
            }
            writeln!(f, "\n{title} ({}):", tally.total())?;
            for (n, label) in tally.sorted() {
                writeln!(f, "{n:>5}  {label}")?;
            }
        }
        self.unreadable_note(f)
    }
}

impl Report {
    fn unreadable_note(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unreadable {
            0 => Ok(()),
            1 => writeln!(f, "\n1 line could not be read and was skipped."),
            n => writeln!(f, "\n{n} lines could not be read and were skipped."),
        }
    }
}
