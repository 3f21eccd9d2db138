//! Folding names and text into the comparable form every lookup uses.

use unicode_normalization::UnicodeNormalization;

/// Folds text for comparison: accents dropped, lower case, curly quotes and dashes made plain,
/// possessive `'s` removed, every other run of punctuation or space turned into one space.
///
/// `"Birmingham’s  Star-Rating!"` becomes `"birmingham star rating"`.
pub fn fold(text: &str) -> String {
    // ASCII is its own NFKD form and has no combining marks: skip the decomposition.
    if text.is_ascii() {
        fold_ascii(text.as_bytes())
    } else {
        fold_chars(
            text.len(),
            text.nfkd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
        )
    }
}

/// [`fold_chars`] for ASCII text, a byte at a time.
fn fold_ascii(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c == b'\'' || c == b'`' {
            // A possessive `'s` at the end of a word disappears; any other apostrophe is dropped.
            if matches!(text.get(i), Some(b's' | b'S'))
                && text.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric())
            {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(c.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    }
    out
}

/// [`fold`] of text already decomposed, without combining marks.
fn fold_chars(len: usize, chars: impl Iterator<Item = char> + Clone) -> String {
    let mut out = String::with_capacity(len);
    let mut chars = chars
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
            c => c,
        })
        .peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A possessive `'s` at the end of a word disappears; any other apostrophe is dropped.
            if matches!(chars.peek(), Some('s') | Some('S')) {
                let mut look = chars.clone();
                look.next();
                if look.peek().is_none_or(|n| !n.is_alphanumeric()) {
                    chars.next();
                }
            }
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// True when `needle`'s words appear as whole words in `hay`, both already folded.
pub fn contains_words(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}

/// Folds a name and drops words that don't tell one name from another (`council`, `the`, …),
/// unless nothing would be left.
pub fn name_key(text: &str, filler: &[&str]) -> String {
    let folded = fold(text);
    let kept: Vec<&str> = folded.split(' ').filter(|w| !filler.contains(w)).collect();
    if kept.is_empty() {
        folded
    } else {
        kept.join(" ")
    }
}

/// Folds text for checking that a quote appears in a source: like [`fold`] but keeps every
/// word (possessives included) so that only spacing, case, quote marks and dashes may differ.
pub fn fold_for_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folding_matches_the_general_one() {
        let alphabet = b"aS s'`-_ .!9Zz\tx";
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(char::from(
                    alphabet[(state % alphabet.len() as u64) as usize],
                ));
            }
            state = state.wrapping_add(1);
            assert_eq!(
                fold_ascii(text.as_bytes()),
                fold_chars(text.len(), text.chars()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn folds_case_accents_possessives_and_punctuation() {
        assert_eq!(fold("Birmingham’s  Star-Rating!"), "birmingham star rating");
        assert_eq!(fold("  Café   Crème "), "cafe creme");
        assert_eq!(fold("children's services"), "children services");
        assert_eq!(fold("it's"), "it");
        assert_eq!(fold("O'Neill"), "oneill");
        assert_eq!(fold("?!"), "");
    }

    #[test]
    fn name_keys_drop_filler_words() {
        let filler = ["council", "city", "the"];
        assert_eq!(name_key("Coventry City Council", &filler), "coventry");
        assert_eq!(name_key("The Council", &filler), "the council");
    }

    #[test]
    fn quote_folding_ignores_line_breaks_and_curly_marks() {
        assert_eq!(
            fold_for_quote("“The star\n rating” – it’s"),
            "\"the star rating\" - it's"
        );
    }
}
