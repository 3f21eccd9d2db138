//! What a chart shows, gathered from the knowledge base: the councils or the area named, their
//! sourced star ratings by round, their Ofsted judgements and the national totals.

use crate::knowledge::normalize::fold;
use crate::knowledge::register::{scope_of_round, Authority, Grade, Inspection, Scope, ROUNDS};
use crate::knowledge::{Knowledge, Resolved, ServiceArea};

/// The most councils one chart compares (one colour each).
pub const MAX_COUNCILS: usize = 6;

/// The name of the whole country as a chart names it.
pub const ENGLAND: &str = "England";

/// What one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// One council's history, or several councils side by side.
    Councils(Vec<Series>),
    /// A region or England.
    Area(Area),
}

/// One council's sourced ratings.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The register id.
    pub id: String,
    /// The everyday name.
    pub name: String,
    /// Star ratings, by round then as the knowledge base lists them; a round no source
    /// covers has none.
    pub stars: Vec<StarPoint>,
    /// The latest Ofsted judgement of its children's services, if inspected.
    pub judgement: Option<Judgement>,
    /// When it was abolished, if it was.
    pub ended: Option<String>,
}

/// One claim of a council's star rating in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct StarPoint {
    /// Index into [`ROUNDS`].
    pub round: usize,
    /// 0 to 3; `None` when the source says the council was not rated.
    pub stars: Option<u8>,
    pub claim: Claim,
    /// Where it is stated: the press report's address, or the curated source's id.
    pub source: String,
}

/// Who makes a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// A press report of the round's ratings (`[[star_rating]]`).
    Press,
    /// The curated article (`[[rating]]`).
    Article,
}

/// A council's latest Ofsted judgement.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// When the report was published, `YYYY-MM-DD`.
    pub published: String,
    /// Overall effectiveness; `None` when the summary gives none.
    pub overall: Option<Grade>,
    pub report: String,
}

/// A region, or England: today's Ofsted judgements and the national star totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// "West Midlands", or [`ENGLAND`].
    pub name: String,
    pub grades: Grades,
    /// The published national totals, by round.
    pub totals: Vec<RoundTotal>,
}

/// How many of an area's councils of today have each latest overall Ofsted grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grades {
    /// Outstanding, good, requires improvement, inadequate.
    pub counts: [u32; 4],
    /// Inspected, but the summary gives no overall grade.
    pub no_overall: u32,
    /// No inspection in the knowledge base.
    pub not_inspected: u32,
}

impl Grades {
    /// Counts one council by its latest inspection, if any.
    pub fn count(&mut self, inspection: Option<&Inspection>) {
        match inspection.map(|i| i.overall) {
            None => self.not_inspected += 1,
            Some(None) => self.no_overall += 1,
            Some(Some(g)) => self.counts[GRADES.iter().position(|x| *x == g).unwrap_or(0)] += 1,
        }
    }
}

/// The grades in the order charts and answers list them.
pub const GRADES: [Grade; 4] = [
    Grade::Outstanding,
    Grade::Good,
    Grade::RequiresImprovement,
    Grade::Inadequate,
];

/// How many councils had each star rating in one round, as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundTotal {
    /// Index into [`ROUNDS`].
    pub round: usize,
    pub scope: Scope,
    /// Councils with 0, 1, 2 and 3 stars; `None` where no source states the count.
    pub counts: [Option<u32>; 4],
    /// How many councils were rated.
    pub rated: u32,
}

/// Why the names given do not make a chart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no council or region called {0:?}")]
    Unknown(String),
    #[error("a chart compares at most {MAX_COUNCILS} councils")]
    TooMany,
    #[error("a chart shows one region or England alone")]
    Mixed,
    #[error("name a council, councils, a region or England")]
    Empty,
}

/// A name resolved.
#[derive(Debug, Clone)]
enum Named<'k> {
    Council(&'k Authority),
    /// A region of the register, or [`ENGLAND`].
    Area(String),
}

/// What the chart of `names` shows: councils (one or several), or one region or England.
/// Names are those of the register's authorities (any case, "council" and the like ignored,
/// a small typo forgiven), its regions, or "England", separated by spaces, commas, "and" or
/// "vs".
pub fn plan(k: &Knowledge, names: &str) -> Result<Chart, PlanError> {
    let named = resolve_all(k, names)?;
    let areas: Vec<&String> = named
        .iter()
        .filter_map(|n| match n {
            Named::Area(a) => Some(a),
            Named::Council(_) => None,
        })
        .collect();
    match (areas.as_slice(), named.len()) {
        (_, 0) => Err(PlanError::Empty),
        ([area], 1) => Ok(Chart::Area(area_of(k, area))),
        ([], _) => {
            let mut series: Vec<Series> = Vec::new();
            for n in &named {
                if let Named::Council(a) = n {
                    if !series.iter().any(|s| s.id == a.id) {
                        series.push(series_of(k, a));
                    }
                }
            }
            if series.len() > MAX_COUNCILS {
                return Err(PlanError::TooMany);
            }
            Ok(Chart::Councils(series))
        }
        _ => Err(PlanError::Mixed),
    }
}

/// Words between names.
const CONNECTORS: [&str; 6] = ["and", "vs", "v", "versus", "with", "&"];

/// Every name in `names`, longest exact name first; words that name nothing exactly, up to the
/// next connector, are taken as one name with a typo.
fn resolve_all<'k>(k: &'k Knowledge, names: &str) -> Result<Vec<Named<'k>>, PlanError> {
    let spaced = names.replace([',', ';', '/'], " and ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let end = (start + 1..=words.len())
            .rev()
            .find_map(|end| exact(k, &words[start..end].join(" ")).map(|n| (n, end)));
        if let Some((n, end)) = end {
            out.push(n);
            start = end;
            continue;
        }
        if CONNECTORS.contains(&words[start].to_lowercase().as_str()) {
            start += 1;
            continue;
        }
        let end = (start..words.len())
            .find(|&i| CONNECTORS.contains(&words[i].to_lowercase().as_str()))
            .unwrap_or(words.len());
        let run = words[start..end].join(" ");
        out.push(find(k, &run).ok_or(PlanError::Unknown(run))?);
        start = end;
    }
    Ok(out)
}

/// Words a council's name may carry that do not tell councils apart.
const FILLER: [&str; 8] = [
    "council",
    "city",
    "county",
    "borough",
    "metropolitan",
    "district",
    "of",
    "the",
];

/// `name` folded, without filler words.
fn key(name: &str) -> String {
    let folded = fold(&name.replace('&', " and "));
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .collect();
    words.join(" ")
}

/// The register's regions, in the order they first appear.
fn regions(k: &Knowledge) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in k
        .register
        .authorities
        .iter()
        .filter_map(|a| a.region.as_deref())
    {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// The thing `typed` names exactly (after folding), if any.
fn exact<'k>(k: &'k Knowledge, typed: &str) -> Option<Named<'k>> {
    let want = key(typed);
    if want.is_empty() {
        return None;
    }
    if want == key(ENGLAND) {
        return Some(Named::Area(ENGLAND.to_string()));
    }
    if let Some(r) = regions(k).into_iter().find(|r| key(r) == want) {
        return Some(Named::Area(r.to_string()));
    }
    let names = |a: &'k Authority| {
        [a.short_name.as_str(), a.name.as_str()]
            .into_iter()
            .chain(a.aliases.iter().map(String::as_str))
    };
    let mut found = k
        .register
        .authorities
        .iter()
        .filter(|a| names(a).any(|n| key(n) == want));
    // A name of an abolished authority and one of today (Bedfordshire): today's.
    let first = found.next()?;
    let today = std::iter::once(first)
        .chain(found)
        .find(|a| a.ended.is_none());
    Some(Named::Council(today.unwrap_or(first)))
}

/// The thing `typed` names: exactly, else the curated council the knowledge base's index
/// takes it for, else the one authority whose name is a small typo away.
fn find<'k>(k: &'k Knowledge, typed: &str) -> Option<Named<'k>> {
    if let Some(n) = exact(k, typed) {
        return Some(n);
    }
    if let Resolved::Corrected(i) = k.find_council(typed) {
        if let Some(a) = k.register.authority(&k.councils[i].id) {
            return Some(Named::Council(a));
        }
    }
    let want = key(typed);
    let mut best: Vec<(f64, &Authority)> = k
        .register
        .authorities
        .iter()
        .map(|a| {
            (
                strsim::normalized_damerau_levenshtein(&want, &key(&a.short_name)),
                a,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    match best.as_slice() {
        [(_, a)] => Some(Named::Council(a)),
        [(s, a), (t, _), ..] if s > t => Some(Named::Council(a)),
        _ => None,
    }
}

/// The round a curated rating belongs to: its year's only round, for a rating of the whole
/// service; `None` when the year had two rounds or the rating is of one area.
fn round_of_year(year: i64, area: ServiceArea) -> Option<usize> {
    if area != ServiceArea::Overall {
        return None;
    }
    let prefix = format!("{year}-");
    let mut rounds = ROUNDS
        .iter()
        .enumerate()
        .filter(|(_, r)| r.starts_with(&prefix));
    match (rounds.next(), rounds.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Everything sourced about one council.
fn series_of(k: &Knowledge, a: &Authority) -> Series {
    let mut stars: Vec<StarPoint> = k
        .register
        .star_ratings
        .iter()
        .filter(|r| r.council == a.id)
        .filter_map(|r| {
            Some(StarPoint {
                round: ROUNDS.iter().position(|x| *x == r.round)?,
                stars: r.stars,
                claim: Claim::Press,
                source: r.url.clone(),
            })
        })
        .collect();
    if let Some(c) = k.councils.iter().position(|c| c.id == a.id) {
        stars.extend(k.ratings_of(c).filter_map(|r| {
            Some(StarPoint {
                round: round_of_year(r.year, r.area)?,
                stars: u8::try_from(r.stars).ok(),
                claim: Claim::Article,
                source: r.source.clone(),
            })
        }));
    }
    stars.sort_by_key(|p| p.round);
    let judgement = k
        .register
        .inspections
        .iter()
        .find(|i| i.council == a.id)
        .map(|i| Judgement {
            published: i.published.clone(),
            overall: i.overall,
            report: i.report.clone(),
        });
    Series {
        id: a.id.clone(),
        name: a.short_name.clone(),
        stars,
        judgement,
        ended: a.ended.clone(),
    }
}

/// Today's Ofsted grades of the councils in `name` (a region or England), and the national
/// totals. A region's councils are those `!councils` lists: each region a source gives.
fn area_of(k: &Knowledge, name: &str) -> Area {
    let mut grades = Grades::default();
    let today: Vec<usize> = if name == ENGLAND {
        (0..k.councils.len())
            .filter(|&c| k.authority_of(c).is_some_and(|a| a.ended.is_none()))
            .collect()
    } else {
        k.councils_in(name, usize::MAX).0
    };
    for c in today {
        grades.count(k.inspection_of(c));
    }
    let totals = k
        .register
        .star_totals
        .iter()
        .filter_map(|t| {
            Some(RoundTotal {
                round: ROUNDS.iter().position(|x| *x == t.round)?,
                scope: scope_of_round(&t.round),
                counts: [t.zero, t.one, t.two, t.three],
                rated: t.rated,
            })
        })
        .collect();
    Area {
        name: name.to_string(),
        grades,
        totals,
    }
}
