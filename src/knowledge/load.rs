//! Reading knowledge files and validating them as a whole.
//!
//! Every file is parsed, then every reference, range and quote is checked; any problem is
//! reported at its `file:line:col` and nothing is loaded.

use std::collections::HashMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use regex::Regex;

use super::error::{LoadError, LoadErrors};
use super::model::*;
use super::normalize::{fold_for_quote, name_key};
use super::pieces;
use super::verify::Pending;
use super::Knowledge;

/// A knowledge file's name and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeText {
    pub path: PathBuf,
    pub text: String,
}

/// Reads every `*.toml` file directly in `dir` (in name order) and loads them.
pub fn load_dir(dir: &Path) -> Result<Knowledge, LoadErrors> {
    load_texts(dir, read_dir(dir)?)
}

/// Reads every `*.toml` file directly in `dir`, in name order.
pub fn read_dir(dir: &Path) -> Result<Vec<KnowledgeText>, LoadErrors> {
    let entries = fs::read_dir(dir).map_err(|e| {
        LoadErrors(vec![LoadError::file(
            dir,
            format!("cannot read the knowledge directory: {e}; pass --knowledge DIR or set knowledge.dir in the config"),
        )])
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(LoadErrors(vec![LoadError::file(
            dir,
            "no knowledge files (*.toml) in this directory",
        )]));
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for path in paths {
        match fs::read_to_string(&path) {
            Ok(text) => files.push(KnowledgeText { path, text }),
            Err(e) => errors.push(LoadError::file(&path, format!("cannot read: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    Ok(files)
}

/// Loads knowledge from files already in memory; source files named by `[[source]] file` are
/// read relative to `dir`.
pub fn load_texts(dir: &Path, files: Vec<KnowledgeText>) -> Result<Knowledge, LoadErrors> {
    let mut parsed = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for (n, result) in parse_all(&files).into_iter().enumerate() {
        match result {
            Ok(k) => parsed.push((n, k)),
            Err(e) => {
                let file = &files[n];
                let offset = e.span().map_or(0, |s| s.start);
                let message = one_line_message(e.message());
                errors.push(LoadError::at(
                    &file.path,
                    &file.text,
                    offset,
                    fix_hint(&message),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    let mut v = Validator::new(dir, &files);
    let mut k = Knowledge::default();
    let mut imported = Pending::default();
    for (n, mut file) in parsed {
        imported.take(n, &mut file);
        v.take(n, file, &mut k);
    }
    v.check(&mut k);
    let mut errors = v.into_errors();
    match imported.check(dir, &files, &k.councils) {
        Ok(register) => k.register = register,
        Err(e) => errors.extend(e),
    }
    if errors.is_empty() {
        k.finish();
        Ok(k)
    } else {
        Err(LoadErrors(errors))
    }
}

/// Parses every file, large ones in pieces ([`pieces`]), on as many threads as there are
/// cores. A file whose pieces do not all parse is parsed again whole, so its error is reported
/// as in the whole file.
fn parse_all(files: &[KnowledgeText]) -> Vec<Result<KnowledgeFile, toml::de::Error>> {
    let jobs: Vec<(usize, Range<usize>)> = files
        .iter()
        .enumerate()
        .flat_map(|(n, f)| {
            let whole = Range {
                start: 0,
                end: f.text.len(),
            };
            let ranges = pieces::cut(&f.text).unwrap_or_else(|| vec![whole]);
            ranges.into_iter().map(move |r| (n, r))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let j = next.fetch_add(1, Ordering::Relaxed);
            let Some((n, range)) = jobs.get(j) else {
                return done;
            };
            let text = &files[*n].text[range.clone()];
            done.push((j, toml::from_str::<KnowledgeFile>(text)));
        }
    };
    let threads = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    let mut results: Vec<(usize, Result<KnowledgeFile, toml::de::Error>)> = if threads > 1 {
        thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("parsing does not panic"))
                .collect()
        })
    } else {
        work()
    };
    results.sort_by_key(|(j, _)| *j);
    let mut per_file: Vec<Vec<_>> = files.iter().map(|_| Vec::new()).collect();
    for ((n, _), (_, result)) in jobs.iter().zip(results) {
        per_file[*n].push(result);
    }
    per_file
        .into_iter()
        .zip(files)
        .map(|(mut parts, file)| {
            if parts.len() == 1 {
                return parts.pop().expect("one part");
            }
            if parts.iter().any(Result::is_err) {
                return toml::from_str(&file.text);
            }
            let mut whole = KnowledgeFile::default();
            for part in parts.into_iter().flatten() {
                whole.append(part);
            }
            Ok(whole)
        })
        .collect()
}

/// A toml message on one line: "invalid array\nexpected `]`" reads "invalid array: expected `]`",
/// and Rust type names read as words.
fn one_line_message(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .join(": ")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
}

/// Adds advice to toml's messages for the mistakes people make most.
fn fix_hint(message: &str) -> String {
    if message.starts_with("unknown field") {
        format!("{message}; remove the key or correct its spelling")
    } else if message.starts_with("missing field") {
        format!("{message}; add it to this entry")
    } else if message.starts_with("invalid type") {
        format!("{message}; change the value to the expected type")
    } else {
        message.to_string()
    }
}

/// One step of a path into a knowledge file.
#[derive(Debug, Clone, Copy)]
enum Seg {
    Key(&'static str),
    Index(usize),
}

/// Where an entity lives: its file and its path there (`council`, 3). Held inline, without
/// allocating: validation makes one for every value it checks.
#[derive(Debug, Clone, Copy)]
struct Origin {
    file: usize,
    len: usize,
    steps: [Seg; MAX_DEPTH],
}

/// The deepest path validation names (`person`, 0, `role`, 1, `council`) has five steps.
const MAX_DEPTH: usize = 5;

impl Origin {
    fn new(file: usize, path: &[Seg]) -> Origin {
        let mut o = Origin {
            file,
            len: 0,
            steps: [Seg::Index(0); MAX_DEPTH],
        };
        for &s in path {
            o.push(s);
        }
        o
    }

    /// The path to the value.
    fn path(&self) -> &[Seg] {
        &self.steps[..self.len]
    }

    fn push(&mut self, seg: Seg) {
        // A deeper path would only be reported at its deepest known part.
        if self.len < MAX_DEPTH {
            self.steps[self.len] = seg;
            self.len += 1;
        }
    }

    fn key(&self, key: &'static str) -> Origin {
        let mut o = *self;
        o.push(Seg::Key(key));
        o
    }

    fn item(&self, key: &'static str, index: usize) -> Origin {
        let mut o = self.key(key);
        o.push(Seg::Index(index));
        o
    }
}

struct Validator<'a> {
    dir: &'a Path,
    files: &'a [KnowledgeText],
    docs: HashMap<usize, toml_edit::Document<&'a str>>,
    errors: Vec<(usize, usize, LoadError)>,
    origins: Origins,
    slug: Regex,
    gss: Regex,
    date: Regex,
}

#[derive(Default)]
struct Origins {
    sources: Vec<Origin>,
    councils: Vec<Origin>,
    people: Vec<Origin>,
    schemes: Vec<Origin>,
    ratings: Vec<Origin>,
    figures: Vec<Origin>,
    regions: Vec<Origin>,
}

impl<'a> Validator<'a> {
    fn new(dir: &'a Path, files: &'a [KnowledgeText]) -> Self {
        Validator {
            dir,
            files,
            docs: HashMap::new(),
            errors: Vec::new(),
            origins: Origins::default(),
            slug: Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").expect("valid regex"),
            gss: Regex::new(r"^[EWSN]\d{8}$").expect("valid regex"),
            date: Regex::new(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
                .expect("valid regex"),
        }
    }

    /// Moves one parsed file's entities into `k`, remembering where each came from.
    fn take(&mut self, file: usize, parsed: KnowledgeFile, k: &mut Knowledge) {
        let at = |key: &'static str, i: usize| Origin::new(file, &[Seg::Key(key), Seg::Index(i)]);
        for (i, x) in parsed.sources.into_iter().enumerate() {
            self.origins.sources.push(at("source", i));
            k.sources.push(x);
        }
        for (i, x) in parsed.councils.into_iter().enumerate() {
            self.origins.councils.push(at("council", i));
            k.councils.push(x);
        }
        for (i, x) in parsed.people.into_iter().enumerate() {
            self.origins.people.push(at("person", i));
            k.people.push(x);
        }
        for (i, x) in parsed.schemes.into_iter().enumerate() {
            self.origins.schemes.push(at("scheme", i));
            k.schemes.push(x);
        }
        for (i, x) in parsed.ratings.into_iter().enumerate() {
            self.origins.ratings.push(at("rating", i));
            k.ratings.push(x);
        }
        for (i, x) in parsed.figures.into_iter().enumerate() {
            self.origins.figures.push(at("figure", i));
            k.figures.push(x);
        }
        for (i, x) in parsed.regions.into_iter().enumerate() {
            self.origins.regions.push(at("region", i));
            k.regions.push(x);
        }
    }

    fn error(&mut self, at: &Origin, message: impl Into<String>) {
        let file = &self.files[at.file];
        let doc = self.docs.entry(at.file).or_insert_with(|| {
            toml_edit::Document::parse(file.text.as_str()).expect("parsed before")
        });
        let offset = span_of(doc, at.path()).unwrap_or(0);
        let e = LoadError::at(&file.path, &file.text, offset, message);
        self.errors.push((at.file, offset, e));
    }

    fn into_errors(mut self) -> Vec<LoadError> {
        self.errors.sort_by_key(|(f, o, _)| (*f, *o));
        self.errors.into_iter().map(|(_, _, e)| e).collect()
    }

    fn place(&self, at: &Origin) -> String {
        let file = &self.files[at.file];
        let doc = toml_edit::Document::parse(file.text.as_str()).expect("parsed before");
        let offset = span_of(&doc, at.path()).unwrap_or(0);
        LoadError::at(&file.path, &file.text, offset, "")
            .to_string()
            .trim_end_matches(": ")
            .to_string()
    }

    /// Checks every rule that spans entries and files.
    fn check(&mut self, k: &mut Knowledge) {
        self.check_sources(k);
        let sources = ids(&k.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>());
        let councils = ids(&k.councils.iter().map(|c| c.id.as_str()).collect::<Vec<_>>());
        let people = ids(&k.people.iter().map(|p| p.id.as_str()).collect::<Vec<_>>());
        let regions = ids(&k.regions.iter().map(|p| p.id.as_str()).collect::<Vec<_>>());
        self.unique_ids(
            "source",
            &k.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            &self.origins.sources.clone(),
        );
        self.unique_ids(
            "council",
            &k.councils.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            &self.origins.councils.clone(),
        );
        self.unique_ids(
            "person",
            &k.people.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            &self.origins.people.clone(),
        );
        self.unique_ids(
            "scheme",
            &k.schemes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            &self.origins.schemes.clone(),
        );
        self.unique_ids(
            "figure",
            &k.figures.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            &self.origins.figures.clone(),
        );
        self.unique_ids(
            "region",
            &k.regions.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            &self.origins.regions.clone(),
        );
        let refs = Refs {
            sources: &sources,
            councils: &councils,
            people: &people,
            texts: k
                .sources
                .iter()
                .map(|s| s.text.as_deref().map(fold_for_quote))
                .collect(),
        };

        for (i, c) in k.councils.iter().enumerate() {
            let at = self.origins.councils[i];
            self.nonempty(&at.key("name"), "council name", &c.name);
            if let Some(gss) = &c.gss {
                if !self.gss.is_match(gss) {
                    self.error(&at.key("gss"), format!("GSS code `{gss}` is not a letter (E, W, S or N) followed by eight digits, like E08000025"));
                }
            }
            match &c.register {
                Some(r) => self.citation(&refs, &at.key("register"), &r.source, &r.quote),
                None if c.kind.is_some() || c.region.is_some() || c.gss.is_some() => self.error(
                    &at,
                    format!("council `{}` gives kind, region or gss without `register = {{ source = \"…\", quote = \"…\" }}` saying where they come from", c.id),
                ),
                None => {}
            }
            for (j, n) in c.notes.iter().enumerate() {
                self.note(&refs, &at.item("note", j), n);
            }
        }
        for (i, p) in k.people.iter().enumerate() {
            let at = self.origins.people[i];
            self.nonempty(&at.key("name"), "person name", &p.name);
            for (j, r) in p.roles.iter().enumerate() {
                let rat = at.item("role", j);
                if let Some(c) = &r.council {
                    self.reference(&rat.key("council"), "council", c, refs.councils);
                }
                if r.leads_social_services && r.council.is_none() {
                    self.error(
                        &rat,
                        "a role with `leads_social_services = true` needs `council = \"…\"`",
                    );
                }
                self.citation(&refs, &rat, &r.source, &r.quote);
            }
            for (j, s) in p.quotes.iter().enumerate() {
                self.citation(&refs, &at.item("said", j), &s.source, &s.quote);
            }
            for (j, n) in p.notes.iter().enumerate() {
                self.note(&refs, &at.item("note", j), n);
            }
        }
        for (i, s) in k.schemes.iter().enumerate() {
            let at = self.origins.schemes[i];
            self.nonempty(&at.key("name"), "scheme name", &s.name);
            self.reference(&at.key("council"), "council", &s.council, refs.councils);
            self.reference(&at.key("source"), "source", &s.source, refs.sources);
            if let Some(c) = &s.inspired_by {
                self.reference(&at.key("inspired_by"), "council", c, refs.councils);
            }
            let named = [
                ("description", Some(&s.description)),
                ("started", s.started.as_ref()),
                ("cost", s.cost.as_ref()),
                ("reach", s.reach.as_ref()),
                ("outcome", s.outcome.as_ref()),
            ];
            for (key, d) in named {
                if let Some(d) = d {
                    self.detail(&refs, &at.key(key), d, &s.source);
                }
            }
            for (j, d) in s.details.iter().enumerate() {
                self.detail(&refs, &at.item("detail", j), d, &s.source);
            }
        }
        for (i, r) in k.ratings.iter().enumerate() {
            let at = self.origins.ratings[i];
            self.reference(&at.key("council"), "council", &r.council, refs.councils);
            if !(0..=3).contains(&r.stars) {
                self.error(&at.key("stars"), format!("stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found {}", r.stars));
            }
            if !(1900..=2100).contains(&r.year) {
                self.error(
                    &at.key("year"),
                    format!(
                        "year must be a four-digit year such as 2004, found {}",
                        r.year
                    ),
                );
            }
            self.citation(&refs, &at, &r.source, &r.quote);
        }
        for (i, f) in k.figures.iter().enumerate() {
            let at = self.origins.figures[i];
            match (&f.council, &f.region) {
                (Some(c), None) => self.reference(&at.key("council"), "council", c, refs.councils),
                (None, Some(r)) => self.reference(&at.key("region"), "region", r, &regions),
                _ => self.error(
                    &at,
                    format!(
                        "figure `{}` needs exactly one of `council = \"…\"` and `region = \"…\"`",
                        f.id
                    ),
                ),
            }
            if !f.value.is_finite() || f.value < 0.0 {
                self.error(
                    &at.key("value"),
                    format!(
                        "value must be a finite number of zero or more, found {}",
                        f.value
                    ),
                );
            }
            if f.unit == Unit::Percent && f.value > 100.0 {
                self.error(
                    &at.key("value"),
                    format!("a percentage must be at most 100, found {}", f.value),
                );
            }
            self.citation(&refs, &at, &f.source, &f.quote);
        }
        for (i, r) in k.regions.iter().enumerate() {
            let at = self.origins.regions[i];
            self.nonempty(&at.key("name"), "region name", &r.name);
            for (j, n) in r.notes.iter().enumerate() {
                self.note(&refs, &at.item("note", j), n);
            }
        }
        self.check_names(k);
    }

    fn check_sources(&mut self, k: &mut Knowledge) {
        for (i, s) in k.sources.iter_mut().enumerate() {
            let at = self.origins.sources[i];
            if let Some(date) = s.date.clone() {
                if !self.date.is_match(&date) {
                    self.error(
                        &at.key("date"),
                        format!("date `{date}` is not a date like 2004-11-19, 2004-11 or 2004"),
                    );
                }
            }
            if let Some(file) = s.file.clone() {
                match fs::read_to_string(self.dir.join(&file)) {
                    Ok(text) => s.text = Some(text),
                    Err(e) => self.error(
                        &at.key("file"),
                        format!("cannot read source file `{}`: {e}; the path is relative to the knowledge directory", file),
                    ),
                }
            }
        }
    }

    fn unique_ids(&mut self, kind: &str, list: &[&str], origins: &[Origin]) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in list.iter().enumerate() {
            let at = origins[i].key("id");
            if !self.slug.is_match(id) {
                self.error(&at, format!("{kind} id `{id}` must be a slug: lower-case letters and digits joined by single hyphens, like `peter-hay`"));
            }
            if let Some(&j) = first.get(id) {
                let there = self.place(&origins[j].key("id"));
                self.error(&at, format!("duplicate {kind} id `{id}`, first defined at {there}; give this one another id"));
            } else {
                first.insert(id, i);
            }
        }
    }

    fn nonempty(&mut self, at: &Origin, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(at, format!("{what} must not be empty"));
        }
    }

    fn reference(&mut self, at: &Origin, kind: &str, id: &str, known: &HashMap<&str, usize>) {
        if !known.contains_key(id) {
            let close = closest(id, known.keys().copied());
            let hint = match close {
                Some(c) => format!("; did you mean `{c}`?"),
                None => format!("; add a [[{kind}]] with id = \"{id}\" or use an existing id"),
            };
            self.error(at, format!("unknown {kind} `{id}`{hint}"));
        }
    }

    /// Checks a source reference and that the quote appears in the source's text.
    fn citation(&mut self, refs: &Refs, at: &Origin, source: &str, quote: &str) {
        let Some(&s) = refs.sources.get(source) else {
            self.reference(&at.key("source"), "source", source, refs.sources);
            return;
        };
        if quote.trim().is_empty() {
            self.error(
                &at.key("quote"),
                "quote must not be empty: copy the words of the source that support this fact",
            );
            return;
        }
        if let Some(text) = &refs.texts[s] {
            if !text.contains(&fold_for_quote(quote)) {
                self.error(
                    &at.key("quote"),
                    format!("quote not found in source `{source}`: copy the words exactly as the source has them (spacing, case and quote marks may differ)"),
                );
            }
        }
    }

    fn note(&mut self, refs: &Refs, at: &Origin, n: &Note) {
        self.citation(refs, at, &n.source, &n.quote);
        if let Some(by) = &n.by {
            self.reference(&at.key("by"), "person", by, refs.people);
        }
    }

    fn detail(&mut self, refs: &Refs, at: &Origin, d: &Detail, default_source: &str) {
        if d.source.is_none() && !refs.sources.contains_key(default_source) {
            // The scheme's own `source` is unknown and already reported once; the quote
            // cannot be checked against a source that does not exist.
            return;
        }
        let source = d.source.as_deref().unwrap_or(default_source);
        self.citation(refs, at, source, &d.quote);
    }

    /// Names and aliases must not collide within a kind.
    fn check_names(&mut self, k: &mut Knowledge) {
        use super::{COUNCIL_FILLER, PERSON_FILLER, SCHEME_FILLER};
        let clashes = k.build_indexes();
        for (kind, clash) in clashes {
            // (origins, ids, names, filler words, plural)
            let (origins, ids, names, filler, plural): (&[Origin], Vec<&str>, Vec<&str>, _, _) =
                match kind {
                    "council" => (
                        &self.origins.councils,
                        k.councils.iter().map(|c| c.id.as_str()).collect(),
                        k.councils.iter().map(|c| c.name.as_str()).collect(),
                        COUNCIL_FILLER,
                        "councils",
                    ),
                    "region" => (
                        &self.origins.regions,
                        k.regions.iter().map(|c| c.id.as_str()).collect(),
                        k.regions.iter().map(|c| c.name.as_str()).collect(),
                        COUNCIL_FILLER,
                        "regions",
                    ),
                    "person" => (
                        &self.origins.people,
                        k.people.iter().map(|c| c.id.as_str()).collect(),
                        k.people.iter().map(|c| c.name.as_str()).collect(),
                        PERSON_FILLER,
                        "people",
                    ),
                    _ => (
                        &self.origins.schemes,
                        k.schemes.iter().map(|c| c.id.as_str()).collect(),
                        k.schemes.iter().map(|c| c.name.as_str()).collect(),
                        SCHEME_FILLER,
                        "schemes",
                    ),
                };
            // Point at the name when it is the name that clashes, else at the aliases.
            let key = if name_key(names[clash.entity], filler) == clash.key {
                "name"
            } else {
                "aliases"
            };
            let at = origins[clash.entity].key(key);
            let message = format!(
                "{kind} `{}` has a name or alias that reads as `{}`, already a name of {kind} `{}`; names and aliases must tell {plural} apart",
                ids[clash.entity], clash.key, ids[clash.other]
            );
            self.error(&at, message);
        }
    }
}

struct Refs<'a> {
    sources: &'a HashMap<&'a str, usize>,
    councils: &'a HashMap<&'a str, usize>,
    people: &'a HashMap<&'a str, usize>,
    /// Folded text of each source that has a file.
    texts: Vec<Option<String>>,
}

fn ids<'a>(list: &[&'a str]) -> HashMap<&'a str, usize> {
    let mut map = HashMap::with_capacity(list.len());
    for (i, id) in list.iter().enumerate() {
        map.entry(*id).or_insert(i);
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

/// The byte offset of the item at `path`, or of the deepest part of it that exists.
fn span_of(doc: &toml_edit::Document<&str>, path: &[Seg]) -> Option<usize> {
    let mut item: &toml_edit::Item = doc.as_item();
    let mut best = None;
    for seg in path {
        let next = match seg {
            Seg::Key(k) => item.get(*k),
            Seg::Index(i) => item.get(*i),
        };
        match next {
            Some(n) => {
                item = n;
                if let Some(s) = span(item) {
                    best = Some(s);
                }
            }
            None => break,
        }
    }
    best
}

fn span(item: &toml_edit::Item) -> Option<usize> {
    match item {
        toml_edit::Item::Table(t) => t.span().map(|s| s.start),
        toml_edit::Item::Value(v) => v.span().map(|s| s.start),
        toml_edit::Item::ArrayOfTables(a) => a.span().map(|s| s.start),
        toml_edit::Item::None => None,
    }
}
