//! The shapes ids, codes and dates must have in knowledge files.

/// Lower-case letters and digits joined by single hyphens: `north-yorkshire`.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A GSS code: a country letter and eight digits, like `E08000025`.
pub fn is_gss(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 9 && b"EWSN".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a month 01-12 and a day 01-31.
pub fn is_date(date: &str) -> bool {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let two = |at: usize| u32::from(b[at] - b'0') * 10 + u32::from(b[at + 1] - b'0');
    match b.len() {
        4 => digits(0..4),
        7 | 10 if b[4] == b'-' && digits(0..4) && digits(5..7) => {
            (1..=12).contains(&two(5))
                && (b.len() == 7 || (b[7] == b'-' && digits(8..10) && (1..=31).contains(&two(8))))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in ["a", "north-yorkshire", "a1-2b"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert!(is_gss("E08000025") && is_gss("W06000001"));
        for bad in [
            "E0800002",
            "X08000025",
            "E0800002x",
            "E08000025 ",
            "E٠8000025",
        ] {
            assert!(!is_gss(bad), "{bad}");
        }
        for ok in ["2004", "2004-11", "2004-11-19", "2004-12-31", "2004-01-01"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "",
            "04",
            "2004-",
            "2004-1",
            "2004-13",
            "2004-00",
            "2004-11-32",
            "2004-11-00",
            "2004/11/19",
            "2004-11-1",
            "2004-11-19x",
            "２００４",
            "200a",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
