//! Folding names and text into the comparable form every lookup uses.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

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
    let mut out = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(b' ');
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        } else if c == b'\'' || c == b'`' {
            // A possessive `'s` at the end of a word disappears; any other apostrophe is dropped.
            if matches!(text.get(i), Some(b's' | b'S'))
                && text.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric())
            {
                i += 1;
            }
        } else {
            pending_space = true;
        }
    }
    String::from_utf8(out).expect("ASCII letters, digits and spaces")
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
    without_words(fold(text), |w| filler.contains(&w))
}

/// Folded text without the words `drop` picks, unless nothing would be left.
pub fn without_words(folded: String, drop: impl Fn(&str) -> bool) -> String {
    if !folded.split(' ').any(&drop) {
        return folded;
    }
    let mut kept = String::with_capacity(folded.len());
    for w in folded.split(' ').filter(|w| !drop(w)) {
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(w);
    }
    if kept.is_empty() {
        folded
    } else {
        kept
    }
}

/// Folds text for checking that a quote appears in a source: like [`fold`] but keeps every
/// word (possessives included) so that only spacing, case, quote marks and dashes may differ.
pub fn fold_for_quote(text: &str) -> String {
    // A no-break space is a space either way, and then most text is already in NFKC (ASCII
    // always is): a quick check spares the normalizing.
    let chars = || text.chars().map(|c| if c == '\u{a0}' { ' ' } else { c });
    if is_nfkc_quick(chars()) == IsNormalized::Yes {
        fold_quote_chars(text.len(), chars())
    } else {
        fold_quote_chars(text.len(), chars().nfkc())
    }
}

/// [`fold_for_quote`] of text already in NFKC.
fn fold_quote_chars(len: usize, chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
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
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
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
        // Text not yet in NFKC is normalized first: a ligature, a combining accent, full width.
        for (text, folded) in [
            ("ﬁve", "five"),
            ("Cafe\u{301}", "café"),
            ("Ｂirmingham", "birmingham"),
            ("£10,000\u{a0}a\u{a0}year", "£10,000 a year"),
        ] {
            assert_eq!(fold_for_quote(text), folded);
            assert_eq!(fold_for_quote(text), fold_quote_chars(0, text.nfkc()));
        }
    }
}
