//! Cutting a large knowledge file into pieces that parse on their own.
//!
//! The TOML parser first lexes all the text it is given into a token list, reserving about
//! seven bytes of tokens per byte of text: a 33 MB file would hold 230 MB at once. A file made
//! only of `[[kind]]` entries is cut just before some of its `[[kind]]` headers instead, into
//! pieces of about [`PIECE`] bytes. Each piece is then a TOML document holding whole entries,
//! and the pieces' entries, in order, are the file's. Pieces also parse in parallel.
//!
//! A file in any other shape (keys before the first header, a header for another kind inside
//! an entry, a quoted key in a header, unbalanced brackets) stays whole.

use std::ops::Range;

use toml_parser::lexer::{Lexer, Token, TokenKind};
use toml_parser::Source;

/// The least text in a piece, in bytes; only the last piece may be shorter.
pub const PIECE: usize = 64 * 1024;

/// Where to cut `text`, as consecutive ranges covering it; `None` keeps it whole.
pub fn cut(text: &str) -> Option<Vec<Range<usize>>> {
    if text.len() < 2 * PIECE {
        return None;
    }
    let source = Source::new(text);
    let mut tokens = source.lex();
    let mut starts = vec![0];
    // The kind of the entry being read: every header until the next entry must be under it.
    let mut kind: Option<&str> = None;
    let mut depth = 0usize;
    let mut line_start = true;
    while let Some(t) = tokens.next() {
        match t.kind() {
            TokenKind::Newline => {
                line_start = true;
                continue;
            }
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Eof => continue,
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                let h = header(&mut tokens, text)?;
                if h.entry {
                    let at = t.span().start();
                    if kind.is_some() && at - starts[starts.len() - 1] >= PIECE {
                        starts.push(at);
                    }
                    kind = Some(h.kind);
                } else if kind != Some(h.kind) {
                    return None;
                }
            }
            // Keys and values belong to an entry; before the first there may be only comments.
            _ if kind.is_none() => return None,
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.checked_sub(1)?
            }
            _ => {}
        }
        line_start = false;
    }
    if depth != 0 || starts.len() < 2 {
        return None;
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    Some(starts.iter().zip(ends).map(|(&s, e)| s..e).collect())
}

/// A table header, read after its first `[`.
struct Header<'t> {
    /// The first key of the header.
    kind: &'t str,
    /// `[[kind]]`: a new entry of a kind, rather than a table inside one.
    entry: bool,
}

/// Reads the rest of a header; `None` for a header this module does not cut around.
fn header<'t>(tokens: &mut Lexer<'t>, text: &'t str) -> Option<Header<'t>> {
    let mut next = || tokens.find(|t: &Token| t.kind() != TokenKind::Whitespace);
    let mut t = next()?;
    let array = t.kind() == TokenKind::LeftSquareBracket;
    if array {
        t = next()?;
    }
    if t.kind() != TokenKind::Atom {
        return None;
    }
    let kind = &text[t.span().start()..t.span().end()];
    let mut keys = 1;
    loop {
        match next()?.kind() {
            TokenKind::Dot => match next()?.kind() {
                TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString => keys += 1,
                _ => return None,
            },
            TokenKind::RightSquareBracket => break,
            _ => return None,
        }
    }
    if array && next()?.kind() != TokenKind::RightSquareBracket {
        return None;
    }
    Some(Header {
        kind,
        entry: array && keys == 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` councils of about 200 bytes each, with notes, comments and a multi-line string.
    fn councils(n: usize) -> String {
        let mut s = String::from("# Councils\n\n");
        for i in 0..n {
            s.push_str(&format!(
                "[[council]]\nid = \"c{i}\"\nname = \"Council {i}\"\naliases = [\n  \"C{i}\",\n]\n\
                 register = {{ source = \"r\", quote = \"q\" }}\n\n[[council.note]] # a note\n\
                 text = \"\"\"\n[[council]]\n\"\"\"\nsource = \"s\"\nquote = \"q\"\n\n"
            ));
        }
        s
    }

    #[test]
    fn small_files_stay_whole() {
        assert_eq!(cut(&councils(10)), None);
    }

    #[test]
    fn cuts_before_entries_into_pieces_covering_the_text() {
        let text = councils(2000);
        let pieces = cut(&text).expect("cut");
        assert!(pieces.len() > 2, "{} pieces", pieces.len());
        assert_eq!(pieces[0].start, 0);
        assert_eq!(pieces.last().unwrap().end, text.len());
        for w in pieces.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert!(w[0].len() >= PIECE);
            assert!(text[w[1].clone()].starts_with("[[council]]\nid = "));
        }
    }

    #[test]
    fn other_shapes_stay_whole() {
        let big = councils(2000);
        for prefix in [
            "title = \"x\"\n",
            "[meta]\nx = 1\n",
            "[[\"council\"]]\nid = \"q\"\n",
            "x = ]\n",
        ] {
            assert_eq!(cut(&format!("{prefix}{big}")), None, "{prefix}");
        }
        for suffix in ["[[person]]\n[council.extra]\n", "[[council]]\nx = [\n"] {
            assert_eq!(cut(&format!("{big}{suffix}")), None, "{suffix}");
        }
    }
}
