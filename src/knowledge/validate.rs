//! Validating parsed knowledge files as a whole: ids, references, ranges and quotes, each
//! problem reported at its `file:line:col`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::{Month, Months, NaiveDate};
use regex::Regex;

use super::confined::{size, Refused, Root};
use super::error::{Cursor, LoadError};
use super::index::Clash;
use super::limits::{self, shown, Capped};
use super::load::KnowledgeText;
use super::model::*;
use super::normalize::{fold_for_quote, name_key};
use super::origin::{span_of, Layout, Origin};
use super::quote::{self, quotes_in, Gives, Quoted, Rule};
use super::{Knowledge, COUNCIL_FILLER, PERSON_FILLER, SCHEME_FILLER};

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
    slug: Regex,
    gss: Regex,
    date: Regex,
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
            slug: Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").expect("valid regex"),
            gss: Regex::new(r"^[EWSN]\d{8}$").expect("valid regex"),
            date: Regex::new(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
                .expect("valid regex"),
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

    /// Every text field is within its cap, and no entry has too many aliases.
    fn check_lengths(&mut self, k: &Knowledge) {
        for (i, s) in k.sources.iter().enumerate() {
            let at = self.origins.of(Kind::Source)[i];
            self.capped(&at, s);
        }
        for (i, c) in k.councils.iter().enumerate() {
            let at = self.origins.of(Kind::Council)[i];
            self.capped(&at, c);
            self.aliases(&at, &c.aliases);
            if let Some(r) = &c.register {
                self.capped(&at.key("register"), r);
            }
            self.capped_list(&at, "note", &c.notes);
        }
        for (i, p) in k.people.iter().enumerate() {
            let at = self.origins.of(Kind::Person)[i];
            self.capped(&at, p);
            self.aliases(&at, &p.aliases);
            self.capped_list(&at, "role", &p.roles);
            self.capped_list(&at, "said", &p.quotes);
            self.capped_list(&at, "note", &p.notes);
        }
        for (i, s) in k.schemes.iter().enumerate() {
            let at = self.origins.of(Kind::Scheme)[i];
            self.capped(&at, s);
            self.aliases(&at, &s.aliases);
            self.capped(&at.key("description"), &s.description);
            let named = [
                ("started", &s.started),
                ("cost", &s.cost),
                ("reach", &s.reach),
                ("outcome", &s.outcome),
            ];
            for (key, d) in named {
                if let Some(d) = d {
                    self.capped(&at.key(key), d);
                }
            }
            self.capped_list(&at, "detail", &s.details);
        }
        for (i, r) in k.ratings.iter().enumerate() {
            let at = self.origins.of(Kind::Rating)[i];
            self.capped(&at, r);
        }
        for (i, f) in k.figures.iter().enumerate() {
            let at = self.origins.of(Kind::Figure)[i];
            self.capped(&at, f);
        }
        for (i, r) in k.regions.iter().enumerate() {
            let at = self.origins.of(Kind::Region)[i];
            self.capped(&at, r);
            self.aliases(&at, &r.aliases);
            self.capped_list(&at, "note", &r.notes);
        }
    }

    fn capped(&mut self, at: &Origin, fact: &impl Capped) {
        for (key, value, max) in fact.fields() {
            if let Some(message) = value.and_then(|v| limits::too_long(key, v, max)) {
                self.error(&at.key(key), message);
            }
        }
    }

    fn capped_list(&mut self, at: &Origin, key: &'static str, list: &[impl Capped]) {
        for (j, fact) in list.iter().enumerate() {
            self.capped(&at.item(key, j), fact);
        }
    }

    fn aliases(&mut self, at: &Origin, aliases: &[String]) {
        if aliases.len() > limits::ALIASES {
            let message = format!(
                "more than {} aliases; keep the names people use",
                limits::ALIASES
            );
            self.error(&at.key("aliases"), message);
        }
        for (j, a) in aliases.iter().enumerate() {
            if let Some(message) = limits::too_long("alias", a, limits::SHORT) {
                self.error(&at.item("aliases", j), message);
            }
        }
    }

    /// Dates are real dates; source files are read.
    fn check_sources(&mut self, k: &mut Knowledge) {
        for (i, s) in k.sources.iter_mut().enumerate() {
            let at = self.origins.of(Kind::Source)[i];
            if let Some(date) = &s.date {
                if !self.date.is_match(date) {
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
            if !self.slug.is_match(id) {
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

    fn check_councils(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, c) in k.councils.iter().enumerate() {
            let at = self.origins.of(Kind::Council)[i];
            self.nonempty(&at.key("name"), "council name", &c.name);
            if let Some(gss) = &c.gss {
                if !self.gss.is_match(gss) {
                    let gss = shown(gss);
                    self.error(&at.key("gss"), format!("GSS code `{gss}` is not a letter (E, W, S or N) followed by eight digits, like E08000025"));
                }
            }
            match &c.register {
                Some(r) => {
                    // A GSS code in the wrong shape is reported above.
                    let gss = c.gss.as_deref().filter(|g| self.gss.is_match(g));
                    let gives: Vec<Gives> = std::iter::once(Gives::Council(&c.name, &c.aliases))
                        .chain(gss.map(Gives::Code))
                        .collect();
                    let rule = Rule {
                        min_words: 1,
                        gives: &gives,
                    };
                    self.citation(refs, &at.key("register"), Quoted::of(r), rule);
                }
                None if c.kind.is_some() || c.region.is_some() || c.gss.is_some() => self.error(
                    &at,
                    format!("council `{}` gives kind, region or gss without `register = {{ source = \"…\", quote = \"…\" }}` saying where they come from", shown(&c.id)),
                ),
                None => {}
            }
            self.notes(refs, &at, &c.notes);
        }
    }

    fn check_people(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, p) in k.people.iter().enumerate() {
            let at = self.origins.of(Kind::Person)[i];
            self.nonempty(&at.key("name"), "person name", &p.name);
            for (j, r) in p.roles.iter().enumerate() {
                let at = at.item("role", j);
                if let Some(c) = &r.council {
                    self.reference(&at.key("council"), Kind::Council, c, refs.councils);
                }
                if r.leads_social_services && r.council.is_none() {
                    self.error(
                        &at,
                        "a role with `leads_social_services = true` needs `council = \"…\"`",
                    );
                }
                let gives = [Gives::Surname(quote::surname(&p.name))];
                self.citation(refs, &at, Quoted::of(r), Rule::giving(&gives));
            }
            for (j, s) in p.quotes.iter().enumerate() {
                let at = at.item("said", j);
                self.citation(refs, &at, Quoted::of(s), Rule::giving(&[]));
            }
            self.notes(refs, &at, &p.notes);
        }
    }

    fn check_schemes(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, s) in k.schemes.iter().enumerate() {
            let at = self.origins.of(Kind::Scheme)[i];
            self.nonempty(&at.key("name"), "scheme name", &s.name);
            self.reference(&at.key("council"), Kind::Council, &s.council, refs.councils);
            self.reference(&at.key("source"), Kind::Source, &s.source, refs.sources);
            if let Some(c) = &s.inspired_by {
                self.reference(&at.key("inspired_by"), Kind::Council, c, refs.councils);
            }
            let named = [
                ("description", Some(&s.description)),
                ("started", s.started.as_ref()),
                ("cost", s.cost.as_ref()),
                ("reach", s.reach.as_ref()),
                ("outcome", s.outcome.as_ref()),
            ];
            let name = [Gives::Scheme(&s.name, &s.aliases)];
            for (key, d) in named {
                if let Some(d) = d {
                    let gives: &[Gives] = if key == "description" { &name } else { &[] };
                    self.detail(refs, &at.key(key), d, &s.source, gives);
                }
            }
            for (j, d) in s.details.iter().enumerate() {
                self.detail(refs, &at.item("detail", j), d, &s.source, &[]);
            }
        }
    }

    fn check_ratings(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, r) in k.ratings.iter().enumerate() {
            let at = self.origins.of(Kind::Rating)[i];
            self.reference(&at.key("council"), Kind::Council, &r.council, refs.councils);
            if !(0..=3).contains(&r.stars) {
                self.error(&at.key("stars"), format!("stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found {}", r.stars));
            }
            if !(1900..=2100).contains(&r.year) {
                let message = format!(
                    "year must be a four-digit year such as 2004, found {}",
                    r.year
                );
                self.error(&at.key("year"), message);
            }
            // Stars out of range are reported above; the quote cannot give them.
            let stars = [Gives::Stars(r.stars)];
            let gives: &[Gives] = if (0..=3).contains(&r.stars) {
                &stars
            } else {
                &[]
            };
            self.citation(refs, &at, Quoted::of(r), Rule::giving(gives));
        }
    }

    fn check_figures(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, f) in k.figures.iter().enumerate() {
            let at = self.origins.of(Kind::Figure)[i];
            match (&f.council, &f.region) {
                (Some(c), None) => {
                    self.reference(&at.key("council"), Kind::Council, c, refs.councils)
                }
                (None, Some(r)) => self.reference(&at.key("region"), Kind::Region, r, refs.regions),
                _ => self.error(
                    &at,
                    format!(
                        "figure `{}` needs exactly one of `council = \"…\"` and `region = \"…\"`",
                        shown(&f.id)
                    ),
                ),
            }
            if !f.value.is_finite() || f.value < 0.0 {
                let message = format!(
                    "value must be a finite number of zero or more, found {}",
                    f.value
                );
                self.error(&at.key("value"), message);
            }
            if f.unit == Unit::Percent && f.value > 100.0 {
                let message = format!("a percentage must be at most 100, found {}", f.value);
                self.error(&at.key("value"), message);
            }
            // A value out of range is reported above.
            let valid = f.value.is_finite() && f.value >= 0.0;
            let valid = valid && !(f.unit == Unit::Percent && f.value > 100.0);
            let gives: Vec<Gives> = (valid.then_some(f.value).into_iter())
                .chain(f.previous)
                .map(Gives::Number)
                .collect();
            self.citation(refs, &at, Quoted::of(f), Rule::giving(&gives));
        }
    }

    fn check_regions(&mut self, k: &Knowledge, refs: &Refs) {
        for (i, r) in k.regions.iter().enumerate() {
            let at = self.origins.of(Kind::Region)[i];
            self.nonempty(&at.key("name"), "region name", &r.name);
            self.notes(refs, &at, &r.notes);
        }
    }

    fn nonempty(&mut self, at: &Origin, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(at, format!("{what} must not be empty"));
        }
    }

    fn reference(&mut self, at: &Origin, kind: Kind, id: &str, known: &HashMap<&str, usize>) {
        if !known.contains_key(id) {
            if id.len() > 4 * limits::ID {
                // Too long to be an id: reported as too long.
                return;
            }
            if self.full() {
                // Looking for a close id costs a pass over the known ones.
                self.more += 1;
                return;
            }
            let kind = kind.key();
            let hint = match closest(id, known.keys().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => format!("; add a [[{kind}]] with id = \"{id}\" or use an existing id"),
            };
            let id = shown(id);
            self.error(at, format!("unknown {kind} `{id}`{hint}"));
        }
    }

    /// Checks a source reference, that the quote appears in the source's text, and that it
    /// supports the fact: at least `rule.min_words` words giving each of `rule.gives`, unless
    /// `quote_note` says why it cannot. Only the first problem with a quote is reported.
    fn citation(&mut self, refs: &Refs, at: &Origin, q: Quoted, rule: Rule) {
        let Some(&s) = refs.sources.get(q.source) else {
            self.reference(&at.key("source"), Kind::Source, q.source, refs.sources);
            return;
        };
        let at_quote = at.key("quote");
        if q.quote.trim().is_empty() {
            self.error(
                &at_quote,
                "quote must not be empty: copy the words of the source that support this fact",
            );
            return;
        }
        let then = match q.note {
            Some(note) if note.trim().is_empty() => Some((
                at.key("quote_note"),
                "quote_note must not be empty: say why the quote cannot meet the quote rules, or remove it".to_string(),
            )),
            Some(_) => None,
            None => rule.broken_by(q.quote).map(|m| (at_quote, m)),
        };
        if refs.texts[s].is_some() {
            let quote = fold_for_quote(q.quote);
            self.lookups.push(Lookup {
                source: s,
                quote,
                at: at_quote,
                then,
            });
        } else if let Some((at, message)) = then {
            self.error(&at, message);
        }
    }

    /// Looks for every quote in its source's text, one pass over each text for all its
    /// quotes, and reports those not found, or else their other problem.
    fn find_quotes(&mut self, k: &Knowledge, texts: &[Option<String>]) {
        let lookups = std::mem::take(&mut self.lookups);
        let mut by_source: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, l) in lookups.iter().enumerate() {
            by_source.entry(l.source).or_default().push(i);
        }
        let mut found = vec![false; lookups.len()];
        for (s, list) in by_source {
            let text = texts[s].as_deref().unwrap_or_default();
            for (i, hit) in list.iter().zip(quotes_in(
                text,
                list.iter().map(|&i| lookups[i].quote.as_str()),
            )) {
                found[*i] = hit;
            }
        }
        for (l, found) in lookups.into_iter().zip(found) {
            if !found {
                let source = &k.sources[l.source].id;
                self.error(
                    &l.at,
                    format!("quote not found in source `{source}`: copy the words exactly as the source has them (spacing, case and quote marks may differ)"),
                );
            } else if let Some((at, message)) = l.then {
                self.error(&at, message);
            }
        }
    }

    /// Checks the `note` tables of the entry at `at`.
    fn notes(&mut self, refs: &Refs, at: &Origin, notes: &[Note]) {
        for (j, n) in notes.iter().enumerate() {
            let at = at.item("note", j);
            self.citation(refs, &at, Quoted::of(n), Rule::giving(&[]));
            if let Some(by) = &n.by {
                self.reference(&at.key("by"), Kind::Person, by, refs.people);
            }
        }
    }

    fn detail(&mut self, refs: &Refs, at: &Origin, d: &Detail, default: &str, gives: &[Gives]) {
        if d.source.is_none() && !refs.sources.contains_key(default) {
            // The scheme's own `source` is unknown and already reported once; the quote
            // cannot be checked against a source that does not exist.
            return;
        }
        let q = Quoted {
            source: d.source.as_deref().unwrap_or(default),
            quote: &d.quote,
            note: d.quote_note.as_deref(),
        };
        self.citation(refs, at, q, Rule::giving(gives));
    }

    /// Names and aliases must not collide within a kind.
    fn check_names(&mut self, k: &mut Knowledge) {
        for (kind, clash) in k.build_indexes() {
            self.clash(k, kind, &clash);
        }
    }

    fn clash(&mut self, k: &Knowledge, kind: Kind, clash: &Clash) {
        let (name, filler) = match kind {
            Kind::Council => (k.councils[clash.entity].name.as_str(), COUNCIL_FILLER),
            Kind::Region => (k.regions[clash.entity].name.as_str(), COUNCIL_FILLER),
            Kind::Person => (k.people[clash.entity].name.as_str(), PERSON_FILLER),
            _ => (k.schemes[clash.entity].name.as_str(), SCHEME_FILLER),
        };
        let id = |i: usize| match kind {
            Kind::Council => k.councils[i].id.as_str(),
            Kind::Region => k.regions[i].id.as_str(),
            Kind::Person => k.people[i].id.as_str(),
            _ => k.schemes[i].id.as_str(),
        };
        // Point at the name when it is the name that clashes, else at the aliases.
        let key = if name_key(name, filler) == clash.key {
            "name"
        } else {
            "aliases"
        };
        let at = self.origins.of(kind)[clash.entity].key(key);
        let message = format!(
            "{} `{}` has a name or alias that reads as `{}`, already a name of {} `{}`; names and aliases must tell {} apart",
            kind.key(),
            id(clash.entity),
            clash.key,
            kind.key(),
            id(clash.other),
            kind.plural(),
        );
        self.error(&at, message);
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

/// The known id closest to `id`, if any is close.
fn closest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::damerau_levenshtein(id, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}
