//! The bundled knowledge base: loaded once per test crate, or copied to a temporary directory
//! for a test to change. Included with `#[path]` by the crates that need only this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use carebot::knowledge::{load_dir, Knowledge};
use carebot::query::Parser;

/// The bundled `knowledge/` directory.
pub fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// The bundled knowledge base, loaded on first use.
pub fn kb() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| load_dir(&real_dir()).expect("the shipped knowledge base loads"))
}

/// A parser with the `!` prefix.
pub fn parser() -> &'static Parser {
    static P: OnceLock<Parser> = OnceLock::new();
    P.get_or_init(|| Parser::new("!"))
}

/// A copy of the bundled knowledge base in a temporary directory, as `(guard, knowledge dir)`.
pub fn copy_knowledge() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("knowledge");
    copy_dir(&real_dir(), &dir);
    (tmp, dir)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
