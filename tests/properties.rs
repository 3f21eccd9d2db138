//! Whatever people type, carebot neither panics nor answers at unbounded length: arbitrary
//! unicode, very long strings, prefix-only strings, Discord mentions and markdown. Every page
//! it would post serialises exactly as serenity's builders would write it.

use carebot::answer::{self, text, Answer};
use carebot::discord::embed;
use carebot::query::{Mode, Parsed};
use proptest::prelude::*;

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{kb, parser};

const MAX_LEN: usize = 500;

/// The longest answer the knowledge base can give, whatever is asked, plus room for the
/// user's words echoed back (at most `MAX_LEN` characters).
const MAX_ANSWER_CHARS: usize = 4000;

/// Checks the bounds every answer keeps, and that its pages serialise as serenity's builders
/// would write them.
fn check_bounds(input: &str, a: &Answer) -> Result<(), TestCaseError> {
    for page in embed::render(a) {
        prop_assert_eq!(
            serde_json::to_value(&page).unwrap(),
            serde_json::to_value(page.to_builder()).unwrap()
        );
    }
    let rendered = text::render(a);
    prop_assert!(
        rendered.chars().count() <= MAX_ANSWER_CHARS,
        "{} characters answering {input:?}",
        rendered.chars().count()
    );
    match a {
        Answer::Reply(r) => {
            prop_assert!(!r.title.is_empty());
            prop_assert!(r.title.chars().count() <= 256, "title {:?}", r.title);
            prop_assert!(r.fields.len() <= 25, "{} fields", r.fields.len());
            for f in &r.fields {
                prop_assert!(!f.name.is_empty() && f.name.chars().count() <= 256);
                prop_assert!(f.value.chars().count() <= 1024, "field {:?}", f.name);
            }
            prop_assert!(
                !r.sources.is_empty()
                    || r.title.starts_with("carebot commands")
                    || r.title.starts_with('!')
            );
        }
        Answer::NoAnswer(n) => {
            prop_assert!(n.suggestions.len() <= 3, "{:?}", n.suggestions);
            prop_assert!(n.known.len() <= 10, "{:?}", n.known);
        }
    }
    Ok(())
}

/// Parses and answers `input` in both modes, checking bounds.
fn exercise(input: &str) -> Result<(), TestCaseError> {
    for mode in [Mode::Direct, Mode::Channel] {
        let _ = parser().parse(input, mode);
        if let Some(a) = answer::ask(kb(), parser(), input, mode, MAX_LEN) {
            check_bounds(input, &a)?;
        }
    }
    Ok(())
}

/// Words that steer parsing somewhere: command names, question words, names, numbers.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "!",
            "stars",
            "director",
            "person",
            "schemes",
            "scheme",
            "council",
            "figures",
            "compare",
            "rated",
            "councils",
            "about",
            "search",
            "sources",
            "help",
            "what",
            "is",
            "who",
            "runs",
            "social",
            "services",
            "in",
            "how",
            "many",
            "does",
            "have",
            "the",
            "of",
            "and",
            "vs",
            "with",
            "tell",
            "me",
            "Birmingham",
            "Birmingham's",
            "Solihull",
            "Solihul",
            "Birmingam",
            "Coventry",
            "Kirklees",
            "Staffordshire",
            "Peter",
            "Hay",
            "Hake",
            "Lake",
            "Bolton",
            "Safe",
            "Sound",
            "workbooks",
            "Midlands",
            "West",
            "population",
            "area",
            "ethnicity",
            "zero",
            "one",
            "two",
            "three",
            "0",
            "1",
            "2",
            "3",
            "99999999999999999999",
            "-1",
            "star",
            "rating",
            "?",
            "!",
            ",",
            "’s",
            "'",
            "\"",
            "&",
            "<@123456789>",
            "<@!42>",
            "<#1>",
            "@everyone",
            "**",
            "__",
            "`",
            "```",
            "~~",
            "||",
            "> ",
            "# ",
            "*",
            "\\",
            "\u{200B}",
            "\u{202E}",
            "é",
            "ß",
            "İ",
            "ﬁ",
            "🙂",
            "\t",
            "\n",
        ])
        .prop_map(String::from),
        "\\PC{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics(input in "\\PC{0,200}") {
        exercise(&input)?;
    }

    #[test]
    fn arbitrary_chars_including_controls_never_panic(input in any::<String>()) {
        exercise(&input)?;
    }

    #[test]
    fn sentences_of_meaningful_words_never_panic(words in prop::collection::vec(word(), 0..14)) {
        let input = words.join(" ");
        exercise(&input)?;
        exercise(&words.concat())?;
        exercise(&format!("!{}", words.join(" ")))?;
    }

    #[test]
    fn prefix_only_strings(n in 0usize..40, tail in "[ !?.,:;]{0,10}") {
        let input = format!("{}{tail}", "!".repeat(n));
        exercise(&input)?;
        prop_assert!(!matches!(
            parser().parse(&input, Mode::Direct),
            Parsed::Query(_)
        ));
    }

    #[test]
    fn mentions_and_markdown_around_commands(
        before in prop::sample::select(vec!["", "<@123> ", "<@!123> ", "**", "__", "`", "> ", "||", "@everyone "]),
        command in prop::sample::select(vec!["!stars Birmingham", "!rated 1", "What is Birmingham's star rating?", "!compare Birmingham Solihull", "!search <@1>", "!about **bold**", "!person `code`"]),
        after in prop::sample::select(vec!["", "**", "__", "`", "||", " <@123>", "\n```"]),
    ) {
        let input = format!("{before}{command}{after}");
        exercise(&input)?;
    }

    #[test]
    fn channel_chatter_without_the_prefix_is_ignored(input in "[^!]{0,300}") {
        prop_assert_eq!(parser().parse(&input, Mode::Channel), Parsed::Ignore);
        prop_assert!(answer::ask(kb(), parser(), &input, Mode::Channel, MAX_LEN).is_none());
    }

    #[test]
    fn case_spacing_and_trailing_punctuation_do_not_change_answers(
        council in prop::sample::select(vec!["Birmingham", "Coventry", "Solihull", "Staffordshire", "Kirklees"]),
        command in prop::sample::select(vec!["stars", "director", "schemes", "council", "figures"]),
        upper in prop::collection::vec(any::<bool>(), 20),
        spaces in 1usize..5,
        punct in "[?!. ]{0,4}",
    ) {
        let canonical = answer::ask(kb(), parser(), &format!("!{command} {council}"), Mode::Direct, MAX_LEN);
        let mangled: String = format!("!{command}{}{council}{punct}", " ".repeat(spaces))
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        let got = answer::ask(kb(), parser(), &mangled, Mode::Direct, MAX_LEN);
        prop_assert_eq!(got, canonical, "{}", mangled);
    }

    #[test]
    fn unknown_names_are_echoed_not_interpreted(name in "[A-Za-z*_`~|<>@#:]{12,40}") {
        // However odd the name, a council lookup says it has no data on it, or corrects it, and
        // never produces more than three suggestions.
        let input = format!("!stars {name}");
        if let Some(a) = answer::ask(kb(), parser(), &input, Mode::Direct, MAX_LEN) {
            check_bounds(&input, &a)?;
        }
    }
}

proptest! {
    // Long inputs cost more each, so fewer of them.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn very_long_strings_are_refused_unread(
        unit in "\\PC{1,8}",
        n in 1usize..1500,
    ) {
        let input = unit.repeat(n);
        let len = input.chars().count();
        let direct = answer::ask(kb(), parser(), &input, Mode::Direct, MAX_LEN);
        let channel = answer::ask(kb(), parser(), &input, Mode::Channel, MAX_LEN);
        if len > MAX_LEN {
            let too_long = format!("That message is too long for me ({len} characters; I read up to {MAX_LEN}). Please ask a shorter question.");
            prop_assert_eq!(direct.as_ref().map(text::render), Some(too_long.clone()));
            // In a channel only a command gets the notice; chatter is left alone.
            let command = input.trim_start().starts_with('!');
            prop_assert_eq!(channel.as_ref().map(text::render), command.then_some(too_long));
        } else {
            for a in direct.iter().chain(&channel) {
                check_bounds(&input, a)?;
            }
        }
        // The parser itself copes with any length.
        let _ = parser().parse(&input, Mode::Direct);
    }
}

/// Inputs found troublesome in the past stay fine.
#[test]
fn awkward_inputs() {
    let long_name = format!("!stars {}", "x".repeat(490));
    let inputs = [
        "",
        " ",
        "!",
        "!!!!!!!!",
        "! ",
        "!?",
        "!stars ?",
        "!compare , , ,",
        "!compare and and",
        "!compare vs",
        "!figures ,",
        "!figures , population",
        "!rated 99999999999999999999999",
        "!rated ½",
        "!help !help",
        "!help !",
        "what's",
        "'s",
        "’",
        "who is",
        "who is ?",
        "compare",
        "\u{0}",
        "\u{202E}!stars Birmingham",
        "İ",
        "ﬁgures Coventry",
        "!stars Birmingham\u{0301}",
        "<@123>",
        "<@123> !stars Birmingham",
        "```!stars Birmingham```",
        "**!stars** Birmingham",
        long_name.as_str(),
    ];
    for input in inputs {
        exercise(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    }
}
