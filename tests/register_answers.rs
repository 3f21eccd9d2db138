//! Every council of the register gets a sourced, dated answer from `!council`, `!stars` and
//! `!ofsted`, or a plain "no source gives …"; abolished councils name their successors; whole
//! answers for councils of each kind.

use carebot::answer::{self, text, Answer};
use carebot::query::Mode;

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{kb, parser};

fn say(q: &str) -> (Answer, String) {
    let a = answer::ask(kb(), parser(), q, Mode::Direct, 500)
        .unwrap_or_else(|| panic!("no answer at all to {q:?}"));
    let t = text::render(&a);
    (a, t)
}

#[test]
fn every_authority_gets_a_sourced_dated_answer_from_each_command() {
    let k = kb();
    assert_eq!(k.register.authorities.len(), 168);
    for (c, council) in k.councils.iter().enumerate() {
        let a = k.authority_of(c).expect("every council is in the register");
        for cmd in ["council", "stars", "ofsted"] {
            let q = format!("!{cmd} {}", council.name);
            let (answer, t) = say(&q);
            assert!(answer.is_reply(), "{q}:\n{t}");
            assert!(!t.contains("I have no data"), "{q}:\n{t}");
            assert!(
                t.lines().next() == Some(council.name.as_str())
                    || t.starts_with(&format!("{}: ", council.name)),
                "{q}:\n{t}"
            );
            let source = t.lines().last().unwrap_or_default();
            assert!(source.starts_with("Source: "), "{q}:\n{t}");
            // Dated: a month and year, or the plain words that no source gives it.
            let dated = [
                "2002", "2003", "2004", "2005", "2006", "2007", "2008", "2009", "2019", "2020",
                "2021", "2022", "2023", "2024", "2025", "2026",
            ]
            .iter()
            .any(|y| t.contains(y));
            assert!(dated || t.contains("No source gives"), "{q}:\n{t}");
        }
        if a.ended.is_some() {
            let (_, t) = say(&format!("!council {}", council.name));
            assert!(t.contains("No longer exists: "), "{t}");
            for s in k.successors(c) {
                assert!(t.contains(&k.councils[*s].name), "{t}");
            }
        }
    }
}

/// A whole answer, line by line, and the questions that must each get it word for word.
struct Golden {
    asked: &'static [&'static str],
    lines: &'static [&'static str],
}

fn assert_answers(table: &[Golden]) {
    for golden in table {
        let expected = golden.lines.join("\n");
        for q in golden.asked {
            assert_eq!(say(q).1, expected, "{q}");
        }
    }
}

#[test]
fn councils_of_each_kind_in_full() {
    assert_answers(&[
        Golden {
            asked: &["!stars Wolverhampton"],
            lines: &[
                "Wolverhampton: star rating",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "December 2005 · social services:",
                "  ★★☆ 2 stars: “Wolverhampton, Walsall, Warwickshire, Telford & Wrekin, Solihull, Dudley and Coventry received two stars.” (https://www.birminghampost.co.uk/news/local-news/social-services-better---more-4009198)",
                "",
                "Rounds no source gives:",
                "  No sourced rating for November 2008: 0 councils had no stars (no source states how many had three, two or one stars) that year, for adult social care.",
                "  No sourced rating for November 2007: 48 councils had three stars, 74 two, 28 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2006: 44 councils had three stars, 73 two, 33 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2004: 20 councils had three stars, 82 two, 40 one and 8 none that year.",
                "  No sourced rating for November 2003: 16 councils had three stars, 74 two, 52 one and 8 none that year.",
                "  No sourced rating for November 2002: 11 councils had three stars, 52 two and 12 none (no source states how many had one star) that year.",
                "  No sourced rating for May 2002: 8 councils had three stars, 50 two, 82 one and 10 none that year.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
        Golden {
            asked: &["!ofsted Leeds", "how good are leeds childrens services"],
            lines: &[
                "Leeds: Ofsted, children's services",
                "Overall effectiveness: Outstanding (inspected 30 June 2025 to 4 July 2025, report published 12 August 2025).",
                "",
                "Judgements:",
                "  Impact of leaders: outstanding",
                "  Children who need help and protection: good",
                "  Children in care: outstanding",
                "  Care leavers: outstanding",
                "",
                "Inspection:",
                "  short inspection (ILACS)",
                "",
                "Report:",
                "  https://files.ofsted.gov.uk/v1/file/50284438",
                "",
                "Source: Ofsted, “https://files.ofsted.gov.uk/v1/file/50284438”, 12 August 2025; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
        Golden {
            asked: &["!council Cumberland"],
            lines: &[
                "Cumberland",
                "Cumberland Council (unitary authority in the North West, GSS code E06000063), as the register of 10 July 2025 gives it.",
                "Before it: Cumbria County Council, replaced in April 2023 by Cumberland and Westmorland and Furness.",
                "",
                "Ofsted, children's services: Cumberland:",
                "  Good (inspected 7 October 2024 to 18 October 2024, report published 26 November 2024). `!ofsted Cumberland` gives the four judgements.",
                "",
                "Star ratings (2002-2008):",
                "  Cumbria: ☆☆☆ 0 stars in November 2004 (social services), the latest a press report gives; press reports give 2 of the 8 rounds.",
                "  `!stars Cumberland` shows every round.",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50262710”, 26 November 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”",
            ],
        },
        Golden {
            asked: &["!council Cumbria", "who replaced cumbria"],
            lines: &[
                "Cumbria",
                "Cumbria County Council (county council in the North West, GSS code E10000006).",
                "No longer exists: Cumbria County Council, replaced in April 2023 by Cumberland and Westmorland and Furness.",
                "",
                "Ofsted, children's services: Cumbria:",
                "  No source gives one for Cumbria, which no longer exists. Its successors:",
                "  Cumberland: good (report published 26 November 2024)",
                "  Westmorland and Furness: good (report published 12 July 2024)",
                "",
                "Star ratings (2002-2008):",
                "  ☆☆☆ 0 stars in November 2004 (social services), the latest a press report gives; press reports give 2 of the 8 rounds.",
                "  `!stars Cumbria` shows every round.",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50262710”, 26 November 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50252261”, 12 July 2024; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”",
            ],
        },
        Golden {
            asked: &["!ofsted Brent", "is brent inadequate"],
            lines: &[
                "Brent: Ofsted, children's services",
                "Ofsted's published summary gives no overall effectiveness grade for this inspection (inspected 27 April 2026 to 1 May 2026, report published 17 June 2026); its four judgements are below.",
                "",
                "Judgements:",
                "  Impact of leaders: good",
                "  Children who need help and protection: good",
                "  Children in care: good",
                "  Care leavers: good",
                "",
                "Inspection:",
                "  short inspection (ILACS)",
                "",
                "Report:",
                "  https://files.ofsted.gov.uk/v1/file/50304386",
                "",
                "Source: Ofsted, “https://files.ofsted.gov.uk/v1/file/50304386”, 17 June 2026; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
        Golden {
            asked: &["!ofsted City of London"],
            lines: &[
                "City of London: Ofsted, children's services",
                "Overall effectiveness: Outstanding (inspected 23 September 2024 to 27 September 2024, report published 5 November 2024).",
                "",
                "Judgements:",
                "  Impact of leaders: outstanding",
                "  Children who need help and protection: good",
                "  Children in care: outstanding",
                "  Care leavers: outstanding",
                "",
                "Inspection:",
                "  short inspection (ILACS)",
                "",
                "Report:",
                "  https://files.ofsted.gov.uk/v1/file/50260648",
                "",
                "Source: Ofsted, “https://files.ofsted.gov.uk/v1/file/50260648”, 5 November 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
        Golden {
            asked: &["!council Isles of Scilly"],
            lines: &[
                "Isles of Scilly",
                "Council of the Isles of Scilly (unitary authority in the South West, GSS code E06000053), as the register of 10 July 2025 gives it.",
                "",
                "Ofsted, children's services: Isles of Scilly:",
                "  Inadequate (inspected 11 July 2023 to 13 July 2023, report published 25 August 2023). `!ofsted Isles of Scilly` gives the four judgements.",
                "",
                "Star ratings (2002-2008):",
                "  ☆☆☆ 0 stars in December 2005 (social services), the latest a press report gives; press reports give 3 of the 8 rounds.",
                "  `!stars Isles of Scilly` shows every round.",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50226696”, 25 August 2023; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”",
            ],
        },
        Golden {
            asked: &["!neighbours Wolverhampton"],
            lines: &[
                "Wolverhampton: statistical neighbours",
                "Wolverhampton: good (inspected 26 January 2026 to 30 January 2026, report published 18 June 2026). Its ten closest statistical neighbours (the Department for Education's, as the Ofsted summary lists them), closest first, with their latest Ofsted judgements of children's services:",
                "",
                "Neighbours:",
                "  1. Sandwell: good (report published 2 December 2025)",
                "  2. Stoke-on-Trent: requires improvement (report published 15 July 2025)",
                "  3. Walsall: outstanding (report published 8 July 2025)",
                "  4. Kingston upon Hull: good (report published 18 May 2026)",
                "  5. Rochdale: requires improvement (report published 17 March 2023)",
                "  6. Coventry: outstanding (report published 18 May 2026)",
                "  7. Doncaster: good (report published 18 March 2025)",
                "  8. Derby: outstanding (report published 8 July 2025)",
                "  9. Middlesbrough: requires improvement (report published 25 May 2023)",
                "  10. North East Lincolnshire: good (report published 3 September 2025)",
                "",
                "Source: Ofsted, “https://files.ofsted.gov.uk/v1/file/50304388”, 18 June 2026; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50291983”, 2 December 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50282104”, 15 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50281396”, 8 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50301678”, 18 May 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50211330”, 17 March 2023; Ofsted, “https://files.ofsted.gov.uk/v1/file/50301676”, 18 May 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50271937”, 18 March 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50281395”, 8 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50218077”, 25 May 2023; Ofsted, “https://files.ofsted.gov.uk/v1/file/50285393”, 3 September 2025",
            ],
        },
        Golden {
            asked: &["!rated 3 2004"],
            lines: &[
                "Councils rated ★★★ 3 stars",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2004 · social services:",
                "  20 councils had three stars in November 2004; sources name 2: Tower Hamlets, Somerset County Council (until 2023).",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
        Golden {
            asked: &["!rated 0 stars 2003"],
            lines: &[
                "Councils rated ☆☆☆ 0 stars",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2003 · social services:",
                "  8 councils had no stars in November 2003; all 8 are named in sources: Bedfordshire, Birmingham, Bromley, Cumbria, Oldham, Plymouth, Swindon, Waltham Forest.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
        Golden {
            asked: &["!rated inadequate in the north west"],
            lines: &[
                "Councils in the North West judged inadequate by Ofsted",
                "5 councils in the North West have “inadequate” as the overall effectiveness of children's services in their latest Ofsted inspection, as Ofsted's summary of 29 June 2026 gives it.",
                "",
                "Councils:",
                "  Cheshire East (report published 16 May 2024)",
                "  Halton (report published 12 July 2024)",
                "  Knowsley (report published 20 January 2025)",
                "  Liverpool (report published 25 May 2023)",
                "  Tameside (report published 13 February 2024)",
                "",
                "Source: Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
    ]);
}

/// Councils known from the register alone are compared by their press star ratings and
/// Ofsted judgements, each cited; the article's councils keep their own lines.
#[test]
fn councils_known_from_the_register_are_compared_by_what_sources_give() {
    assert_answers(&[Golden {
        asked: &["!compare Kirklees Bolton", "Kirklees Bolton"],
        lines: &[
            "Comparing Kirklees and Bolton",
            "",
            "Kirklees:",
            "  Star rating: ★★★ 3 stars in November 2003 (social services)",
            "  Ofsted: good (report published 28 August 2024)",
            "  Led by: no data",
            "  Schemes: no data",
            "",
            "Bolton:",
            "  Star rating: ★★★ 3 stars in November 2003 (social services)",
            "  Ofsted: good (report published 27 October 2023)",
            "  Led by: no data",
            "  Schemes: no data",
            "",
            "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Ofsted, “https://files.ofsted.gov.uk/v1/file/50255618”, 28 August 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50231519”, 27 October 2023",
        ],
    }]);
}

/// Where the register and Ofsted's summary put a council in different regions, both claims are
/// kept and shown: in its profile (as a conflict), in each region's list, and in `!rated` by
/// region; every other council's two regions agree.
#[test]
fn regions_the_sources_disagree_on_are_shown_both_ways() {
    let k = kb();
    let disputed: Vec<&str> = (0..k.councils.len())
        .filter(|&c| {
            let register = k.authority_of(c).and_then(|a| a.region.as_deref());
            let ofsted = k.inspection_of(c).and_then(|i| i.region.as_deref());
            matches!((register, ofsted), (Some(r), Some(o)) if r != o)
        })
        .map(|c| k.councils[c].name.as_str())
        .collect();
    assert_eq!(disputed, ["Derbyshire", "Lincolnshire"]);

    let (a, t) = say("!council Derbyshire");
    let Answer::Reply(r) = a else { panic!("{t}") };
    assert!(r.conflict, "{t}");
    assert!(
        t.contains("\n⚠ The sources disagree on its region: the register gives the West Midlands, Ofsted's summary the East Midlands.\n"),
        "{t}"
    );
    assert!(
        t.contains("Ofsted, “https://files.ofsted.gov.uk/v1/file/50237006”"),
        "{t}"
    );

    let marked = "• Lincolnshire — county council · ⚠ the register gives Yorkshire and The Humber, Ofsted's summary the East Midlands";
    for region in ["East Midlands", "Yorkshire and The Humber"] {
        let (_, t) = say(&format!("!councils {region}"));
        assert!(t.lines().any(|l| l == marked), "{t}");
    }
    let (_, t) = say("!councils West Midlands");
    assert!(t.contains("• Derbyshire — county council · ⚠"), "{t}");
    let (_, t) = say("!rated good in the east midlands");
    assert!(
        t.contains("  Derbyshire (report published 12 January 2024) · ⚠ the register gives the West Midlands, Ofsted's summary the East Midlands"),
        "{t}"
    );
    // A council in two regions' lists is one council where the lists are merged.
    let (_, t) = say("!about the Midlands");
    assert_eq!(t.matches("Derbyshire").count(), 1, "{t}");
}

/// Regions compare by their councils' Ofsted grades, asked as a command or in words; a council
/// the sources place in two regions is counted in both, marked.
#[test]
fn regions_are_compared_by_their_councils_ofsted_grades() {
    assert_answers(&[Golden {
        asked: &[
            "!compare East Midlands and West Midlands",
            "how do the east midlands compare with the west midlands",
            "compare the east midlands with the west midlands",
            "is the east midlands better than the west midlands?",
        ],
        lines: &[
            "Comparing the East Midlands and the West Midlands",
            "Overall effectiveness of children's services in each council's latest Ofsted inspection, as Ofsted's summary of 29 June 2026 gives it. A council whose sources place it in two regions is counted in both.",
            "",
            "East Midlands (10 councils):",
            "  Outstanding: 3 of 10",
            "  Good: 3 of 10",
            "  Requires improvement: 3 of 10",
            "  Inadequate: 1 of 10 (Nottingham)",
            "  ⚠ Derbyshire: the register gives the West Midlands, Ofsted's summary the East Midlands",
            "  ⚠ Lincolnshire: the register gives Yorkshire and The Humber, Ofsted's summary the East Midlands",
            "",
            "West Midlands (15 councils):",
            "  Outstanding: 4 of 15",
            "  Good: 7 of 15",
            "  Requires improvement: 4 of 15",
            "  Inadequate: 0 of 15",
            "  ⚠ Derbyshire: the register gives the West Midlands, Ofsted's summary the East Midlands",
            "",
            "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50237006”, 12 January 2024; Ofsted, “https://files.ofsted.gov.uk/v1/file/50219720”, 14 June 2023",
        ],
    }]);
    // Every count is what `!rated` lists for that grade and region.
    let regions = kb().council_region_names();
    assert_eq!(regions.len(), 9);
    let (_, all) = say(&format!("!compare {}", regions.join(", ")));
    for region in &regions {
        let block: Vec<&str> = (all.lines())
            .skip_while(|l| !l.starts_with(&format!("{region} (")))
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(!block.is_empty(), "{region}: {all}");
        for grade in ["outstanding", "good", "requires improvement", "inadequate"] {
            let (_, rated) = say(&format!("!rated {grade} in {region}"));
            let n: usize = (rated.lines().nth(1).and_then(|l| l.split(' ').next()))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{rated}"));
            let mut label = grade.to_string();
            label[..1].make_ascii_uppercase();
            let line = (block.iter())
                .find(|l| l.trim_start().starts_with(&format!("{label}: ")))
                .unwrap_or_else(|| panic!("{region} {grade}: {all}"));
            assert!(
                line.trim_start().starts_with(&format!("{label}: {n} of ")),
                "{region}, {grade}: `!rated` gives {n}, the comparison `{line}`"
            );
        }
    }
    // One region alone is not a comparison.
    let (_, t) = say("!compare North West");
    assert_eq!(
        t,
        "`!compare` compares two or more regions, or councils: the North West is one region; for example `!compare the North West and the North East`"
    );
}

/// Autocomplete offers councils by their names as typed, even by words lookups ignore ("city",
/// "county"), and before anything is typed the first councils by name.
#[test]
fn autocomplete_offers_council_names_as_typed() {
    let k = kb();
    let names = |typed: &str, limit: usize| -> Vec<&str> {
        (k.complete_council(typed, limit).into_iter())
            .map(|c| k.councils[c].name.as_str())
            .collect()
    };
    assert_eq!(
        names("", 4),
        [
            "Barking and Dagenham",
            "Barnet",
            "Barnsley",
            "Bath and North East Somerset"
        ]
    );
    assert_eq!(names("", 25).len(), 25);
    assert_eq!(names("ci", 25), ["City of Bristol", "City of London"]);
    assert_eq!(names("City of", 25), ["City of Bristol", "City of London"]);
    assert_eq!(names("city of l", 1), ["City of London"]);
    assert_eq!(names("county d", 1), ["County Durham"]);
    assert_eq!(names("Birm", 25), ["Birmingham"]);
    // After the names that start so, what the name index finds.
    let kingston = names("kingston", 25);
    assert_eq!(
        kingston[..2],
        ["Kingston upon Hull", "Kingston upon Thames"]
    );
}
