//! Checking the imported kinds when the knowledge base loads: ids, references, and that each
//! fact is what the table row it cites gives (in one pass over facts and rows).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::error::LoadError;
use super::load::KnowledgeText;
use super::model::KnowledgeFile;
use super::parallel::on_threads;
use super::register::*;
use super::rows::{self, Field};
use super::syntax::{is_gss, is_slug};
use super::tables::{TableData, Tables};
use crate::import;

/// Where an entry is: its file, its kind's key and its index among that kind in the file.
#[derive(Debug, Clone, Copy)]
struct At {
    file: usize,
    kind: &'static str,
    index: usize,
}

/// The imported kinds of every file, gathered before they are checked.
#[derive(Debug, Default)]
pub(super) struct Pending {
    tables: Vec<(Table, At)>,
    cells: Vec<(Cell, At)>,
    authorities: Vec<(Authority, At)>,
    inspections: Vec<(Inspection, At)>,
    star_ratings: Vec<(StarRating, At)>,
    star_totals: Vec<(StarTotal, At)>,
}

fn located<T>(list: Vec<T>, file: usize, kind: &'static str) -> impl Iterator<Item = (T, At)> {
    list.into_iter()
        .enumerate()
        .map(move |(index, x)| (x, At { file, kind, index }))
}

impl Pending {
    /// Takes the imported kinds out of one parsed file.
    pub(super) fn take(&mut self, file: usize, parsed: &mut KnowledgeFile) {
        let f = file;
        self.tables
            .extend(located(std::mem::take(&mut parsed.tables), f, "table"));
        self.cells
            .extend(located(std::mem::take(&mut parsed.cells), f, "cell"));
        self.authorities.extend(located(
            std::mem::take(&mut parsed.authorities),
            f,
            "authority",
        ));
        self.inspections.extend(located(
            std::mem::take(&mut parsed.inspections),
            f,
            "inspection",
        ));
        self.star_ratings.extend(located(
            std::mem::take(&mut parsed.star_ratings),
            f,
            "star_rating",
        ));
        self.star_totals.extend(located(
            std::mem::take(&mut parsed.star_totals),
            f,
            "star_total",
        ));
    }

    /// Checks everything gathered against the tables under `dir` and the GSS codes the curated
    /// councils give (id and code).
    pub(super) fn check(
        self,
        dir: &Path,
        files: &[KnowledgeText],
        curated_gss: &[(String, String)],
    ) -> Result<Register, Vec<LoadError>> {
        let mut c = Checker::new(files);
        let tables = self.read_tables(dir, &mut c);
        self.check_read(c, &tables, curated_gss, Rows::Compare)
    }

    /// The declared tables, read for [`Pending::check_regenerated`]: `None` when a file other
    /// than the generated ones holds imported facts, or a table cannot be read as declared.
    pub(super) fn tables_to_regenerate(
        &self,
        dir: &Path,
        files: &[KnowledgeText],
    ) -> Option<Tables> {
        let imported = !(self.authorities.is_empty()
            && self.inspections.is_empty()
            && self.star_ratings.is_empty()
            && self.star_totals.is_empty());
        if imported {
            return None;
        }
        let mut c = Checker::new(files);
        let tables = self.read_tables(dir, &mut c);
        c.errors.is_empty().then_some(tables)
    }

    /// When the files `generated` (indices into `files`, in [`import::OUTPUTS`] order) are
    /// byte for byte what an import of `tables` gives, takes the import's facts and checks
    /// them as [`Pending::check`] does but for comparing each with its row: the import
    /// derived them from their rows. `None` when they differ, and only a full check can say
    /// what is wrong.
    pub(super) fn check_regenerated(
        mut self,
        tables: &Tables,
        files: &[KnowledgeText],
        curated_gss: &[(String, String)],
        generated: [usize; 3],
    ) -> Option<Result<Register, Vec<LoadError>>> {
        let import = import::build(tables).ok()?;
        let same =
            (import.files.iter().zip(generated)).all(|((_, text), n)| files[n].text == *text);
        if !same {
            return None;
        }
        let [register, ofsted, stars] = generated;
        self.authorities = located(import.authorities, register, "authority").collect();
        self.inspections = located(import.inspections, ofsted, "inspection").collect();
        self.star_ratings = located(import.star_ratings, stars, "star_rating").collect();
        self.star_totals = located(import.star_totals, stars, "star_total").collect();
        Some(self.check_read(Checker::new(files), tables, curated_gss, Rows::Derived))
    }

    /// Reads the declared tables with their corrections; what cannot be read is reported at
    /// its `[[table]]` or `[[cell]]`.
    fn read_tables(&self, dir: &Path, c: &mut Checker) -> Tables {
        let cells: Vec<Cell> = self.cells.iter().map(|(x, _)| x.clone()).collect();
        let mut first = HashSet::new();
        let unique: Vec<bool> = (self.tables.iter())
            .map(|(t, _)| first.insert(&t.id))
            .collect();
        let mut read = on_threads(self.tables.len(), |i| {
            let (t, _) = &self.tables[i];
            unique[i].then(|| TableData::read(dir, t, &cells))
        })
        .into_iter();
        let mut tables = Tables::new();
        for (t, at) in &self.tables {
            let Some(result) = read.next().expect("a result for each table") else {
                c.error(*at, &["id"], format!("duplicate table id `{}`", t.id));
                continue;
            };
            match result {
                Ok((data, bad)) => {
                    for b in bad {
                        c.error(self.cells[b.cell].1, &[b.field], b.message);
                    }
                    tables.insert(t.id.clone(), data);
                }
                Err(e) => {
                    c.error(*at, &["file"], e);
                    c.unread.insert(t.id.clone());
                }
            }
        }
        for (cell, at) in &self.cells {
            if !self.tables.iter().any(|(t, _)| t.id == cell.table) {
                c.error(*at, &["table"], format!("unknown table `{}`", cell.table));
            }
        }
        for (id, columns) in import::TABLES {
            if let Some(data) = tables.get(id) {
                if let Err(e) = data.require(columns) {
                    let at = self
                        .tables
                        .iter()
                        .find(|(t, _)| t.id == id)
                        .expect("read")
                        .1;
                    c.error(at, &["file"], e);
                    tables.remove(id);
                    c.unread.insert(id.to_string());
                }
            }
        }
        tables
    }

    /// Checks the gathered facts; with [`Rows::Derived`], all but what their rows give.
    fn check_read(
        self,
        mut c: Checker,
        tables: &Tables,
        curated_gss: &[(String, String)],
        mode: Rows,
    ) -> Result<Register, Vec<LoadError>> {
        let compare = mode == Rows::Compare;
        // Authorities: ids, rows, successors, aliases.
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, (a, at)) in self.authorities.iter().enumerate() {
            if !is_slug(&a.id) {
                c.error(*at, &["id"], format!("authority id `{}` must be a slug: lower-case letters and digits joined by single hyphens, like `north-yorkshire`", a.id));
            }
            if ids.insert(&a.id, i).is_some() {
                c.error(*at, &["id"], format!("duplicate authority id `{}`", a.id));
            }
        }
        let names = (tables.get(rows::NAMES))
            .filter(|_| compare)
            .map(lookup_names);
        let mut by_gss: HashMap<&str, usize> = HashMap::new();
        for (i, (a, _)) in self.authorities.iter().enumerate() {
            if let (Some(g), None) = (&a.gss, &a.ended) {
                by_gss.insert(g, i);
            }
        }
        for (a, at) in &self.authorities {
            if a.row.table != rows::REGISTER && a.row.table != rows::FORMER {
                c.error(
                    *at,
                    &["row", "table"],
                    format!(
                        "an authority comes from table `{}` or `{}`, not `{}`",
                        rows::REGISTER,
                        rows::FORMER,
                        a.row.table
                    ),
                );
                continue;
            }
            if !compare {
                continue;
            }
            let Some(row) = c.row(tables, *at, &a.row) else {
                continue;
            };
            let derived = if a.row.table == rows::REGISTER {
                rows::authority_from_register(&row)
            } else {
                rows::authority_from_former(&row)
            };
            let (expected, successors) = match derived {
                Ok(d) => d,
                Err(e) => {
                    c.refused(tables, *at, &a.row, &e);
                    continue;
                }
            };
            c.compare(
                tables,
                *at,
                &a.row,
                rows::authority_fields(&expected),
                rows::authority_fields(a),
            );
            let mut codes = Vec::new();
            for r in &a.replaced_by {
                match ids.get(r.as_str()) {
                    Some(&j) if self.authorities[j].0.row.table == rows::REGISTER => {
                        codes.push(self.authorities[j].0.row.key.clone())
                    }
                    Some(_) => c.error(
                        *at,
                        &["replaced_by"],
                        format!(
                            "`{r}` is not an authority of the register, so cannot be a successor"
                        ),
                    ),
                    None => c.error(*at, &["replaced_by"], format!("unknown authority `{r}`")),
                }
            }
            codes.sort();
            let mut successors = successors;
            successors.sort();
            if codes.len() == a.replaced_by.len() && codes != successors {
                c.error(
                    *at,
                    &["replaced_by"],
                    format!(
                        "{} of table `{}` gives the successors {}, not {}",
                        row_name(&a.row),
                        a.row.table,
                        codes_list(&successors),
                        codes_list(&codes)
                    ),
                );
            }
            if a.aliases.is_empty() {
                continue;
            }
            let mut known: Vec<&str> = vec![&expected.name, &expected.short_name];
            if a.row.table == rows::REGISTER {
                if let Some(n) = names.as_ref().and_then(|n| n.get(a.row.key.as_str())) {
                    known.extend(n);
                }
            }
            let known: Vec<String> = known.into_iter().map(rows::match_key).collect();
            for alias in &a.aliases {
                if !known.contains(&rows::match_key(alias)) {
                    c.error(*at, &["aliases"], format!("alias `{alias}` of authority `{}` is not a name its sources give it; aliases come from the register and the name lookup", a.id));
                }
            }
        }
        for (id, cg) in curated_gss {
            let Some(&i) = ids.get(id.as_str()) else {
                continue;
            };
            let (a, at) = &self.authorities[i];
            // A malformed code is reported where it is written.
            if let Some(g) = &a.gss {
                if g != cg && is_gss(cg) {
                    c.error(*at, &["gss"], format!("council `{}` has GSS code {cg}, but the register's authority with its id has {g}; they must be the same body: correct the council or give it another id", a.id));
                }
            }
        }

        // Inspections.
        let mut seen = HashSet::new();
        for (x, at) in &self.inspections {
            c.unique_row(&mut seen, *at, &x.row);
            let Some(&a) = c.authority(&ids, *at, &x.council) else {
                continue;
            };
            if !c.in_table(*at, &x.row, rows::OFSTED, "an inspection comes") {
                continue;
            }
            if !compare {
                continue;
            }
            let Some(row) = c.row(tables, *at, &x.row) else {
                continue;
            };
            match rows::inspection_from_row(&row) {
                Ok((expected, gss, name)) => {
                    let auth = &self.authorities[a].0;
                    let matches = match by_gss.get(gss.as_str()) {
                        Some(&j) => j == a,
                        None => {
                            auth.ended.is_none()
                                && rows::match_key(&auth.short_name) == rows::match_key(&name)
                        }
                    };
                    if !matches {
                        c.error(
                            *at,
                            &["council"],
                            format!(
                                "{} of table `{}` is about {name} ({gss}), not authority `{}`",
                                row_name(&x.row),
                                x.row.table,
                                auth.id
                            ),
                        );
                    }
                    c.compare(
                        tables,
                        *at,
                        &x.row,
                        rows::inspection_fields(&expected),
                        rows::inspection_fields(x),
                    );
                }
                Err(e) => c.refused(tables, *at, &x.row, &e),
            }
        }

        // Star ratings and totals.
        let mut seen = HashSet::new();
        for (x, at) in &self.star_ratings {
            c.unique_row(&mut seen, *at, &x.row);
            let Some(&a) = c.authority(&ids, *at, &x.council) else {
                continue;
            };
            if !c.in_table(*at, &x.row, rows::PRESS, "a star rating comes") {
                continue;
            }
            if !compare {
                continue;
            }
            let Some(row) = c.row(tables, *at, &x.row) else {
                continue;
            };
            match rows::rating_from_row(&row) {
                Ok((expected, name)) => {
                    let auth = &self.authorities[a].0;
                    let mut own: Vec<&str> = vec![&auth.name, &auth.short_name];
                    own.extend(auth.aliases.iter().map(String::as_str));
                    if !auth.star_years {
                        c.error(
                            *at,
                            &["council"],
                            format!(
                                "authority `{}` was not one of the councils rated in 2002-2008",
                                auth.id
                            ),
                        );
                    } else if !rows::is_name_of(&name, &own) {
                        c.error(
                            *at,
                            &["council"],
                            format!(
                                "{} of table `{}` is about {name}, not authority `{}`",
                                row_name(&x.row),
                                x.row.table,
                                auth.id
                            ),
                        );
                    }
                    c.compare(
                        tables,
                        *at,
                        &x.row,
                        rows::rating_fields(&expected),
                        rows::rating_fields(x),
                    );
                }
                Err(e) => c.refused(tables, *at, &x.row, &e),
            }
        }
        let mut seen = HashSet::new();
        for (x, at) in &self.star_totals {
            c.unique_row(&mut seen, *at, &x.row);
            if !c.in_table(*at, &x.row, rows::TOTALS, "star totals come") {
                continue;
            }
            if !compare {
                continue;
            }
            let Some(row) = c.row(tables, *at, &x.row) else {
                continue;
            };
            match rows::total_from_row(&row) {
                Ok(expected) => c.compare(
                    tables,
                    *at,
                    &x.row,
                    rows::total_fields(&expected),
                    rows::total_fields(x),
                ),
                Err(e) => c.refused(tables, *at, &x.row, &e),
            }
        }

        if !c.errors.is_empty() {
            c.errors.sort_by_key(|(f, o, _)| (*f, *o));
            return Err(c.errors.into_iter().map(|(_, _, e)| e).collect());
        }
        let authority_ids = ids.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        Ok(Register {
            tables: self.tables.into_iter().map(|(x, _)| x).collect(),
            cells: self.cells.into_iter().map(|(x, _)| x).collect(),
            authorities: self.authorities.into_iter().map(|(x, _)| x).collect(),
            inspections: self.inspections.into_iter().map(|(x, _)| x).collect(),
            star_ratings: self.star_ratings.into_iter().map(|(x, _)| x).collect(),
            star_totals: self.star_totals.into_iter().map(|(x, _)| x).collect(),
            authority_ids,
        })
    }
}

/// For each register code, the names the lookup table gives it.
fn lookup_names(t: &TableData) -> HashMap<&str, Vec<&str>> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in t.rows() {
        map.entry(row.get("local-authority-code"))
            .or_default()
            .push(row.get("la-name"));
    }
    map
}

fn row_name(row: &RowRef) -> String {
    format!("row `{}`", row.key)
}

fn codes_list(codes: &[String]) -> String {
    if codes.is_empty() {
        "none".into()
    } else {
        codes.join(", ")
    }
}

/// Whether the facts are compared with their rows, or were derived from them by an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Compare,
    Derived,
}

struct Checker<'a> {
    files: &'a [KnowledgeText],
    docs: HashMap<usize, toml_edit::Document<&'a str>>,
    errors: Vec<(usize, usize, LoadError)>,
    /// Declared tables that could not be read: reported once, at the table.
    unread: HashSet<String>,
}

impl<'a> Checker<'a> {
    fn new(files: &'a [KnowledgeText]) -> Self {
        Checker {
            files,
            docs: HashMap::new(),
            errors: Vec::new(),
            unread: HashSet::new(),
        }
    }

    /// Records an error at `path` inside the entry `at` (or the deepest part of it found).
    fn error(&mut self, at: At, path: &[&str], message: impl Into<String>) {
        let file = &self.files[at.file];
        let doc = self.docs.entry(at.file).or_insert_with(|| {
            toml_edit::Document::parse(file.text.as_str()).expect("parsed before")
        });
        let mut item = doc.as_item().get(at.kind).and_then(|i| i.get(at.index));
        let mut offset = item.and_then(span).unwrap_or(0);
        for key in path {
            item = item.and_then(|i| i.get(*key));
            match item.and_then(span) {
                Some(s) => offset = s,
                None => break,
            }
        }
        let e = LoadError::at(&file.path, &file.text, offset, message);
        self.errors.push((at.file, offset, e));
    }

    fn authority<'m>(
        &mut self,
        ids: &'m HashMap<&str, usize>,
        at: At,
        id: &str,
    ) -> Option<&'m usize> {
        let found = ids.get(id);
        if found.is_none() {
            self.error(
                at,
                &["council"],
                format!(
                    "unknown authority `{id}`; run `carebot import` or use an id from the register"
                ),
            );
        }
        found
    }

    fn row<'t>(
        &mut self,
        tables: &'t Tables,
        at: At,
        r: &RowRef,
    ) -> Option<super::tables::Row<'t>> {
        let Some(t) = tables.get(&r.table) else {
            if self.unread.contains(&r.table) {
                return None;
            }
            self.error(
                at,
                &["row", "table"],
                format!("unknown table `{}`; declare it with [[table]]", r.table),
            );
            return None;
        };
        let row = t.row(&r.key);
        if row.is_none() {
            self.error(
                at,
                &["row", "key"],
                format!(
                    "table `{}` ({}) has no row `{}`; run `carebot import` after a source changes",
                    r.table, t.file, r.key
                ),
            );
        }
        row
    }

    /// Whether `r` is a row of `table`, the one table `what` ("an inspection comes") may
    /// come from; an error at `at` when not.
    fn in_table(&mut self, at: At, r: &RowRef, table: &str, what: &str) -> bool {
        if r.table == table {
            return true;
        }
        let message = format!("{what} from table `{table}`, not `{}`", r.table);
        self.error(at, &["row", "table"], message);
        false
    }

    fn unique_row(&mut self, seen: &mut HashSet<(String, String)>, at: At, r: &RowRef) {
        if !seen.insert((r.table.clone(), r.key.clone())) {
            self.error(
                at,
                &["row"],
                format!(
                    "another {} already comes from row `{}` of table `{}`",
                    at.kind, r.key, r.table
                ),
            );
        }
    }

    fn refused(&mut self, tables: &Tables, at: At, r: &RowRef, why: &str) {
        let file = tables.get(&r.table).map_or("", |t| t.file.as_str());
        self.error(
            at,
            &["row"],
            format!(
                "row `{}` of table `{}` ({file}) gives no {}: {why}",
                r.key, r.table, at.kind
            ),
        );
    }

    /// Reports every field whose value differs from what the row gives.
    fn compare(
        &mut self,
        tables: &Tables,
        at: At,
        r: &RowRef,
        expected: Vec<(&'static str, Option<Field>)>,
        actual: Vec<(&'static str, Option<Field>)>,
    ) {
        let file = tables.get(&r.table).map_or("", |t| t.file.as_str());
        for ((key, want), (_, have)) in expected.iter().zip(&actual) {
            if want != have {
                let gives = want.as_ref().map_or_else(
                    || "no value".to_string(),
                    |w| format!("{key} = {}", w.toml()),
                );
                self.error(
                    at,
                    &[key],
                    format!("{key} does not match row `{}` of table `{}` ({file}), which gives {gives}; correct the source with a [[cell]] and run `carebot import`", r.key, r.table),
                );
            }
        }
    }
}

fn span(item: &toml_edit::Item) -> Option<usize> {
    match item {
        toml_edit::Item::Table(t) => t.span().map(|s| s.start),
        toml_edit::Item::Value(v) => v.span().map(|s| s.start),
        toml_edit::Item::ArrayOfTables(a) => a.span().map(|s| s.start),
        toml_edit::Item::None => None,
    }
}
