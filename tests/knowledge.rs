//! Loading the knowledge base: every kind of mistake in a knowledge file is reported at its
//! exact `file:line:col` with a message saying what to do, a broken base is never loaded in
//! part, and `carebot check` exits 2 printing the errors.
//!
//! Each test copies the real knowledge directory into a temporary one and breaks one thing.
//! Expected positions are found in the broken text, so each assertion names the exact place
//! the mistake was made.

use std::path::{Path, PathBuf};
use std::process::Command;

use carebot::knowledge::{load_dir, LoadErrors};

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{copy_knowledge, real_dir};

/// A copy of the real knowledge base that can be broken.
struct Kb {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// A mistake made in a copy of the knowledge base, and the one error it must give:
/// `(file, from, to, at, skip, message)`. In `file`, the first `from` becomes `to`; the error is
/// placed `skip` characters into the one place `at` stands in the broken file, and says
/// `message`.
type Mistake = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static str,
);

/// Asserts that each mistake, made alone in a fresh copy, gives exactly its error.
fn assert_refused(mistakes: &[Mistake]) {
    for &(file, from, to, at, skip, message) in mistakes {
        let kb = Kb::new();
        kb.edit(file, from, to);
        assert_eq!(
            kb.errors(),
            kb.at(file, at, skip, message),
            "{file}: {from:?} made {to:?}"
        );
    }
}

/// A test for each named table of [`Mistake`]s, one line each, checked by [`assert_refused`].
macro_rules! refused {
    ($($name:ident: [$($mistake:expr),* $(,)?])*) => {
        $(
            #[test]
            fn $name() {
                assert_refused(&[$($mistake),*]);
            }
        )*
    };
}

impl Kb {
    fn new() -> Kb {
        let (tmp, dir) = copy_knowledge();
        Kb { _tmp: tmp, dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap()
    }

    /// Replaces the first `from` in `file` by `to` and returns the new text.
    fn edit(&self, file: &str, from: &str, to: &str) -> String {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        let text = text.replacen(from, to, 1);
        std::fs::write(self.path(file), &text).unwrap();
        text
    }

    /// `file:line:col: message`, the place being where `needle` starts in `file`, moved on by
    /// `skip` characters (to point inside the needle).
    fn at(&self, file: &str, needle: &str, skip: usize, message: &str) -> String {
        let text = self.read(file);
        assert_eq!(
            text.matches(needle).count(),
            1,
            "{needle:?} must occur once in {file}"
        );
        let offset = text.find(needle).unwrap();
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1
            + skip;
        format!("{}:{line}:{col}: {message}", self.path(file).display())
    }

    fn errors(&self) -> String {
        match load_dir(&self.dir) {
            Ok(_) => panic!("the broken knowledge base loaded"),
            Err(LoadErrors(list)) => {
                assert!(!list.is_empty());
                LoadErrors(list).to_string()
            }
        }
    }
}

#[test]
fn the_real_knowledge_base_loads() {
    let k = load_dir(&real_dir()).expect("loads");
    let c = k.counts();
    assert_eq!(
        (c.sources, c.councils, c.people, c.schemes, c.ratings, c.figures, c.regions, c.quotes),
        (2, 168, 4, 6, 5, 13, 1, 8)
    );
    // So does an untouched copy, which every other test here breaks.
    assert!(load_dir(&Kb::new().dir).is_ok());
}

// ----- mistakes toml or the schema catch -----

refused! {
    unknown_key: [
        ("ratings.toml", "stars = 2\n", "stars = 2\nstarz = 1\n", "starz = 1", 0, "unknown field `starz`, expected one of `council`, `stars`, `area`, `year`, `when`, `body`, `source`, `quote`, `quote_note`; remove the key or correct its spelling"),
    ]
    unknown_key_in_a_nested_table: [
        ("people.toml", "topic = \"star ratings\"", "topic = \"star ratings\"\nsubject = \"ratings\"", "subject = ", 0, "unknown field `subject`, expected one of `quote`, `quote_note`, `source`, `topic`; remove the key or correct its spelling"),
    ]
    wrong_type: [
        ("ratings.toml", "stars = 2", "stars = \"two\"", "\"two\"", 0, "invalid type: string \"two\", expected a whole number; change the value to the expected type"),
        ("figures.toml", "value = 300000", "value = \"300,000\"", "\"300,000\"", 0, "invalid type: string \"300,000\", expected a number; change the value to the expected type"),
        ("ratings.toml", "stars = 2", "stars = 2.5", "2.5", 0, "invalid type: floating point `2.5`, expected a whole number; change the value to the expected type"),
    ]
    unknown_variant: [
        ("councils.toml", "kind = \"county\"", "kind = \"shire\"", "\"shire\"", 0, "unknown variant `shire`, expected one of `metropolitan borough`, `county`, `unitary`, `london borough`"),
    ]
}

#[test]
fn missing_field() {
    let kb = Kb::new();
    let text = kb.edit("ratings.toml", "stars = 2\n", "");
    let header = text.rfind("[[rating]]").unwrap();
    let line = text[..header].matches('\n').count() + 1;
    assert_eq!(
        kb.errors(),
        format!(
            "{}:{line}:1: missing field `stars`; add it to this entry",
            kb.path("ratings.toml").display()
        )
    );
}

#[test]
fn toml_syntax_error() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = [2");
    let text = kb.read("ratings.toml");
    // toml notices at the start of the next line.
    let line = text[..text.find("[2").unwrap()].matches('\n').count() + 2;
    assert_eq!(
        kb.errors(),
        format!(
            "{}:{line}:1: missing comma between array elements, expected `,`",
            kb.path("ratings.toml").display()
        )
    );
}

// ----- mistakes the validator catches -----

refused! {
    stars_outside_zero_to_three: [
        ("ratings.toml", "stars = 2", "stars = 4", "stars = 4\n", 8, "stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found 4"),
        ("ratings.toml", "stars = 2", "stars = -1", "stars = -1\n", 8, "stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found -1"),
        ("ratings.toml", "stars = 2", "stars = 30", "stars = 30\n", 8, "stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found 30"),
    ]
    year_outside_range: [
        ("ratings.toml", "year = 2002", "year = 202", "year = 202\n", 7, "year must be a four-digit year such as 2004, found 202"),
    ]
    id_that_is_not_a_slug: [
        ("schemes.toml", "id = \"nvq-training\"", "id = \"NVQ_training\"", "\"NVQ_training\"", 0, "scheme id `NVQ_training` must be a slug: lower-case letters and digits joined by single hyphens, like `peter-hay`"),
    ]
    duplicate_alias_or_name: [
        ("councils.toml", "aliases = [\"Coventry City Council\"]", "aliases = [\"Coventry City Council\", \"Birmingham\"]", "[\"Coventry City Council\", \"Birmingham\"]", 0, "council `coventry` has a name or alias that reads as `birmingham`, already a name of council `birmingham`; names and aliases must tell councils apart"),
        // Names clash after folding: case and words such as "city" and "council" do not count.
        ("councils.toml", "aliases = [\"Solihull Council\",", "aliases = [\"BIRMINGHAM CITY COUNCIL\", \"Solihull Council\",", "[\"BIRMINGHAM CITY COUNCIL\"", 0, "council `solihull` has a name or alias that reads as `birmingham`, already a name of council `birmingham`; names and aliases must tell councils apart"),
        // When the name itself clashes, the error points at the name.
        ("councils.toml", "name = \"Kirklees\"", "name = \"Coventry City\"", "\"Coventry City\"", 0, "council `kirklees` has a name or alias that reads as `coventry`, already a name of council `coventry`; names and aliases must tell councils apart"),
        ("people.toml", "aliases = [\"Hake\"]", "aliases = [\"Hake\", \"Hay\"]", "[\"Hake\", \"Hay\"]", 0, "person `michael-hake` has a name or alias that reads as `hay`, already a name of person `peter-hay`; names and aliases must tell people apart"),
    ]
    reference_to_a_council_that_does_not_exist: [
        ("ratings.toml", "council = \"solihull\"", "council = \"wolverhampton\"", "\"wolverhampton\"", 0, "unknown council `wolverhampton`; add a [[council]] with id = \"wolverhampton\" or use an existing id"),
        // A near miss is named.
        ("schemes.toml", "inspired_by = \"kirklees\"", "inspired_by = \"kirklee\"", "\"kirklee\"", 0, "unknown council `kirklee`; did you mean `kirklees`?"),
    ]
    reference_to_a_person_that_does_not_exist: [
        ("councils.toml", "by = \"michael-hake\"", "by = \"mike-hake\"", "\"mike-hake\"", 0, "unknown person `mike-hake`; add a [[person]] with id = \"mike-hake\" or use an existing id"),
    ]
    reference_to_a_source_that_does_not_exist: [
        ("people.toml", "source = \"stars-in-the-making\"", "source = \"stars-in-the-makin\"", "\"stars-in-the-makin\"", 0, "unknown source `stars-in-the-makin`; did you mean `stars-in-the-making`?"),
        // A scheme's source is reported once, not again for each detail that defaults to it.
        ("schemes.toml", "source = \"stars-in-the-making\"", "source = \"community-care\"", "\"community-care\"", 0, "unknown source `community-care`; add a [[source]] with id = \"community-care\" or use an existing id"),
    ]
    reference_to_a_region_that_does_not_exist: [
        ("figures.toml", "region = \"midlands\"", "region = \"east-midlands\"", "\"east-midlands\"", 0, "unknown region `east-midlands`; add a [[region]] with id = \"east-midlands\" or use an existing id"),
    ]
    quote_not_found_in_the_source: [
        ("ratings.toml", "has a two-star rating\"", "has a three-star rating\"", "\"Solihull is a step ahead", 0, "quote not found in source `stars-in-the-making`: copy the words exactly as the source has them (spacing, case and quote marks may differ)"),
        // An invented fact is refused the same way, wherever it is.
        ("people.toml", "quote = \"The star rating is a validation", "quote = \"The star rating is a triumph", "\"The star rating is a triumph", 0, "quote not found in source `stars-in-the-making`: copy the words exactly as the source has them (spacing, case and quote marks may differ)"),
    ]
    empty_quote: [
        ("ratings.toml", "quote = \"Birmingham has a one-star rating\"", "quote = \"  \"", "\"  \"", 0, "quote must not be empty: copy the words of the source that support this fact"),
    ]
    bad_gss_code: [
        ("councils.toml", "gss = \"E08000029\"", "gss = \"E0800002\"", "\"E0800002\"", 0, "GSS code `E0800002` is not a letter (E, W, S or N) followed by eight digits, like E08000025"),
        ("councils.toml", "gss = \"E08000029\"", "gss = \"X08000029\"", "\"X08000029\"", 0, "GSS code `X08000029` is not a letter (E, W, S or N) followed by eight digits, like E08000025"),
        ("councils.toml", "gss = \"E08000029\"", "gss = \"e08000029\"", "\"e08000029\"", 0, "GSS code `e08000029` is not a letter (E, W, S or N) followed by eight digits, like E08000025"),
        ("councils.toml", "gss = \"E08000029\"", "gss = \"E08000029X\"", "\"E08000029X\"", 0, "GSS code `E08000029X` is not a letter (E, W, S or N) followed by eight digits, like E08000025"),
    ]
    bad_date: [
        ("sources.toml", "date = \"2004-11-19\"", "date = \"2004-13-19\"", "\"2004-13-19\"", 0, "date `2004-13-19` is not a date like 2004-11-19, 2004-11 or 2004"),
        ("sources.toml", "date = \"2004-11-19\"", "date = \"19/11/2004\"", "\"19/11/2004\"", 0, "date `19/11/2004` is not a date like 2004-11-19, 2004-11 or 2004"),
        ("sources.toml", "date = \"2004-11-19\"", "date = \"2004-11-32\"", "\"2004-11-32\"", 0, "date `2004-11-32` is not a date like 2004-11-19, 2004-11 or 2004"),
        ("sources.toml", "date = \"2004-11-19\"", "date = \"04-11-19\"", "\"04-11-19\"", 0, "date `04-11-19` is not a date like 2004-11-19, 2004-11 or 2004"),
    ]
    kind_region_or_gss_without_register: [
        ("councils.toml", "register = { source = \"ons-register\", quote = \"E08000029 Solihull (metropolitan district, West Midlands)\" }\n", "", "[[council]]\nid = \"solihull\"", 0, "council `solihull` gives kind, region or gss without `register = { source = \"…\", quote = \"…\" }` saying where they come from"),
        // Any one of the three needs it.
        ("councils.toml", "kind = \"county\"\nregion = \"West Midlands\"\ngss = \"E10000028\"\nregister = { source = \"ons-register\", quote = \"E10000028 Staffordshire (county, West Midlands)\" }\n", "region = \"West Midlands\"\n", "[[council]]\nid = \"staffordshire\"", 0, "council `staffordshire` gives kind, region or gss without `register = { source = \"…\", quote = \"…\" }` saying where they come from"),
    ]
    figure_with_both_or_neither_council_and_region: [
        ("figures.toml", "council = \"coventry\"\nwhat = \"population\"", "council = \"coventry\"\nregion = \"midlands\"\nwhat = \"population\"", "[[figure]]\nid = \"coventry-population\"", 0, "figure `coventry-population` needs exactly one of `council = \"…\"` and `region = \"…\"`"),
        ("figures.toml", "council = \"coventry\"\nwhat = \"population\"", "what = \"population\"", "[[figure]]\nid = \"coventry-population\"", 0, "figure `coventry-population` needs exactly one of `council = \"…\"` and `region = \"…\"`"),
    ]
    figure_values_out_of_range: [
        ("figures.toml", "value = 88", "value = 188", "value = 188", 8, "a percentage must be at most 100, found 188"),
        ("figures.toml", "value = 88", "value = -1", "value = -1", 8, "value must be a finite number of zero or more, found -1"),
    ]
}

#[test]
fn duplicate_id() {
    let kb = Kb::new();
    kb.edit(
        "figures.toml",
        "id = \"coventry-white-share\"",
        "id = \"coventry-population\"",
    );
    let text = kb.read("figures.toml");
    let first = text.find("id = \"coventry-population\"").unwrap();
    let second = text.rfind("id = \"coventry-population\"").unwrap();
    let line_of = |o: usize| text[..o].matches('\n').count() + 1;
    let path = kb.path("figures.toml");
    assert_eq!(
        kb.errors(),
        format!(
            "{p}:{}:6: duplicate figure id `coventry-population`, first defined at {p}:{}:6; give this one another id",
            line_of(second),
            line_of(first),
            p = path.display()
        )
    );
}

#[test]
fn duplicate_id_across_files() {
    let kb = Kb::new();
    // Files load in name order, so `extra.toml` comes first and `schemes.toml` has the duplicate.
    std::fs::write(
        kb.path("extra.toml"),
        "[[scheme]]\nid = \"nvq-training\"\nname = \"Care assistant NVQs\"\ncouncil = \"solihull\"\nsource = \"stars-in-the-making\"\ndescription = { text = \"NVQs.\", quote = \"NVQ training for care assistants\" }\n",
    )
    .unwrap();
    assert_eq!(
        kb.errors(),
        kb.at(
            "schemes.toml",
            "id = \"nvq-training\"",
            5,
            &format!(
                "duplicate scheme id `nvq-training`, first defined at {}:2:6; give this one another id",
                kb.path("extra.toml").display()
            )
        )
    );
}

#[test]
fn quotes_may_differ_in_spacing_case_and_quote_marks_only() {
    let kb = Kb::new();
    kb.edit(
        "people.toml",
        "quote = \"The Midlands is an area that people don’t think about",
        "quote = \"the  midlands IS an area that people don't think about",
    );
    assert!(load_dir(&kb.dir).is_ok());
}

#[test]
fn missing_source_file() {
    let kb = Kb::new();
    std::fs::remove_file(kb.path("sources/stars-in-the-making.txt")).unwrap();
    // Only the source is reported: the quotes citing it cannot be checked.
    assert_eq!(
        kb.errors(),
        kb.at(
            "sources.toml",
            "\"sources/stars-in-the-making.txt\"",
            0,
            "cannot read source file `sources/stars-in-the-making.txt`: No such file or directory (os error 2); the path is relative to the knowledge directory"
        )
    );
}

/// Month and year alone are dates.
#[test]
fn month_and_year_alone_are_dates() {
    let kb = Kb::new();
    kb.edit(
        "sources.toml",
        "date = \"2004-11-19\"",
        "date = \"2004-11\"",
    );
    assert!(load_dir(&kb.dir).is_ok());
}

#[test]
fn leader_without_a_council() {
    let kb = Kb::new();
    let text = kb.edit("people.toml", "council = \"solihull\"\n", "");
    let role = text.rfind("[[person.role]]").unwrap();
    let line = text[..role].matches('\n').count() + 1;
    assert_eq!(
        kb.errors(),
        format!(
            "{}:{line}:1: a role with `leads_social_services = true` needs `council = \"…\"`",
            kb.path("people.toml").display()
        )
    );
}

#[test]
fn an_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "not knowledge").unwrap();
    let Err(e) = load_dir(tmp.path()) else {
        panic!("an empty directory loaded")
    };
    assert_eq!(
        e.to_string(),
        format!(
            "{}: no knowledge files (*.toml) in this directory",
            tmp.path().display()
        )
    );
}

// ----- all or nothing -----

#[test]
fn every_error_in_every_file_is_reported_in_order() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = 4");
    kb.edit("councils.toml", "gss = \"E08000029\"", "gss = \"E0800002\"");
    kb.edit(
        "sources.toml",
        "date = \"2004-11-19\"",
        "date = \"2004-13-19\"",
    );
    kb.edit(
        "ratings.toml",
        "council = \"coventry\"",
        "council = \"wolverhampton\"",
    );
    let expected = [
        kb.at(
            "councils.toml",
            "\"E0800002\"",
            0,
            "GSS code `E0800002` is not a letter (E, W, S or N) followed by eight digits, like E08000025",
        ),
        kb.at(
            "ratings.toml",
            "\"wolverhampton\"",
            0,
            "unknown council `wolverhampton`; add a [[council]] with id = \"wolverhampton\" or use an existing id",
        ),
        kb.at(
            "ratings.toml",
            "stars = 4",
            8,
            "stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found 4",
        ),
        kb.at(
            "sources.toml",
            "\"2004-13-19\"",
            0,
            "date `2004-13-19` is not a date like 2004-11-19, 2004-11 or 2004",
        ),
    ];
    assert_eq!(kb.errors(), expected.join("\n"));
}

#[test]
fn a_broken_base_is_never_half_loaded() {
    // One bad value in the last file read is enough to refuse every file, including the good
    // ones read before it.
    let kb = Kb::new();
    kb.edit(
        "sources.toml",
        "date = \"2004-11-19\"",
        "date = \"2004-13-19\"",
    );
    assert!(load_dir(&kb.dir).is_err());
    // A syntax error in one file: the others are not even validated, and nothing loads.
    let kb = Kb::new();
    kb.edit("councils.toml", "[[council]]", "[[council]");
    kb.edit("ratings.toml", "stars = 2", "stars = 4");
    let errors = kb.errors();
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.starts_with(&format!("{}:", kb.path("councils.toml").display())));
    // Mending the files makes it load whole.
    let good = Kb::new();
    for f in ["councils.toml", "ratings.toml"] {
        std::fs::write(kb.path(f), good.read(f)).unwrap();
    }
    let k = load_dir(&kb.dir).expect("mended");
    assert_eq!(k.counts(), load_dir(&real_dir()).unwrap().counts());
}

// ----- large files, parsed in pieces -----

/// Councils added to the copy in [`Kb::large`].
const EXTRA: usize = 3000;

/// [`EXTRA`] more councils of about 300 bytes each, with notes, numbered from 0.
fn extra_councils() -> String {
    (0..EXTRA)
        .map(|i| {
            format!(
                "\n[[council]]\nid = \"extra-{i}\"\nname = \"Extratown {i}\"\naliases = [\n  \"Extra {i}\",\n]\n\n\
                 [[council.note]]\ntext = \"Synonymous with the region.\"\nsource = \"stars-in-the-making\"\n\
                 quote = \"Birmingham, synonymous with the region\"\n"
            )
        })
        .collect()
}

impl Kb {
    /// A copy whose `councils.toml` has [`EXTRA`] more councils: large enough to be parsed in
    /// pieces.
    fn large() -> Kb {
        let kb = Kb::new();
        kb.append("councils.toml", &extra_councils());
        kb
    }

    /// Adds `text` to the end of `file`.
    fn append(&self, file: &str, text: &str) {
        let mut all = self.read(file);
        all.push_str(text);
        std::fs::write(self.path(file), all).unwrap();
    }
}

#[test]
fn a_large_file_loads_entry_for_entry() {
    let kb = Kb::large();
    assert!(kb.read("councils.toml").len() > 500_000);
    let k = load_dir(&kb.dir).expect("loads");
    // The curated councils, the 3000 added, then the register's 163 other authorities.
    assert_eq!(k.counts().councils, 5 + 3000 + 163);
    let real = load_dir(&real_dir()).unwrap();
    for (i, c) in real.councils.iter().take(5).enumerate() {
        assert_eq!(k.councils[i].id, c.id);
        assert_eq!(k.councils[i].notes.len(), c.notes.len());
    }
    for i in [0, 1234, 2999] {
        let c = &k.councils[5 + i];
        assert_eq!(
            (c.id.as_str(), c.notes.len()),
            (format!("extra-{i}").as_str(), 1)
        );
        assert_eq!(
            k.find_council(&format!("Extra {i}")),
            carebot::knowledge::Resolved::Exact(5 + i)
        );
    }
}

#[test]
fn mistakes_deep_in_a_large_file_are_placed_exactly() {
    let kb = Kb::large();
    // A schema mistake, a validation mistake and a duplicate id, far apart.
    kb.edit(
        "councils.toml",
        "id = \"extra-2500\"\n",
        "id = \"extra-2500\"\nstarz = 1\n",
    );
    kb.edit("councils.toml", "name = \"Extratown 2900\"", "name = \" \"");
    kb.edit("councils.toml", "id = \"extra-2950\"", "id = \"extra-12\"");
    assert_eq!(
        kb.errors(),
        kb.at(
            "councils.toml",
            "starz = 1",
            0,
            "unknown field `starz`, expected one of `id`, `name`, `aliases`, `kind`, `region`, `gss`, `register`, `note`; remove the key or correct its spelling"
        )
    );
    kb.edit("councils.toml", "starz = 1\n", "");
    let first = kb.at(
        "councils.toml",
        "\"extra-12\"\nname = \"Extratown 12\"",
        0,
        "",
    );
    assert_eq!(
        kb.errors(),
        [
            kb.at("councils.toml", "\" \"", 0, "council name must not be empty"),
            kb.at(
                "councils.toml",
                "\"extra-12\"\nname = \"Extratown 2950\"",
                0,
                &format!(
                    "duplicate council id `extra-12`, first defined at {}; give this one another id",
                    first.trim_end_matches(": ")
                )
            ),
        ]
        .join("\n")
    );
    // A syntax error in the last piece.
    let kb = Kb::large();
    kb.edit(
        "councils.toml",
        "name = \"Extratown 2990\"",
        "name = \"Extratown 2990",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "councils.toml",
            "\"Extratown 2990\n",
            15,
            "invalid basic string, expected `\"`"
        )
    );
}

// ----- long lists -----

/// `n` councils in the West Midlands rated two stars, numbered from 0.
fn rated_councils(n: usize) -> (String, String) {
    let councils = (0..n)
        .map(|i| {
            format!(
                "\n[[council]]\nid = \"rated-{i}\"\nname = \"Ratedtown {i}\"\nkind = \"county\"\n\
                 region = \"West Midlands\"\nregister = {{ source = \"ons-register\", quote = \"Ratedtown {i}\" }}\n"
            )
        })
        .collect();
    let ratings = (0..n)
        .map(|i| {
            format!(
                "\n[[rating]]\ncouncil = \"rated-{i}\"\nstars = 2\narea = \"overall\"\nyear = 2004\n\
                 when = \"November 2004\"\nsource = \"stars-in-the-making\"\n\
                 quote = \"Solihull is a step ahead, as its social services department has a two-star rating\"\n"
            )
        })
        .collect();
    (councils, ratings)
}

#[test]
fn long_lists_show_fifty_and_count_the_rest() {
    let kb = Kb::new();
    let (councils, ratings) = rated_councils(120);
    kb.append("councils.toml", &councils);
    kb.append("ratings.toml", &ratings);
    let k = load_dir(&kb.dir).expect("loads");
    let parser = carebot::query::Parser::new("!");
    let say = |q: &str| {
        let a = carebot::answer::ask(&k, &parser, q, carebot::query::Mode::Direct, 500).unwrap();
        carebot::answer::text::render(&a)
    };
    let bullets = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("• "))
            .map(String::from)
            .collect()
    };

    let rated = say("!rated 2 2004");
    let line = rated
        .lines()
        .find(|l| l.contains("in November 2004;"))
        .unwrap_or_default();
    assert!(
        line.starts_with(
            "  82 councils had two stars in November 2004; sources name 121: Solihull, Ratedtown 0, "
        ),
        "{rated}"
    );
    assert!(line.ends_with(", Ratedtown 48 and 71 more."), "{line}");

    let all = say("!councils");
    assert_eq!(bullets(&all).len(), 50);
    assert!(
        all.contains(" · ★★☆ 2 stars (2004)\n…and 238 more.\n"),
        "{all}"
    );

    let west = say("!councils in the West Midlands");
    let listed = bullets(&west);
    assert_eq!(listed.len(), 50);
    assert!(listed[0].starts_with("Birmingham — "));
    assert!(listed[49].starts_with("Ratedtown 45 — "));
    assert!(west.contains("…and 85 more.\n"), "{west}");

    let region = say("!about Midlands");
    let first = region.lines().nth(1).unwrap();
    assert!(
        first.starts_with(
            "Councils recorded here: Birmingham, Coventry, Solihull, Staffordshire, Ratedtown 0, "
        ),
        "{first}"
    );
    // Lincolnshire is in the Midlands by Ofsted's word (the register puts it in Yorkshire).
    assert!(first.ends_with(", Ratedtown 45 and 94 more."), "{first}");
}

// ----- `carebot check` -----

fn carebot(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--knowledge")
        .arg(dir)
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("carebot runs");
    (
        out.status.code().expect("carebot exited"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_exits_2_printing_every_error() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = 4");
    kb.edit(
        "figures.toml",
        "region = \"midlands\"",
        "region = \"east-midlands\"",
    );
    let errors = kb.errors();
    assert_eq!(errors.lines().count(), 2);
    let (code, stdout, stderr) = carebot(&kb.dir, &["check"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("carebot: the knowledge base has errors:\n{errors}\n")
    );
    // Nothing is answered from a broken base either.
    let (code, stdout, stderr) = carebot(&kb.dir, &["ask", "!stars Solihull"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!("carebot: the knowledge base has errors:\n{errors}\n")
    );
}

#[test]
fn check_says_what_a_good_base_holds() {
    let kb = Kb::new();
    let (code, stdout, stderr) = carebot(&kb.dir, &["check"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        format!(
            "{}: OK: 2 sources, 168 councils, 4 people, 6 schemes, 5 ratings, 13 figures, 1 region, 8 quotes\n",
            kb.dir.display()
        )
    );
}
