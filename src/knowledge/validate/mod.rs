//! Validating parsed knowledge files as a whole: ids, references, ranges and quotes, each
//! problem reported at its `file:line:col`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::{Month, Months, NaiveDate};

use super::confined::{size, Refused, Root};
use super::error::{Cursor, LoadError};
use super::limits::shown;
use super::load::KnowledgeText;
use super::model::*;
use super::normalize::fold_for_quote;
use super::origin::{span_of, Layout, Origin};
use super::syntax::{is_date, is_slug};
use super::Knowledge;

mod citations;
mod entries;
mod lengths;

/// The most a source text may hold.
pub const MAX_SOURCE: u64 = 8 << 20;

/// The most all source texts together may hold (a file cited by several sources counts
/// each time).
pub const MAX_SOURCES: u64 = 64 << 20;

/// The most problems one check reports; the rest are counted.
pub const MAX_REPORTED: usize = 100;

/// Checks knowledge taken from parsed files, remembering where each entry came from.
pub struct Validator<'a> {
    dir: &'a Path,
    /// `dir` resolved, once a source file is read.
    root: Option<Root>,
    /// Bytes of source text read so far.
    source_bytes: u64,
    files: &'a [KnowledgeText],
    layouts: &'a [Layout],
    problems: Vec<Problem>,
    lookups: Vec<Lookup>,
    /// Problems found beyond [`MAX_REPORTED`].
    more: usize,
    origins: Origins,
}

/// The one piece of a file parsed for placing problems: `(file, piece)` and its document.
struct OpenPiece<'t> {
    key: (usize, usize),
    doc: Option<toml_edit::Document<&'t str>>,
}

/// A quote to look for in its source's text once every quote is known.
struct Lookup {
    source: usize,
    /// The quote as [`fold_for_quote`] folds it.
    quote: String,
    at: Origin,
    /// The problem to report if the quote is found.
    then: Option<(Origin, String)>,
}

/// A problem found, placed in its file only when reported.
struct Problem {
    at: Origin,
    message: Message,
}

enum Message {
    Text(String),
    /// A duplicate id, whose message names where the id was first defined.
    Duplicate {
        kind: Kind,
        id: String,
        first: Origin,
    },
}

/// Where each entry of each kind came from, by index into [`Knowledge`]'s lists.
#[derive(Default)]
struct Origins([Vec<Origin>; Kind::ALL.len()]);

impl Origins {
    fn of(&self, kind: Kind) -> &[Origin] {
        &self.0[kind as usize]
    }
}

/// What quotes and references are checked against.
struct Refs<'a> {
    sources: &'a HashMap<&'a str, usize>,
    councils: &'a HashMap<&'a str, usize>,
    people: &'a HashMap<&'a str, usize>,
    regions: &'a HashMap<&'a str, usize>,
    /// Folded text of each source that has a file.
    texts: Vec<Option<String>>,
}

impl<'a> Validator<'a> {
    /// A validator for `files`, cut for parsing as `layouts` says, whose sources are read
    /// relative to `dir`.
    pub fn new(dir: &'a Path, files: &'a [KnowledgeText], layouts: &'a [Layout]) -> Self {
        Validator {
            dir,
            root: None,
            source_bytes: 0,
            files,
            layouts,
            problems: Vec::new(),
            lookups: Vec::new(),
            more: 0,
            origins: Origins::default(),
        }
    }

    /// Moves one parsed file's entries into `k`, remembering where each came from.
    pub fn take(&mut self, file: usize, parsed: KnowledgeFile, k: &mut Knowledge) {
        for (kind, n) in Kind::ALL.into_iter().zip(parsed.counts()) {
            self.origins.0[kind as usize].extend((0..n).map(|i| Origin::entry(file, kind, i)));
        }
        k.sources.extend(parsed.sources);
        k.councils.extend(parsed.councils);
        k.people.extend(parsed.people);
        k.schemes.extend(parsed.schemes);
        k.ratings.extend(parsed.ratings);
        k.figures.extend(parsed.figures);
        k.regions.extend(parsed.regions);
    }

    /// The errors found, in file and position order; past [`MAX_REPORTED`], a count.
    pub fn into_errors(self) -> Vec<LoadError> {
        let wanted: Vec<Origin> = self
            .problems
            .iter()
            .flat_map(|p| match &p.message {
                Message::Text(_) => [Some(p.at), None],
                Message::Duplicate { first, .. } => [Some(p.at), Some(*first)],
            })
            .flatten()
            .collect();
        let offsets = self.offsets(&wanted);
        let places = self.places(wanted.iter().zip(&offsets).map(|(o, &at)| (o.file, at)));
        let place = |file: usize, offset: usize| {
            let (line, col) = places[&(file, offset)];
            (self.files[file].path.clone(), line, col)
        };
        let mut next = offsets.iter();
        let mut errors: Vec<(usize, usize, LoadError)> = Vec::new();
        for p in self.problems {
            let offset = *next.next().expect("an offset for each problem");
            let (file, line, col) = place(p.at.file, offset);
            let message = match p.message {
                Message::Text(m) => m,
                Message::Duplicate { kind, id, first } => {
                    let at = *next.next().expect("an offset for the first");
                    let (path, l, c) = place(first.file, at);
                    let kind = kind.key();
                    let there = format!("{}:{l}:{c}", path.display());
                    format!("duplicate {kind} id `{id}`, first defined at {there}; give this one another id")
                }
            };
            let error = LoadError {
                file,
                line,
                col,
                message,
            };
            errors.push((p.at.file, offset, error));
        }
        errors.sort_by_key(|(f, o, _)| (*f, *o));
        let mut errors: Vec<LoadError> = errors.into_iter().map(|(_, _, e)| e).collect();
        if self.more > 0 {
            let message = format!("and {} more problems; fix these and check again", self.more);
            errors.push(LoadError::file(self.dir, message));
        }
        errors
    }

    /// The byte offset of each origin, parsing each piece of a file that holds one once.
    fn offsets(&self, wanted: &[Origin]) -> Vec<usize> {
        let found: Vec<(usize, usize, Range<usize>, Origin)> = wanted
            .iter()
            .map(|o| {
                let (piece, range, local) = self.layouts[o.file].find(o);
                (o.file, piece, range, local)
            })
            .collect();
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&i| (found[i].0, found[i].1));
        let mut offsets = vec![0; found.len()];
        let mut open: Option<OpenPiece> = None;
        for i in order {
            let (file, piece, range, local) = &found[i];
            let key = (*file, *piece);
            if open.as_ref().is_none_or(|o| o.key != key) {
                let text = &self.files[*file].text[range.clone()];
                let doc = toml_edit::Document::parse(text).ok();
                open = Some(OpenPiece { key, doc });
            }
            let doc = open.as_ref().and_then(|o| o.doc.as_ref());
            offsets[i] = range.start + doc.and_then(|d| span_of(d, local.path())).unwrap_or(0);
        }
        offsets
    }

    /// Line and column of each `(file, offset)`, each file read once.
    fn places(
        &self,
        wanted: impl Iterator<Item = (usize, usize)>,
    ) -> HashMap<(usize, usize), (usize, usize)> {
        let mut keys: Vec<(usize, usize)> = wanted.collect();
        keys.sort_unstable();
        keys.dedup();
        let mut places = HashMap::with_capacity(keys.len());
        let mut cursor: Option<(usize, Cursor)> = None;
        for (file, offset) in keys {
            if cursor.as_ref().is_none_or(|(f, _)| *f != file) {
                cursor = Some((file, Cursor::new(&self.files[file].text)));
            }
            let (_, c) = cursor.as_mut().expect("a cursor");
            places.insert((file, offset), c.line_col(offset));
        }
        places
    }

    /// True when no more problems will be reported, only counted.
    fn full(&self) -> bool {
        self.problems.len() >= MAX_REPORTED
    }

    fn error(&mut self, at: &Origin, message: impl Into<String>) {
        self.problem(at, Message::Text(message.into()));
    }

    fn problem(&mut self, at: &Origin, message: Message) {
        if self.full() {
            self.more += 1;
        } else {
            self.problems.push(Problem { at: *at, message });
        }
    }

    /// Checks every rule that spans entries and files; true when nothing is wrong.
    pub fn check(&mut self, k: &mut Knowledge) -> bool {
        self.check_lengths(k);
        self.check_sources(k);
        self.check_ids(k);
        let sources = ids(k.sources.iter().map(|s| s.id.as_str()));
        let councils = ids(k.councils.iter().map(|c| c.id.as_str()));
        let people = ids(k.people.iter().map(|p| p.id.as_str()));
        let regions = ids(k.regions.iter().map(|r| r.id.as_str()));
        let refs = Refs {
            sources: &sources,
            councils: &councils,
            people: &people,
            regions: &regions,
            texts: k
                .sources
                .iter()
                .map(|s| s.text.as_deref().map(fold_for_quote))
                .collect(),
        };
        self.check_councils(k, &refs);
        self.check_people(k, &refs);
        self.check_schemes(k, &refs);
        self.check_ratings(k, &refs);
        self.check_figures(k, &refs);
        self.check_regions(k, &refs);
        self.find_quotes(k, &refs.texts);
        self.check_names(k);
        self.problems.is_empty()
    }

    /// Dates are real dates; source files are read.
    fn check_sources(&mut self, k: &mut Knowledge) {
        for (i, s) in k.sources.iter_mut().enumerate() {
            let at = self.origins.of(Kind::Source)[i];
            if let Some(date) = &s.date {
                if !is_date(date) {
                    let date = shown(date);
                    let message =
                        format!("date `{date}` is not a date like 2004-11-19, 2004-11 or 2004");
                    self.error(&at.key("date"), message);
                } else if let Some(why) = missing_day(date) {
                    let message = format!("date `{date}` does not exist: {why}");
                    self.error(&at.key("date"), message);
                }
            }
            if let Some(file) = &s.file {
                match self.read_source(file) {
                    Ok(text) => s.text = Some(text),
                    Err(message) => self.error(&at.key("file"), message),
                }
            }
        }
    }

    /// The text of a source file: a regular file inside the knowledge directory, of at most
    /// [`MAX_SOURCE`] bytes.
    fn read_source(&mut self, file: &str) -> Result<String, String> {
        let root = match &self.root {
            Some(root) => root,
            None => {
                let root = Root::new(self.dir)
                    .map_err(|e| format!("cannot read the knowledge directory: {e}"))?;
                self.root.insert(root)
            }
        };
        let text = root.read(Path::new(file), MAX_SOURCE).map_err(|r| {
            let advice = match r {
                Refused::Io(_) => "the path is relative to the knowledge directory",
                Refused::Outside => "a source text must be inside the knowledge directory, with its path given relative to it",
                Refused::NotRegular(_) => "a source text must be a regular file",
                Refused::TooLarge(_) => "keep only the words of the source",
            };
            format!("cannot read source file `{file}`: {r}; {advice}")
        })?;
        self.source_bytes += text.len() as u64;
        if self.source_bytes > MAX_SOURCES {
            let cap = size(MAX_SOURCES);
            return Err(format!("cannot read source file `{file}`: the source texts hold more than {cap} in all, the most a knowledge base may hold"));
        }
        Ok(text)
    }

    /// Ids are slugs, unique within their kind.
    fn check_ids(&mut self, k: &Knowledge) {
        let lists: [(Kind, Vec<&str>); 6] = [
            (
                Kind::Source,
                k.sources.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Council,
                k.councils.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Person,
                k.people.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Scheme,
                k.schemes.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Figure,
                k.figures.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Region,
                k.regions.iter().map(|x| x.id.as_str()).collect(),
            ),
        ];
        for (kind, list) in lists {
            self.unique_ids(kind, &list);
        }
    }

    fn unique_ids(&mut self, kind: Kind, list: &[&str]) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in list.iter().enumerate() {
            let at = self.origins.of(kind)[i].key("id");
            let name = kind.key();
            if !is_slug(id) {
                let id = shown(id);
                self.error(&at, format!("{name} id `{id}` must be a slug: lower-case letters and digits joined by single hyphens, like `peter-hay`"));
            }
            if let Some(&j) = first.get(id) {
                let first = self.origins.of(kind)[j].key("id");
                let id = shown(id).into_owned();
                self.problem(&at, Message::Duplicate { kind, id, first });
            } else {
                first.insert(id, i);
            }
        }
    }
}

/// Why a `YYYY-MM-DD` date in the right shape is not in the calendar (`2004-02-31`), if it
/// is not.
fn missing_day(date: &str) -> Option<String> {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(year)), Some(Some(month)), Some(Some(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let year = i32::try_from(year).ok()?;
    if NaiveDate::from_ymd_opt(year, month, day).is_some() {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    let days = next.signed_duration_since(first).num_days();
    let name = Month::try_from(u8::try_from(month).ok()?).ok()?.name();
    Some(format!("{name} {year} has {days} days"))
}

/// Each id's first position.
fn ids<'a>(list: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut map = HashMap::with_capacity(list.size_hint().0);
    for (i, id) in list.enumerate() {
        map.entry(id).or_insert(i);
    }
    map
}
