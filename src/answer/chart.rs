//! `!chart`: the words of a chart (for screen readers and clients that hide images), and
//! [`ask_charted`], which answers a message with the chart it asks for.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::lookup::Lookup;
use super::phrase::{join_or, long_date, region_phrase, stars_words};
use super::understand::{Reading, Understood};
use super::{ask, Answer, Field, Miss, NoAnswer, Reply};
use crate::chart::{self, Area, Chart, Claim, PlanError, RoundTotal, Series, ENGLAND};
use crate::knowledge::register::{scope_of_round, Scope, ROUNDS};
use crate::knowledge::Knowledge;
use crate::query::registry::CommandId;
use crate::query::{Mode, Parsed, Parser, Query};

/// Answers one message as [`ask`] does, with the chart it asks for (`!chart`, or a question
/// with a chart cue word); `None` when the message is not for carebot. Only a message holding
/// one of `!chart`'s words is read twice; every other is answered by [`ask`] alone.
pub fn ask_charted(
    k: &Knowledge,
    parser: &Parser,
    text: &str,
    mode: Mode,
    max_len: usize,
) -> Option<(Answer, Option<Chart>)> {
    let answer = ask(k, parser, text, mode, max_len)?;
    if !answer.is_reply() || !mentions_chart(text) || text.chars().count() > max_len {
        return Some((answer, None));
    }
    let chart = chart_names(k, parser, text, mode).and_then(|names| chart::plan(k, &names).ok());
    Some((answer, chart))
}

/// True when `text` holds one of `!chart`'s words (its name, aliases and cues), in any case:
/// one pass of an automaton built once, so a message without them costs almost nothing more.
fn mentions_chart(text: &str) -> bool {
    static WORDS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let c = CommandId::Chart.command();
        let words = std::iter::once(c.name)
            .chain(c.aliases.iter().copied())
            .chain(c.cues.iter().map(|cue| cue.words));
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .ok()
    });
    words.as_ref().is_some_and(|w| w.is_match(text))
}

/// What the chart `text` asks for names, read as [`ask`] reads it.
fn chart_names(k: &Knowledge, parser: &Parser, text: &str, mode: Mode) -> Option<String> {
    let parsed = if mode == Mode::Direct && !parser.is_prefixed(text) {
        let folded = Reading::fold(text);
        let reading = Reading::new(k, parser.cues(), text, &folded);
        match reading.understood(k, parser.prefix()) {
            Some(Understood::Query(q, _)) => Parsed::Query(q),
            Some(Understood::Which(_)) => return None,
            None => reading.honest(parser.cues(), parser.parse(text, mode)),
        }
    } else {
        parser.parse(text, mode)
    };
    match parsed {
        Parsed::Query(Query::Chart(names)) => Some(names),
        _ => None,
    }
}

impl Lookup<'_> {
    /// `!chart`: what the chart of `names` shows, in words.
    pub(super) fn chart(&mut self, names: &str) -> Result<Reply, NoAnswer> {
        let usage = |why: &str| {
            NoAnswer::new(Miss::Usage(format!(
                "{}: {why}, for example `{}{}`",
                self.suggest(CommandId::Chart, ""),
                self.prefix,
                CommandId::Chart.command().example
            )))
        };
        let plan = chart::plan(self.k, names).map_err(|e| match e {
            PlanError::Unknown(typed) => NoAnswer::new(Miss::Unknown {
                kind: "a council or region called",
                typed,
            }),
            other => usage(&other.to_string()),
        })?;
        Ok(match &plan {
            Chart::Councils(series) => self.councils_words(series),
            Chart::Area(area) => self.area_words(area),
        })
    }

    /// The chart of councils in words: each council's claims by round and its Ofsted grade.
    fn councils_words(&mut self, series: &[Series]) -> Reply {
        let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
        let mut r = Reply {
            title: format!("Chart: {}", join_or(&names, "and")),
            description: "The chart shows every star rating a source gives each council, by \
                          publication round, and its latest Ofsted judgement of children's \
                          services. A round with no source is left empty."
                .into(),
            ..Reply::default()
        };
        for s in series {
            let k = self.k;
            for p in s.stars.iter().filter(|p| p.claim == Claim::Article) {
                self.cite(&k.source(&p.source).id);
            }
            let (lines, conflict) = history_lines(s);
            r.conflict |= conflict;
            r.fields.push(Field::new(s.name.clone(), lines.join("\n")));
        }
        r.fields
            .push(self.tables_field(&["star-ratings-press", "ofsted-ilacs"]));
        r
    }

    /// The chart of a region or England in words: councils by Ofsted grade, and the national
    /// totals of each round.
    fn area_words(&mut self, area: &Area) -> Reply {
        let g = &area.grades;
        let mut grades: Vec<String> = chart::GRADES
            .iter()
            .zip(g.counts)
            .map(|(grade, n)| format!("{} {n}", grade.as_str()))
            .collect();
        grades.push(format!("no overall grade {}", g.no_overall));
        if g.not_inspected > 0 {
            grades.push(format!("not inspected {}", g.not_inspected));
        }
        let councils = g.counts.iter().sum::<u32>() + g.no_overall + g.not_inspected;
        let place = if area.name == ENGLAND {
            ENGLAND.to_string()
        } else {
            region_phrase(&area.name)
        };
        let totals: Vec<String> = area.totals.iter().map(total_line).collect();
        // Councils counted here by one source's word only.
        let k = self.k;
        let disputed = if area.name == ENGLAND {
            Vec::new()
        } else {
            self.region_disputes(&k.councils_in(&area.name, usize::MAX).0)
        };
        let mut fields = vec![
            Field::new(
                "Ofsted, children's services (latest overall grade)",
                grades.join(", "),
            ),
            Field::new("Star ratings in England, by round", totals.join("\n")),
        ];
        if !disputed.is_empty() {
            fields.push(Field::new("⚠ Counted in two regions", disputed.join("\n")));
        }
        fields.push(self.tables_field(&["ofsted-ilacs", "star-rating-totals"]));
        Reply {
            title: format!("Chart: {}", area.name),
            description: format!(
                "The chart shows the {councils} councils of today in {place} by their latest \
                 Ofsted grade, and the share of England's councils with each star rating, by \
                 round."
            ),
            fields,
            ..Reply::default()
        }
    }

    /// "Where the points come from": the tables `ids`, by title, publisher and date.
    fn tables_field(&self, ids: &[&str]) -> Field {
        let lines: Vec<String> = ids
            .iter()
            .filter_map(|id| self.k.register.tables.iter().find(|t| t.id == *id))
            .map(|t| match &t.date {
                Some(d) => format!("{}, “{}”, {}", t.publisher, t.title, long_date(d)),
                None => format!("{}, “{}”", t.publisher, t.title),
            })
            .collect();
        Field::new("Where the points come from", lines.join("\n"))
    }
}

/// A round as answers name it: "November 2004".
fn round_words(i: usize) -> String {
    long_date(ROUNDS[i])
}

/// One council's claims, round by round, its Ofsted judgement, and whether sources disagree.
fn history_lines(s: &Series) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    let mut conflict = false;
    for (i, round) in ROUNDS.iter().enumerate() {
        let here: Vec<_> = s.stars.iter().filter(|p| p.round == i).collect();
        if here.is_empty() {
            missing.push(round_words(i));
            continue;
        }
        let scope = match scope_of_round(round) {
            Scope::SocialServices => "social services",
            Scope::Adults => "adult social care",
        };
        let mut claims: Vec<String> = Vec::new();
        for claim in [Claim::Press, Claim::Article] {
            let mut said: Vec<String> = here
                .iter()
                .filter(|p| p.claim == claim)
                .map(|p| {
                    p.stars
                        .map_or("not rated".into(), |n| stars_words(i64::from(n)))
                })
                .collect();
            said.dedup();
            if said.is_empty() {
                continue;
            }
            let who = match claim {
                Claim::Press => "press",
                Claim::Article => "Community Care article",
            };
            claims.push(format!("{} ({who})", join_or(&said, "and")));
        }
        let mut values: Vec<u8> = here.iter().filter_map(|p| p.stars).collect();
        values.sort_unstable();
        values.dedup();
        let disagree = values.len() > 1;
        conflict |= disagree;
        lines.push(format!(
            "{} ({scope}): {}{}",
            round_words(i),
            claims.join("; "),
            if disagree {
                ": the sources disagree"
            } else {
                ""
            }
        ));
    }
    if !missing.is_empty() {
        lines.push(format!("No source for {}.", join_or(&missing, "or")));
    }
    lines.push(match (&s.judgement, &s.ended) {
        (Some(j), _) => format!(
            "Ofsted: {}, published {}",
            j.overall.map_or("no overall grade", |g| g.as_str()),
            long_date(&j.published)
        ),
        (None, Some(ended)) => format!("Ofsted: no inspection; abolished {}", long_date(ended)),
        (None, None) => "Ofsted: no inspection in the knowledge base".into(),
    });
    (lines, conflict)
}

/// One round's national totals: "May 2002 (social services, 150 rated): 0 stars 10, …".
fn total_line(t: &RoundTotal) -> String {
    let counts: Vec<String> = t
        .counts
        .iter()
        .enumerate()
        .map(|(stars, n)| {
            let what = stars_words(stars as i64);
            n.map_or(format!("{what} not published"), |n| format!("{what} {n}"))
        })
        .collect();
    let scope = match t.scope {
        Scope::SocialServices => "social services",
        Scope::Adults => "adult social care",
    };
    format!(
        "{} ({scope}, {} rated): {}",
        round_words(t.round),
        t.rated,
        counts.join(", ")
    )
}
