//! Charts: each kind decoded (size, colours, a fixed hash), drawn alike every time; the words
//! that go with them; which answers carry one; `carebot ask --chart`.

use std::process::Command;

use carebot::answer::{self, text, Answer};
use carebot::chart::{self, Chart, Claim, HEIGHT, WIDTH};
use carebot::query::Mode;

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{kb, parser};

/// The answer and chart carebot gives `q`.
fn charted(q: &str) -> (Answer, Option<Chart>) {
    answer::ask_charted(kb(), parser(), q, Mode::Direct, 500).expect("an answer")
}

/// The chart of `q`, drawn.
fn png(q: &str) -> chart::Png {
    let chart = charted(q).1.unwrap_or_else(|| panic!("{q}: no chart"));
    chart::render(&chart).expect("the chart is drawn")
}

/// FNV-1a, 64 bits: a hash that no toolchain or platform changes.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The pixels of a PNG as RGB, with its size.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("one frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The colour of pixel (x, y).
fn pixel(rgb: &[u8], x: u32, y: u32) -> [u8; 3] {
    let i = ((y * WIDTH + x) * 3) as usize;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

#[test]
fn every_kind_of_chart_decodes_at_its_size_in_many_colours_with_a_known_hash() {
    let mut changed = Vec::new();
    for (q, hash) in [
        ("!chart Birmingham", 0xf7c49139e93c073f),
        ("!chart Birmingham Solihull Coventry", 0x855c48c87fb30dfb),
        ("!chart West Midlands", 0x13d3ba0acba3ebf3),
        ("!chart England", 0xe851c73f4eff92a3),
    ] {
        let png = png(q);
        let (w, h, rgb) = decode(&png.bytes);
        assert_eq!((w, h), (WIDTH, HEIGHT), "{q}");
        assert_eq!((png.width, png.height), (WIDTH, HEIGHT), "{q}");
        let mut colours: Vec<[u8; 3]> = rgb.chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 50, "{q}: only {} colours", colours.len());
        // The title is drawn in ink at the top left; the corner stays white.
        assert_eq!(pixel(&rgb, 2, 2), [255, 255, 255], "{q}");
        assert!(
            (16..44).any(|y| (24..200).any(|x| pixel(&rgb, x, y) == [33, 37, 41])),
            "{q}"
        );
        assert!(png.bytes.len() < 500_000, "{q}: {} bytes", png.bytes.len());
        if fnv(&png.bytes) != hash {
            changed.push(format!("{q}: {:#x}", fnv(&png.bytes)));
        }
    }
    // A change of these is a change of the pictures: look at them, then update.
    assert_eq!(changed, Vec::<String>::new());
}

#[test]
fn the_same_chart_is_the_same_bytes_on_any_thread() {
    let here = png("!chart Birmingham Solihull");
    let there = std::thread::spawn(|| png("!chart Birmingham Solihull"))
        .join()
        .unwrap();
    assert_eq!(here, there);
    assert_eq!(png("!chart England"), png("!chart england"));
}

#[test]
fn a_round_no_source_covers_is_drawn_empty_and_both_claims_of_a_conflict_are_kept() {
    let Some(Chart::Councils(series)) = charted("!chart Birmingham").1 else {
        panic!("a council chart");
    };
    let rounds: Vec<(usize, Option<u8>, Claim)> = series[0]
        .stars
        .iter()
        .map(|p| (p.round, p.stars, p.claim))
        .collect();
    // November 2004: the press and the article say 0 stars, the article also 1 star;
    // nothing for November 2006 (round 5) or November 2008 (round 7).
    assert_eq!(
        rounds,
        [
            (0, Some(0), Claim::Press),
            (1, Some(0), Claim::Press),
            (2, Some(0), Claim::Press),
            (3, Some(0), Claim::Press),
            (3, Some(0), Claim::Press),
            (3, Some(0), Claim::Article),
            (3, Some(1), Claim::Article),
            (4, Some(1), Claim::Press),
            (6, Some(2), Claim::Press),
        ]
    );
    let (_, _, rgb) = decode(&png("!chart Birmingham").bytes);
    // The columns of November 2006 and 2008 are shaded as without a source; November 2007's
    // is not.
    let column = |round: u32| 96 + 68 * round + 10;
    assert_eq!(pixel(&rgb, column(5), 150), [241, 243, 245]);
    assert_eq!(pixel(&rgb, column(7), 150), [241, 243, 245]);
    assert_eq!(pixel(&rgb, column(6), 150), [255, 255, 255]);
}

#[test]
fn a_chart_answer_says_in_words_what_the_chart_shows() {
    let (a, _) = charted("!chart Birmingham");
    assert_eq!(
        text::render(&a),
        [
            "Chart: Birmingham",
            "The chart shows every star rating a source gives each council, by publication round, and its latest Ofsted judgement of children's services. A round with no source is left empty.",
            "",
            "Birmingham:",
            "  May 2002 (social services): 0 stars (press)",
            "  November 2002 (social services): 0 stars (press)",
            "  November 2003 (social services): 0 stars (press)",
            "  November 2004 (social services): 0 stars (press); 0 stars and 1 star (Community Care article): the sources disagree",
            "  December 2005 (social services): 1 star (press)",
            "  November 2007 (adult social care): 2 stars (press)",
            "  No source for November 2006 or November 2008.",
            "  Ofsted: good, published 18 April 2023",
            "",
            "Where the points come from:",
            "  carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”",
            "  Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            "",
            "Source: Community Care, “Stars in the making”, 19 November 2004",
        ]
        .join("\n")
    );
}

#[test]
fn a_region_chart_answer_gives_the_counts_it_draws() {
    let (a, _) = charted("!chart West Midlands");
    assert_eq!(
        text::render(&a),
        [
            "Chart: West Midlands",
            "The chart shows the 15 councils of today in the West Midlands by their latest Ofsted grade, and the share of England's councils with each star rating, by round.",
            "",
            "Ofsted, children's services (latest overall grade):",
            "  outstanding 4, good 7, requires improvement 4, inadequate 0, no overall grade 0",
            "",
            "Star ratings in England, by round:",
            "  May 2002 (social services, 150 rated): 0 stars 10, 1 star 82, 2 stars 50, 3 stars 8",
            "  November 2002 (social services, 150 rated): 0 stars 12, 1 star not published, 2 stars 52, 3 stars 11",
            "  November 2003 (social services, 150 rated): 0 stars 8, 1 star 52, 2 stars 74, 3 stars 16",
            "  November 2004 (social services, 150 rated): 0 stars 8, 1 star 40, 2 stars 82, 3 stars 20",
            "  December 2005 (social services, 142 rated): 0 stars 3, 1 star 31, 2 stars 83, 3 stars 26",
            "  November 2006 (adult social care, 150 rated): 0 stars 0, 1 star 33, 2 stars 73, 3 stars 44",
            "  November 2007 (adult social care, 150 rated): 0 stars 0, 1 star 28, 2 stars 74, 3 stars 48",
            "  November 2008 (adult social care, 150 rated): 0 stars 0, 1 star not published, 2 stars not published, 3 stars not published",
            "",
            "⚠ Counted in two regions:",
            "  Derbyshire: the register gives the West Midlands, Ofsted's summary the East Midlands",
            "",
            "Where the points come from:",
            "  Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            "  carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            "",
            "Source: Ofsted, “https://files.ofsted.gov.uk/v1/file/50237006”, 12 January 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025",
        ]
        .join("\n")
    );
}

#[test]
fn answers_without_a_chart_are_the_answers_of_ask() {
    for q in [
        "!stars Birmingham",
        "Who runs social services in Coventry?",
        "!compare Birmingham Solihull",
        "what is the plot of macbeth",
        "!chart Atlantis",
    ] {
        let (a, chart) = charted(q);
        assert_eq!(chart, None, "{q}");
        let plain = answer::ask(kb(), parser(), q, Mode::Direct, 500).unwrap();
        assert_eq!(a, plain, "{q}");
    }
    assert_eq!(
        answer::ask_charted(kb(), parser(), "hello all", Mode::Channel, 500),
        None
    );
}

#[test]
fn names_that_make_no_chart_are_said_plainly() {
    let say = |q: &str| text::render(&charted(q).0);
    assert_eq!(
        say("!chart Atlantis"),
        "I have no data on a council or region called “Atlantis”."
    );
    assert_eq!(
        say("!chart England Birmingham"),
        "`!chart`: a chart shows one region or England alone, for example `!chart Birmingham`"
    );
    assert_eq!(
        say("!chart Birmingham Solihull Coventry Walsall Sandwell Dudley Wolverhampton"),
        "`!chart`: a chart compares at most 6 councils, for example `!chart Birmingham`"
    );
}

#[test]
fn a_chart_is_asked_for_in_words_too() {
    for q in [
        "chart of Birmingham",
        "graph of Solihull",
        "!graph Barking and Dagenham",
        "!chart birmingam",
        "!plot Yorkshire and the Humber",
    ] {
        assert!(charted(q).1.is_some(), "{q}");
    }
}

/// `carebot ask` with `args`, in the crate's directory: exit code, stdout, stderr.
fn carebot(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn ask_with_chart_writes_the_png_or_says_there_is_none() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("b.png");
    let f = file.to_str().unwrap();
    let (code, out, err) = carebot(&["ask", "--chart", f, "!chart Birmingham"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.starts_with("Chart: Birmingham\n"), "{out}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        png("!chart Birmingham").bytes
    );

    let none = tmp.path().join("none.png");
    let n = none.to_str().unwrap();
    let (code, out, err) = carebot(&["ask", "--chart", n, "!stars Birmingham"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Birmingham: star rating\n"), "{out}");
    assert_eq!(
        err,
        format!("carebot: this answer has no chart; {n} was not written\n")
    );
    assert!(!none.exists());

    let (code, _, err) = carebot(&["ask", "--chart", n, "!chart Atlantis"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!("carebot: this answer has no chart; {n} was not written\n")
    );
    assert!(!none.exists());
}

/// A region's chart counts the councils `!councils` lists for it: Derbyshire and Lincolnshire,
/// which the register and Ofsted's summary place in different regions, are in both regions'
/// charts, as in both lists.
#[test]
fn a_region_chart_counts_the_councils_its_list_holds() {
    let k = kb();
    for region in [
        "East Midlands",
        "West Midlands",
        "Yorkshire and The Humber",
        "London",
    ] {
        let listed = k.councils_in(region, usize::MAX).1;
        let (a, _) = charted(&format!("!chart {region}"));
        let t = text::render(&a);
        let said = format!("The chart shows the {listed} councils of today in ");
        assert!(
            t.lines().nth(1).is_some_and(|l| l.starts_with(&said)),
            "{t}"
        );
    }
    let (a, _) = charted("!chart East Midlands");
    assert!(text::render(&a).contains("the 10 councils of today in the East Midlands by"));
    // Regions that take no article are written without one.
    for (region, place) in [
        ("London", " in London by"),
        (
            "Yorkshire and The Humber",
            " in Yorkshire and The Humber by",
        ),
    ] {
        let (a, _) = charted(&format!("!chart {region}"));
        assert!(text::render(&a).contains(place), "{region}");
    }
    // A council counted in a region by one source's word only is named, with both sources'.
    let derbyshire =
        "  Derbyshire: the register gives the West Midlands, Ofsted's summary the East Midlands";
    let lincolnshire = "  Lincolnshire: the register gives Yorkshire and The Humber, Ofsted's summary the East Midlands";
    for (region, marked) in [
        ("East Midlands", vec![derbyshire, lincolnshire]),
        ("West Midlands", vec![derbyshire]),
        ("Yorkshire and The Humber", vec![lincolnshire]),
        ("London", vec![]),
        ("England", vec![]),
    ] {
        let t = text::render(&charted(&format!("!chart {region}")).0);
        let field: Vec<&str> = (t.lines())
            .skip_while(|l| *l != "⚠ Counted in two regions:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(field, marked, "{t}");
    }
}
