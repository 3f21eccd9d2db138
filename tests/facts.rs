//! Every fact of Community Care's "Stars in the making" (19 November 2004) can be got at
//! through at least one command and at least one plain question, with its source cited.
//!
//! `article_sentence_by_sentence` walks the article in order; the tests after it check whole
//! answers word for word; `every_fact_in_the_knowledge_base_is_reachable` goes through the
//! knowledge files entry by entry.

use carebot::answer::{self, text, Answer};
use carebot::query::Mode;

#[path = "support/bundled.rs"]
mod bundled;

use bundled::{kb, parser};

fn answer(text: &str) -> Answer {
    answer::ask(kb(), parser(), text, Mode::Direct, 500)
        .unwrap_or_else(|| panic!("no answer at all to {text:?}"))
}

/// The answer as the command line prints it.
fn say(text: &str) -> String {
    text::render(&answer(text))
}

/// The answer's lines, after checking it states facts and cites the article.
fn reply_lines(input: &str) -> Vec<String> {
    let a = answer(input);
    let rendered = text::render(&a);
    assert!(a.is_reply(), "{input:?} got no facts:\n{rendered}");
    let lines: Vec<String> = rendered.lines().map(String::from).collect();
    let last = lines.last().map(String::as_str).unwrap_or_default();
    assert!(
        last.starts_with("Source: ") && last.contains(&SOURCE["Source: ".len()..]),
        "{input:?} does not end by citing the article:\n{rendered}"
    );
    lines
}

fn lines(list: &[&str]) -> String {
    list.join("\n")
}

/// A whole answer, line by line, and the questions that must each get it word for word.
struct Golden {
    asked: &'static [&'static str],
    lines: &'static [&'static str],
}

/// Asserts whether the answer to `q` is flagged as showing a conflict between sources.
fn assert_conflict(q: &str, conflict: bool) {
    match answer(q) {
        Answer::Reply(r) => assert_eq!(r.conflict, conflict, "{q}"),
        other => panic!("{q}: {other:?}"),
    }
}

/// Asserts that every question in `table` gets its answer exactly.
fn assert_answers(table: &[Golden]) {
    for golden in table {
        let expected = lines(golden.lines);
        for q in golden.asked {
            assert_eq!(say(q), expected, "{q}");
        }
    }
}

/// Text with every run of white space made one space, as the article's lines are wrapped.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn article() -> String {
    let path = bundled::real_dir().join("sources/stars-in-the-making.txt");
    flat(&std::fs::read_to_string(path).expect("the article is in the knowledge base"))
}

const SOURCE: &str = "Source: Community Care, “Stars in the making”, 19 November 2004";

/// One sentence (or clause) of the article and the lines that answer it, each paired with what
/// was typed to get it.
struct Fact {
    article: &'static str,
    answers: &'static [(&'static str, &'static str)],
}

const ARTICLE: &[Fact] = &[
    Fact {
        article: "The 38 local authorities that cover the Midlands have a very real image problem.",
        answers: &[
            ("!figures the Midlands", "  “The 38 local authorities that cover the Midlands”"),
            ("How many local authorities cover the Midlands?", "  38 (November 2004)"),
            ("Tell me about the Midlands", "  • Local authorities covering the Midlands: 38 (November 2004)"),
            ("!about the Midlands", "  • Its local authorities have a very real image problem: many are tarred with the same poor-performance brush as Birmingham."),
            ("Tell me about the Midlands", "  • Its local authorities have a very real image problem: many are tarred with the same poor-performance brush as Birmingham."),
        ],
    },
    Fact {
        article: "Birmingham, synonymous with the region and one of the biggest authorities in the country, has a zero-star rating, and many other councils in the area are tarred with the same poor-performance brush.",
        answers: &[
            ("!council Birmingham", "  • Synonymous with the region and one of the biggest authorities in the country."),
            ("Tell me about Birmingham", "  • Synonymous with the region and one of the biggest authorities in the country."),
            ("!stars Birmingham", "  ☆☆☆ 0 stars · social services, November 2004, when the article was published:"),
            ("!stars Birmingham", "  “Birmingham, synonymous with the region and one of the biggest authorities in the country, has a zero-star rating”"),
            ("What is Birmingham's star rating?", "  “Birmingham, synonymous with the region and one of the biggest authorities in the country, has a zero-star rating”"),
            ("Which councils have zero stars?", "  8 councils had no stars in November 2004; all 8 are named in sources: Birmingham (sources disagree), Bedfordshire, Cumbria, Oldham, Plymouth, Swindon, Ealing, Isles of Scilly."),
        ],
    },
    Fact {
        article: "“The region is concerned about our apparent poor performance compared with different parts of the country,” admits Robert Lake, West Midlands branch chair for the Association of Directors of Social Services and director of social care and health at Staffordshire Council.",
        answers: &[
            ("!person Robert Lake", "On the region's apparent poor performance:"),
            ("!person Robert Lake", "  “The region is concerned about our apparent poor performance compared with different parts of the country”"),
            ("What did Robert Lake say?", "  “The region is concerned about our apparent poor performance compared with different parts of the country”"),
            ("!person Lake", "West Midlands branch chair, Association of Directors of Social Services (November 2004)"),
            ("Who is Robert Lake?", "West Midlands branch chair, Association of Directors of Social Services (November 2004)"),
            ("Who is Robert Lake?", "Director of social care and health, Staffordshire Council (November 2004)"),
            ("!director Staffordshire", "  “Robert Lake, West Midlands branch chair for the Association of Directors of Social Services and director of social care and health at Staffordshire Council”"),
            ("Who runs social services in Staffordshire?", "Robert Lake led social services at Staffordshire in November 2004."),
            ("!council Staffordshire", "  • Robert Lake, director of social care and health (November 2004)"),
        ],
    },
    Fact {
        article: "Lake says that while some authorities may seem to perform a little below others’ standards, this could simply be because of the techniques they use to record data.",
        answers: &[
            ("!about the Midlands", "  • Some authorities may seem to perform below others' standards simply because of the techniques they use to record data."),
            ("Who is Robert Lake?", "  • Some authorities may seem to perform below others' standards simply because of the techniques they use to record data."),
        ],
    },
    Fact {
        article: "“Are we doing it differently to other regions and therefore not selling ourselves as well as we could be?” he asks.",
        answers: &[
            ("!person Robert Lake", "  “Are we doing it differently to other regions and therefore not selling ourselves as well as we could be?”"),
            ("What does Lake say?", "  “Are we doing it differently to other regions and therefore not selling ourselves as well as we could be?”"),
        ],
    },
    Fact {
        article: "In Birmingham, for example, child protection issues are a major concern for Peter Hay, the strategic director of social care and health at the council.",
        answers: &[
            ("!council Birmingham", "  • Child protection issues are a major concern for Peter Hay, its strategic director of social care and health."),
            ("Tell me about Birmingham", "  • Child protection issues are a major concern for Peter Hay, its strategic director of social care and health."),
            ("!director Birmingham", "  “Peter Hay, the strategic director of social care and health at the council”"),
            ("Who runs social services in Birmingham?", "Peter Hay led social services at Birmingham in November 2004."),
            ("Who is Peter Hay?", "Strategic director of social care and health, Birmingham City Council (November 2004)"),
        ],
    },
    Fact {
        article: "Hay accepts the local authority needs to build up strength in all its services for children in need following a history of poor investment in staff, and a lack of focus on supervision and team",
        answers: &[
            ("!council Birmingham", "  • Needs to build up strength in all its services for children in need, after a history of poor investment in staff and a lack of focus on supervision."),
            ("Who is Peter Hay?", "  • Needs to build up strength in all its services for children in need, after a history of poor investment in staff and a lack of focus on supervision."),
        ],
    },
    Fact {
        article: "Birmingham has started to address the problems by putting in place supervision for all social workers and social services staff linked to their personal development portfolios.",
        answers: &[
            ("!scheme supervision", "Supervision for all social workers and social services staff, linked to their personal development portfolios."),
            ("!scheme supervision", "“putting in place supervision for all social workers and social services staff linked to their personal development portfolios”"),
            ("What schemes does Birmingham run?", "  Supervision for all social workers and social services staff, linked to their personal development portfolios."),
        ],
    },
    Fact {
        article: "So far, he says, staff have responded positively.",
        answers: &[
            ("!scheme Supervision for all staff", "  Staff have responded positively so far, says Peter Hay."),
            ("Tell me about staff supervision", "  “So far, he says, staff have responded positively”"),
        ],
    },
    Fact {
        article: "Improving children’s services is also on John Bolton’s mind and has been ever since he became social services and housing director at Coventry.",
        answers: &[
            ("!person John Bolton", "  • Improving children's services has been on his mind ever since he became director at Coventry."),
            ("Who is John Bolton?", "  • Improving children's services has been on his mind ever since he became director at Coventry."),
            ("!director Coventry", "  Social services and housing director, Coventry City Council (since about 2002, in post for the two years before the article)"),
            ("Who runs social services in Coventry?", "John Bolton led social services at Coventry in November 2004."),
        ],
    },
    Fact {
        article: "He has been in post for the last two years after leading the Audit Commission’s joint review team.",
        answers: &[
            ("!director Coventry", "  “Improving children’s services is also on John Bolton’s mind and has been ever since he became social services and housing director at Coventry. He has been in post for the last two years”"),
            ("!person Bolton", "Leader of the joint review team, Audit Commission (before he moved to Coventry)"),
            ("Who was John Bolton?", "Leader of the joint review team, Audit Commission (before he moved to Coventry)"),
        ],
    },
    Fact {
        article: "Moving to Coventry was an interesting decision on Bolton’s part – at the time the social services department was on special measures because of its dire provision for children.",
        answers: &[
            ("!council Coventry", "  • Its social services department was on special measures because of its dire provision for children when John Bolton arrived."),
            ("Tell me about Coventry", "  • Its social services department was on special measures because of its dire provision for children when John Bolton arrived."),
        ],
    },
    Fact {
        article: "Bolton freely admits he believes the whole of the city council should have been on special measures because it was failing local children.",
        answers: &[
            ("!council Coventry", "  • John Bolton believes the whole city council should have been on special measures because it was failing local children."),
            ("Who is John Bolton?", "  • John Bolton believes the whole city council should have been on special measures because it was failing local children."),
        ],
    },
    Fact {
        article: "His priority was to get the basics right in social services and he was rewarded when a year into the job his department came off special measures.",
        answers: &[
            ("!person John Bolton", "  • His priority was to get the basics right in social services."),
            ("Who is John Bolton?", "  • His priority was to get the basics right in social services."),
            ("!council Coventry", "  • The department came off special measures a year into John Bolton's time as director."),
            ("Tell me about Coventry", "  • The department came off special measures a year into John Bolton's time as director."),
        ],
    },
    Fact {
        article: "Having a portfolio containing housing and social services has helped Bolton ensure that any extra care needs of tenants and residents are taken into consideration.",
        answers: &[
            ("!person John Bolton", "  • A portfolio covering both housing and social services has helped him make sure the extra care needs of tenants and residents are taken into account."),
            ("Who is John Bolton?", "  • A portfolio covering both housing and social services has helped him make sure the extra care needs of tenants and residents are taken into account."),
        ],
    },
    Fact {
        article: "The authority has the largest amount of extra care housing provision in the country and uses it as an alternative to residential care.",
        answers: &[
            ("!scheme extra care housing", "The largest amount of extra care housing provision in the country, used as an alternative to residential care."),
            ("!scheme extra care housing", "“The authority has the largest amount of extra care housing provision in the country and uses it as an alternative to residential care”"),
            ("What schemes does Coventry run?", "  The largest amount of extra care housing provision in the country, used as an alternative to residential care."),
        ],
    },
    Fact {
        article: "“As we develop a housing strategy for the city, we have to ensure we have the right mix of housing and support to meet people’s needs whatever they are,” he says.",
        answers: &[
            ("!person Bolton", "  “As we develop a housing strategy for the city, we have to ensure we have the right mix of housing and support to meet people’s needs whatever they are”"),
            ("What did John Bolton say?", "  “As we develop a housing strategy for the city, we have to ensure we have the right mix of housing and support to meet people’s needs whatever they are”"),
        ],
    },
    Fact {
        article: "As with the rest of the country, star ratings matter greatly to local authorities in the Midlands.",
        answers: &[
            ("!about Midlands", "  • Star ratings matter greatly to its local authorities."),
            ("Tell me about the Midlands", "  • Star ratings matter greatly to its local authorities."),
        ],
    },
    Fact {
        article: "Birmingham has a one-star rating – a fact that Hay is only too aware he needs to improve.",
        answers: &[
            ("!stars Birmingham", "  ★☆☆ 1 star · social services, November 2004, when the article was published:"),
            ("!stars Birmingham", "  “Birmingham has a one-star rating”"),
            ("How many stars does Birmingham have?", "  “Birmingham has a one-star rating”"),
            ("Which councils have one star?", "  40 councils had one star in November 2004; sources name 5: Bromley, Waltham Forest, Devon, Birmingham (sources disagree), Coventry."),
            ("!council Birmingham", "  • Its star rating is something Peter Hay knows he needs to improve."),
            ("Who is Peter Hay?", "  • Its star rating is something Peter Hay knows he needs to improve."),
        ],
    },
    Fact {
        article: "Coventry is a good example of how an authority can move from zero stars (two years ago for its children’s services) to one star.",
        answers: &[
            ("!stars Coventry", "  ★☆☆ 1 star · social services, November 2004, when the article was published:"),
            ("!stars Coventry", "  “Coventry is a good example of how an authority can move from zero stars (two years ago for its children’s services) to one star”"),
            ("!stars Coventry", "2002, two years before the article:"),
            ("!stars Coventry", "  ☆☆☆ 0 stars · children's services:"),
            ("!stars Coventry", "  “move from zero stars (two years ago for its children’s services)”"),
            ("How many stars does Coventry have?", "  ★☆☆ 1 star · social services, November 2004, when the article was published:"),
            ("How many stars does Coventry have?", "  “move from zero stars (two years ago for its children’s services)”"),
            ("Which councils have 1 star?", "  40 councils had one star in November 2004; sources name 5: Bromley, Waltham Forest, Devon, Birmingham (sources disagree), Coventry."),
        ],
    },
    Fact {
        article: "Unlike its neighbours, Solihull is a step ahead, as its social services department has a two-star rating.",
        answers: &[
            ("!stars Solihull", "  ★★☆ 2 stars · social services, November 2004, when the article was published:"),
            ("How many stars does Solihull have?", "  “Solihull is a step ahead, as its social services department has a two-star rating”"),
            ("Which councils have two stars?", "  82 councils had two stars in November 2004; sources name 1: Solihull."),
            ("!council Solihull", "  • A step ahead of its neighbours."),
            ("Tell me about Solihull", "  • A step ahead of its neighbours."),
        ],
    },
    Fact {
        article: "“The star rating is a validation of how we are doing and not an end result in itself,” says Michael Hake, Solihull’s corporate director of social care and performance.",
        answers: &[
            ("!person Hake", "  “The star rating is a validation of how we are doing and not an end result in itself”"),
            ("What did Michael Hake say?", "  “The star rating is a validation of how we are doing and not an end result in itself”"),
            ("!director Solihull", "  “Michael Hake, Solihull’s corporate director of social care and performance”"),
            ("Who runs social services in Solihull?", "Michael Hake led social services at Solihull in November 2004."),
            ("Who is Michael Hake?", "Corporate director of social care and performance, Solihull Council (November 2004)"),
        ],
    },
    Fact {
        article: "He adds that Solihull has a strong focus on outcomes for people and a very structured performance management",
        answers: &[
            ("!council Solihull", "  • Has a strong focus on outcomes for people and very structured performance management."),
            ("Who is Michael Hake?", "  • Has a strong focus on outcomes for people and very structured performance management."),
        ],
    },
    Fact {
        article: "Faced with an increasing number of older people requiring services, Solihull Council launched a scheme two years ago to provide often vulnerable residents with information on how to maintain their well-being.",
        answers: &[
            ("!council Solihull", "  • Faces an increasing number of older people requiring services."),
            ("Tell me about Solihull", "  • Faces an increasing number of older people requiring services."),
            ("!scheme Safe and Sound", "  Launched by Solihull Council two years before the article (about 2002), faced with an increasing number of older people requiring services."),
            ("Tell me about Safe and Sound", "  Launched by Solihull Council two years before the article (about 2002), faced with an increasing number of older people requiring services."),
        ],
    },
    Fact {
        article: "The idea behind the Safe and Sound scheme is for residents to become more independent in their own homes by providing the necessary low-level support but also improving their home security.",
        answers: &[
            ("!scheme Safe and Sound", "Helps often vulnerable residents become more independent in their own homes, with information on maintaining their well-being, low-level support and better home security."),
            ("What is the Safe and Sound scheme?", "“The idea behind the Safe and Sound scheme is for residents to become more independent in their own homes by providing the necessary low-level support but also improving their home security”"),
            ("What schemes does Solihull run?", "  Helps often vulnerable residents become more independent in their own homes, with information on maintaining their well-being, low-level support and better home security."),
        ],
    },
    Fact {
        article: "So far 2,000 people of all ages have signed up to the Safe and Sound initiative and have had an assessment by social services and housing of their care and environmental needs followed by the appropriate action.",
        answers: &[
            ("!scheme safe and sound", "  2,000 people of all ages have signed up, each assessed by social services and housing for their care and environmental needs."),
            ("Tell me about Safe and Sound", "  2,000 people of all ages have signed up, each assessed by social services and housing for their care and environmental needs."),
        ],
    },
    Fact {
        article: "Hake says the programme has proved popular with users. Some people are even buying a subscription to the service as Christmas presents – it costs £6 a week for an alarm pendant that connects them to services.",
        answers: &[
            ("!scheme Safe and Sound", "  Popular with users, says Michael Hake; some people buy a subscription as a Christmas present."),
            ("Tell me about Safe and Sound", "  “Hake says the programme has proved popular with users. Some people are even buying a subscription to the service as Christmas presents”"),
            ("!scheme Safe and Sound", "  £6 a week for an alarm pendant that connects people to services."),
            ("How much does the Safe and Sound scheme cost?", "  “it costs £6 a week for an alarm pendant that connects them to services”"),
        ],
    },
    Fact {
        article: "Last April Birmingham followed the example of Kirklees and teamed up with the council to introduce a series of service improvement workbooks for all staff.",
        answers: &[
            ("!scheme workbooks", "  April 2004 (\"last April\" in the article), following the example of Kirklees and teaming up with that council."),
            ("!scheme workbooks", "  Kirklees"),
            ("!council Kirklees", "  • Birmingham followed its example and teamed up with it to introduce service improvement workbooks."),
            ("Tell me about Kirklees", "  • Birmingham followed its example and teamed up with it to introduce service improvement workbooks."),
            ("Tell me about the service improvement workbooks", "A series of service improvement workbooks for all staff, with a worker trained at each office to champion the workbook's message."),
        ],
    },
    Fact {
        article: "It has distributed 315 of the workbooks across all its offices and trained a worker at each to champion the workbook’s message.",
        answers: &[
            ("!scheme workbooks", "  315 workbooks distributed across all of Birmingham's offices."),
            ("Tell me about the service improvement workbooks", "  “It has distributed 315 of the workbooks across all its offices”"),
        ],
    },
    Fact {
        article: "Hay says: “Instead of a director pontificating about what it means to work in a child care office and what social workers have to do, staff can look at the workbooks instead and find out what the service requires.”",
        answers: &[
            ("!person Peter Hay", "On the service improvement workbooks:"),
            ("!person Peter Hay", "  “Instead of a director pontificating about what it means to work in a child care office and what social workers have to do, staff can look at the workbooks instead and find out what the service requires.”"),
            ("What did Peter Hay say?", "  “Instead of a director pontificating about what it means to work in a child care office and what social workers have to do, staff can look at the workbooks instead and find out what the service requires.”"),
        ],
    },
    Fact {
        article: "The initiative cost no more than £10,000 and Hay believes the results have been invaluable, helping to bring about a major positive change in the way staff feel about working for Birmingham",
        answers: &[
            ("!scheme workbooks", "  No more than £10,000."),
            ("What does the workbooks scheme cost?", "  “The initiative cost no more than £10,000”"),
            ("!scheme workbooks", "  Peter Hay believes the results have been invaluable, bringing a major positive change in the way staff feel about working for Birmingham."),
            ("Tell me about the workbooks", "  “Hay believes the results have been invaluable, helping to bring about a major positive change in the way staff feel about working for Birmingham”"),
        ],
    },
    Fact {
        article: "Recruiting and retaining high quality staff is an issue all councils are struggling with, and the Midlands is no different.",
        answers: &[
            ("!about the Midlands", "  • Recruiting and retaining high quality staff is an issue here, as for all councils."),
            ("Tell me about the Midlands", "  • Recruiting and retaining high quality staff is an issue here, as for all councils."),
        ],
    },
    Fact {
        article: "According to Lake, the average age of the social care workforce in the region is over 50 and there is a real issue about how authorities are going to replace staff leaving residential and community care settings.",
        answers: &[
            ("!figures the Midlands workforce", "Average age of the social care workforce, according to Robert Lake:"),
            ("!figures the Midlands workforce", "  over 50 years (November 2004)"),
            ("What is the workforce of the Midlands?", "  “According to Lake, the average age of the social care workforce in the region is over 50”"),
            ("Tell me about the Midlands", "  • Average age of the social care workforce, according to Robert Lake: over 50 years (November 2004)"),
            ("!about the Midlands", "  • There is a real issue about how authorities will replace staff leaving residential and community care settings."),
            ("Who is Robert Lake?", "  • There is a real issue about how authorities will replace staff leaving residential and community care settings."),
        ],
    },
    Fact {
        article: "“The Midlands is an area that people don’t think about when looking for work but it’s a very vibrant part of the country,” he says.",
        answers: &[
            ("!person Robert Lake", "On recruiting staff to the Midlands:"),
            ("!person Robert Lake", "  “The Midlands is an area that people don’t think about when looking for work but it’s a very vibrant part of the country”"),
            ("Who said vibrant?", "  “The Midlands is an area that people don’t think about when looking for work but it’s a very vibrant part of the country”"),
        ],
    },
    Fact {
        article: "Birmingham has tackled this problem head on with a scheme to encourage social workers to stay with the authority by sponsoring them while they complete a social work course.",
        answers: &[
            ("!scheme social work course sponsorship", "Encourages social workers to stay with the authority by sponsoring them while they complete a social work course."),
            ("What schemes does Birmingham run?", "  Encourages social workers to stay with the authority by sponsoring them while they complete a social work course."),
        ],
    },
    Fact {
        article: "The first phase, which started last February, pays 31 people a full-time salary as they study and the second phase began last month.",
        answers: &[
            ("!scheme sponsorship scheme", "  First phase in February 2004 (\"last February\"); second phase in October 2004 (\"last month\")."),
            ("!scheme sponsorship scheme", "  The first phase pays 31 people a full-time salary as they study."),
            ("Tell me about the sponsorship scheme", "  “The first phase, which started last February, pays 31 people a full-time salary as they study and the second phase began last month”"),
        ],
    },
    Fact {
        article: "In the past 12 months the vacancy rate across children’s services in Birmingham has fallen from 33 per cent to 25 per cent.",
        answers: &[
            ("!figures Birmingham", "Vacancy rate across children's services:"),
            ("!figures Birmingham", "  25% (November 2004), down from 33% (12 months earlier)"),
            ("What is Birmingham's vacancy rate?", "  “In the past 12 months the vacancy rate across children’s services in Birmingham has fallen from 33 per cent to 25 per cent”"),
        ],
    },
    Fact {
        article: "Hake says encouraging people to join Solihull’s social care workforce is a priority and the council provides NVQ training for care assistants to attract staff.",
        answers: &[
            ("!council Solihull", "  • Encouraging people to join its social care workforce is a priority."),
            ("Who is Michael Hake?", "  • Encouraging people to join its social care workforce is a priority."),
            ("!scheme NVQ training", "NVQ training for care assistants, provided to attract staff."),
            ("What schemes does Solihull run?", "NVQ training for care assistants:"),
        ],
    },
    Fact {
        article: "Coventry aims to improve its partnership working. Bolton says partnerships in the city were “fragile” two years ago but are growing stronger: “The different agencies don’t always agree, but at least we are talking about it together now and not moaning behind each other’s backs.”",
        answers: &[
            ("!council Coventry", "  • Aims to improve its partnership working: partnerships in the city were \"fragile\" two years before the article but are growing stronger."),
            ("Who is John Bolton?", "  • Aims to improve its partnership working: partnerships in the city were \"fragile\" two years before the article but are growing stronger."),
            ("!person John Bolton", "On partnership working in Coventry:"),
            ("What did Bolton say?", "  “The different agencies don’t always agree, but at least we are talking about it together now and not moaning behind each other’s backs.”"),
        ],
    },
    Fact {
        article: "Hay says that Birmingham is determined to approach more of its work with a region-wide rather than city-wide perspective: “We are trying to find ways of working across the Midlands because by working as a region all parties gain.”",
        answers: &[
            ("!council Birmingham", "  • Determined to approach more of its work with a region-wide rather than city-wide perspective."),
            ("Who is Peter Hay?", "  • Determined to approach more of its work with a region-wide rather than city-wide perspective."),
            ("!person Hay", "  “We are trying to find ways of working across the Midlands because by working as a region all parties gain.”"),
            ("What did Hay say?", "On working across the region:"),
        ],
    },
    Fact {
        article: "Almost 20 per cent of Birmingham’s population is from an Asian background, 70 per cent are white and 6 per cent are black.",
        answers: &[
            ("!figures Birmingham ethnicity", "  almost 20% (November 2004)"),
            ("What is the ethnic make-up of Birmingham?", "  “Almost 20 per cent of Birmingham’s population is from an Asian background”"),
            ("!figures Birmingham", "  70% (November 2004)"),
            ("What is Birmingham's ethnicity?", "Share of the population who are white:"),
            ("!figures Birmingham, ethnicity", "  6% (November 2004)"),
            ("What is the ethnic mix of Birmingham?", "Share of the population who are black:"),
            ("!council Birmingham", "  • Share of the population from an Asian background: almost 20% (November 2004)"),
        ],
    },
    Fact {
        article: "Coventry has a population of 300,000.",
        answers: &[
            ("!figures Coventry population", "  300,000 people (November 2004)"),
            ("What is the population of Coventry?", "  “Coventry has a population of 300,000”"),
            ("How many people live in Coventry?", "  300,000 people (November 2004)"),
            ("Compare Coventry and Solihull", "  Population: 300,000 people (November 2004)"),
        ],
    },
    Fact {
        article: "88 per cent of Coventry residents are white, 7.3 per cent are Asian and 1.1 per cent are black.",
        answers: &[
            ("!figures Coventry", "  88% (November 2004)"),
            ("!figures Coventry", "  7.3% (November 2004)"),
            ("!figures Coventry", "  1.1% (November 2004)"),
            ("What is the ethnic make-up of Coventry?", "Share of residents who are white:"),
            ("What is the ethnic make-up of Coventry?", "  “7.3 per cent are Asian”"),
            ("What is the ethnic make-up of Coventry?", "  “1.1 per cent are black”"),
        ],
    },
    Fact {
        article: "Solihull covers 69 square miles, 70 per cent of which is designated green belt.",
        answers: &[
            ("!figures Solihull area", "  69 square miles (November 2004)"),
            ("How big is Solihull?", "  “Solihull covers 69 square miles”"),
            ("!figures Solihull", "Share of its area designated green belt:"),
            ("What is the area of Solihull?", "  “70 per cent of which is designated green belt”"),
        ],
    },
    Fact {
        article: "78 per cent of all households in Solihull now own or are buying their homes compared with 67 per cent in 1981.",
        answers: &[
            ("!figures Solihull housing", "  78% (November 2004), up from 67% (1981)"),
            ("What is the home ownership in Solihull?", "  “78 per cent of all households in Solihull now own or are buying their homes compared with 67 per cent in 1981”"),
        ],
    },
];

#[test]
fn article_sentence_by_sentence() {
    let text = article();
    for fact in ARTICLE {
        assert!(
            text.contains(&flat(fact.article)),
            "not in the article: {}",
            fact.article
        );
        assert!(
            fact.answers.iter().any(|(q, _)| q.starts_with('!')),
            "no command answers: {}",
            fact.article
        );
        assert!(
            fact.answers.iter().any(|(q, _)| !q.starts_with('!')),
            "no plain question answers: {}",
            fact.article
        );
        for (input, line) in fact.answers {
            let got = reply_lines(input);
            assert!(
                got.iter().any(|l| l == line),
                "{input:?} has no line {line:?}; it says:\n{}",
                got.join("\n")
            );
        }
    }
}

/// Every sentence of the article's body carrying a fact is in the table above, so the walk
/// is complete. (Headings, and the one sentence that is the journalist's comment, are not.)
#[test]
fn the_walk_covers_the_whole_article() {
    let text = article();
    let start = text.find("The 38 local authorities").unwrap();
    let end = text.find("More from Community Care").unwrap();
    let mut body = text[start..end].to_string();
    for fact in ARTICLE {
        body = body.replace(&flat(fact.article), "");
    }
    // Headings and linking sentences that state no fact.
    for heading in [
        "So what does the future hold for social services in the",
        "Other issues are more localised.",
        "In Numbers",
        "•",
    ] {
        body = body.replace(heading, "");
    }
    assert_eq!(flat(&body), "");
}

// ----- whole answers, word for word -----

#[test]
fn birmingham_conflict_through_a_command_and_questions() {
    assert_answers(&[
        Golden {
            asked: &[
                "!stars Birmingham",
                "!rating birmingham city council",
                "What is Birmingham's star rating?",
                "How many stars does Birmingham have?",
                "How is Birmingham rated?",
            ],
            lines: &[
                "Birmingham: star rating",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2007 · adult social care:",
                "  ★★☆ 2 stars: “Three councils - Birmingham, Staffordshire and Warwickshire - have moved up from one star to two this year.” (https://www.localgov.co.uk/West-Midlands-adult-social-care-services-continue-to-improve/10884)",
                "",
                "December 2005 · social services:",
                "  ★☆☆ 1 star: “Birmingham achieved one star, up from zero last year.” (https://www.birminghampost.co.uk/news/local-news/social-services-better---more-4009198)",
                "",
                "November 2004 · social services:",
                "  ⚠ The sources disagree: 0 stars and 1 star for November 2004. Every claim is shown with its source.",
                "  ☆☆☆ 0 stars · social services, November 2004, when the article was published:",
                "  “Birmingham, synonymous with the region and one of the biggest authorities in the country, has a zero-star rating”",
                "  ★☆☆ 1 star · social services, November 2004, when the article was published:",
                "  “Birmingham has a one-star rating”",
                "  ☆☆☆ 0 stars: “These include Birmingham, Bedfordshire, Cumbria, Oldham, Plymouth and Swindon, which have been given a zero rating for the second year running. Ealing and the Isles of Scilly have both dropped into this category from one star in 2003.” (https://www.publicfinance.co.uk/news/2004/11/time-running-out-zero-star-social-services)",
                "",
                "November 2003 · social services:",
                "  ☆☆☆ 0 stars: “Zero star councils Bedfordshire Birmingham Bromley Cumbria Oldham Plymouth Swindon Waltham Forest” (https://bbctodays.pages.dev/2/hi/health/3264195.stm)",
                "",
                "November 2002 · social services:",
                "  ☆☆☆ 0 stars: “The worst performing councils are arguably Bedfordshire, Birmingham, Bromley, Swindon and Waltham Forest. Having come bottom of last year's tables, they failed to receive any stars again this year.” (https://bbctodays.pages.dev/2/hi/health/3264195.stm)",
                "",
                "May 2002 · social services:",
                "  ☆☆☆ 0 stars: “Social services departments at the following local authorities were given no stars: Birmingham, Bromley, Coventry, East Sussex, Haringey, Merton, North East Lincolnshire, Swindon, Wakefield, and Walsall.” (https://www.hsj.co.uk/home/social-services-publish-star-ratings/21982.article)",
                "",
                "Rounds no source gives:",
                "  No sourced rating for November 2008: 0 councils had no stars (no source states how many had three, two or one stars) that year, for adult social care.",
                "  No sourced rating for November 2006: 44 councils had three stars, 73 two, 33 one and 0 none that year, for adult social care.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
    ]);
    assert_conflict("What is Birmingham's star rating?", true);
    assert_conflict("!stars Solihull", false);
}

#[test]
fn rated_0_and_rated_1_list_birmingham_as_disputed() {
    assert_answers(&[
        Golden {
            asked: &["!rated 0", "Which councils have zero stars?"],
            lines: &[
                "Councils rated ☆☆☆ 0 stars",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2008 · adult social care:",
                "  0 councils had no stars in November 2008; no source names one.",
                "",
                "November 2007 · adult social care:",
                "  0 councils had no stars in November 2007; no source names one.",
                "",
                "November 2006 · adult social care:",
                "  0 councils had no stars in November 2006; no source names one.",
                "",
                "December 2005 · social services:",
                "  3 councils had no stars in December 2005; all 3 are named in sources: Isles of Scilly, Plymouth, Sandwell.",
                "",
                "November 2004 · social services:",
                "  8 councils had no stars in November 2004; all 8 are named in sources: Birmingham (sources disagree), Bedfordshire, Cumbria, Oldham, Plymouth, Swindon, Ealing, Isles of Scilly.",
                "",
                "November 2003 · social services:",
                "  8 councils had no stars in November 2003; all 8 are named in sources: Bedfordshire, Birmingham, Bromley, Cumbria, Oldham, Plymouth, Swindon, Waltham Forest.",
                "",
                "November 2002 · social services:",
                "  12 councils had no stars in November 2002; sources name 7: Bedfordshire, East Sussex, Birmingham, Bromley, Swindon, Waltham Forest, Haringey.",
                "",
                "May 2002 · social services:",
                "  10 councils had no stars in May 2002; all 10 are named in sources: Birmingham, Bromley, Coventry, East Sussex, Haringey, Merton, North East Lincolnshire, Swindon, Wakefield, Walsall.",
                "",
                "Source: carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
        Golden {
            asked: &["!rated 1", "Which councils are rated one star?"],
            lines: &[
                "Councils rated ★☆☆ 1 star",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2008 · adult social care:",
                "  No source states how many councils had one star in November 2008; sources name 5: Harrow, Havering, Herefordshire, Lincolnshire, Walsall.",
                "",
                "November 2007 · adult social care:",
                "  28 councils had one star in November 2007; no source names one.",
                "",
                "November 2006 · adult social care:",
                "  33 councils had one star in November 2006; no source names one.",
                "",
                "December 2005 · social services:",
                "  31 councils had one star in December 2005; sources name 4: Birmingham, Bedfordshire, North East Lincolnshire, Ealing.",
                "",
                "November 2004 · social services:",
                "  40 councils had one star in November 2004; sources name 5: Bromley, Waltham Forest, Devon, Birmingham (sources disagree), Coventry.",
                "",
                "November 2003 · social services:",
                "  52 councils had one star in November 2003; sources name 6: Darlington, Torbay, Lancashire, Haringey, Ealing, Isles of Scilly.",
                "",
                "November 2002 · social services:",
                "  No source states how many councils had one star in November 2002; no source names one.",
                "",
                "May 2002 · social services:",
                "  82 councils had one star in May 2002; sources name 13: Hackney, Lambeth, Lancashire, Newham, Peterborough, Sheffield, Herefordshire, Darlington, Durham County Council (until 2009), North Yorkshire County Council (until 2023), Redcar and Cleveland, Stockton-on-Tees, Tower Hamlets.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
        Golden {
            asked: &["!rated 2", "Which councils have two stars?"],
            lines: &[
                "Councils rated ★★☆ 2 stars",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "November 2008 · adult social care:",
                "  No source states how many councils had two stars in November 2008; sources name 2: Brent, Hackney.",
                "",
                "November 2007 · adult social care:",
                "  74 councils had two stars in November 2007; sources name 3: Birmingham, Staffordshire, Warwickshire.",
                "",
                "November 2006 · adult social care:",
                "  73 councils had two stars in November 2006; sources name 2: Ealing, Derby.",
                "",
                "December 2005 · social services:",
                "  83 councils had two stars in December 2005; sources name 9: Wolverhampton, Walsall, Warwickshire, Telford and Wrekin, Solihull, Dudley, Coventry, Devon, Derby.",
                "",
                "November 2004 · social services:",
                "  82 councils had two stars in November 2004; sources name 1: Solihull.",
                "",
                "November 2003 · social services:",
                "  74 councils had two stars in November 2003; sources name 6: East Sussex, Durham County Council (until 2009), Gateshead, Devon, Tower Hamlets, Somerset County Council (until 2023).",
                "",
                "November 2002 · social services:",
                "  52 councils had two stars in November 2002; sources name 2: Tower Hamlets, Kingston upon Hull.",
                "",
                "May 2002 · social services:",
                "  50 councils had two stars in May 2002; sources name 6: Gateshead, Hartlepool, Middlesbrough, York, Dorset County Council (until 2019), Kingston upon Thames.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
    ]);
    assert_conflict("!rated 0", true);
    assert_conflict("!rated 1", true);
}

#[test]
fn coventry_and_solihull_ratings() {
    assert_answers(&[
        Golden {
            asked: &["!stars Coventry", "How many stars does Coventry have?"],
            lines: &[
                "Coventry: star rating",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "December 2005 · social services:",
                "  ★★☆ 2 stars: “Wolverhampton, Walsall, Warwickshire, Telford & Wrekin, Solihull, Dudley and Coventry received two stars.” (https://www.birminghampost.co.uk/news/local-news/social-services-better---more-4009198)",
                "",
                "November 2004 · social services:",
                "  ★☆☆ 1 star · social services, November 2004, when the article was published:",
                "  “Coventry is a good example of how an authority can move from zero stars (two years ago for its children’s services) to one star”",
                "",
                "May 2002 · social services:",
                "  ☆☆☆ 0 stars: “Social services departments at the following local authorities were given no stars: Birmingham, Bromley, Coventry, East Sussex, Haringey, Merton, North East Lincolnshire, Swindon, Wakefield, and Walsall.” (https://www.hsj.co.uk/home/social-services-publish-star-ratings/21982.article)",
                "",
                "2002, two years before the article:",
                "  ☆☆☆ 0 stars · children's services:",
                "  “move from zero stars (two years ago for its children’s services)”",
                "",
                "Rounds no source gives:",
                "  No sourced rating for November 2008: 0 councils had no stars (no source states how many had three, two or one stars) that year, for adult social care.",
                "  No sourced rating for November 2007: 48 councils had three stars, 74 two, 28 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2006: 44 councils had three stars, 73 two, 33 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2003: 16 councils had three stars, 74 two, 52 one and 8 none that year.",
                "  No sourced rating for November 2002: 11 councils had three stars, 52 two and 12 none (no source states how many had one star) that year.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
        Golden {
            asked: &["!stars Solihull", "How many stars does Solihull have?"],
            lines: &[
                "Solihull: star rating",
                "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
                "",
                "December 2005 · social services:",
                "  ★★☆ 2 stars: “Wolverhampton, Walsall, Warwickshire, Telford & Wrekin, Solihull, Dudley and Coventry received two stars.” (https://www.birminghampost.co.uk/news/local-news/social-services-better---more-4009198)",
                "",
                "November 2004 · social services:",
                "  ★★☆ 2 stars · social services, November 2004, when the article was published:",
                "  “Solihull is a step ahead, as its social services department has a two-star rating”",
                "",
                "Rounds no source gives:",
                "  No sourced rating for November 2008: 0 councils had no stars (no source states how many had three, two or one stars) that year, for adult social care.",
                "  No sourced rating for November 2007: 48 councils had three stars, 74 two, 28 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2006: 44 councils had three stars, 73 two, 33 one and 0 none that year, for adult social care.",
                "  No sourced rating for November 2003: 16 councils had three stars, 74 two, 52 one and 8 none that year.",
                "  No sourced rating for November 2002: 11 councils had three stars, 52 two and 12 none (no source states how many had one star) that year.",
                "  No sourced rating for May 2002: 8 councils had three stars, 50 two, 82 one and 10 none that year.",
                "",
                "Source: carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            ],
        },
    ]);
}

#[test]
fn who_leads_each_councils_social_services() {
    assert_answers(&[
        Golden {
            asked: &["!director Coventry", "Who runs social services in Coventry?"],
            lines: &[
                "Coventry: who leads social services",
                "John Bolton led social services at Coventry in November 2004.",
                "",
                "John Bolton:",
                "  Social services and housing director, Coventry City Council (since about 2002, in post for the two years before the article)",
                "  “Improving children’s services is also on John Bolton’s mind and has been ever since he became social services and housing director at Coventry. He has been in post for the last two years”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["Who runs social services in Birmingham?"],
            lines: &[
                "Birmingham: who leads social services",
                "Peter Hay led social services at Birmingham in November 2004.",
                "",
                "Peter Hay:",
                "  Strategic director of social care and health, Birmingham City Council (November 2004)",
                "  “Peter Hay, the strategic director of social care and health at the council”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!director Solihull"],
            lines: &[
                "Solihull: who leads social services",
                "Michael Hake led social services at Solihull in November 2004.",
                "",
                "Michael Hake:",
                "  Corporate director of social care and performance, Solihull Council (November 2004)",
                "  “Michael Hake, Solihull’s corporate director of social care and performance”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["Who is the director of social services in Staffordshire?"],
            lines: &[
                "Staffordshire: who leads social services",
                "Robert Lake led social services at Staffordshire in November 2004.",
                "",
                "Robert Lake:",
                "  Director of social care and health, Staffordshire Council (November 2004)",
                "  “Robert Lake, West Midlands branch chair for the Association of Directors of Social Services and director of social care and health at Staffordshire Council”",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn who_is_each_person() {
    assert_answers(&[
        Golden {
            asked: &[
                "!person Peter Hay",
                "Who is Peter Hay?",
                "!whois hay",
                "What did Peter Hay say?",
            ],
            lines: &[
                "Peter Hay",
                "Strategic director of social care and health, Birmingham City Council (November 2004)",
                "",
                "Peter Hay on Birmingham:",
                "  • Needs to build up strength in all its services for children in need, after a history of poor investment in staff and a lack of focus on supervision.",
                "  • Its star rating is something Peter Hay knows he needs to improve.",
                "  • Determined to approach more of its work with a region-wide rather than city-wide perspective.",
                "",
                "On the service improvement workbooks:",
                "  “Instead of a director pontificating about what it means to work in a child care office and what social workers have to do, staff can look at the workbooks instead and find out what the service requires.”",
                "",
                "On working across the region:",
                "  “We are trying to find ways of working across the Midlands because by working as a region all parties gain.”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!person John Bolton", "Who is John Bolton?"],
            lines: &[
                "John Bolton",
                "Social services and housing director, Coventry City Council (since about 2002, in post for the two years before the article)",
                "Leader of the joint review team, Audit Commission (before he moved to Coventry)",
                "",
                "What the sources say:",
                "  • Improving children's services has been on his mind ever since he became director at Coventry.",
                "  • His priority was to get the basics right in social services.",
                "  • A portfolio covering both housing and social services has helped him make sure the extra care needs of tenants and residents are taken into account.",
                "",
                "John Bolton on Coventry:",
                "  • John Bolton believes the whole city council should have been on special measures because it was failing local children.",
                "  • Aims to improve its partnership working: partnerships in the city were \"fragile\" two years before the article but are growing stronger.",
                "",
                "On housing strategy:",
                "  “As we develop a housing strategy for the city, we have to ensure we have the right mix of housing and support to meet people’s needs whatever they are”",
                "",
                "On partnership working in Coventry:",
                "  “The different agencies don’t always agree, but at least we are talking about it together now and not moaning behind each other’s backs.”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!person Michael Hake", "Who is Michael Hake?"],
            lines: &[
                "Michael Hake",
                "Corporate director of social care and performance, Solihull Council (November 2004)",
                "",
                "Michael Hake on Solihull:",
                "  • Has a strong focus on outcomes for people and very structured performance management.",
                "  • Encouraging people to join its social care workforce is a priority.",
                "",
                "On star ratings:",
                "  “The star rating is a validation of how we are doing and not an end result in itself”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!person Robert Lake", "Who is Robert Lake?"],
            lines: &[
                "Robert Lake",
                "Director of social care and health, Staffordshire Council (November 2004)",
                "West Midlands branch chair, Association of Directors of Social Services (November 2004)",
                "",
                "Robert Lake on the Midlands:",
                "  • There is a real issue about how authorities will replace staff leaving residential and community care settings.",
                "  • Some authorities may seem to perform below others' standards simply because of the techniques they use to record data.",
                "",
                "On the region's apparent poor performance:",
                "  “The region is concerned about our apparent poor performance compared with different parts of the country”",
                "",
                "On how the region records its data:",
                "  “Are we doing it differently to other regions and therefore not selling ourselves as well as we could be?”",
                "",
                "On recruiting staff to the Midlands:",
                "  “The Midlands is an area that people don’t think about when looking for work but it’s a very vibrant part of the country”",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn schemes_of_each_council() {
    assert_answers(&[
        Golden {
            asked: &["!schemes Solihull", "What schemes does Solihull run?"],
            lines: &[
                "Solihull: schemes",
                "2 schemes recorded. `!scheme <name>` tells more.",
                "",
                "Safe and Sound:",
                "  Helps often vulnerable residents become more independent in their own homes, with information on maintaining their well-being, low-level support and better home security.",
                "",
                "NVQ training for care assistants:",
                "  NVQ training for care assistants, provided to attract staff.",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!schemes Birmingham", "What schemes has Birmingham got?"],
            lines: &[
                "Birmingham: schemes",
                "3 schemes recorded. `!scheme <name>` tells more.",
                "",
                "Service improvement workbooks:",
                "  A series of service improvement workbooks for all staff, with a worker trained at each office to champion the workbook's message.",
                "",
                "Social work course sponsorship:",
                "  Encourages social workers to stay with the authority by sponsoring them while they complete a social work course.",
                "",
                "Supervision for all staff:",
                "  Supervision for all social workers and social services staff, linked to their personal development portfolios.",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!schemes Coventry", "Which schemes are running in Coventry?"],
            lines: &[
                "Coventry: schemes",
                "1 scheme recorded. `!scheme <name>` tells more.",
                "",
                "Extra care housing:",
                "  The largest amount of extra care housing provision in the country, used as an alternative to residential care.",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn safe_and_sound_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "!scheme Safe and Sound",
                "Tell me about Safe and Sound",
                "!about safe & sound",
                "What is the Safe and Sound scheme?",
                "Safe and Sound",
            ],
            lines: &[
                "Safe and Sound (Solihull)",
                "Helps often vulnerable residents become more independent in their own homes, with information on maintaining their well-being, low-level support and better home security.",
                "“The idea behind the Safe and Sound scheme is for residents to become more independent in their own homes by providing the necessary low-level support but also improving their home security”",
                "",
                "Started:",
                "  Launched by Solihull Council two years before the article (about 2002), faced with an increasing number of older people requiring services.",
                "  “Faced with an increasing number of older people requiring services, Solihull Council launched a scheme two years ago to provide often vulnerable residents with information on how to maintain their well-being”",
                "",
                "Cost:",
                "  £6 a week for an alarm pendant that connects people to services.",
                "  “it costs £6 a week for an alarm pendant that connects them to services”",
                "",
                "Reach:",
                "  2,000 people of all ages have signed up, each assessed by social services and housing for their care and environmental needs.",
                "  “So far 2,000 people of all ages have signed up to the Safe and Sound initiative and have had an assessment by social services and housing of their care and environmental needs”",
                "",
                "Outcome:",
                "  Popular with users, says Michael Hake; some people buy a subscription as a Christmas present.",
                "  “Hake says the programme has proved popular with users. Some people are even buying a subscription to the service as Christmas presents”",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn the_workbooks_in_full() {
    assert_answers(&[
        Golden {
            asked: &["!scheme Service improvement workbooks", "Tell me about the workbooks"],
            lines: &[
                "Service improvement workbooks (Birmingham)",
                "A series of service improvement workbooks for all staff, with a worker trained at each office to champion the workbook's message.",
                "“introduce a series of service improvement workbooks for all staff. It has distributed 315 of the workbooks across all its offices and trained a worker at each to champion the workbook’s message”",
                "",
                "Started:",
                "  April 2004 (\"last April\" in the article), following the example of Kirklees and teaming up with that council.",
                "  “Last April Birmingham followed the example of Kirklees and teamed up with the council”",
                "",
                "Cost:",
                "  No more than £10,000.",
                "  “The initiative cost no more than £10,000”",
                "",
                "Reach:",
                "  315 workbooks distributed across all of Birmingham's offices.",
                "  “It has distributed 315 of the workbooks across all its offices”",
                "",
                "Outcome:",
                "  Peter Hay believes the results have been invaluable, bringing a major positive change in the way staff feel about working for Birmingham.",
                "  “Hay believes the results have been invaluable, helping to bring about a major positive change in the way staff feel about working for Birmingham”",
                "",
                "Inspired by:",
                "  Kirklees",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn the_other_schemes_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "!scheme Social work course sponsorship",
                "Tell me about social worker sponsorship",
            ],
            lines: &[
                "Social work course sponsorship (Birmingham)",
                "Encourages social workers to stay with the authority by sponsoring them while they complete a social work course.",
                "“a scheme to encourage social workers to stay with the authority by sponsoring them while they complete a social work course”",
                "",
                "Started:",
                "  First phase in February 2004 (\"last February\"); second phase in October 2004 (\"last month\").",
                "  “The first phase, which started last February, pays 31 people a full-time salary as they study and the second phase began last month”",
                "",
                "Reach:",
                "  The first phase pays 31 people a full-time salary as they study.",
                "  “pays 31 people a full-time salary as they study”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!scheme supervision", "What is the staff supervision scheme?"],
            lines: &[
                "Supervision for all staff (Birmingham)",
                "Supervision for all social workers and social services staff, linked to their personal development portfolios.",
                "“putting in place supervision for all social workers and social services staff linked to their personal development portfolios”",
                "",
                "Outcome:",
                "  Staff have responded positively so far, says Peter Hay.",
                "  “So far, he says, staff have responded positively”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!scheme NVQ training", "Tell me about NVQ training"],
            lines: &[
                "NVQ training for care assistants (Solihull)",
                "NVQ training for care assistants, provided to attract staff.",
                "“the council provides NVQ training for care assistants to attract staff”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!scheme extra care housing", "What is extra care housing?"],
            lines: &[
                "Extra care housing (Coventry)",
                "The largest amount of extra care housing provision in the country, used as an alternative to residential care.",
                "“The authority has the largest amount of extra care housing provision in the country and uses it as an alternative to residential care”",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn figures_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "!figures Coventry population",
                "What is the population of Coventry?",
                "How many people live in Coventry?",
            ],
            lines: &[
                "Coventry: population — 300,000 people (November 2004)",
                "",
                "Population:",
                "  300,000 people (November 2004)",
                "  “Coventry has a population of 300,000”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!figures Solihull"],
            lines: &[
                "Solihull: figures",
                "",
                "Area:",
                "  69 square miles (November 2004)",
                "  “Solihull covers 69 square miles”",
                "",
                "Share of its area designated green belt:",
                "  70% (November 2004)",
                "  “70 per cent of which is designated green belt”",
                "",
                "Households that own or are buying their homes:",
                "  78% (November 2004), up from 67% (1981)",
                "  “78 per cent of all households in Solihull now own or are buying their homes compared with 67 per cent in 1981”",
                "",
                SOURCE,
            ],
        },
        // "How big" asks for population and area; only the area is known, and the title says so.
        Golden {
            asked: &["How big is Solihull?"],
            lines: &[
                "Solihull: area",
                "",
                "Area:",
                "  69 square miles (November 2004)",
                "  “Solihull covers 69 square miles”",
                "",
                "Share of its area designated green belt:",
                "  70% (November 2004)",
                "  “70 per cent of which is designated green belt”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!figures Birmingham ethnicity", "What is the ethnic make-up of Birmingham?"],
            lines: &[
                "Birmingham: ethnicity",
                "",
                "Share of the population from an Asian background:",
                "  almost 20% (November 2004)",
                "  “Almost 20 per cent of Birmingham’s population is from an Asian background”",
                "",
                "Share of the population who are white:",
                "  70% (November 2004)",
                "  “70 per cent are white”",
                "",
                "Share of the population who are black:",
                "  6% (November 2004)",
                "  “6 per cent are black”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["!figures the Midlands", "What are the figures for the Midlands?"],
            lines: &[
                "The Midlands: figures",
                "",
                "Local authorities covering the Midlands:",
                "  38 (November 2004)",
                "  “The 38 local authorities that cover the Midlands”",
                "",
                "Average age of the social care workforce, according to Robert Lake:",
                "  over 50 years (November 2004)",
                "  “According to Lake, the average age of the social care workforce in the region is over 50”",
                "",
                SOURCE,
            ],
        },
    ]);
}

#[test]
fn council_profiles_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "!council Birmingham",
                "Tell me about Birmingham",
                "Birmingham",
                "profile of Birmingham City Council",
            ],
            lines: &[
                "Birmingham",
                "Birmingham City Council (metropolitan borough in the West Midlands, GSS code E08000025), as the register of 10 July 2025 gives it.",
                "",
                "Ofsted, children's services: Birmingham:",
                "  Good (inspected 20 February 2023 to 3 March 2023, report published 18 April 2023). `!ofsted Birmingham` gives the four judgements.",
                "",
                "Star ratings (2002-2008):",
                "  ★★☆ 2 stars in November 2007 (adult social care), the latest a press report gives; press reports give 6 of the 8 rounds.",
                "  `!stars Birmingham` shows every round.",
                "",
                "Star rating in the seed article:",
                "  ⚠ The source disagrees with itself: it gives Birmingham's social services both 0 stars and 1 star for November 2004, when the article was published. `!stars Birmingham` shows each claim with the source's words.",
                "",
                "People:",
                "  • Peter Hay, strategic director of social care and health (November 2004)",
                "",
                "Figures:",
                "  • Vacancy rate across children's services: 25% (November 2004), down from 33% (12 months earlier)",
                "  • Share of the population from an Asian background: almost 20% (November 2004)",
                "  • Share of the population who are white: 70% (November 2004)",
                "  • Share of the population who are black: 6% (November 2004)",
                "",
                "Schemes:",
                "  Service improvement workbooks, Social work course sponsorship, Supervision for all staff",
                "",
                "What the sources say:",
                "  • Synonymous with the region and one of the biggest authorities in the country.",
                "  • Child protection issues are a major concern for Peter Hay, its strategic director of social care and health.",
                "  • Needs to build up strength in all its services for children in need, after a history of poor investment in staff and a lack of focus on supervision.",
                "  • Its star rating is something Peter Hay knows he needs to improve.",
                "  • Determined to approach more of its work with a region-wide rather than city-wide perspective.",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50214110”, 18 April 2023; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
        Golden {
            asked: &["!council Kirklees", "What do you know about Kirklees?"],
            lines: &[
                "Kirklees",
                "Kirklees Council (metropolitan borough in Yorkshire and The Humber, GSS code E08000034), as the register of 10 July 2025 gives it.",
                "",
                "Ofsted, children's services: Kirklees:",
                "  Good (inspected 8 July 2024 to 19 July 2024, report published 28 August 2024). `!ofsted Kirklees` gives the four judgements.",
                "",
                "Star ratings (2002-2008):",
                "  ★★★ 3 stars in November 2003 (social services), the latest a press report gives; press reports give 1 of the 8 rounds.",
                "  `!stars Kirklees` shows every round.",
                "",
                "What the sources say:",
                "  • Birmingham followed its example and teamed up with it to introduce service improvement workbooks.",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50255618”, 28 August 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
        Golden {
            asked: &["!council Staffordshire", "What kind of council is Staffordshire?"],
            lines: &[
                "Staffordshire",
                "Staffordshire County Council (county council in the West Midlands, GSS code E10000028), as the register of 10 July 2025 gives it.",
                "",
                "Ofsted, children's services: Staffordshire:",
                "  Requires improvement (inspected 6 November 2023 to 10 November 2023, report published 12 January 2024). `!ofsted Staffordshire` gives the four judgements.",
                "",
                "Star ratings (2002-2008):",
                "  ★★☆ 2 stars in November 2007 (adult social care), the latest a press report gives; press reports give 1 of the 8 rounds.",
                "  `!stars Staffordshire` shows every round.",
                "",
                "People:",
                "  • Robert Lake, director of social care and health (November 2004)",
                "",
                "Source: mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50237007”, 12 January 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; carebot, compiled from Community Care, HSJ, BBC, Public Finance, PublicNet and local papers, “Social services star ratings 2002-2008 as press reports give them”; Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
    ]);
    let coventry = say("Tell me about Coventry");
    assert_eq!(say("!council Coventry"), coventry);
    assert_eq!(
        coventry.lines().take(5).collect::<Vec<_>>(),
        [
            "Coventry",
            "Coventry City Council (metropolitan borough in the West Midlands, GSS code E08000026), as the register of 10 July 2025 gives it.",
            "",
            "Ofsted, children's services: Coventry:",
            "  Outstanding (inspected 9 March 2026 to 13 March 2026, report published 18 May 2026). `!ofsted Coventry` gives the four judgements.",
        ]
    );
    let solihull = say("Tell me about Solihull");
    assert_eq!(say("!council Solihull"), solihull);
    assert_eq!(
        solihull.lines().nth(1),
        Some("Solihull Metropolitan Borough Council (metropolitan borough in the West Midlands, GSS code E08000029), as the register of 10 July 2025 gives it.")
    );
    assert!(solihull
        .lines()
        .any(|l| l == "  Safe and Sound, NVQ training for care assistants"));
    assert!(solihull
        .lines()
        .any(|l| l == "  • Households that own or are buying their homes: 78% (November 2004), up from 67% (1981)"));
}

#[test]
fn the_midlands_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "!about the Midlands",
                "Tell me about the Midlands",
                "What can you tell me about the region?",
            ],
            lines: &[
                "The Midlands",
                "Councils recorded here: Birmingham, Coventry, Solihull, Staffordshire, Derby, Derbyshire, Dudley, Herefordshire, Leicester, Leicestershire, Lincolnshire, North Northamptonshire, Nottingham, Nottinghamshire, Rutland, Sandwell, Shropshire, Stoke-on-Trent, Telford and Wrekin, Walsall, Warwickshire, West Northamptonshire, Wolverhampton, Worcestershire.",
                "",
                "Figures:",
                "  • Local authorities covering the Midlands: 38 (November 2004)",
                "  • Average age of the social care workforce, according to Robert Lake: over 50 years (November 2004)",
                "",
                "What the sources say:",
                "  • Its local authorities have a very real image problem: many are tarred with the same poor-performance brush as Birmingham.",
                "  • Star ratings matter greatly to its local authorities.",
                "  • Recruiting and retaining high quality staff is an issue here, as for all councils.",
                "  • There is a real issue about how authorities will replace staff leaving residential and community care settings.",
                "  • Some authorities may seem to perform below others' standards simply because of the techniques they use to record data.",
                "",
                "Source: Community Care, “Stars in the making”, 19 November 2004",
            ],
        },
    ]);
}

#[test]
fn compare_birmingham_and_solihull_in_full() {
    assert_answers(&[
        Golden {
            asked: &[
                "Compare Birmingham and Solihull",
                "!compare Birmingham Solihull",
                "!vs Birmingham, Solihull",
                "How does Birmingham compare with Solihull?",
            ],
            lines: &[
                "Comparing Birmingham and Solihull",
                "",
                "Birmingham:",
                "  ⚠ disputed: 0 stars or 1 star (2004)",
                "  Ofsted: good (report published 18 April 2023)",
                "  Led by: Peter Hay",
                "  Schemes: Service improvement workbooks, Social work course sponsorship, Supervision for all staff",
                "  Vacancy rate across children's services: 25% (November 2004), down from 33% (12 months earlier)",
                "",
                "Solihull:",
                "  ★★☆ 2 stars (2004)",
                "  Ofsted: good (report published 12 January 2026)",
                "  Led by: Michael Hake",
                "  Schemes: Safe and Sound, NVQ training for care assistants",
                "  Area: 69 square miles (November 2004)",
                "  Share of its area designated green belt: 70% (November 2004)",
                "",
                "Source: Community Care, “Stars in the making”, 19 November 2004; Ofsted, “https://files.ofsted.gov.uk/v1/file/50214110”, 18 April 2023; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026; Ofsted, “https://files.ofsted.gov.uk/v1/file/50293398”, 12 January 2026",
            ],
        },
    ]);
    assert_conflict("Compare Birmingham and Solihull", true);
}

#[test]
fn the_councils_with_their_register_entries() {
    assert_answers(&[
        Golden {
            asked: &["!councils", "Which councils do you know about?"],
            lines: &[
                "Councils in the knowledge base",
                "• Birmingham — metropolitan borough · ⚠ disputed: 0 stars or 1 star (2004)",
                "• Coventry — metropolitan borough · ★☆☆ 1 star (2004)",
                "• Solihull — metropolitan borough · ★★☆ 2 stars (2004)",
                "• Staffordshire — county council",
                "• Kirklees — metropolitan borough",
                "• Barking and Dagenham — London borough",
                "• Barnet — London borough",
                "• Barnsley — metropolitan borough",
                "• Bath and North East Somerset — unitary authority",
                "• Bedford — unitary authority",
                "• Bexley — London borough",
                "• Blackburn with Darwen — unitary authority",
                "• Blackpool — unitary authority",
                "• Bolton — metropolitan borough",
                "• Bournemouth, Christchurch and Poole — unitary authority",
                "• Bracknell Forest — unitary authority",
                "• Bradford — metropolitan borough",
                "• Brent — London borough",
                "• Brighton and Hove — unitary authority",
                "• Bromley — London borough",
                "• Buckinghamshire — unitary authority",
                "• Bury — metropolitan borough",
                "• Calderdale — metropolitan borough",
                "• Cambridgeshire — county council",
                "• Camden — London borough",
                "• Central Bedfordshire — unitary authority",
                "• Cheshire East — unitary authority",
                "• Cheshire West and Chester — unitary authority",
                "• City of Bristol — unitary authority",
                "• City of London — city corporation",
                "• Cornwall — unitary authority",
                "• County Durham — unitary authority",
                "• Croydon — London borough",
                "• Cumberland — unitary authority",
                "• Darlington — unitary authority",
                "• Derby — unitary authority",
                "• Derbyshire — county council · ⚠ the register gives the West Midlands, Ofsted's summary the East Midlands",
                "• Devon — county council",
                "• Doncaster — metropolitan borough",
                "• Dorset Council — unitary authority",
                "• Dudley — metropolitan borough",
                "• Ealing — London borough",
                "• East Riding of Yorkshire — unitary authority",
                "• East Sussex — county council",
                "• Enfield — London borough",
                "• Essex — county council",
                "• Gateshead — metropolitan borough",
                "• Gloucestershire — county council",
                "• Greenwich — London borough",
                "• Hackney — London borough",
                "…and 118 more.",
                "",
                "Source: Office for National Statistics, “Register of Geographic Codes”; mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Community Care, “Stars in the making”, 19 November 2004; Ofsted, “https://files.ofsted.gov.uk/v1/file/50237006”, 12 January 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
        Golden {
            asked: &["!councils West Midlands", "Which councils are in the West Midlands?"],
            lines: &[
                "Councils in the West Midlands",
                "• Birmingham — metropolitan borough · ⚠ disputed: 0 stars or 1 star (2004)",
                "• Coventry — metropolitan borough · ★☆☆ 1 star (2004)",
                "• Solihull — metropolitan borough · ★★☆ 2 stars (2004)",
                "• Staffordshire — county council",
                "• Derbyshire — county council · ⚠ the register gives the West Midlands, Ofsted's summary the East Midlands",
                "• Dudley — metropolitan borough",
                "• Herefordshire — unitary authority",
                "• Sandwell — metropolitan borough",
                "• Shropshire — unitary authority",
                "• Stoke-on-Trent — unitary authority",
                "• Telford and Wrekin — unitary authority",
                "• Walsall — metropolitan borough",
                "• Warwickshire — county council",
                "• Wolverhampton — metropolitan borough",
                "• Worcestershire — county council",
                "",
                "Source: Office for National Statistics, “Register of Geographic Codes”; mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Community Care, “Stars in the making”, 19 November 2004; Ofsted, “https://files.ofsted.gov.uk/v1/file/50237006”, 12 January 2024; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
        Golden {
            asked: &["!councils Yorkshire"],
            lines: &[
                "Councils in Yorkshire",
                "• Kirklees — metropolitan borough",
                "• Barnsley — metropolitan borough",
                "• Bradford — metropolitan borough",
                "• Calderdale — metropolitan borough",
                "• Doncaster — metropolitan borough",
                "• East Riding of Yorkshire — unitary authority",
                "• Kingston upon Hull — unitary authority",
                "• Leeds — metropolitan borough",
                "• Lincolnshire — county council · ⚠ the register gives Yorkshire and The Humber, Ofsted's summary the East Midlands",
                "• North East Lincolnshire — unitary authority",
                "• North Lincolnshire — unitary authority",
                "• North Yorkshire — unitary authority",
                "• Rotherham — metropolitan borough",
                "• Sheffield — metropolitan borough",
                "• Wakefield — metropolitan borough",
                "• York — unitary authority",
                "",
                "Source: Office for National Statistics, “Register of Geographic Codes”; mySociety, “UK Local Authority Names and Codes: current and past local authorities”, 10 July 2025; Ofsted, “https://files.ofsted.gov.uk/v1/file/50219720”, 14 June 2023; Ofsted, via data-to-insight's ofsted-ilacs-scrape-tool, “Ofsted inspections of local authority children's services: latest judgements”, 29 June 2026",
            ],
        },
    ]);
}

#[test]
fn the_sources() {
    assert_answers(&[
        Golden {
            asked: &[
                "!sources",
                "Where does your information come from?",
                "What are your sources?",
            ],
            lines: &[
                "Sources",
                "Every fact carebot gives names one of these, with the words it was taken from.",
                "",
                "Stars in the making:",
                "  Community Care, 19 November 2004",
                "",
                "Register of Geographic Codes:",
                "  Office for National Statistics",
                "",
                "Source: Community Care, “Stars in the making”, 19 November 2004; Office for National Statistics, “Register of Geographic Codes”",
            ],
        },
    ]);
}

#[test]
fn every_quote_can_be_searched_for() {
    assert_answers(&[
        Golden {
            asked: &["!search vacancy"],
            lines: &[
                "Search results",
                "",
                "Birmingham: vacancy rate across children's services:",
                "  “In the past 12 months the vacancy rate across children’s services in Birmingham has fallen from 33 per cent to 25 per cent”",
                "",
                SOURCE,
            ],
        },
        Golden {
            asked: &["Who said vibrant?"],
            lines: &[
                "Search results",
                "",
                "Robert Lake: recruiting staff to the Midlands:",
                "  “The Midlands is an area that people don’t think about when looking for work but it’s a very vibrant part of the country”",
                "",
                SOURCE,
            ],
        },
    ]);
    // Each person's quotes are found by their own words.
    let k = kb();
    for p in &k.people {
        for said in &p.quotes {
            let words = said.quote.trim_end_matches(['.', '?']);
            let got = reply_lines(&format!("!search {words}"));
            let line = format!("  “{}”", said.quote);
            assert!(got.contains(&line), "!search {words}:\n{}", got.join("\n"));
        }
    }
}

// ----- the knowledge files, entry by entry -----

/// Asserts that `input` is answered with facts citing the article and containing `line`.
fn reaches(input: &str, line: &str) {
    let got = reply_lines(input);
    assert!(
        got.iter().any(|l| l == line),
        "{input:?} has no line {line:?}; it says:\n{}",
        got.join("\n")
    );
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[test]
fn every_fact_in_the_knowledge_base_is_reachable() {
    let k = kb();
    let quoted = |q: &str| format!("  “{}”", flat(q));
    for r in &k.ratings {
        let council = &k.council_by_id(&r.council).name;
        reaches(&format!("!stars {council}"), &quoted(&r.quote));
        reaches(
            &format!("How many stars does {council} have?"),
            &quoted(&r.quote),
        );
        // `!rated` names the council in the rounds of the rating's year (the press names
        // Coventry's 2002 rating; the article gives only the year).
        let rated = say(&format!("!rated {} {}", r.stars, r.year));
        assert!(
            rated.contains(&format!(": {council}")) || rated.contains(&format!(", {council}")),
            "!rated {} {} does not list {council}:\n{rated}",
            r.stars,
            r.year
        );
    }
    for p in &k.people {
        for role in &p.roles {
            let mut line = format!("{}, {}", upper_first(&role.title), role.organisation);
            if let Some(period) = &role.period {
                line.push_str(&format!(" ({period})"));
            }
            reaches(&format!("!person {}", p.name), &line);
            reaches(&format!("Who is {}?", p.name), &line);
            if let (true, Some(c)) = (role.leads_social_services, &role.council) {
                let council = &k.council_by_id(c).name;
                reaches(&format!("!director {council}"), &quoted(&role.quote));
                reaches(
                    &format!("Who runs social services in {council}?"),
                    &quoted(&role.quote),
                );
            }
        }
        for said in &p.quotes {
            reaches(&format!("!person {}", p.name), &quoted(&said.quote));
            reaches(&format!("What did {} say?", p.name), &quoted(&said.quote));
        }
        for n in &p.notes {
            reaches(&format!("!person {}", p.name), &format!("  • {}", n.text));
            reaches(&format!("Who is {}?", p.name), &format!("  • {}", n.text));
        }
    }
    for c in &k.councils {
        for n in &c.notes {
            let line = format!("  • {}", n.text);
            reaches(&format!("!council {}", c.name), &line);
            reaches(&format!("Tell me about {}", c.name), &line);
            if let Some(by) = &n.by {
                reaches(&format!("Who is {}?", k.person_by_id(by).name), &line);
            }
        }
        if let Some(gss) = &c.gss {
            let line = say(&format!("!council {}", c.name));
            assert!(line
                .lines()
                .nth(1)
                .unwrap()
                .contains(&format!("GSS code {gss}")));
            assert_eq!(say(&format!("What kind of council is {}?", c.name)), line);
        }
    }
    for g in &k.regions {
        for n in &g.notes {
            let line = format!("  • {}", n.text);
            reaches(&format!("!about {}", g.name), &line);
            reaches(&format!("Tell me about {}", g.name), &line);
            if let Some(by) = &n.by {
                reaches(&format!("Who is {}?", k.person_by_id(by).name), &line);
            }
        }
    }
    for s in &k.schemes {
        let council = &k.council_by_id(&s.council).name;
        reaches(&format!("!schemes {council}"), &format!("{}:", s.name));
        reaches(
            &format!("What schemes does {council} run?"),
            &format!("  {}", s.description.text),
        );
        let details = [
            Some(&s.description),
            s.started.as_ref(),
            s.cost.as_ref(),
            s.reach.as_ref(),
            s.outcome.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(&s.details);
        for d in details {
            let first = d.text.as_str() == s.description.text.as_str();
            let (text, quote) = if first {
                (d.text.clone(), format!("“{}”", flat(&d.quote)))
            } else {
                (format!("  {}", d.text), quoted(&d.quote))
            };
            for input in [
                format!("!scheme {}", s.name),
                format!("Tell me about {}", s.name),
            ] {
                reaches(&input, &text);
                reaches(&input, &quote);
            }
        }
    }
    for f in &k.figures {
        let subject = match (&f.council, &f.region) {
            (Some(c), _) => k.council_by_id(c).name.clone(),
            (None, Some(r)) => k.regions.iter().find(|g| &g.id == r).unwrap().name.clone(),
            (None, None) => unreachable!("validated"),
        };
        reaches(&format!("!figures {subject}"), &quoted(&f.quote));
        reaches(
            &format!("What are the figures for {subject}?"),
            &quoted(&f.quote),
        );
        reaches(
            &format!("!figures {subject} {}", f.topic),
            &quoted(&f.quote),
        );
    }
}

#[test]
fn every_answer_cites_the_article_in_one_source_line() {
    for q in [
        "!stars Birmingham",
        "!director Coventry",
        "!person Peter Hay",
        "!schemes Solihull",
        "!scheme Safe and Sound",
        "!figures Coventry",
        "!rated 1",
        "!compare Birmingham Solihull",
        "!about the Midlands",
        "!search workbooks",
    ] {
        let got = say(q);
        // Answers that join the register's facts cite their tables and pages beside it.
        let last = got.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("Source: ") && last.contains(&SOURCE["Source: ".len()..]),
            "{q}: {last}"
        );
        assert_eq!(got.matches("Source:").count(), 1, "{q}");
    }
}
