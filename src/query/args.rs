//! Reading command arguments that are more than a name: star counts and what `!rated` asks for.

use crate::knowledge::normalize::fold;

/// The first value, which parsing guarantees for a required argument.
pub(super) fn one(args: Vec<String>) -> String {
    args.into_iter().next().unwrap_or_default()
}

/// Reads a number of stars in digits or words.
pub fn star_count(text: &str) -> Option<u8> {
    let t = text.trim().to_lowercase();
    let t = t
        .trim_end_matches(" stars")
        .trim_end_matches(" star")
        .trim_end_matches("-stars")
        .trim_end_matches("-star")
        .trim();
    match t {
        "0" | "zero" | "no" | "none" | "nil" => Some(0),
        "1" | "one" | "a single" => Some(1),
        "2" | "two" => Some(2),
        "3" | "three" => Some(3),
        _ => t.parse::<u64>().ok().map(|n| n.min(255) as u8),
    }
}

/// Reads what `!rated` asks for: "outstanding", "inadequate in the north west", "0 stars
/// 2003", "three stars in november 2004".
pub fn parse_rated(text: &str) -> Result<super::Rated, String> {
    use super::{Rated, Scale};
    use crate::knowledge::register::Grade;
    const MONTHS: [(&str, &str); 5] = [
        ("may", "05"),
        ("nov", "11"),
        ("november", "11"),
        ("dec", "12"),
        ("december", "12"),
    ];
    const SCALES: &str =
        "name an Ofsted grade (outstanding, good, requires improvement, inadequate) or 0 to 3 stars";
    if text.trim_start().starts_with('-') {
        return Err(SCALES.into());
    }
    let folded = fold(text);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut round = None;
    let mut rest: Vec<&str> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let year = w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
        if year {
            let month = i
                .checked_sub(1)
                .and_then(|p| MONTHS.iter().find(|(m, _)| *m == words[p]));
            if month.is_some() {
                rest.pop();
            }
            if rest.last() == Some(&"in") {
                rest.pop();
            }
            round = Some(match month {
                Some((_, m)) => format!("{w}-{m}"),
                None => w.to_string(),
            });
        } else {
            rest.push(w);
        }
    }
    let (scale, region) = match rest.iter().position(|w| *w == "in") {
        Some(at) => (rest[..at].join(" "), Some(rest[at + 1..].join(" "))),
        None => (rest.join(" "), None),
    };
    let region = region.filter(|r| !r.is_empty());
    let scale = match scale.trim_start_matches("rated ") {
        "outstanding" => Scale::Ofsted(Grade::Outstanding),
        "good" => Scale::Ofsted(Grade::Good),
        "requires improvement" | "requires improvement to be good" | "ri" => {
            Scale::Ofsted(Grade::RequiresImprovement)
        }
        "inadequate" => Scale::Ofsted(Grade::Inadequate),
        other => match star_count(other) {
            Some(n) if n <= 3 => Scale::Stars(n),
            _ => return Err(SCALES.into()),
        },
    };
    if matches!(scale, Scale::Ofsted(_)) && round.is_some() {
        return Err(
            "Ofsted grades are today's: name a year only with stars, e.g. `0 stars 2003`".into(),
        );
    }
    Ok(Rated {
        scale,
        round,
        region,
    })
}
