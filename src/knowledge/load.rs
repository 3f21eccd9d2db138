//! Reading knowledge files and validating them as a whole.
//!
//! Every file is parsed, then every reference, range and quote is checked; any problem is
//! reported at its `file:line:col` and nothing is loaded.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::thread;

use super::confined::{size, Refused, Root};
use super::error::{LoadError, LoadErrors};
use super::model::{Kind, KnowledgeFile};
use super::origin::Layout;
use super::parallel::on_threads;
use super::pieces;
use super::validate::Validator;
use super::verify::Pending;
use super::Knowledge;
use crate::import::OUTPUTS;

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

/// The most one knowledge file may hold.
pub const MAX_FILE: u64 = 64 << 20;

/// The most all knowledge files together may hold.
pub const MAX_TOTAL: u64 = 64 << 20;

/// Reads every `*.toml` entry directly in `dir`, in name order. Each must be a regular file
/// inside `dir` (a link may point only within it) of at most [`MAX_FILE`] bytes.
pub fn read_dir(dir: &Path) -> Result<Vec<KnowledgeText>, LoadErrors> {
    let cannot = |e: std::io::Error| {
        LoadErrors(vec![LoadError::file(
            dir,
            format!("cannot read the knowledge directory: {e}; pass --knowledge DIR or set knowledge.dir in the config"),
        )])
    };
    let root = Root::new(dir).map_err(cannot)?;
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(cannot)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
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
    let mut total = 0;
    for path in paths {
        let name = Path::new(path.file_name().expect("an entry has a name"));
        match root.read(name, MAX_FILE) {
            Ok(text) => {
                total += text.len() as u64;
                if total > MAX_TOTAL {
                    let message = format!("the knowledge files hold more than {} in all, the most a knowledge base may hold", size(MAX_TOTAL));
                    return Err(LoadErrors(vec![LoadError::file(dir, message)]));
                }
                files.push(KnowledgeText { path, text });
            }
            Err(r) => {
                let advice = match r {
                    Refused::Outside => "; a knowledge file must be inside the knowledge directory",
                    Refused::NotRegular(_) => {
                        "; remove it or give it a name that does not end in .toml"
                    }
                    Refused::TooLarge(_) => "; split it into smaller files",
                    Refused::Io(_) => "",
                };
                errors.push(LoadError::file(&path, format!("cannot read: {r}{advice}")));
            }
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    Ok(files)
}

/// Loads knowledge from files already in memory; source files named by `[[source]] file` are
/// read relative to `dir`.
///
/// When the generated files are what an import of their tables gives, byte for byte, their
/// facts are taken from that import and they are not parsed ([`Pending::check_regenerated`]);
/// otherwise every file is parsed and each imported fact is compared with its row, so that
/// what differs is reported where it is written.
pub fn load_texts(dir: &Path, files: Vec<KnowledgeText>) -> Result<Knowledge, LoadErrors> {
    if let Some(generated) = generated(&files) {
        if let Some(loaded) = load(dir, &files, Some(generated)) {
            return loaded;
        }
    }
    load(dir, &files, None).expect("a load that parses every file decides")
}

/// The index of each file the import writes, in [`import::OUTPUTS`] order, when all are there.
fn generated(files: &[KnowledgeText]) -> Option<[usize; 3]> {
    let at =
        |name: &str| (files.iter()).position(|f| f.path.file_name().is_some_and(|n| n == name));
    Some([at(OUTPUTS[0])?, at(OUTPUTS[1])?, at(OUTPUTS[2])?])
}

/// Loads `files`, all parsed, or with the `generated` ones taken from an import of their
/// tables; `None` when they are not what the import gives.
fn load(
    dir: &Path,
    files: &[KnowledgeText],
    generated: Option<[usize; 3]>,
) -> Option<Result<Knowledge, LoadErrors>> {
    let parse = |n: usize| generated.is_none_or(|g| !g.contains(&n));
    let mut parsed = Vec::with_capacity(files.len());
    let mut layouts = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for (n, result) in parse_all(files, parse).into_iter().enumerate() {
        match result {
            Ok((k, layout)) => {
                parsed.push((n, k));
                layouts.push(layout);
            }
            Err(e) => {
                let file = &files[n];
                errors.push(LoadError::at(&file.path, &file.text, e.offset, e.message));
            }
        }
    }
    if !errors.is_empty() {
        // The generated files may hold mistakes too: a full load reports every one.
        return generated.is_none().then_some(Err(LoadErrors(errors)));
    }
    let mut v = Validator::new(dir, files, &layouts);
    let mut k = Knowledge::default();
    let mut imported = Pending::default();
    for (n, mut file) in parsed {
        imported.take(n, &mut file);
        v.take(n, file, &mut k);
    }
    // The imported kinds are checked against their tables while the rest is validated.
    let curated_gss: Vec<(String, String)> = (k.councils.iter())
        .filter_map(|c| Some((c.id.clone(), c.gss.clone()?)))
        .collect();
    // Tables to regenerate from are read first, on every core.
    let tables = match generated {
        Some(g) => Some((imported.tables_to_regenerate(dir, files)?, g)),
        None => None,
    };
    let checked = thread::scope(|s| {
        let checked = s.spawn(|| match &tables {
            Some((tables, g)) => imported.check_regenerated(tables, files, &curated_gss, *g),
            None => Some(imported.check(dir, files, &curated_gss)),
        });
        v.check(&mut k);
        checked.join().expect("checking the tables does not panic")
    })?;
    let mut errors = v.into_errors();
    match checked {
        Ok(register) => k.register = register,
        Err(e) => errors.extend(e),
    }
    Some(if errors.is_empty() {
        k.finish();
        Ok(k)
    } else {
        Err(LoadErrors(errors))
    })
}

/// The most text a file that cannot be cut into pieces may hold: it is parsed at once, at
/// many times its size.
pub const MAX_WHOLE: usize = 2 << 20;

/// Why a file did not parse, and where.
struct Unparsed {
    offset: usize,
    message: String,
}

impl Unparsed {
    /// toml's error in the text starting at `start`.
    fn toml(e: toml::de::Error, start: usize) -> Unparsed {
        let message = fix_hint(&one_line_message(e.message()));
        Unparsed {
            offset: start + e.span().map_or(0, |s| s.start),
            message,
        }
    }
}

/// Parses every file, large ones in pieces ([`pieces`]), on as many threads as there are
/// cores. A file whose pieces do not all parse is reported at its first piece's error, placed
/// in the whole file.
fn parse_all(
    files: &[KnowledgeText],
    parse: impl Fn(usize) -> bool,
) -> Vec<Result<(KnowledgeFile, Layout), Unparsed>> {
    let cuts: Vec<Option<Vec<Range<usize>>>> = (files.iter().enumerate())
        .map(|(n, f)| {
            if !parse(n) {
                return Some(Vec::new());
            }
            match pieces::cut(&f.text) {
                Some(ranges) => Some(ranges),
                None if f.text.len() <= MAX_WHOLE => Some(vec![Range {
                    start: 0,
                    end: f.text.len(),
                }]),
                None => None,
            }
        })
        .collect();
    let jobs: Vec<(usize, Range<usize>)> = cuts
        .iter()
        .enumerate()
        .flat_map(|(n, c)| c.iter().flatten().map(move |r| (n, r.clone())))
        .collect();
    let mut per_file: Vec<Vec<_>> = files.iter().map(|_| Vec::new()).collect();
    for ((n, range), result) in jobs.iter().zip(parse_jobs(files, &jobs)) {
        per_file[*n].push((range.clone(), result));
    }
    per_file
        .into_iter()
        .zip(cuts)
        .map(|(parts, cut)| {
            if cut.is_none() {
                return Err(Unparsed {
                    offset: 0,
                    message: format!("this file holds more than {} and cannot be read in parts: a large knowledge file must hold only [[kind]] entries, with nothing before the first, so that it can be cut between them; split it into smaller files", size(MAX_WHOLE as u64)),
                });
            }
            let mut whole = KnowledgeFile::default();
            let mut layout = Vec::with_capacity(parts.len());
            if parts.is_empty() {
                // Not parsed: it holds nothing of its own.
                layout.push((0..0, [0; Kind::ALL.len()]));
            }
            for (range, part) in parts {
                let part = part.map_err(|e| Unparsed::toml(e, range.start))?;
                layout.push((range, part.counts()));
                whole.append(part);
            }
            Ok((whole, Layout::new(layout)))
        })
        .collect()
}

/// Parses each job's text, on as many threads as there are cores; results in job order.
fn parse_jobs(
    files: &[KnowledgeText],
    jobs: &[(usize, Range<usize>)],
) -> Vec<Result<KnowledgeFile, toml::de::Error>> {
    on_threads(jobs.len(), |j| {
        let (n, range) = &jobs[j];
        toml::from_str::<KnowledgeFile>(&files[*n].text[range.clone()])
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::register::Register;

    fn bundled() -> (PathBuf, Vec<KnowledgeText>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let files = read_dir(&dir).unwrap();
        (dir, files)
    }

    #[test]
    fn the_bundled_generated_files_are_regenerated_not_parsed_and_give_what_parsing_gives() {
        let (dir, files) = bundled();
        let regenerated = load(&dir, &files, generated(&files))
            .expect("the generated files are what an import of their tables gives")
            .unwrap();
        let parsed = load(&dir, &files, None).unwrap().unwrap();
        let (a, b) = (&regenerated.register, &parsed.register);
        // The register's lists, in order (its id map is a hash map, compared below).
        let lists = |r: &Register| {
            let all = (&r.authorities, &r.inspections, &r.star_ratings);
            format!("{all:?} {:?} {:?} {:?}", r.star_totals, r.tables, r.cells)
        };
        assert_eq!(lists(a), lists(b));
        for x in &a.authorities {
            assert_eq!(
                a.authority(&x.id).unwrap().id,
                b.authority(&x.id).unwrap().id
            );
        }
        assert_eq!(regenerated.counts(), parsed.counts());
        assert_eq!(regenerated.register.authorities.len(), 168);
    }

    #[test]
    fn a_generated_file_that_is_not_what_the_import_gives_is_parsed() {
        let (dir, mut files) = bundled();
        let ofsted = generated(&files).unwrap()[1];
        files[ofsted].text.push_str("\n# A curator's comment.\n");
        assert!(load(&dir, &files, generated(&files)).is_none());
        assert!(load_texts(&dir, files.clone()).is_ok());
        // Without all three generated files, every file is parsed.
        files.remove(ofsted);
        assert_eq!(generated(&files), None);
    }
}
