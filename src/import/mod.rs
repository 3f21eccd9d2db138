//! `carebot import`: regenerates the knowledge files that come from tables.
//!
//! The tables are CSV files in `knowledge/sources/`, declared with `[[table]]` (and corrected
//! with `[[cell]]`) in the curated knowledge files. The same tables always give byte-identical
//! files, so `carebot import --check` can tell whether the files are up to date.

mod authorities;
mod emit;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::thread;

use crate::knowledge::model::KnowledgeFile;
use crate::knowledge::register::{Authority, Cell, Inspection, StarRating, StarTotal, Table};
use crate::knowledge::rows::{self, match_key};
use crate::knowledge::tables::{TableData, Tables};
use crate::knowledge::{read_dir, KnowledgeText};

/// The files the import writes, in the knowledge directory, in the order [`Import::files`]
/// gives them.
pub const REGISTER_FILE: &str = "register.toml";
pub const OFSTED_FILE: &str = "ofsted.toml";
pub const STARS_FILE: &str = "star-ratings.toml";
pub const OUTPUTS: [&str; 3] = [REGISTER_FILE, OFSTED_FILE, STARS_FILE];

/// What an import gives.
#[derive(Debug)]
pub struct Import {
    /// Each generated file's name and text.
    pub files: Vec<(&'static str, String)>,
    pub authorities: Vec<Authority>,
    pub inspections: Vec<Inspection>,
    pub star_ratings: Vec<StarRating>,
    pub star_totals: Vec<StarTotal>,
    /// Rows that give no fact, each as `table row key: why`.
    pub refused: Vec<String>,
}

/// Builds every generated file from the tables declared in `dir`'s curated files.
pub fn generate(dir: &Path) -> Result<Import, String> {
    let curated: Vec<KnowledgeText> = read_dir(dir)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|f| {
            f.path
                .file_name()
                .is_none_or(|n| !OUTPUTS.iter().any(|o| n == *o))
        })
        .collect();
    let mut tables: Vec<Table> = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    for f in &curated {
        let parsed: KnowledgeFile = toml::from_str(&f.text)
            .map_err(|e| format!("{}: {}", f.path.display(), e.message().trim()))?;
        tables.extend(parsed.tables);
        cells.extend(parsed.cells);
    }
    let mut read = Tables::new();
    for id in TABLES.map(|(id, _)| id) {
        let table = tables.iter().find(|t| t.id == id).ok_or_else(|| {
            format!(
                "no [[table]] with id = \"{id}\" in {}: the import needs it",
                dir.display()
            )
        })?;
        let (data, bad) = TableData::read(dir, table, &cells)?;
        if let Some(b) = bad.first() {
            return Err(format!("[[cell]] {}: {}", b.field, b.message));
        }
        read.insert(id.to_string(), data);
    }
    build(&read)
}

/// The tables the import reads, with the columns it needs of each.
pub const TABLES: [(&str, &[&str]); 6] = [
    (rows::REGISTER, rows::REGISTER_COLUMNS),
    (rows::NAMES, rows::NAMES_COLUMNS),
    (rows::FORMER, rows::FORMER_COLUMNS),
    (rows::OFSTED, rows::OFSTED_COLUMNS),
    (rows::PRESS, rows::PRESS_COLUMNS),
    (rows::TOTALS, rows::TOTALS_COLUMNS),
];

/// Builds every generated file from tables already read and corrected.
pub fn build(tables: &Tables) -> Result<Import, String> {
    for (id, columns) in TABLES {
        tables
            .get(id)
            .ok_or_else(|| format!("no table `{id}`: the import needs it"))?
            .require(columns)?;
    }
    let mut refused = Vec::new();
    let authorities = authorities::build(tables, &mut refused)?;
    // The register is written while the other facts are matched to its authorities.
    let (register, inspections, (star_ratings, star_totals)) = thread::scope(|s| {
        let register = s.spawn(|| emit::register(&authorities));
        let inspections = inspections(tables, &authorities, &mut refused);
        let stars = stars(tables, &authorities, &mut refused);
        let register = register
            .join()
            .expect("writing the register does not panic");
        (register, inspections, stars)
    });
    let left_out = (refused.iter())
        .filter(|r| r.starts_with(rows::PRESS))
        .count();
    let files = vec![
        (REGISTER_FILE, register),
        (OFSTED_FILE, emit::inspections(&inspections)),
        (
            STARS_FILE,
            emit::stars(&star_ratings, &star_totals, left_out),
        ),
    ];
    Ok(Import {
        files,
        authorities,
        inspections,
        star_ratings,
        star_totals,
        refused,
    })
}

/// Writes the generated files into `dir`.
pub fn write(dir: &Path, import: &Import) -> Result<(), String> {
    for (name, text) in &import.files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The generated files in `dir` that are missing or differ from what the import gives.
pub fn stale(dir: &Path, import: &Import) -> Vec<&'static str> {
    import
        .files
        .iter()
        .filter(|(name, text)| std::fs::read_to_string(dir.join(name)).ok().as_ref() != Some(text))
        .map(|(name, _)| *name)
        .collect()
}

/// A summary of an import for people: what it holds and which rows gave no fact.
pub fn summary(import: &Import) -> String {
    let current = import
        .authorities
        .iter()
        .filter(|a| a.ended.is_none())
        .count();
    let mut out = format!(
        "{} authorities ({current} current, {} former), {} inspections, {} star ratings, {} star totals",
        import.authorities.len(),
        import.authorities.len() - current,
        import.inspections.len(),
        import.star_ratings.len(),
        import.star_totals.len()
    );
    if !import.refused.is_empty() {
        let _ = write!(out, "\n{} rows give no fact:", import.refused.len());
        for r in &import.refused {
            let _ = write!(out, "\n  {r}");
        }
    }
    out
}

/// Ofsted rows matched to today's authorities: by GSS code, else by name.
fn inspections(
    tables: &Tables,
    authorities: &[Authority],
    refused: &mut Vec<String>,
) -> Vec<Inspection> {
    let current: Vec<&Authority> = authorities.iter().filter(|a| a.ended.is_none()).collect();
    let by_gss: HashMap<&str, &str> = current
        .iter()
        .filter_map(|a| a.gss.as_deref().map(|g| (g, a.id.as_str())))
        .collect();
    let by_name: HashMap<String, &str> = current
        .iter()
        .map(|a| (match_key(&a.short_name), a.id.as_str()))
        .collect();
    let mut list = Vec::new();
    for row in tables[rows::OFSTED].rows() {
        let refuse = |why: String| format!("{} row {}: {why}", rows::OFSTED, row.key());
        match rows::inspection_from_row(&row) {
            Ok((mut i, gss, name)) => {
                let id = by_gss
                    .get(gss.as_str())
                    .or_else(|| by_name.get(&match_key(&name)));
                match id {
                    Some(id) => {
                        i.council = id.to_string();
                        list.push(i);
                    }
                    None => refused.push(refuse(format!(
                        "no authority of today has GSS code {gss} or the name {name}"
                    ))),
                }
            }
            Err(e) => refused.push(refuse(e)),
        }
    }
    list.sort_by(|a, b| a.council.cmp(&b.council));
    list
}

/// Press star ratings matched by name to the authorities of 2002-2008, and the totals.
fn stars(
    tables: &Tables,
    authorities: &[Authority],
    refused: &mut Vec<String>,
) -> (Vec<StarRating>, Vec<StarTotal>) {
    let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
    for a in authorities.iter().filter(|a| a.star_years) {
        let mut keys: Vec<String> = std::iter::once(&a.name)
            .chain([&a.short_name])
            .chain(&a.aliases)
            .map(|n| match_key(n))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            by_name.entry(k).or_default().push(&a.id);
        }
    }
    let mut ratings = Vec::new();
    for row in tables[rows::PRESS].rows() {
        let refuse = |why: String| format!("{} row {}: {why}", rows::PRESS, row.key());
        match rows::rating_from_row(&row) {
            Ok((mut r, name)) => match by_name.get(&match_key(&name)).map(Vec::as_slice) {
                Some([id]) => {
                    r.council = id.to_string();
                    ratings.push(r);
                }
                Some(ids) => refused.push(refuse(format!(
                    "`{name}` names more than one authority of 2002-2008: {}",
                    ids.join(", ")
                ))),
                None => refused.push(refuse(format!("`{name}` names no authority of 2002-2008"))),
            },
            Err(e) => refused.push(refuse(e)),
        }
    }
    let mut totals = Vec::new();
    for row in tables[rows::TOTALS].rows() {
        match rows::total_from_row(&row) {
            Ok(t) => totals.push(t),
            Err(e) => refused.push(format!("{} row {}: {e}", rows::TOTALS, row.key())),
        }
    }
    (ratings, totals)
}
