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

impl fmt::Display for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", star_glyphs(self.0))?;
        write_stars_words(f, self.0)
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
        1 => out.write_str("1 star"),
        n => write!(out, "{n} stars"),
    }
}

/// `2004-11-19` as `19 November 2004` (and `2004-11` as `November 2004`).
pub(super) fn long_date(iso: &str) -> String {
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
    // Joined by hand: `format!` cost more than the rest of this, and dates are in most answers.
    let joined = |parts: &[&str]| {
        let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(p);
        }
        out
    };
    let mut parts = iso.split('-');
    match [parts.next(), parts.next(), parts.next(), parts.next()] {
        [Some(y), Some(m), Some(d), None] => match (month(m), d.parse::<u8>()) {
            // The day without a leading zero, as parsed.
            (Some(m), Ok(1..=31)) => joined(&[d.trim_start_matches('0'), m, y]),
            _ => iso.to_string(),
        },
        [Some(y), Some(m), None, None] => {
            month(m).map_or_else(|| iso.to_string(), |m| joined(&[m, y]))
        }
        _ => iso.to_string(),
    }
}

/// A figure's value with its unit and any earlier value.
pub(super) fn figure_value(f: &Figure) -> String {
    let mut s = String::with_capacity(64);
    if let Some(q) = &f.qualifier {
        s.push_str(q);
        s.push(' ');
    }
    push_with_unit(&mut s, f.value, f.unit);
    let _ = write!(s, " ({})", f.period);
    if let Some(p) = f.previous {
        s.push_str(if p < f.value {
            ", up from "
        } else {
            ", down from "
        });
        push_with_unit(&mut s, p, f.unit);
        if let Some(pp) = &f.previous_period {
            let _ = write!(s, " ({pp})");
        }
    }
    s
}

/// "Population: 300,000 people (November 2004)".
pub(super) fn figure_line(f: &Figure) -> String {
    let mut s = upper_first(&f.what);
    s.push_str(": ");
    s.push_str(&figure_value(f));
    s
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

fn push_number(out: &mut String, v: f64) {
    if v.fract() != 0.0 {
        let _ = write!(out, "{v}");
        return;
    }
    let digits = (v as i64).to_string();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
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
pub(super) fn bullets<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
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
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
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
    let mut c = s.chars();
    if let Some(f) = c.next() {
        out.extend(f.to_uppercase());
        out.push_str(c.as_str());
    }
    out
}

/// A region's name as it reads after "in": "the West Midlands", but "London" and
/// "Yorkshire and The Humber" take no article.
pub(super) fn region_phrase(region: &str) -> String {
    let folded = crate::knowledge::normalize::fold(region);
    if folded.starts_with("the ") || folded.starts_with("london") || folded.starts_with("yorkshire")
    {
        region.to_string()
    } else {
        format!("the {region}")
    }
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
    fn numbers_and_lists() {
        assert_eq!(number(300000.0), "300,000");
        assert_eq!(number(7.3), "7.3");
        assert_eq!(more(LIST_LIMIT, LIST_LIMIT), "");
        assert_eq!(more(LIST_LIMIT + 1234, LIST_LIMIT), "\n…and 1,234 more.");
        let abc: Vec<String> = ["a", "b", "c"].map(String::from).into();
        assert_eq!(join_or(&abc, "or"), "a, b or c");
        assert_eq!(bullets(["x", "y"].into_iter()), "• x\n• y");
        assert_eq!(one_line(" a \n b "), "a b");
        assert_eq!(region_phrase("West Midlands"), "the West Midlands");
        assert_eq!(region_phrase("London"), "London");
    }
}
