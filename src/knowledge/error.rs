//! Errors in knowledge files, each located at `file:line:col`.

use std::fmt;
use std::path::PathBuf;

/// One problem in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    /// 1-based line, 0 when the problem is the file itself (missing, unreadable).
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    pub message: String,
}

impl LoadError {
    /// An error about a whole file or directory.
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        LoadError {
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
        }
    }

    /// An error at a byte offset of `text`.
    pub fn at(
        file: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        LoadError {
            file: file.into(),
            line,
            col,
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.message
            )
        }
    }
}

/// Lines and columns of increasing offsets in one text, found in one pass over it.
pub struct Cursor<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'t> Cursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Cursor {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// 1-based line and column of `offset`, which must not be before the last one asked.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let offset = offset.max(self.pos);
        for (i, b) in self.text.as_bytes()[self.pos..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = offset;
        let col = self.text[self.line_start..offset].chars().count() + 1;
        (self.line, col)
    }
}

/// Everything wrong with a knowledge base; it is never loaded in part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 10), (2, 4));
        assert_eq!(
            LoadError::at("k.toml", text, 6, "bad").to_string(),
            "k.toml:2:1: bad"
        );
        let mut cursor = Cursor::new(text);
        assert_eq!(
            [0, 6, 10, 10].map(|o| cursor.line_col(o)),
            [(1, 1), (2, 1), (2, 4), (2, 4)]
        );
    }
}
