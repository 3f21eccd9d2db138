//! What people type, and what carebot makes of it: the plain questions the core issue lists,
//! the command forms, numbers in words or digits, case, punctuation and spacing, typos,
//! "did you mean", unknown names, unknown commands and usage errors, each with the exact words
//! carebot answers.

use carebot::answer::{self, text, Answer, Miss};
use carebot::query::{Mode, Parsed, Parser, Query};

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{kb, parser};

fn parse(text: &str) -> Parsed {
    parser().parse(text, Mode::Direct)
}

fn query(text: &str) -> Query {
    match parse(text) {
        Parsed::Query(q) => q,
        other => panic!("{text:?} parsed as {other:?}, not a query"),
    }
}

fn answer(text: &str) -> Answer {
    answer::ask(kb(), parser(), text, Mode::Direct, 500)
        .unwrap_or_else(|| panic!("no answer at all to {text:?}"))
}

/// The answer as the command line prints it.
fn say(text: &str) -> String {
    text::render(&answer(text))
}

/// The first line of the answer: its title, or its "no answer" sentence.
fn first_line(text: &str) -> String {
    say(text).lines().next().unwrap_or_default().to_string()
}

fn s(v: &str) -> String {
    v.to_string()
}

const KNOWN_COUNCILS: &str = "I do know about: the 153 English councils with social services duties, and 15 abolished since 2002.";
const HINT: &str = "Sorry, I didn't understand that. Try a command such as `!stars Birmingham`, or ask \"Who runs social services in Coventry?\"";

// ----- the plain questions the issue requires -----

#[test]
fn what_is_birminghams_star_rating() {
    assert_eq!(
        query("What is Birmingham's star rating?"),
        Query::Stars(s("Birmingham"))
    );
    assert_eq!(
        first_line("What is Birmingham's star rating?"),
        "Birmingham: star rating"
    );
}

#[test]
fn how_many_stars_does_solihull_have() {
    assert_eq!(
        query("How many stars does Solihull have?"),
        Query::Stars(s("Solihull"))
    );
    assert_eq!(
        first_line("How many stars does Solihull have?"),
        "Solihull: star rating"
    );
}

#[test]
fn who_runs_social_services_in_coventry() {
    assert_eq!(
        query("Who runs social services in Coventry?"),
        Query::Director(s("Coventry"))
    );
    assert_eq!(
        first_line("Who runs social services in Coventry?"),
        "Coventry: who leads social services"
    );
}

#[test]
fn who_is_peter_hay() {
    assert_eq!(query("Who is Peter Hay?"), Query::Person(s("Peter Hay")));
    assert_eq!(first_line("Who is Peter Hay?"), "Peter Hay");
}

#[test]
fn what_schemes_does_solihull_run() {
    assert_eq!(
        query("What schemes does Solihull run?"),
        Query::Schemes(s("Solihull"))
    );
    assert_eq!(
        first_line("What schemes does Solihull run?"),
        "Solihull: schemes"
    );
}

#[test]
fn tell_me_about_safe_and_sound() {
    assert_eq!(
        query("Tell me about Safe and Sound"),
        Query::About {
            name: s("Safe and Sound"),
            guessed: false
        }
    );
    assert_eq!(
        first_line("Tell me about Safe and Sound"),
        "Safe and Sound (Solihull)"
    );
}

#[test]
fn what_is_the_population_of_coventry() {
    assert_eq!(
        query("What is the population of Coventry?"),
        Query::Figures {
            council: s("Coventry"),
            topic: Some(s("population"))
        }
    );
    assert_eq!(
        first_line("What is the population of Coventry?"),
        "Coventry: population — 300,000 people (November 2004)"
    );
}

#[test]
fn which_councils_have_two_stars() {
    assert_eq!(query("Which councils have two stars?"), stars(2));
    assert_eq!(
        first_line("Which councils have two stars?"),
        "Councils rated ★★☆ 2 stars"
    );
}

#[test]
fn compare_birmingham_and_solihull() {
    assert_eq!(
        query("Compare Birmingham and Solihull"),
        Query::Compare(vec![s("Birmingham"), s("Solihull")])
    );
    assert_eq!(
        first_line("Compare Birmingham and Solihull"),
        "Comparing Birmingham and Solihull"
    );
}

// ----- other question forms -----

#[test]
fn star_rating_question_forms() {
    for q in [
        "What's Birmingham's star rating?",
        "Birmingham's star rating",
        "what is the star rating of Birmingham",
        "the star rating for Birmingham",
        "How many stars has Birmingham got?",
        "How is Birmingham rated?",
        "What rating does Birmingham have?",
        "What is Birmingham's social services star rating?",
        "what are Birmingham's star ratings",
        "What is Birmingham's rating?",
        "What star rating does Birmingham have?",
        "Which rating has Birmingham got?",
        "Is Birmingham rated zero stars?",
        "Is Birmingham a one-star council?",
        "Was Birmingham rated 1 star?",
    ] {
        assert_eq!(query(q), Query::Stars(s("Birmingham")), "{q}");
    }
}

#[test]
fn director_question_forms() {
    for q in [
        "Who runs social services in Coventry?",
        "Who leads Coventry's social services?",
        "Who heads the social services department in Coventry",
        "Who is the director of social services in Coventry?",
        "who's the head of social care at Coventry",
        "Who is Coventry's director?",
        "Who is in charge of social services in Coventry?",
        "Who is Coventry's director of social services?",
        "Who is the social services and housing director at Coventry?",
        "who is the head of social care and housing in Coventry",
    ] {
        assert_eq!(query(q), Query::Director(s("Coventry")), "{q}");
    }
}

#[test]
fn person_question_forms() {
    assert_eq!(
        query("Who was John Bolton?"),
        Query::Person(s("John Bolton"))
    );
    assert_eq!(query("What did Bolton say?"), Query::Person(s("Bolton")));
    // The most specific pattern wins: this is about Hake, not a council called
    // "What did Hake say about".
    assert_eq!(
        query("What did Hake say about star ratings?"),
        Query::Person(s("Hake"))
    );
    assert_eq!(
        first_line("What did Hake say about star ratings?"),
        "Michael Hake"
    );
    assert_eq!(
        query("Where does Peter Hay work?"),
        Query::Person(s("Peter Hay"))
    );
    assert_eq!(
        query("Which council is Peter Hay at?"),
        Query::Person(s("Peter Hay"))
    );
    assert_eq!(
        query("Who is the strategic director of social care and health at Birmingham?"),
        Query::Director(s("Birmingham"))
    );
}

#[test]
fn scheme_question_forms() {
    assert_eq!(
        query("Birmingham's schemes"),
        Query::Schemes(s("Birmingham"))
    );
    assert_eq!(
        query("What initiatives has Birmingham launched?"),
        Query::Schemes(s("Birmingham"))
    );
    assert_eq!(
        query("Which schemes are running in Coventry?"),
        Query::Schemes(s("Coventry"))
    );
    assert_eq!(
        query("Tell me about Birmingham's schemes"),
        Query::Schemes(s("Birmingham"))
    );
    assert_eq!(
        query("What are the schemes in Birmingham?"),
        Query::Schemes(s("Birmingham"))
    );
    assert_eq!(
        query("What is the Safe and Sound scheme?"),
        Query::Scheme(s("Safe and Sound"))
    );
    assert_eq!(
        query("How many people signed up to Safe and Sound?"),
        Query::Scheme(s("Safe and Sound"))
    );
    assert_eq!(
        query("How much did the workbooks cost?"),
        Query::Scheme(s("workbooks"))
    );
    assert_eq!(
        query("How much does the Safe and Sound scheme cost?"),
        Query::Scheme(s("Safe and Sound"))
    );
}

#[test]
fn figure_question_forms() {
    let fig = |c: &str, t: &str| Query::Figures {
        council: s(c),
        topic: Some(s(t)),
    };
    assert_eq!(
        query("How many people live in Coventry?"),
        fig("Coventry", "people")
    );
    assert_eq!(query("How big is Solihull?"), fig("Solihull", "big"));
    assert_eq!(query("Solihull's area"), fig("Solihull", "area"));
    assert_eq!(
        query("What is the ethnic make-up of Birmingham?"),
        fig("Birmingham", "ethnic make-up")
    );
    assert_eq!(
        query("What is Birmingham's vacancy rate?"),
        fig("Birmingham", "vacancy rate")
    );
    assert_eq!(
        query("What is the home ownership in Solihull?"),
        fig("Solihull", "home ownership")
    );
    assert_eq!(
        query("population of Coventry"),
        fig("Coventry", "population")
    );
    assert_eq!(
        query("How many local authorities cover the Midlands?"),
        fig("the Midlands", "local authorities")
    );
    assert_eq!(
        query("figures for Coventry"),
        Query::Figures {
            council: s("Coventry"),
            topic: None
        }
    );
}

#[test]
fn compare_question_forms() {
    let two = Query::Compare(vec![s("Solihull"), s("Coventry")]);
    assert_eq!(query("Compare Solihull and Coventry"), two);
    assert_eq!(query("compare Solihull vs Coventry"), two);
    assert_eq!(query("compare Solihull, Coventry"), two);
    assert_eq!(query("How does Solihull compare with Coventry?"), two);
    assert_eq!(query("How does Solihull compare to Coventry?"), two);
    assert_eq!(query("How do Solihull and Coventry compare?"), two);
    assert_eq!(
        query("What is the difference between Solihull and Coventry?"),
        two
    );
    assert_eq!(
        query("Compare Birmingham, Solihull and Coventry"),
        Query::Compare(vec![s("Birmingham"), s("Solihull"), s("Coventry")])
    );
    assert_eq!(
        first_line("How does Solihull compare with Coventry?"),
        "Comparing Solihull and Coventry"
    );
    // No separators: the names are told apart by the knowledge base.
    assert_eq!(
        first_line("!compare Solihull Coventry"),
        "Comparing Solihull and Coventry"
    );
}

#[test]
fn council_list_question_forms() {
    for q in [
        "What councils do you know?",
        "Which councils are covered?",
        "list councils",
        "show me all the councils",
        "What are the star ratings?",
        "show all ratings",
    ] {
        assert_eq!(query(q), Query::Councils(None), "{q}");
    }
    assert_eq!(
        query("Which councils are in the West Midlands?"),
        Query::Councils(Some(s("the West Midlands")))
    );
    assert_eq!(
        first_line("Which councils are in the West Midlands?"),
        "Councils in the West Midlands"
    );
    assert_eq!(
        first_line("list the councils in Yorkshire and the Humber"),
        "Councils in Yorkshire and The Humber"
    );
    assert_eq!(
        first_line("councils in the Midlands"),
        "Councils in the Midlands"
    );
}

#[test]
fn sources_and_help_question_forms() {
    for q in [
        "What are your sources?",
        "Where does this information come from?",
        "How do you know?",
    ] {
        assert_eq!(query(q), Query::Sources, "{q}");
    }
    for q in ["help", "What can you do?", "commands", "How do I use this?"] {
        assert_eq!(query(q), Query::Help(None), "{q}");
    }
    assert_eq!(query("How do I use stars?"), Query::Help(Some(s("stars"))));
    assert_eq!(query("search for vacancy"), Query::Search(s("vacancy")));
    assert_eq!(query("Who said vibrant?"), Query::Search(s("vibrant")));
}

#[test]
fn a_bare_name_is_taken_as_a_name() {
    assert_eq!(
        query("Solihull"),
        Query::About {
            name: s("Solihull"),
            guessed: true
        }
    );
    assert_eq!(first_line("Solihull"), "Solihull");
    assert_eq!(first_line("Safe and Sound"), "Safe and Sound (Solihull)");
    assert_eq!(first_line("Hay"), "Peter Hay");
}

#[test]
fn tell_me_about_a_question() {
    assert_eq!(
        query("Tell me about Birmingham's star rating"),
        Query::Stars(s("Birmingham"))
    );
    assert_eq!(
        query("What do you know about Coventry's population?"),
        Query::Figures {
            council: s("Coventry"),
            topic: Some(s("population"))
        }
    );
    assert_eq!(
        query("Can you tell me who runs social services in Coventry?"),
        Query::Director(s("Coventry"))
    );
    // A name after "tell me about" is still a name.
    assert_eq!(
        query("Tell me about Peter Hay"),
        Query::About {
            name: s("Peter Hay"),
            guessed: false
        }
    );
    assert_eq!(first_line("Tell me about Peter Hay"), "Peter Hay");
}

#[test]
fn a_question_after_the_prefix_is_read_as_the_question() {
    let p = parser();
    for mode in [Mode::Direct, Mode::Channel] {
        // "who" is also an alias of `person`, but the whole question says more.
        assert_eq!(
            p.parse("!who runs social services in Coventry?", mode),
            Parsed::Query(Query::Director(s("Coventry")))
        );
        assert_eq!(
            p.parse("!What is Birmingham's star rating?", mode),
            Parsed::Query(Query::Stars(s("Birmingham")))
        );
        assert_eq!(
            p.parse("!who is Peter Hay", mode),
            Parsed::Query(Query::Person(s("Peter Hay")))
        );
        // Not a command word at all: the question is all there is.
        assert_eq!(
            p.parse("!Birmingham's star rating", mode),
            Parsed::Query(Query::Stars(s("Birmingham")))
        );
        // A command whose arguments happen to read as a question stays a command.
        assert_eq!(
            p.parse("!figures Coventry population", mode),
            Parsed::Query(Query::Figures {
                council: s("Coventry population"),
                topic: None
            })
        );
        assert_eq!(
            p.parse("!schemes Birmingham", mode),
            Parsed::Query(Query::Schemes(s("Birmingham")))
        );
    }
    assert_eq!(
        first_line("!figures Coventry population"),
        "Coventry: population — 300,000 people (November 2004)"
    );
    assert_eq!(
        say("!help stars Birmingham").lines().next(),
        Some("!stars <council>")
    );
}

// ----- numbers in words or digits -----

#[test]
fn star_counts_in_words_or_digits() {
    for (q, n) in [
        ("Which councils have 0 stars?", 0),
        ("Which councils have zero stars?", 0),
        ("Which councils have no stars?", 0),
        ("Which councils are rated one star?", 1),
        ("which councils have 1 star", 1),
        ("Which councils have 2 stars?", 2),
        ("Which councils have two-star ratings?", 2),
        ("what councils have three stars", 3),
        ("list 1-star councils", 1),
        ("which two-star councils", 2),
        ("!rated 0", 0),
        ("!rated zero", 0),
        ("!rated one", 1),
        ("!rated 2 stars", 2),
        ("!rated three", 3),
        ("!withstars 2", 2),
    ] {
        assert_eq!(query(q), stars(n), "{q}");
    }
    assert_eq!(first_line("!rated one"), "Councils rated ★☆☆ 1 star");
    assert_eq!(first_line("!rated 1"), "Councils rated ★☆☆ 1 star");
    assert_eq!(first_line("!rated zero"), "Councils rated ☆☆☆ 0 stars");
    assert_eq!(first_line("!rated three"), "Councils rated ★★★ 3 stars");
}

#[test]
fn star_counts_outside_zero_to_three_are_usage_errors() {
    for q in [
        "!rated 5",
        "!rated -1",
        "!rated lots",
        "Which councils have 4 stars?",
    ] {
        assert_eq!(
            say(q),
            "`!rated <scale>`: name an Ofsted grade (outstanding, good, requires improvement, inadequate) or 0 to 3 stars; for example `!rated inadequate in the north west`",
            "{q}"
        );
    }
}

// ----- possessives, punctuation, case, spacing -----

#[test]
fn possessives_punctuation_case_and_spaces_do_not_matter() {
    let expected = say("!stars Birmingham");
    for q in [
        "What is Birmingham's star rating?",
        "What is Birmingham’s star rating?",
        "WHAT IS BIRMINGHAM'S STAR RATING???",
        "  what   is   birmingham’s    star rating ?  ",
        "what is birmingham's star-rating!",
        "Birmingham's star rating.",
        "!STARS BIRMINGHAM",
        "!stars   Birmingham  ",
        "!stars Birmingham?",
        "!Stars birmingham city council",
        "!stars Birmingham City Council",
        "stars Birmingham",
        "please, !stars Birmingham",
        "hi carebot, what is Birmingham's star rating, please?",
        "!stars\tBirmingham",
    ] {
        assert_eq!(say(q), expected, "{q}");
    }
}

#[test]
fn command_aliases() {
    assert_eq!(query("!rating Solihull"), Query::Stars(s("Solihull")));
    assert_eq!(query("!leader Solihull"), Query::Director(s("Solihull")));
    assert_eq!(query("!whois Peter Hay"), Query::Person(s("Peter Hay")));
    assert_eq!(
        query("!initiatives Solihull"),
        Query::Schemes(s("Solihull"))
    );
    assert_eq!(query("!profile Solihull"), Query::Council(s("Solihull")));
    assert_eq!(
        query("!vs Solihull Coventry"),
        Query::Compare(vec![s("Solihull Coventry")])
    );
    assert_eq!(query("!list"), Query::Councils(None));
    assert_eq!(query("!find workbooks"), Query::Search(s("workbooks")));
    assert_eq!(query("!citations"), Query::Sources);
    assert_eq!(query("!h"), Query::Help(None));
    assert_eq!(
        query("!figures Coventry, population"),
        Query::Figures {
            council: s("Coventry"),
            topic: Some(s("population"))
        }
    );
}

// ----- typos and "did you mean" -----

#[test]
fn birmingam_is_corrected_to_birmingham() {
    let a = say("!stars Birmingam");
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(lines[0], "Birmingham: star rating");
    assert_eq!(lines[1], "(Showing Birmingham for “Birmingam”.)");
    assert_eq!(
        a.replace("(Showing Birmingham for “Birmingam”.)\n", ""),
        say("!stars Birmingham")
    );
    assert_eq!(
        first_line("What is Birmingam's star rating?"),
        "Birmingham: star rating"
    );
}

#[test]
fn solihul_is_corrected_to_solihull() {
    let a = say("How many stars does Solihul have?");
    assert_eq!(
        a.lines().take(2).collect::<Vec<_>>(),
        ["Solihull: star rating", "(Showing Solihull for “Solihul”.)"]
    );
    assert_eq!(
        say("!schemes Solihul").lines().nth(1),
        Some("(Showing Solihull for “Solihul”.)")
    );
    assert_eq!(
        say("compare Birmingam and Solihul")
            .lines()
            .take(2)
            .collect::<Vec<_>>(),
        [
            "Comparing Birmingham and Solihull",
            "(Showing Birmingham, Solihull for “Birmingam, Solihul”.)"
        ]
    );
}

#[test]
fn did_you_mean_when_unsure() {
    assert_eq!(
        say("!stars Co"),
        "I have no data on a council called “Co”.\nDid you mean: Cornwall, Coventry?"
    );
    assert_eq!(
        say("!person Pete"),
        "I have no data on a person called “Pete”.\nDid you mean: Peter Hay?"
    );
    assert_eq!(
        say("!scheme Safe"),
        "I have no data on a scheme called “Safe”.\nDid you mean: Safe and Sound?"
    );
    assert_eq!(
        say("!about Hal"),
        "I have no data on anything called “Hal”.\nDid you mean: Halton, Hartlepool, Peter Hay?"
    );
    // A bare word close to a name is answered with the names, not with the hint.
    assert_eq!(
        say("Peter"),
        "I have no data on anything called “Peter”.\nDid you mean: Peterborough, Peter Hay?"
    );
}

#[test]
fn no_far_fetched_suggestions() {
    // Half the letters wrong is another name, not a misspelling: no "did you mean".
    for (q, name) in [
        ("!stars Narnia", "Narnia"),
        ("!ofsted Atlantis", "Atlantis"),
    ] {
        assert_eq!(
            say(q),
            format!("I have no data on a council called “{name}”.\nI do know about: the 153 English councils with social services duties, and 15 abolished since 2002.")
        );
    }
    // Fewer than half wrong still suggests.
    assert_eq!(
        say("!stars Staffs shire"),
        "I have no data on a council called “Staffs shire”.\nDid you mean: Staffordshire?"
    );
}

#[test]
fn did_you_mean_gives_at_most_three_suggestions() {
    // Close to many councils at once: three suggestions, no more.
    assert_eq!(
        say("!about North"),
        "I have no data on anything called “North”.\nDid you mean: North Somerset, North Tyneside, Northumberland?"
    );
    // Close to a council and a scheme; a region half of whose letters differ is not suggested.
    assert_eq!(
        say("!about staff region"),
        "I have no data on anything called “staff region”.\nDid you mean: Staffordshire, Supervision for all staff?"
    );
    for q in [
        "!about staff hake",
        "!about staff region x",
        "!person hay lake",
        "!about s",
        "!about a",
        "!person ake",
        "!about hake lake hay bolton",
    ] {
        match answer(q) {
            Answer::NoAnswer(n) => assert!(n.suggestions.len() <= 3, "{q}: {:?}", n.suggestions),
            Answer::Reply(r) => panic!("{q} answered {}", r.title),
        }
    }
}

// ----- unknown names -----

#[test]
fn wolverhampton_is_known_from_the_register_and_cardiff_is_not() {
    for (q, first) in [
        ("!stars Wolverhampton", "Wolverhampton: star rating"),
        (
            "What is Wolverhampton's star rating?",
            "Wolverhampton: star rating",
        ),
        (
            "How many stars does Wolverhampton have?",
            "Wolverhampton: star rating",
        ),
        ("!council Wolverhampton", "Wolverhampton"),
        ("Tell me about Wolverhampton", "Wolverhampton"),
        ("Wolverhampton", "Wolverhampton"),
        (
            "!ofsted Wolverhampton",
            "Wolverhampton: Ofsted, children's services",
        ),
        (
            "Compare Birmingham and Wolverhampton",
            "Comparing Birmingham and Wolverhampton",
        ),
    ] {
        assert_eq!(first_line(q), first, "{q}");
    }
    let known = "I do know about: its Ofsted judgement (`!ofsted Wolverhampton`), its star ratings (`!stars Wolverhampton`), its register entry (`!council Wolverhampton`).";
    for (q, miss) in [
        (
            "Who runs social services in Wolverhampton?",
            "who leads social services",
        ),
        ("What schemes does Wolverhampton run?", "any scheme"),
        ("!figures Wolverhampton", "any figure"),
        ("What is the population of Wolverhampton?", "the population"),
    ] {
        assert_eq!(
            say(q),
            format!("I have no data on {miss} for Wolverhampton.\n{known}"),
            "{q}"
        );
    }
    let expected = format!("I have no data on a council called “Cardiff”.\n{KNOWN_COUNCILS}");
    for q in ["!stars Cardiff", "!council Cardiff", "!ofsted Cardiff"] {
        assert_eq!(say(q), expected, "{q}");
    }
    match answer("!stars Cardiff") {
        Answer::NoAnswer(n) => {
            assert_eq!(
                n.miss,
                Miss::Unknown {
                    kind: "a council called",
                    typed: s("Cardiff")
                }
            );
            assert!(n.suggestions.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_people_schemes_and_names() {
    assert_eq!(
        say("Who is Zebedee Quark?"),
        "I have no data on a person called “Zebedee Quark”.\nI do know about: Robert Lake, Peter Hay, John Bolton, Michael Hake."
    );
    assert_eq!(
        say("!scheme Meals on Wheels"),
        "I have no data on a scheme called “Meals on Wheels”.\nI do know about: Safe and Sound, Service improvement workbooks, Social work course sponsorship, Supervision for all staff, NVQ training for care assistants, Extra care housing."
    );
    assert_eq!(
        say("Tell me about Cardiff"),
        format!("I have no data on anything called “Cardiff”.\n{KNOWN_COUNCILS}")
    );
    assert_eq!(
        say("!councils Wales"),
        "I have no data on councils in “Wales”.\nI do know about: East Midlands, East of England, London, North East, North West, South East, South West, West Midlands, Yorkshire and The Humber."
    );
    assert_eq!(say("!search zebra"), "No recorded fact mentions “zebra”.");
}

#[test]
fn known_names_without_the_fact_say_what_is_known() {
    assert_eq!(
        say("Who runs social services in Kirklees?"),
        "I have no data on who leads social services for Kirklees.\nI do know about: its Ofsted judgement (`!ofsted Kirklees`), its star ratings (`!stars Kirklees`), notes (`!council Kirklees`)."
    );
    assert_eq!(
        say("!schemes Staffordshire"),
        "I have no data on any scheme for Staffordshire.\nI do know about: its Ofsted judgement (`!ofsted Staffordshire`), its star ratings (`!stars Staffordshire`), people who work there, its register entry (`!council Staffordshire`)."
    );
    assert_eq!(
        say("!figures Staffordshire"),
        "I have no data on any figure for Staffordshire.\nI do know about: its Ofsted judgement (`!ofsted Staffordshire`), its star ratings (`!stars Staffordshire`), people who work there, its register entry (`!council Staffordshire`)."
    );
    assert_eq!(
        say("What is the population of Birmingham?"),
        "I have no data on the population for Birmingham.\nI do know about: workforce figures, ethnicity figures."
    );
    assert_eq!(
        say("!figures Coventry weather"),
        "I have no data on “weather” for Coventry.\nI do know about: population figures, ethnicity figures."
    );
}

// ----- what carebot cannot parse -----

#[test]
fn unparseable_input_gets_the_hint() {
    for q in [
        "asdf qwer zxcv uiop hjkl vbnm tyui",
        "Glasgow",
        "?",
        "!",
        "...",
        "hello",
        "please",
        "the quick brown fox jumps over the lazy dog",
    ] {
        assert_eq!(say(q), HINT, "{q}");
    }
    assert_eq!(
        parse("the quick brown fox jumps over the lazy dog"),
        Parsed::NotUnderstood
    );
}

// ----- unknown prefix commands -----

#[test]
fn unknown_prefix_commands() {
    assert_eq!(
        say("!foo"),
        "There is no command “!foo”. `!help` lists the commands."
    );
    assert_eq!(
        say("!strs Birmingham"),
        "There is no command “!strs”. Did you mean `!stars`?"
    );
    assert_eq!(
        say("!directr Coventry"),
        "There is no command “!directr”. Did you mean `!director`?"
    );
    assert_eq!(
        say("!help zzz"),
        "There is no command “!zzz”. `!help` lists the commands."
    );
    assert_eq!(
        parse("!strs Birmingham"),
        Parsed::UnknownCommand {
            word: s("strs"),
            suggestion: Some("stars")
        }
    );
    // In a channel, an unknown command close to a real one gets the suggestion; others are
    // left alone, as is every message without the prefix.
    let p = parser();
    assert_eq!(
        p.parse("!strs Birmingham", Mode::Channel),
        Parsed::UnknownCommand {
            word: s("strs"),
            suggestion: Some("stars")
        }
    );
    assert_eq!(p.parse("!foo bar", Mode::Channel), Parsed::Ignore);
    assert_eq!(p.parse("!!!", Mode::Channel), Parsed::Ignore);
    assert_eq!(
        p.parse("What is Birmingham's star rating?", Mode::Channel),
        Parsed::Ignore
    );
    assert_eq!(
        answer::ask(kb(), p, "stars Birmingham", Mode::Channel, 500),
        None
    );
    assert_eq!(
        p.parse("!stars Birmingham", Mode::Channel),
        Parsed::Query(Query::Stars(s("Birmingham")))
    );
}

#[test]
fn another_prefix() {
    let p = Parser::new("cb!");
    assert_eq!(p.prefix(), "cb!");
    assert_eq!(
        p.parse("CB!stars Solihull", Mode::Channel),
        Parsed::Query(Query::Stars(s("Solihull")))
    );
    assert_eq!(p.parse("!stars Solihull", Mode::Channel), Parsed::Ignore);
    // A long command is told it is too long whatever the case of its prefix.
    let long = format!("CB!stars {}", "x".repeat(600));
    assert_eq!(
        text::render(&answer::ask(kb(), &p, &long, Mode::Channel, 500).unwrap()),
        "That message is too long for me (609 characters; I read up to 500). Please ask a shorter question."
    );
    let a = answer::ask(kb(), &p, "cb!stars", Mode::Channel, 500).unwrap();
    assert_eq!(
        text::render(&a),
        "`cb!stars <council>` needs a council: for example `cb!stars Birmingham`"
    );
}

// ----- usage errors -----

#[test]
fn usage_errors_have_exact_messages() {
    for (q, m) in [
        (
            "!stars",
            "`!stars <council>` needs a council: for example `!stars Birmingham`",
        ),
        (
            "!director",
            "`!director <council>` needs a council: for example `!director Coventry`",
        ),
        (
            "!person",
            "`!person <name>` needs a name: for example `!person Peter Hay`",
        ),
        (
            "!schemes",
            "`!schemes <council>` needs a council: for example `!schemes Solihull`",
        ),
        (
            "!scheme",
            "`!scheme <name>` needs a name: for example `!scheme Safe and Sound`",
        ),
        (
            "!council",
            "`!council <council>` needs a council: for example `!council Solihull`",
        ),
        (
            "!figures",
            "`!figures <council> [topic]` needs a council: for example `!figures Coventry`",
        ),
        (
            "!compare",
            "`!compare <councils>…` needs the councils: for example `!compare Solihull Coventry`",
        ),
        (
            "!rated",
            "`!rated <scale>` needs a scale: for example `!rated inadequate in the north west`",
        ),
        (
            "!about",
            "`!about <name>` needs a name: for example `!about Safe and Sound`",
        ),
        (
            "!search",
            "`!search <words>` needs the words: for example `!search workbooks`",
        ),
        (
            "!compare Birmingham",
            "`!compare` needs at least two different councils: for example `!compare Solihull Coventry`",
        ),
        (
            "!compare Birmingham and Birmingham City Council",
            "`!compare` needs at least two different councils: for example `!compare Solihull Coventry`",
        ),
    ] {
        assert_eq!(say(q), m, "{q}");
    }
    assert_eq!(
        parse("!stars"),
        Parsed::Usage {
            command: "stars",
            message: s("`!stars <council>` needs a council: for example `!stars Birmingham`")
        }
    );
}

#[test]
fn too_long_messages_are_refused_unread() {
    let long = format!("!stars {}", "a".repeat(500));
    assert_eq!(
        text::render(&answer::ask(kb(), parser(), &long, Mode::Direct, 500).unwrap()),
        "That message is too long for me (507 characters; I read up to 500). Please ask a shorter question."
    );
    assert_eq!(
        text::render(&answer::ask(kb(), parser(), &long, Mode::Channel, 500).unwrap()),
        "That message is too long for me (507 characters; I read up to 500). Please ask a shorter question."
    );
    // Long chatter in a channel is not for carebot.
    assert_eq!(
        answer::ask(kb(), parser(), &"a".repeat(600), Mode::Channel, 500),
        None
    );
    // Exactly at the limit is read.
    let at_limit = format!("!stars Solihull{}", " ".repeat(500 - 15));
    assert_eq!(at_limit.chars().count(), 500);
    assert_eq!(
        text::render(&answer::ask(kb(), parser(), &at_limit, Mode::Direct, 500).unwrap())
            .lines()
            .next(),
        Some("Solihull: star rating")
    );
}

/// The questions a new user asked that were misread before questions were read by the names
/// they hold, each with its whole answer.
#[test]
fn questions_are_read_by_the_names_they_hold() {
    let cost = [
        "Safe and Sound: £6 a week for an alarm pendant that connects people to services",
        "",
        "Cost:",
        "  “it costs £6 a week for an alarm pendant that connects them to services”",
        "",
        "Source: Community Care, “Stars in the making”, 19 November 2004",
    ]
    .join("\n");
    assert_eq!(say("How much does Safe and Sound cost?"), cost);
    assert_eq!(say("how much is the safe and sound alarm"), cost);
    assert_eq!(
        say("what does the nvq training cost?"),
        "I have no figure for what NVQ training for care assistants costs.\nI do know about: what it is (`!scheme NVQ training for care assistants`)."
    );
    assert_eq!(
        first_line("Is Safe and Sound popular?"),
        "Safe and Sound: Popular with users, says Michael Hake; some people buy a subscription as a Christmas present"
    );
    assert_eq!(
        first_line("whats the population of coventry"),
        "Coventry: population — 300,000 people (November 2004)"
    );
    assert_eq!(
        first_line("who's the boss of staffs social services"),
        "Staffordshire: who leads social services"
    );
    assert_eq!(
        first_line("What is the vacancy rate in Birmingham children's services?"),
        "Birmingham: vacancy rate across children's services — 25% (November 2004), down from 33% (12 months earlier)"
    );
    assert_eq!(
        first_line("wat is solihulls star rating"),
        "Solihull: star rating"
    );
    assert_eq!(
        say("!scheme NVQ").lines().take(2).collect::<Vec<_>>(),
        [
            "NVQ training for care assistants (Solihull)",
            "(Showing NVQ training for care assistants for “NVQ”.)"
        ]
    );
}

#[test]
fn a_different_name_is_a_different_person() {
    assert_eq!(
        say("Who is Peter Hain?"),
        "I have no data on a person called “Peter Hain”.\nDid you mean: Peter Hay?"
    );
    assert_eq!(
        say("Who is Robert Blake?"),
        "I have no data on a person called “Robert Blake”.\nDid you mean: Robert Lake?"
    );
    let smith = say("Who is John Smith?");
    assert!(!smith.contains("Did you mean"), "{smith}");
    assert!(smith.starts_with("I have no data on a person called “John Smith”.\n"));
    // A typo inside a word is still forgiven.
    assert_eq!(
        say("Who is Peter Hya?").lines().take(2).collect::<Vec<_>>(),
        ["Peter Hay", "(Showing Peter Hay for “Peter Hya”.)"]
    );
}

#[test]
fn no_answer_echoes_half_the_question() {
    assert_eq!(
        say("What is the vacancy rate in Cardiff children's services?"),
        format!("I have no data on a council called “Cardiff”.\n{KNOWN_COUNCILS}")
    );
    assert_eq!(
        say("how good is cardiff"),
        format!("I have no data on a council called “cardiff”.\n{KNOWN_COUNCILS}")
    );
    assert_eq!(say("whats the weather like today"), HINT);
    // Chatter in a channel stays ignored.
    assert_eq!(
        answer::ask(kb(), parser(), "how good is solihull", Mode::Channel, 500),
        None
    );
}

/// `!rated` asking for `n` stars in every round and region.
fn stars(n: u8) -> Query {
    Query::Rated(carebot::query::Rated {
        scale: carebot::query::Scale::Stars(n),
        round: None,
        region: None,
    })
}
