//! Where an entry or value came from: its file and its path there, and finding that path's
//! place in the file's text.

use std::ops::Range;

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

    /// The kind and index of the entry the path starts at.
    fn entry_index(&self) -> Option<(Kind, usize)> {
        match self.path() {
            [Seg::Key(key), Seg::Index(i), ..] => {
                let kind = Kind::ALL.into_iter().find(|k| k.key() == *key)?;
                Some((kind, *i))
            }
            _ => None,
        }
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

/// How a file was cut for parsing ([`super::pieces`]): each piece's range and how many
/// entries of each kind come before it, so a value is found by parsing only its piece.
#[derive(Debug, Clone)]
pub struct Layout {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
struct Piece {
    range: Range<usize>,
    /// Entries of each kind in earlier pieces, in [`Kind::ALL`] order.
    before: [usize; Kind::ALL.len()],
}

impl Layout {
    /// The layout of pieces with these ranges and entry counts, in order.
    pub fn new(pieces: impl IntoIterator<Item = (Range<usize>, [usize; Kind::ALL.len()])>) -> Self {
        let mut before = [0; Kind::ALL.len()];
        let pieces = pieces
            .into_iter()
            .map(|(range, counts)| {
                let piece = Piece { range, before };
                for (b, c) in before.iter_mut().zip(counts) {
                    *b += c;
                }
                piece
            })
            .collect();
        Layout { pieces }
    }

    /// The piece holding the value at `at`, by index, with its range and the path within it.
    pub fn find(&self, at: &Origin) -> (usize, Range<usize>, Origin) {
        let Some((kind, i)) = at.entry_index() else {
            return (0, self.pieces[0].range.clone(), *at);
        };
        let k = kind as usize;
        let p = self.pieces.partition_point(|p| p.before[k] <= i).max(1) - 1;
        let mut local = *at;
        local.steps[1] = Seg::Index(i - self.pieces[p].before[k]);
        (p, self.pieces[p].range.clone(), local)
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
