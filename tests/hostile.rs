//! Careless and hostile knowledge bases: each is refused with an exact `file:line:col` and a
//! reason, quickly, and `carebot check` exits 2 on it.
//!
//! Each test copies the bundled knowledge directory into a temporary one and breaks one thing.

use std::path::{Path, PathBuf};
use std::process::Command;
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

    /// Runs `carebot check`, asserting it refuses the base within a second with `errors`.
    fn check_refuses(&self, errors: &str) {
        let started = Instant::now();
        let (code, stderr) = check(&self.dir);
        let took = started.elapsed();
        assert_eq!(
            (code, stderr),
            (
                2,
                format!("carebot: the knowledge base has errors:\n{errors}\n")
            )
        );
        assert!(took < Duration::from_secs(1), "check took {took:?}");
    }
}

/// `carebot check` on `dir`: exit code and standard error.
fn check(dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--knowledge")
        .arg(dir)
        .arg("check")
        .env_remove("RUST_LOG")
        .output()
        .expect("carebot runs");
    (
        out.status.code().expect("carebot exited"),
        String::from_utf8(out.stderr).unwrap(),
    )
}

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
