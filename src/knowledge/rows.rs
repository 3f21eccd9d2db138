//! What a table row says: each imported kind derived from its row, and each kind's fields as
//! they are written in knowledge files. The import writes these fields and loading compares
//! them with what the cited row gives, so the two can never disagree on the rules.

use super::normalize::{fold, name_key, without_words};
use super::register::*;
use super::tables::Row;
use super::COUNCIL_FILLER;

/// The table ids the import reads.
pub const REGISTER: &str = "mysociety-register";
pub const NAMES: &str = "mysociety-names";
pub const FORMER: &str = "councils-2002-2008";
pub const OFSTED: &str = "ofsted-ilacs";
pub const PRESS: &str = "star-ratings-press";
pub const TOTALS: &str = "star-rating-totals";

/// Register codes of the authorities created since 2009: not among the 150 of 2002-2008.
const CREATED_SINCE_2009: [&str; 13] = [
    "BDF", "CBF", "CHE", "CHW", "BPC", "DST", "BUC", "NNT", "WNT", "CBD", "WAF", "NYE", "SMT",
];
/// Register codes whose row is the 2009 unitary of an area that was a county council before.
const COUNTIES_UNTIL_2009: [&str; 5] = ["CON", "DUR", "NBL", "SHR", "WIL"];

/// The register columns the import reads.
pub const REGISTER_COLUMNS: &[&str] = &[
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
    "powers",
    "current-authority",
];
pub const FORMER_COLUMNS: &[&str] = &["name", "type", "code_in_register", "successors", "note"];
pub const NAMES_COLUMNS: &[&str] = &["la-name", "local-authority-code"];
pub const OFSTED_COLUMNS: &[&str] = &[
    "urn",
    "la_code",
    "region_code",
    "ltla23cd",
    "stat_neighbours",
    "local_authority",
    "inspection_link",
    "overall_effectiveness_grade",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
];
pub const PRESS_COLUMNS: &[&str] = &[
    "council",
    "round",
    "scope",
    "stars",
    "confidence",
    "source_url",
    "quote",
    "note",
];
pub const TOTALS_COLUMNS: &[&str] = &[
    "round",
    "scope",
    "three",
    "two",
    "one",
    "zero",
    "rated",
    "source_url",
    "quote",
    "note",
];

/// A name folded for matching across sources: `&` read as "and", and words such as
/// "council", "city" and "county" dropped.
pub fn match_key(name: &str) -> String {
    if name.contains('&') {
        name_key(&name.replace('&', " and "), COUNCIL_FILLER)
    } else {
        name_key(name, COUNCIL_FILLER)
    }
}

/// Words that tell no authority from another in the register's names: "UA", "London
/// Boro", "MDC", "Royal", "Corporation".
const REGISTER_FILLER: [&str; 6] = ["ua", "london", "boro", "mdc", "royal", "corporation"];

/// A name folded with words such as "council" and "UA" dropped but `&` kept apart from "and":
/// two spellings with the same key add nothing to each other as aliases.
pub fn spelling_key(name: &str) -> String {
    without_words(name_key(name, COUNCIL_FILLER), |w| {
        REGISTER_FILLER.contains(&w)
    })
}

/// An id made of a name: `Stockton-on-Tees` gives `stockton-on-tees`.
pub fn slug(name: &str) -> String {
    fold(name).replace(' ', "-")
}

/// True when a register row is an English social-services authority (upper tier or unitary).
pub fn is_social_services(row: &Row) -> bool {
    row.get("nation") == "England" && matches!(row.get("powers"), "upper tier" | "unitary")
}

/// True when a register row is an authority of today.
pub fn is_current(row: &Row) -> bool {
    row.get("current-authority") == "True"
}

/// An authority as its register row gives it (`id`, `aliases` and `replaced_by` are left
/// empty), with the register codes of its successors.
pub fn authority_from_register(row: &Row) -> Result<(Authority, Vec<String>), String> {
    if !is_social_services(row) {
        return Err("not an English upper-tier or unitary authority".into());
    }
    let code = row.get("local-authority-code");
    let kind = match row.get("local-authority-type") {
        "CTY" => AuthorityKind::County,
        "UA" => AuthorityKind::Unitary,
        "MD" => AuthorityKind::MetropolitanBorough,
        "LBO" => AuthorityKind::LondonBorough,
        "CC" => AuthorityKind::CityCorporation,
        other => return Err(format!("unknown local-authority-type `{other}`")),
    };
    let ended = nonempty(row.get("end-date"));
    if let Some(date) = &ended {
        check_date(date)?;
    }
    if is_current(row) == ended.is_some() {
        return Err("current-authority and end-date disagree".into());
    }
    let successors = list(row.get("replaced-by"), ',');
    let a = Authority {
        id: String::new(),
        name: required(row, "official-name")?,
        short_name: required(row, "nice-name")?,
        aliases: Vec::new(),
        gss: nonempty(row.get("gss-code")),
        kind,
        region: nonempty(row.get("region")),
        ended,
        replaced_by: Vec::new(),
        star_years: !CREATED_SINCE_2009.contains(&code) && !COUNTIES_UNTIL_2009.contains(&code),
        row: RowRef {
            table: REGISTER.into(),
            key: code.into(),
        },
    };
    Ok((a, successors))
}

/// A county council of 2002-2008 that the register lacks or holds only as its 2009 unitary,
/// from `councils-2002-2008.csv`, with the register codes of its successors.
pub fn authority_from_former(row: &Row) -> Result<(Authority, Vec<String>), String> {
    let name = required(row, "name")?;
    if row.get("type") != "county" {
        return Err(format!("unknown type `{}`", row.get("type")));
    }
    let Some(short) = name.strip_suffix(" County Council") else {
        return Err(format!("`{name}` is not named `… County Council`"));
    };
    // "abolished on 1 April 2009": the year is what the row states for certain.
    let ended = row
        .get("note")
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .map(str::to_string)
        .ok_or("the note gives no year of abolition")?;
    // "Bedford (BDF), Central Bedfordshire (CBF)": the codes in brackets.
    let successors: Vec<String> = row
        .get("successors")
        .split('(')
        .skip(1)
        .filter_map(|p| p.split_once(')').map(|(code, _)| code.trim().to_string()))
        .collect();
    if successors.is_empty() {
        return Err("no successor codes in brackets".into());
    }
    let a = Authority {
        id: slug(&name),
        short_name: short.to_string(),
        name,
        aliases: Vec::new(),
        gss: None,
        kind: AuthorityKind::County,
        region: None,
        ended: Some(ended),
        replaced_by: Vec::new(),
        star_years: true,
        row: RowRef {
            table: FORMER.into(),
            key: row.key(),
        },
    };
    Ok((a, successors))
}

/// The region an Ofsted region code names, as the register names regions.
fn ofsted_region(code: &str) -> Option<&'static str> {
    Some(match code {
        "NE" => "North East",
        "NW" => "North West",
        "YH" => "Yorkshire and The Humber",
        "EM" => "East Midlands",
        "WM" => "West Midlands",
        "E" => "East of England",
        "GL" => "London",
        "SE" => "South East",
        "SW" => "South West",
        _ => return None,
    })
}

/// An inspection as its Ofsted row gives it (`council` left empty), with the row's GSS code
/// and authority name for matching.
pub fn inspection_from_row(row: &Row) -> Result<(Inspection, String, String), String> {
    let grade = |column: &str| -> Result<Option<Grade>, String> {
        match row.get(column) {
            "" => Ok(None),
            "outstanding" => Ok(Some(Grade::Outstanding)),
            "good" => Ok(Some(Grade::Good)),
            "requires improvement" => Ok(Some(Grade::RequiresImprovement)),
            "inadequate" => Ok(Some(Grade::Inadequate)),
            other => Err(format!("{column} `{other}` is not an Ofsted grade")),
        }
    };
    let needed = |column: &str| -> Result<Grade, String> {
        grade(column)?.ok_or_else(|| format!("{column} is empty"))
    };
    let care_leavers = match row.get("care_leavers_grade") {
        "inspection_pre_dates_judgement" => None,
        _ => Some(needed("care_leavers_grade")?),
    };
    let framework = match row.get("inspection_framework") {
        "short" | "standard" => Some(row.get("inspection_framework").to_string()),
        "" | "None" => None,
        other => {
            return Err(format!(
                "inspection_framework `{other}` is not short or standard"
            ))
        }
    };
    let la_code = required(row, "la_code")?;
    let region = match row.get("region_code") {
        "" => None,
        code => Some(
            ofsted_region(code)
                .ok_or_else(|| format!("region_code `{code}` is not one of Ofsted's regions"))?
                .to_string(),
        ),
    };
    let report = required(row, "inspection_link")?;
    if !report.starts_with("https://") {
        return Err(format!("inspection_link `{report}` is not an https link"));
    }
    let i = Inspection {
        council: String::new(),
        la_code,
        region,
        overall: grade("overall_effectiveness_grade")?,
        leaders: needed("impact_of_leaders_grade")?,
        help_and_protection: needed("help_and_protection_grade")?,
        in_care: needed("in_care_grade")?,
        care_leavers,
        framework,
        started: optional_dmy(row.get("inspection_start_date"))?,
        finished: optional_dmy(row.get("inspection_end_date"))?,
        published: dmy(row.get("publication_date"))?,
        report,
        neighbours: list(row.get("stat_neighbours"), ','),
        row: RowRef {
            table: OFSTED.into(),
            key: row.key(),
        },
    };
    Ok((
        i,
        row.get("ltla23cd").to_string(),
        row.get("local_authority").to_string(),
    ))
}

/// Why a press row gives no fact: `undated` and `inferred` rows are leads for curators.
pub fn is_lead(row: &Row) -> Option<&'static str> {
    match row.get("confidence") {
        "undated" => Some("undated: the article's date is not known"),
        "inferred" => Some("inferred: the sentence does not state the rating for the round"),
        _ => None,
    }
}

/// A star rating as its press row gives it (`council` left empty), with the council's name
/// as the row writes it.
pub fn rating_from_row(row: &Row) -> Result<(StarRating, String), String> {
    if let Some(why) = is_lead(row) {
        return Err(format!("a lead, not a fact ({why})"));
    }
    let confidence = match row.get("confidence") {
        "direct" => Confidence::Direct,
        "derived" => Confidence::Derived,
        other => return Err(format!("confidence `{other}` is not direct or derived")),
    };
    let (round, scope) = round_and_scope(row)?;
    let stars = match row.get("stars") {
        "0" => Some(0),
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "not rated" => None,
        other => return Err(format!("stars `{other}` is not 0, 1, 2, 3 or `not rated`")),
    };
    let r = StarRating {
        council: String::new(),
        round,
        scope,
        stars,
        not_rated: stars.is_none(),
        confidence,
        note: nonempty(row.get("note")),
        url: url(row)?,
        quote: required(row, "quote")?,
        row: RowRef {
            table: PRESS.into(),
            key: row.key(),
        },
    };
    Ok((r, required(row, "council")?))
}

/// A round's totals as their row gives them.
pub fn total_from_row(row: &Row) -> Result<StarTotal, String> {
    let (round, scope) = round_and_scope(row)?;
    let count = |column: &str| -> Result<Option<u32>, String> {
        match row.get(column) {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{column} `{v}` is not a count")),
        }
    };
    Ok(StarTotal {
        round,
        scope,
        three: count("three")?,
        two: count("two")?,
        one: count("one")?,
        zero: count("zero")?,
        rated: count("rated")?.ok_or("rated is empty")?,
        url: url(row)?,
        quote: nonempty(row.get("quote")),
        note: nonempty(row.get("note")),
        row: RowRef {
            table: TOTALS.into(),
            key: row.key(),
        },
    })
}

/// True when `name` reads as one of `names` (compared by [`match_key`]).
pub fn is_name_of(name: &str, names: &[&str]) -> bool {
    let key = match_key(name);
    names.iter().any(|n| match_key(n) == key)
}

/// A value as a TOML value, for writing and for comparing.
#[derive(Debug, PartialEq, Eq)]
pub enum Field<'a> {
    Str(&'a str),
    List(&'a [String]),
    Int(u64),
    Bool(bool),
}

impl Field<'_> {
    /// The value in TOML.
    pub fn toml(&self) -> String {
        let mut out = String::new();
        self.write_toml(&mut out);
        out
    }

    /// Writes the value in TOML at the end of `out`.
    pub fn write_toml(&self, out: &mut String) {
        match self {
            Field::Str(s) => push_quoted(out, s),
            Field::List(l) => {
                out.push('[');
                for (i, s) in l.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_quoted(out, s);
                }
                out.push(']');
            }
            Field::Int(n) => out.push_str(&n.to_string()),
            Field::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }
}

/// Writes `s` as a TOML basic string, with `"`, backslash and control characters escaped.
pub fn push_quoted(out: &mut String, s: &str) {
    let escaped = |b: u8| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f;
    out.reserve(s.len() + 2);
    out.push('"');
    // Most values need no escape: one pass over all bytes, without stopping, tells.
    if !s.bytes().fold(false, |any, b| any | escaped(b)) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0..=0x1f | 0x7f => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04X}"));
        } else {
            out.push_str(escape);
        }
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

type Fields<'a> = Vec<(&'static str, Option<Field<'a>>)>;

fn s(v: &str) -> Option<Field<'_>> {
    Some(Field::Str(v))
}

fn opt(v: &Option<String>) -> Option<Field<'_>> {
    v.as_deref().and_then(s)
}

/// An authority's fields that its row gives, in the order they are written.
pub fn authority_fields(a: &Authority) -> Fields<'_> {
    vec![
        ("name", s(&a.name)),
        ("short_name", s(&a.short_name)),
        ("gss", opt(&a.gss)),
        ("kind", s(a.kind.as_str())),
        ("region", opt(&a.region)),
        ("ended", opt(&a.ended)),
        ("star_years", Some(Field::Bool(a.star_years))),
    ]
}

/// An inspection's fields that its row gives, in the order they are written.
pub fn inspection_fields(i: &Inspection) -> Fields<'_> {
    let grade = |g: Option<Grade>| g.and_then(|g| s(g.as_str()));
    vec![
        ("la_code", s(&i.la_code)),
        ("region", opt(&i.region)),
        ("overall", grade(i.overall)),
        ("leaders", grade(Some(i.leaders))),
        ("help_and_protection", grade(Some(i.help_and_protection))),
        ("in_care", grade(Some(i.in_care))),
        ("care_leavers", grade(i.care_leavers)),
        ("framework", opt(&i.framework)),
        ("started", opt(&i.started)),
        ("finished", opt(&i.finished)),
        ("published", s(&i.published)),
        ("report", s(&i.report)),
        ("neighbours", Some(Field::List(&i.neighbours))),
    ]
}

/// A star rating's fields that its row gives, in the order they are written.
pub fn rating_fields(r: &StarRating) -> Fields<'_> {
    vec![
        ("round", s(&r.round)),
        ("scope", s(r.scope.as_str())),
        ("stars", r.stars.map(|n| Field::Int(n.into()))),
        ("not_rated", r.not_rated.then_some(Field::Bool(true))),
        ("confidence", s(r.confidence.as_str())),
        ("note", opt(&r.note)),
        ("url", s(&r.url)),
        ("quote", s(&r.quote)),
    ]
}

/// A round's totals' fields that the row gives, in the order they are written.
pub fn total_fields(t: &StarTotal) -> Fields<'_> {
    let count = |n: Option<u32>| n.map(|n| Field::Int(n.into()));
    vec![
        ("round", s(&t.round)),
        ("scope", s(t.scope.as_str())),
        ("three", count(t.three)),
        ("two", count(t.two)),
        ("one", count(t.one)),
        ("zero", count(t.zero)),
        ("rated", count(Some(t.rated))),
        ("url", s(&t.url)),
        ("quote", opt(&t.quote)),
        ("note", opt(&t.note)),
    ]
}

fn round_and_scope(row: &Row) -> Result<(String, Scope), String> {
    let round = row.get("round");
    if !ROUNDS.contains(&round) {
        return Err(format!(
            "round `{round}` is not one of {}",
            ROUNDS.join(", ")
        ));
    }
    let scope = match row.get("scope") {
        "social services" => Scope::SocialServices,
        "adults" => Scope::Adults,
        other => return Err(format!("scope `{other}` is not social services or adults")),
    };
    if scope != scope_of_round(round) {
        return Err(format!(
            "scope `{}` does not fit round {round}: ratings rate social services until 2005 and adult social care from 2006",
            scope.as_str()
        ));
    }
    Ok((round.to_string(), scope))
}

fn url(row: &Row) -> Result<String, String> {
    let u = required(row, "source_url")?;
    if u.starts_with("https://") || u.starts_with("http://") {
        Ok(u)
    } else {
        Err(format!("source_url `{u}` is not a web link"))
    }
}

fn required(row: &Row, column: &str) -> Result<String, String> {
    nonempty(row.get(column)).ok_or_else(|| format!("{column} is empty"))
}

fn nonempty(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

fn list(v: &str, sep: char) -> Vec<String> {
    v.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// [`dmy`] of a date the table may leave empty.
fn optional_dmy(v: &str) -> Result<Option<String>, String> {
    if v.is_empty() {
        Ok(None)
    } else {
        dmy(v).map(Some)
    }
}

/// `27/10/23` or `27/10/2023` as `2023-10-27`.
fn dmy(v: &str) -> Result<String, String> {
    let bad = || format!("date `{v}` is not dd/mm/yy or dd/mm/yyyy");
    let mut parts = v.split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let mut date = String::with_capacity(10);
    match y.len() {
        2 => date.push_str("20"),
        4 => {}
        _ => return Err(bad()),
    }
    date.push_str(y);
    for part in [m, d] {
        date.push('-');
        for _ in part.len()..2 {
            date.push('0');
        }
        date.push_str(part);
    }
    check_date(&date).map_err(|_| bad())?;
    Ok(date)
}

fn check_date(date: &str) -> Result<(), String> {
    let b = date.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(
            &date[5..7],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
        && (1..=31).contains(&date[8..10].parse::<u32>().unwrap_or(0));
    if ok {
        Ok(())
    } else {
        Err(format!("date `{date}` is not YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_day_month_year() {
        assert_eq!(dmy("27/10/23").unwrap(), "2023-10-27");
        assert_eq!(dmy("11/09/2023").unwrap(), "2023-09-11");
        assert_eq!(
            dmy("2023-09-11").unwrap_err(),
            "date `2023-09-11` is not dd/mm/yy or dd/mm/yyyy"
        );
        assert!(dmy("31/13/23").is_err());
        assert_eq!(dmy("1/2/2024").unwrap(), "2024-02-01");
        for bad in [
            "",
            "1/2",
            "1/2/3/4",
            "1/2/024",
            "/2/2024",
            "123/2/2024",
            "1/2/20x4",
        ] {
            assert!(dmy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quoted_strings_read_back_as_written() {
        let samples = [
            "plain",
            "",
            "a \"quote\" and a 'single' one",
            "back\\slash \\u0041",
            "tab\tnew\nline\rreturn",
            "bell\u{7}del\u{7f}nul\u{0}",
            "’curly’ – dash, Ynys Môn",
        ];
        for s in samples {
            let mut out = String::from("v = ");
            push_quoted(&mut out, s);
            let table: toml::Table = toml::from_str(&out).unwrap();
            assert_eq!(table["v"].as_str(), Some(s), "{out}");
        }
        let mut out = String::new();
        push_quoted(&mut out, "say \"hi\"\u{1}");
        assert_eq!(out, r#""say \"hi\"\u0001""#);
    }

    #[test]
    fn keys_read_ampersands_as_and() {
        assert_eq!(match_key("Telford & Wrekin Council"), "telford and wrekin");
        assert_eq!(slug("Stockton-on-Tees"), "stockton-on-tees");
        assert_eq!(
            slug("Bedfordshire County Council"),
            "bedfordshire-county-council"
        );
    }
}
