//! `!figures`: a council's or a region's figures, on every topic or on one.

use super::lookup::Lookup;
use super::phrase::{figure_value, one_line, upper_first};
use super::resolve::{resolve, Found, Kind};
use super::{Correction, Field, Miss, NoAnswer, Reply};
use crate::knowledge::{Figure, Resolved};
use crate::query::registry::Topic;

/// What a figures question is about.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Council(usize),
    Region(usize),
}

/// A figures subject named at the start of what was typed.
struct Named<'t> {
    subject: Subject,
    corrected: Option<Correction>,
    /// The words after the name: the topic, as in "figures Coventry population".
    rest: Option<&'t str>,
}

impl<'k> Lookup<'k> {
    /// `!figures`: the figures on `topic` (or all) about the council or region `typed` names.
    pub(super) fn figures(&mut self, typed: &str, topic: Option<&str>) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let (subject, corrected, topic) = match (self.figure_subject(typed), topic) {
            (
                Some(Named {
                    subject,
                    corrected,
                    rest: None,
                }),
                topic,
            ) => (subject, corrected, topic),
            (
                Some(Named {
                    subject,
                    corrected,
                    rest,
                }),
                None,
            ) => (subject, corrected, rest),
            // Nothing by that name: say so about the council, with suggestions.
            _ => {
                let found = resolve(k, Kind::Council, typed)?;
                (Subject::Council(found.index), found.corrected, topic)
            }
        };
        let (name, all): (String, Vec<&'k Figure>) = match subject {
            Subject::Council(c) => (
                k.councils[c].name.clone(),
                k.links(c).figures.iter().map(|&f| &k.figures[f]).collect(),
            ),
            Subject::Region(i) => (k.regions[i].name.clone(), k.region_figures(i).collect()),
        };
        let wanted = topic.map(Topic::asked_by).unwrap_or_default();
        let chosen: Vec<&'k Figure> = all
            .iter()
            .copied()
            .filter(|f| topic.is_none() || wanted.iter().any(|t| t.word() == f.topic))
            .collect();
        if chosen.is_empty() {
            return Err(self.no_figures(name, subject, &all, topic, wanted));
        }
        // The topics actually shown, in the order asked ("How big is Solihull?" asks for
        // population and area; only area is known).
        let shown: Vec<&str> = wanted
            .iter()
            .map(|t| t.word())
            .filter(|&t| chosen.iter().any(|f| f.topic == t))
            .collect();
        let mut r = Reply {
            // One figure asked for is given in the first line.
            title: match (shown.is_empty(), chosen.as_slice()) {
                (false, [f]) => format!("{}: {} — {}", upper_first(&name), f.what, figure_value(f)),
                (true, _) => format!("{}: figures", upper_first(&name)),
                (false, _) => format!("{}: {}", upper_first(&name), shown.join(" and ")),
            },
            corrected,
            ..Reply::default()
        };
        for f in chosen {
            let quote = self.quoted(&f.source, &f.quote);
            r.fields.push(Field::new(
                upper_first(&f.what),
                format!("{}\n{quote}", figure_value(f)),
            ));
        }
        Ok(r)
    }

    /// No figure on the topic asked: says which topics `all` the subject's figures cover.
    fn no_figures(
        &self,
        name: String,
        subject: Subject,
        all: &[&Figure],
        topic: Option<&str>,
        wanted: &[Topic],
    ) -> NoAnswer {
        let what = match topic {
            Some(_) if !wanted.is_empty() => {
                let words: Vec<&str> = wanted.iter().map(|t| t.word()).collect();
                format!("the {}", words.join(" or "))
            }
            Some(t) => format!("“{}”", one_line(t)),
            None => "any figure".into(),
        };
        if let (true, Subject::Council(c)) = (all.is_empty(), subject) {
            return self.no_facts(&name, &what, c);
        }
        let mut n = NoAnswer::new(Miss::NoFacts {
            subject: name,
            what,
        });
        for f in all {
            let held = format!("{} figures", f.topic);
            if !n.known.contains(&held) {
                n.known.push(held);
            }
        }
        n
    }

    /// What a figures question is about: the longest run of leading words that names a council
    /// or a region, with any correction, and the words after it.
    fn figure_subject<'t>(&self, typed: &'t str) -> Option<Named<'t>> {
        let k = self.k;
        let typed = typed.trim();
        let mut ends: Vec<usize> = typed
            .char_indices()
            .filter(|&(_, ch)| ch == ' ')
            .map(|(i, _)| i)
            .collect();
        ends.push(typed.len());
        for &end in ends.iter().rev() {
            let (name, rest) = (typed[..end].trim(), typed[end..].trim());
            let rest = (!rest.is_empty()).then_some(rest);
            for (kind, subject) in [
                (Kind::Council, Subject::Council as fn(usize) -> Subject),
                (Kind::Region, Subject::Region),
            ] {
                let result: Resolved = kind.find(k, name);
                if let Some(Found { index, corrected }) = Found::of(k, kind, name, &result) {
                    // A region's name may start in lower case ("the West Midlands").
                    let corrected = corrected.map(|c| match kind {
                        Kind::Region => Correction {
                            taken_as: upper_first(&c.taken_as),
                            ..c
                        },
                        _ => c,
                    });
                    return Some(Named {
                        subject: subject(index),
                        corrected,
                        rest,
                    });
                }
            }
        }
        None
    }
}
