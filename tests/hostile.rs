//! Careless and hostile knowledge bases: each is refused with an exact `file:line:col` and a
//! reason, without blocking, and `carebot check` exits 2 on it.
//!
//! Each test copies the bundled knowledge directory into a temporary one and breaks one thing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use carebot::knowledge::{load_dir, LoadErrors};

#[path = "support/bundled.rs"]
mod bundled;

/// A copy of the bundled knowledge base that can be broken.
struct Kb {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Kb {
    fn new() -> Kb {
        let (tmp, dir) = bundled::copy_knowledge();
        Kb { _tmp: tmp, dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap()
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).unwrap();
    }

    /// Replaces the first `from` in `file` by `to`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        self.write(file, &text.replacen(from, to, 1));
    }

    /// `file:line:col: message`, the place being where the only `needle` starts in `file`.
    fn at(&self, file: &str, needle: &str, message: &str) -> String {
        let text = self.read(file);
        assert_eq!(text.matches(needle).count(), 1, "{needle:?} in {file}");
        let before = &text[..text.find(needle).unwrap()];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        format!("{}:{line}:{col}: {message}", self.path(file).display())
    }

    /// The errors loading gives, one a line.
    fn errors(&self) -> String {
        match load_dir(&self.dir) {
            Ok(_) => panic!("the broken knowledge base loaded"),
            Err(LoadErrors(list)) => LoadErrors(list).to_string(),
        }
    }

    /// Runs `carebot check`, asserting it exits 2 printing `errors`.
    fn check_refuses(&self, errors: &str) {
        assert_eq!(
            check(&self.dir),
            (
                2,
                format!("carebot: the knowledge base has errors:\n{errors}\n")
            )
        );
    }
}

/// `carebot check` on `dir`, with `DISCORD_TOKEN` set: exit code and standard error. A check
/// still running after ten seconds (one that blocks, or takes time quadratic in its input) is
/// killed and fails the test; speed itself is measured in the benchmarks.
fn check(dir: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--knowledge")
        .arg(dir)
        .arg("check")
        .env_remove("RUST_LOG")
        .env("DISCORD_TOKEN", TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("carebot runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("carebot check hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().expect("carebot exited"),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The token `carebot check` runs with.
const TOKEN: &str = "tok-3141592653";

// ----- dates -----

#[test]
fn a_date_that_does_not_exist_is_refused() {
    for (bad, why) in [
        ("2004-02-31", "February 2004 has 29 days"),
        ("2003-02-29", "February 2003 has 28 days"),
        ("2004-04-31", "April 2004 has 30 days"),
        ("1900-02-29", "February 1900 has 28 days"),
    ] {
        let kb = Kb::new();
        kb.edit(
            "sources.toml",
            "date = \"2004-11-19\"",
            &format!("date = \"{bad}\""),
        );
        let expected = kb.at(
            "sources.toml",
            &format!("\"{bad}\""),
            &format!("date `{bad}` does not exist: {why}"),
        );
        assert_eq!(kb.errors(), expected);
    }
    // Leap days that exist are dates.
    let kb = Kb::new();
    kb.edit(
        "sources.toml",
        "date = \"2004-11-19\"",
        "date = \"2000-02-29\"",
    );
    assert!(load_dir(&kb.dir).is_ok());
}

#[test]
fn check_refuses_a_date_that_does_not_exist() {
    let kb = Kb::new();
    kb.edit(
        "sources.toml",
        "date = \"2004-11-19\"",
        "date = \"2004-02-31\"",
    );
    kb.check_refuses(&kb.at(
        "sources.toml",
        "\"2004-02-31\"",
        "date `2004-02-31` does not exist: February 2004 has 29 days",
    ));
}

// ----- files confined to the knowledge directory -----

impl Kb {
    /// Adds a source `env` whose file is `file`, and a note on the Midlands citing it with
    /// `quote` (exempt from the quote rules, so only the file is in question).
    fn cite_file(&self, file: &str, quote: &str) {
        let mut sources = self.read("sources.toml");
        sources.push_str(&format!(
            "\n[[source]]\nid = \"env\"\ntitle = \"Env\"\npublisher = \"Env\"\nfile = \"{file}\"\n"
        ));
        self.write("sources.toml", &sources);
        let mut regions = self.read("regions.toml");
        regions.push_str(&format!(
            "\n[[region.note]]\ntext = \"A note.\"\nsource = \"env\"\nquote = \"{quote}\"\nquote_note = \"A test.\"\n"
        ));
        self.write("regions.toml", &regions);
    }

    /// The error for the `env` source's file.
    fn file_error(&self, file: &str, why: &str) -> String {
        self.at(
            "sources.toml",
            &format!("\"{file}\""),
            &format!("cannot read source file `{file}`: {why}"),
        )
    }
}

const OUTSIDE: &str = "it is outside the knowledge directory; a source text must be inside the knowledge directory, with its path given relative to it";

#[test]
fn a_source_file_outside_the_directory_is_refused_and_never_read() {
    // A right guess at the token in the environment and a wrong one are refused alike.
    for guess in [TOKEN, "tok-2718281828"] {
        let kb = Kb::new();
        kb.cite_file("/proc/self/environ", &format!("DISCORD_TOKEN={guess}"));
        kb.check_refuses(&kb.file_error("/proc/self/environ", OUTSIDE));
    }
    for file in [
        "/dev/zero",
        "/etc/passwd",
        "../outside.txt",
        "sources/../../outside.txt",
    ] {
        let kb = Kb::new();
        std::fs::write(kb.dir.join("../outside.txt"), "root:x:0:0:root").unwrap();
        kb.cite_file(file, "root:x:0:0:root");
        assert_eq!(kb.errors(), kb.file_error(file, OUTSIDE), "{file}");
    }
}

#[test]
fn a_link_out_of_the_directory_is_refused_and_one_within_it_is_followed() {
    let kb = Kb::new();
    std::fs::write(kb.dir.join("../outside.txt"), "root:x:0:0:root").unwrap();
    std::os::unix::fs::symlink("../../outside.txt", kb.path("sources/out.txt")).unwrap();
    kb.cite_file("sources/out.txt", "root:x:0:0:root");
    assert_eq!(kb.errors(), kb.file_error("sources/out.txt", OUTSIDE));

    let kb = Kb::new();
    std::os::unix::fs::symlink("stars-in-the-making.txt", kb.path("sources/same.txt")).unwrap();
    kb.edit(
        "sources.toml",
        "sources/stars-in-the-making.txt",
        "sources/same.txt",
    );
    assert!(load_dir(&kb.dir).is_ok());
}

/// Makes a FIFO at `path`.
fn fifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn a_source_file_that_is_not_a_regular_file_is_refused_without_blocking() {
    let kb = Kb::new();
    fifo(&kb.path("sources/pipe.txt"));
    kb.cite_file("sources/pipe.txt", "anything at all");
    kb.check_refuses(&kb.file_error(
        "sources/pipe.txt",
        "it is a FIFO, not a regular file; a source text must be a regular file",
    ));

    let kb = Kb::new();
    kb.cite_file("sources", "anything at all");
    assert_eq!(
        kb.errors(),
        kb.file_error(
            "sources",
            "it is a directory, not a regular file; a source text must be a regular file"
        )
    );
}

#[test]
fn a_source_file_larger_than_the_cap_is_refused() {
    let kb = Kb::new();
    let big = std::fs::File::create(kb.path("sources/big.txt")).unwrap();
    big.set_len((8 << 20) + 1).unwrap();
    kb.cite_file("sources/big.txt", "anything at all");
    kb.check_refuses(&kb.file_error(
        "sources/big.txt",
        "it is larger than 8 MiB; keep only the words of the source",
    ));
}

#[test]
fn toml_entries_that_are_not_regular_files_inside_the_directory_are_refused() {
    let kb = Kb::new();
    std::fs::create_dir(kb.path("a-directory.toml")).unwrap();
    fifo(&kb.path("pipe.toml"));
    std::fs::write(kb.dir.join("../elsewhere.toml"), "").unwrap();
    std::os::unix::fs::symlink("../elsewhere.toml", kb.path("link.toml")).unwrap();
    let path = |f: &str| kb.path(f).display().to_string();
    let expected = [
        format!("{}: cannot read: it is a directory, not a regular file; remove it or give it a name that does not end in .toml", path("a-directory.toml")),
        format!("{}: cannot read: it is outside the knowledge directory; a knowledge file must be inside the knowledge directory", path("link.toml")),
        format!("{}: cannot read: it is a FIFO, not a regular file; remove it or give it a name that does not end in .toml", path("pipe.toml")),
    ]
    .join("\n");
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);
    // A link to a knowledge file within the directory is read.
    let kb = Kb::new();
    std::fs::rename(kb.path("ratings.toml"), kb.path("sources/ratings.txt")).unwrap();
    std::os::unix::fs::symlink("sources/ratings.txt", kb.path("ratings.toml")).unwrap();
    assert_eq!(load_dir(&kb.dir).unwrap().counts(), bundled::kb().counts());
}

// ----- quotes that support their facts -----

const OR_SAY_WHY: &str = "or, where the source's wording cannot, say why in `quote_note = \"…\"`";

#[test]
fn a_quote_too_short_to_support_its_fact_is_refused() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = 3");
    kb.edit(
        "ratings.toml",
        "quote = \"Solihull is a step ahead, as its social services department has a two-star rating\"",
        "quote = \"star\"",
    );
    let expected = kb.at(
        "ratings.toml",
        "\"star\"",
        &format!("quote is too short to support a fact (1 of at least 5 words): quote the whole statement, {OR_SAY_WHY}"),
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);
    // Notes too.
    let kb = Kb::new();
    kb.edit(
        "regions.toml",
        "quote = \"star ratings matter greatly to local authorities in the Midlands\"",
        "quote = \"star ratings matter\"",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "regions.toml",
            "\"star ratings matter\"",
            &format!("quote is too short to support a fact (3 of at least 5 words): quote the whole statement, {OR_SAY_WHY}")
        )
    );
}

#[test]
fn a_quote_must_give_the_facts_value() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = 3");
    assert_eq!(
        kb.errors(),
        kb.at(
            "ratings.toml",
            "\"Solihull is a step ahead",
            &format!("quote does not give the rating: it must have the number of stars (3) in digits or words, {OR_SAY_WHY}")
        )
    );
    let kb = Kb::new();
    kb.edit("figures.toml", "value = 300000", "value = 400000");
    assert_eq!(
        kb.errors(),
        kb.at(
            "figures.toml",
            "\"Coventry has a population of 300,000\"",
            &format!("quote does not give the value 400000: quote the words with the number, {OR_SAY_WHY}")
        )
    );
    let kb = Kb::new();
    kb.edit("figures.toml", "previous = 67", "previous = 68");
    assert_eq!(
        kb.errors(),
        kb.at(
            "figures.toml",
            "\"78 per cent of all households",
            &format!(
                "quote does not give the value 68: quote the words with the number, {OR_SAY_WHY}"
            )
        )
    );
    let kb = Kb::new();
    kb.edit(
        "people.toml",
        "quote = \"Peter Hay, the strategic director of social care and health at the council\"",
        "quote = \"the strategic director of social care and health at the council\"",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "people.toml",
            "\"the strategic director of social care and health at the council\"",
            &format!("quote does not name Hay: quote the words that name the person in this role, {OR_SAY_WHY}")
        )
    );
    let kb = Kb::new();
    kb.edit(
        "schemes.toml",
        "quote = \"The idea behind the Safe and Sound scheme is ",
        "quote = \"",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "schemes.toml",
            "\"for residents to become more independent",
            &format!("quote does not name the scheme `Safe and Sound` or an alias of it: quote the words that name it, {OR_SAY_WHY}")
        )
    );
    let kb = Kb::new();
    kb.edit(
        "councils.toml",
        "quote = \"E08000026 Coventry",
        "quote = \"E08000025 Coventry",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "councils.toml",
            "\"E08000025 Coventry",
            &format!("register quote does not give the code `E08000026`: quote the register's entry for this council, {OR_SAY_WHY}")
        )
    );
}

#[test]
fn a_reviewed_quote_note_is_the_only_exception() {
    let kb = Kb::new();
    kb.edit("ratings.toml", "stars = 2", "stars = 3");
    kb.edit(
        "ratings.toml",
        "has a two-star rating\"",
        "has a two-star rating\"\nquote_note = \"\"",
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "ratings.toml",
            "\"\"",
            "quote_note must not be empty: say why the quote cannot meet the quote rules, or remove it"
        )
    );
    let kb = Kb::new();
    kb.edit(
        "regions.toml",
        "quote = \"star ratings matter greatly to local authorities in the Midlands\"",
        "quote = \"star ratings matter\"\nquote_note = \"The article says no more than this.\"",
    );
    assert!(load_dir(&kb.dir).is_ok());
}

// ----- size and time -----

/// `n` councils with notes, about 300 bytes each, with ids `{prefix}-0` ….
fn councils(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "\n[[council]]\nid = \"{prefix}-{i}\"\nname = \"{prefix} town {i}\"\n\n\
                 [[council.note]]\ntext = \"Synonymous with the region.\"\nsource = \"stars-in-the-making\"\n\
                 quote = \"Birmingham, synonymous with the region\"\n"
            )
        })
        .collect()
}

#[test]
fn a_copied_file_of_duplicate_ids_is_refused_quickly() {
    let kb = Kb::new();
    let text = councils("copy", 4000);
    assert!(text.len() > 500_000);
    kb.write("a.toml", &text);
    kb.write("b.toml", &text);
    let errors = kb.errors();
    let lines: Vec<&str> = errors.lines().collect();
    // The first hundred problems are placed; the rest are counted.
    assert_eq!(lines.len(), 101, "{}", lines[..3].join("\n"));
    let b = kb.path("b.toml").display().to_string();
    let a = kb.path("a.toml").display().to_string();
    assert_eq!(
        lines[0],
        format!("{b}:3:6: duplicate council id `copy-0`, first defined at {a}:3:6; give this one another id")
    );
    assert_eq!(
        lines[100],
        format!(
            "{}: and 7900 more problems; fix these and check again",
            kb.dir.display()
        )
    );
    kb.check_refuses(&errors);
}

#[test]
fn every_text_field_is_capped() {
    let long = |n: usize| "é".repeat(n);
    let kb = Kb::new();
    kb.edit(
        "councils.toml",
        "name = \"Birmingham\"",
        &format!("name = \"{}\"", long(201)),
    );
    let expected = kb.at(
        "councils.toml",
        &format!("\"{}\"", long(201)),
        "name is longer than 200 characters; shorten it",
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);

    let kb = Kb::new();
    kb.edit(
        "regions.toml",
        "text = \"Star ratings matter greatly to its local authorities.\"",
        &format!("text = \"{}\"", long(1001)),
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "regions.toml",
            &format!("\"{}\"", long(1001)),
            "text is longer than 1000 characters; shorten it"
        )
    );

    let kb = Kb::new();
    kb.edit(
        "people.toml",
        "aliases = [\"Hay\"]",
        &format!("aliases = [\"Hay\", \"{}\"]", long(201)),
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "people.toml",
            &format!("\"{}\"", long(201)),
            "alias is longer than 200 characters; shorten it"
        )
    );

    let kb = Kb::new();
    let many: Vec<String> = (0..51).map(|i| format!("\"Hay {i}\"")).collect();
    kb.edit(
        "people.toml",
        "aliases = [\"Hay\"]",
        &format!("aliases = [{}]", many.join(", ")),
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "people.toml",
            "[\"Hay 0\"",
            "more than 50 aliases; keep the names people use"
        )
    );

    // A reference too long to be an id is reported once, and shown nowhere in full.
    let kb = Kb::new();
    kb.edit(
        "ratings.toml",
        "council = \"solihull\"",
        &format!("council = \"{}\"", "x".repeat(100_000)),
    );
    assert_eq!(
        kb.errors(),
        kb.at(
            "ratings.toml",
            &format!("\"{}\"", "x".repeat(100_000)),
            "council is longer than 100 characters; shorten it"
        )
    );
}

#[test]
fn knowledge_files_are_capped_in_size() {
    let kb = Kb::new();
    let big = std::fs::File::create(kb.path("big.toml")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    let expected = format!(
        "{}: cannot read: it is larger than 64 MiB; split it into smaller files",
        kb.path("big.toml").display()
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);

    let kb = Kb::new();
    for f in ["a.toml", "b.toml"] {
        let big = std::fs::File::create(kb.path(f)).unwrap();
        big.set_len(40 << 20).unwrap();
    }
    let expected = format!(
        "{}: the knowledge files hold more than 64 MiB in all, the most a knowledge base may hold",
        kb.dir.display()
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);
}

#[test]
fn a_large_file_that_cannot_be_read_in_parts_is_refused() {
    let kb = Kb::new();
    let text = format!("title = \"x\"\n{}", councils("big", 12_000));
    assert!(text.len() > 2 << 20);
    kb.write("big.toml", &text);
    let expected = format!(
        "{}:1:1: this file holds more than 2 MiB and cannot be read in parts: a large knowledge file must hold only [[kind]] entries, with nothing before the first, so that it can be cut between them; split it into smaller files",
        kb.path("big.toml").display()
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);
}

#[test]
fn many_quotes_of_a_large_source_are_looked_for_in_one_pass() {
    let kb = Kb::new();
    // A 2 MiB source, and 5,000 notes quoting it; one quote is not in it.
    let article = kb.read("sources/stars-in-the-making.txt");
    let copies = (2 << 20) / article.len();
    kb.write("sources/stars-in-the-making.txt", &article.repeat(copies));
    let many = councils("many", 5_000).replacen(
        "quote = \"Birmingham, synonymous with the region\"\n",
        "quote = \"the Midlands is a very vibrant part of the country\"\n",
        1,
    );
    kb.write("many.toml", &many);
    let expected = kb.at(
        "many.toml",
        "\"the Midlands is a very vibrant part of the country\"",
        "quote not found in source `stars-in-the-making`: copy the words exactly as the source has them (spacing, case and quote marks may differ)",
    );
    assert_eq!(kb.errors(), expected);
    kb.check_refuses(&expected);
}

#[test]
fn source_texts_are_capped_in_all() {
    let kb = Kb::new();
    let big = std::fs::File::create(kb.path("sources/big.txt")).unwrap();
    big.set_len(15 << 19).unwrap();
    let mut sources = kb.read("sources.toml");
    for i in 0..9 {
        sources.push_str(&format!(
            "\n[[source]]\nid = \"big-{i}\"\ntitle = \"Big\"\npublisher = \"Big\"\nfile = \"sources/big.txt\"\n"
        ));
    }
    kb.write("sources.toml", &sources);
    let text = kb.read("sources.toml");
    let last = text.rfind("\"sources/big.txt\"").unwrap();
    let line = text[..last].matches('\n').count() + 1;
    let expected = format!(
        "{}:{line}:8: cannot read source file `sources/big.txt`: the source texts hold more than 64 MiB in all, the most a knowledge base may hold",
        kb.path("sources.toml").display()
    );
    assert_eq!(kb.errors(), expected);
}
