//! English phrasing shared by the answers: numbers and units, dates, star words, lists.

use std::fmt::{self, Write as _};

use crate::knowledge::{Figure, Unit};

/// The most items one list in an answer shows (`!rated`, `!councils`); the rest are counted.
pub(super) const LIST_LIMIT: usize = 50;

/// Stars drawn as ★★☆ for 2 of 3.
fn star_glyphs(n: i64) -> &'static str {
    ["☆☆☆", "★☆☆", "★★☆", "★★★"][n.clamp(0, 3) as usize]
}

/// A star rating as answers show it: "★★☆ 2 stars".
pub(super) struct Stars(pub i64);

impl Stars {
    /// Writes "★★☆ 2 stars" part by part: onto a `String`, without the formatting machinery.
    pub(super) fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(star_glyphs(self.0))?;
        out.write_char(' ')?;
        write_stars_words(out, self.0)
    }
}

impl fmt::Display for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// "0 stars", "1 star".
pub(super) fn stars_words(n: i64) -> String {
    let mut out = String::with_capacity(8);
    let _ = write_stars_words(&mut out, n);
    out
}

fn write_stars_words(out: &mut impl fmt::Write, n: i64) -> fmt::Result {
    match n {
        0 => out.write_str("0 stars"),
        1 => out.write_str("1 star"),
        2 => out.write_str("2 stars"),
        3 => out.write_str("3 stars"),
        n => write!(out, "{n} stars"),
    }
}

/// `2004-11-19` as `19 November 2004` (and `2004-11` as `November 2004`).
pub(super) fn long_date(iso: &str) -> String {
    let mut out = String::with_capacity(20);
    push_long_date(&mut out, iso);
    out
}

/// [`long_date`], written onto `out`: dates are in most answers, so no string of their own.
pub(super) fn push_long_date(out: &mut String, iso: &str) {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
            .copied()
    };
    let mut parts = iso.split('-');
    match [parts.next(), parts.next(), parts.next(), parts.next()] {
        [Some(y), Some(m), Some(d), None] => match (month(m), d.parse::<u8>()) {
            // The day without a leading zero, as parsed.
            (Some(m), Ok(1..=31)) => {
                for part in [d.trim_start_matches('0'), " ", m, " ", y] {
                    out.push_str(part);
                }
            }
            _ => out.push_str(iso),
        },
        [Some(y), Some(m), None, None] => match month(m) {
            Some(m) => {
                for part in [m, " ", y] {
                    out.push_str(part);
                }
            }
            None => out.push_str(iso),
        },
        _ => out.push_str(iso),
    }
}

/// A figure's value with its unit and any earlier value.
pub(super) fn figure_value(f: &Figure) -> String {
    let mut s = String::with_capacity(64);
    push_figure_value(&mut s, f);
    s
}

/// [`figure_value`], written onto `out`.
fn push_figure_value(out: &mut String, f: &Figure) {
    if let Some(q) = &f.qualifier {
        out.push_str(q);
        out.push(' ');
    }
    push_with_unit(out, f.value, f.unit);
    for part in [" (", &f.period, ")"] {
        out.push_str(part);
    }
    if let Some(p) = f.previous {
        out.push_str(if p < f.value {
            ", up from "
        } else {
            ", down from "
        });
        push_with_unit(out, p, f.unit);
        if let Some(pp) = &f.previous_period {
            for part in [" (", pp, ")"] {
                out.push_str(part);
            }
        }
    }
}

/// "Population: 300,000 people (November 2004)".
pub(super) fn figure_line(f: &Figure) -> String {
    let mut s = String::with_capacity(f.what.len() + 64);
    push_figure_line(&mut s, f);
    s
}

/// [`figure_line`], written onto `out`.
pub(super) fn push_figure_line(out: &mut String, f: &Figure) {
    push_upper_first(out, &f.what);
    out.push_str(": ");
    push_figure_value(out, f);
}

fn push_with_unit(out: &mut String, v: f64, unit: Unit) {
    if unit == Unit::Pounds {
        out.push('£');
    }
    push_number(out, v);
    out.push_str(match unit {
        Unit::Percent => "%",
        Unit::People => " people",
        Unit::SquareMiles => " square miles",
        Unit::Years => " years",
        Unit::Count | Unit::Pounds => "",
    });
}

/// 300000 as "300,000"; 7.3 as "7.3".
pub(super) fn number(v: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, v);
    s
}

pub(super) fn push_number(out: &mut String, v: f64) {
    // Whole numbers beyond what an i64 holds exactly are written as floats are.
    if v.fract() != 0.0 || v.abs() >= 9.0e15 {
        let _ = write!(out, "{v}");
        return;
    }
    let n = v as i64;
    if n < 0 {
        out.push('-');
    }
    // The digits, least significant first, then written the right way round with commas.
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push(',');
        }
    }
}

/// The line closing a list cut at `limit` of `total` items; empty when nothing was cut.
pub(super) fn more(total: usize, limit: usize) -> String {
    match total.saturating_sub(limit) {
        0 => String::new(),
        rest => format!("\n…and {} more.", number(rest as f64)),
    }
}

/// Lines as a bulleted list.
pub(super) fn bullets<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut out = String::with_capacity(lines.clone().map(|l| l.len() + 5).sum());
    for l in lines {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("• ");
        out.push_str(l);
    }
    out
}

/// "a, b and c" (or "a, b or c", with `word`).
pub(super) fn join_or(items: &[String], word: &str) -> String {
    let mut out = String::new();
    push_list(&mut out, items, word);
    out
}

/// [`join_or`], written onto `out`.
pub(super) fn push_list(out: &mut String, items: &[impl AsRef<str>], word: &str) {
    for (i, item) in items.iter().enumerate() {
        push_separator(out, i, items.len(), word);
        out.push_str(item.as_ref());
    }
}

/// What goes before item `i` of `len` in a list joined with `word`: nothing, ", " or " and ".
pub(super) fn push_separator(out: &mut String, i: usize, len: usize, word: &str) {
    if i == 0 {
        return;
    }
    if i + 1 == len {
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    } else {
        out.push_str(", ");
    }
}

/// `text` with every run of whitespace as one space.
pub(super) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_one_line(&mut out, text);
    out
}

/// Adds `text` to `out` with every run of whitespace as one space.
pub(super) fn push_one_line(out: &mut String, text: &str) {
    // Most quotes are one line already: copied whole rather than a word at a time.
    if is_one_line(text) {
        out.push_str(text);
        return;
    }
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether `text` is [`one_line`] already: no whitespace at either end, and none between
/// words but single spaces. Read by bytes: in UTF-8 the whitespace beyond ASCII is U+0085 and
/// U+00A0 (`C2`), U+1680 (`E1`), U+2000-U+200A, U+2028, U+2029, U+202F, U+205F (`E2`) and
/// U+3000 (`E3`).
fn is_one_line(text: &str) -> bool {
    let b = text.as_bytes();
    // First without branching, so that the compiler can compare whole vectors of bytes: no
    // ASCII whitespace but spaces, no lead byte of other whitespace, no doubled space.
    let odd = b.iter().fold(false, |any, &c| {
        any | (c < 0x20) | (c == 0xC2) | (c.wrapping_sub(0xE1) < 3)
    });
    let doubled = (b.windows(2)).fold(false, |any, w| any | ((w[0] == b' ') & (w[1] == b' ')));
    if !odd && !doubled {
        return b.first() != Some(&b' ') && b.last() != Some(&b' ');
    }
    // True before the first byte, so that a leading space counts as a doubled one.
    let mut after_space = true;
    for (i, &c) in b.iter().enumerate() {
        let other_space = match c {
            b' ' => {
                if after_space {
                    return false;
                }
                after_space = true;
                continue;
            }
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => true,
            0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)),
            0xE1 => b.get(i + 1..i + 3) == Some(&[0x9A, 0x80]),
            0xE2 => matches!(
                b.get(i + 1..i + 3),
                Some([0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF] | [0x81, 0x9F])
            ),
            0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
            _ => false,
        };
        if other_space {
            return false;
        }
        after_space = false;
    }
    !after_space || b.is_empty()
}

/// Starts a new line on `out`, unless it is empty.
pub(super) fn push_line(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

/// `s` with its first letter in upper case.
pub(super) fn upper_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_upper_first(&mut out, s);
    out
}

/// [`upper_first`], written onto `out`.
pub(super) fn push_upper_first(out: &mut String, s: &str) {
    let mut c = s.chars();
    if let Some(f) = c.next() {
        out.extend(f.to_uppercase());
        out.push_str(c.as_str());
    }
}

/// A region's name as it reads after "in": "the West Midlands", but "London" and
/// "Yorkshire and The Humber" take no article.
pub(super) fn region_phrase(region: &str) -> String {
    let mut out = String::with_capacity(region.len() + 4);
    push_region_phrase(&mut out, region);
    out
}

/// [`region_phrase`], written onto `out`.
pub(super) fn push_region_phrase(out: &mut String, region: &str) {
    let starts = |word: &str| {
        region
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
    };
    if !(starts("the ") || starts("london") || starts("yorkshire")) {
        out.push_str("the ");
    }
    out.push_str(region);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_stars() {
        assert_eq!(long_date("2004-11-19"), "19 November 2004");
        assert_eq!(long_date("2004-02"), "February 2004");
        assert_eq!(long_date("2004"), "2004");
        assert_eq!(long_date("2026-03-09"), "9 March 2026");
        for odd in [
            "2004-13",
            "2004-11-00",
            "2004-11-32",
            "2004-11-19-1",
            "2004-x",
        ] {
            assert_eq!(long_date(odd), odd);
        }
        assert_eq!(star_glyphs(2), "★★☆");
        assert_eq!(star_glyphs(0), "☆☆☆");
        assert_eq!(stars_words(1), "1 star");
        assert_eq!(stars_words(0), "0 stars");
        assert_eq!(Stars(1).to_string(), "★☆☆ 1 star");
        assert_eq!(Stars(3).to_string(), "★★★ 3 stars");
    }

    #[test]
    fn the_byte_check_for_one_line_agrees_with_the_characters() {
        // Every character up to U+3000 (all of Unicode's whitespace), alone, between words,
        // and at either end.
        for c in (0..=0x3000).filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!("“a{c}b”"),
                format!("a {c} b"),
                format!("{c}a"),
                format!("a{c}"),
            ] {
                assert_eq!(
                    is_one_line(&text),
                    text.split_whitespace().collect::<Vec<_>>().join(" ") == text,
                    "{:?}",
                    text
                );
            }
        }
        for text in ["", "a", "a b", "“a” b — c…"] {
            assert!(is_one_line(text), "{text:?}");
        }
        for text in [" ", "a ", " a", "a  b", "a\tb", "a\u{a0}b", "a\u{3000}b"] {
            assert!(!is_one_line(text), "{text:?}");
        }
    }

    #[test]
    fn numbers_and_lists() {
        assert_eq!(number(300000.0), "300,000");
        assert_eq!(number(7.3), "7.3");
        for (v, written) in [
            (0.0, "0"),
            (999.0, "999"),
            (1000.0, "1,000"),
            (-1234567.0, "-1,234,567"),
            (1e20, "100000000000000000000"),
        ] {
            assert_eq!(number(v), written);
        }
        assert_eq!(more(LIST_LIMIT, LIST_LIMIT), "");
        assert_eq!(more(LIST_LIMIT + 1234, LIST_LIMIT), "\n…and 1,234 more.");
        let abc: Vec<String> = ["a", "b", "c"].map(String::from).into();
        assert_eq!(join_or(&abc, "or"), "a, b or c");
        assert_eq!(bullets(["x", "y"].into_iter()), "• x\n• y");
        assert_eq!(one_line(" a \n b "), "a b");
        assert_eq!(one_line("a  b"), "a b");
        assert_eq!(region_phrase("West Midlands"), "the West Midlands");
        assert_eq!(region_phrase("London"), "London");
        assert_eq!(region_phrase("The Wirral"), "The Wirral");
        assert_eq!(
            region_phrase("Yorkshire and The Humber"),
            "Yorkshire and The Humber"
        );
    }
}
