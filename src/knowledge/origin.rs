//! Where an entry or value came from: its file and its path there, and finding that path's
//! place in the file's text.

use super::model::Kind;

/// One step of a path into a knowledge file.
#[derive(Debug, Clone, Copy)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// Where a value lives: its file and its path there (`council`, 3, `name`). Held inline,
/// without allocating: validation makes one for every value it checks.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// Index of the file among those loaded.
    pub file: usize,
    len: usize,
    steps: [Seg; MAX_DEPTH],
}

/// The deepest path validation names (`person`, 0, `role`, 1, `council`) has five steps.
const MAX_DEPTH: usize = 5;

impl Origin {
    /// The `index`th entry of `kind` in `file`.
    pub fn entry(file: usize, kind: Kind, index: usize) -> Origin {
        let mut o = Origin {
            file,
            len: 0,
            steps: [Seg::Index(0); MAX_DEPTH],
        };
        o.push(Seg::Key(kind.key()));
        o.push(Seg::Index(index));
        o
    }

    /// The path to the value.
    pub fn path(&self) -> &[Seg] {
        &self.steps[..self.len]
    }

    fn push(&mut self, seg: Seg) {
        // A deeper path would only be reported at its deepest known part.
        if self.len < MAX_DEPTH {
            self.steps[self.len] = seg;
            self.len += 1;
        }
    }

    /// The value under `key`.
    pub fn key(&self, key: &'static str) -> Origin {
        let mut o = *self;
        o.push(Seg::Key(key));
        o
    }

    /// The `index`th table of the array under `key`.
    pub fn item(&self, key: &'static str, index: usize) -> Origin {
        let mut o = self.key(key);
        o.push(Seg::Index(index));
        o
    }
}

/// The byte offset of the item at `path`, or of the deepest part of it that exists.
pub fn span_of(doc: &toml_edit::Document<&str>, path: &[Seg]) -> Option<usize> {
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
