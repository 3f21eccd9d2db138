//! The one list of commands. Parsing, help and the Discord slash commands are all read from it,
//! so adding a command means adding one entry here.

pub use super::args::{parse_rated, star_count};
pub use super::command::{
    Arg, ArgKind, Command, CommandId, Cue, SchemeFact, Topic, EXAMPLE_QUESTION,
};

use super::args::one;
use super::command::{arg, cue, fact, optional};
use super::Query;
/// Every command carebot understands, in the order help lists them and questions are tried.
pub static COMMANDS: &[Command] = &[
    Command {
        id: CommandId::Stars,
        name: "stars",
        aliases: &["rating", "ratings", "star"],
        args: &[arg(
            "council",
            ArgKind::Council,
            "The council, e.g. Birmingham",
        )],
        summary: "A council's social services star rating, with its history and any disagreement",
        example: "stars Birmingham",
        cues: &[
            cue("star"),
            cue("stars"),
            cue("rating"),
            cue("ratings"),
            cue("rated"),
            cue("rate"),
            cue("conflict"),
        ],
        questions: &[
            r"^(?:what(?:'s| is| are| was| were)\s+)?(?:the\s+)?(?P<council>[^?!]+?)(?:'s|')?\s+(?:social services\s+|current\s+)?(?:star[- ]?)?ratings?$",
            r"^(?:what(?:'s| is| was)\s+)?the\s+(?:current\s+)?star[- ]?ratings?\s+(?:of|for|in)\s+(?P<council>[^?!]+)$",
            r"^how many stars (?:does|do|did|has|have) (?P<council>[^?!]+?)(?: (?:have|got|get|been given))?$",
            r"^how (?:is|was|are) (?P<council>[^?!]+?) (?:rated|star rated)$",
            r"^(?:what |which )?(?:star[- ]?)?rating (?:does|did|has) (?P<council>[^?!]+?) (?:have|get|got)$",
            r"^(?:is|was) (?P<council>[^?!]+?) (?:rated |a |an )?(?:zero|no|one|two|three|[0-3])[- ]stars?(?: (?:council|authority|rated))?$",
        ],
        build: |a| Ok(Query::Stars(one(a))),
    },
    Command {
        id: CommandId::Director,
        name: "director",
        aliases: &["leader", "head", "runs"],
        args: &[arg(
            "council",
            ArgKind::Council,
            "The council, e.g. Coventry",
        )],
        summary: "Who leads a council's social services",
        example: "director Coventry",
        cues: &[
            cue("runs"),
            cue("ran"),
            cue("leads"),
            cue("lead"),
            cue("led"),
            cue("boss"),
            cue("in charge"),
            cue("director"),
            cue("head"),
            cue("heads"),
            cue("chief"),
            cue("manages"),
            cue("responsible"),
        ],
        questions: &[
            r"^who (?:runs|ran|leads|led|heads|directs|manages|is in charge of|is responsible for) (?:the\s+)?(?:social (?:services|care)|social services department|children's services|services)\s+(?:in|at|for|of)\s+(?P<council>[^?!]+)$",
            r"^who (?:runs|leads|heads|directs|manages) (?P<council>[^?!]+?)(?:'s)? social (?:services|care)(?: department)?$",
            r"^who(?:'s| is| was) (?:the\s+)?(?:[^?!]+ )?(?:director|head|boss|leader|chief)(?: of [^?!]+?)? (?:in|at|of|for) (?P<council>[^?!]+)$",
            r"^who(?:'s| is| was) (?P<council>[^?!]+?)(?:'s)? (?:social (?:services|care) )?(?:director|head|boss)(?: of (?:social (?:services|care)(?: and (?:health|housing|performance))?|children's services))?$",
        ],
        build: |a| Ok(Query::Director(one(a))),
    },
    Command {
        id: CommandId::Person,
        name: "person",
        aliases: &["who", "whois"],
        args: &[arg("name", ArgKind::Person, "The person, e.g. Peter Hay")],
        summary: "Who someone is: their roles and what they have said",
        example: "person Peter Hay",
        cues: &[
            cue("say"),
            cue("said"),
            cue("says"),
            cue("think"),
            cue("thinks"),
            cue("quote"),
            cue("quoted"),
            cue("work"),
            cue("works"),
            cue("job"),
            cue("role"),
        ],
        questions: &[
            r"^who(?:'s| is| was) (?P<name>[^?!]+)$",
            r"^what (?:did|does|has) (?P<name>[^?!]+?) (?:say|said)(?: about [^?!]+)?$",
            r"^where (?:does|did) (?P<name>[^?!]+?) work$",
            r"^(?:which|what) (?:council|authority|organisation) (?:is|was|does|did) (?P<name>[^?!]+?) (?:at|in|with|work for|work at|work in)$",
        ],
        build: |a| Ok(Query::Person(one(a))),
    },
    Command {
        id: CommandId::Schemes,
        name: "schemes",
        aliases: &["initiatives", "projects"],
        args: &[arg(
            "council",
            ArgKind::Council,
            "The council, e.g. Solihull",
        )],
        summary: "The schemes and initiatives a council runs",
        example: "schemes Solihull",
        cues: &[
            cue("schemes"),
            cue("scheme"),
            cue("initiatives"),
            cue("initiative"),
            cue("projects"),
            cue("programmes"),
        ],
        questions: &[
            r"^what (?:schemes|initiatives|projects|programmes) (?:does|do|did|has|have) (?P<council>[^?!]+?)(?: (?:run|have|got|started|launched|set up|introduced))?$",
            r"^(?:what are |list |show(?: me)? |tell me about )?(?:the )?(?P<council>[^?!]+?)(?:'s|')? (?:schemes|initiatives|projects)$",
            r"^(?:which |what |what are |list |show(?: me)? )?(?:the )?(?:schemes|initiatives|projects) (?:are there |are running |run )?(?:in|at|of|for|by) (?P<council>[^?!]+)$",
        ],
        build: |a| Ok(Query::Schemes(one(a))),
    },
    Command {
        id: CommandId::Scheme,
        name: "scheme",
        aliases: &["initiative", "project"],
        args: &[arg(
            "name",
            ArgKind::Scheme,
            "The scheme, e.g. Safe and Sound",
        )],
        summary: "One scheme: who runs it, when it started, cost, reach and outcome",
        example: "scheme Safe and Sound",
        cues: &[
            fact("cost", SchemeFact::Cost),
            fact("costs", SchemeFact::Cost),
            fact("price", SchemeFact::Cost),
            fact("how much", SchemeFact::Cost),
            fact("pay", SchemeFact::Cost),
            fact("pays", SchemeFact::Cost),
            fact("paid", SchemeFact::Cost),
            fact("charge", SchemeFact::Cost),
            fact("fee", SchemeFact::Cost),
            fact("expensive", SchemeFact::Cost),
            fact("cheap", SchemeFact::Cost),
            fact("signed up", SchemeFact::Reach),
            fact("sign up", SchemeFact::Reach),
            fact("joined", SchemeFact::Reach),
            fact("how many people", SchemeFact::Reach),
            fact("how many ppl", SchemeFact::Reach),
            fact("how many", SchemeFact::Reach),
            fact("use", SchemeFact::Reach),
            fact("users", SchemeFact::Reach),
            fact("reach", SchemeFact::Reach),
            fact("handed out", SchemeFact::Reach),
            fact("distributed", SchemeFact::Reach),
            fact("uptake", SchemeFact::Reach),
            fact("members", SchemeFact::Reach),
            fact("when", SchemeFact::Started),
            fact("start", SchemeFact::Started),
            fact("started", SchemeFact::Started),
            fact("launched", SchemeFact::Started),
            fact("launch", SchemeFact::Started),
            fact("begin", SchemeFact::Started),
            fact("began", SchemeFact::Started),
            fact("popular", SchemeFact::Outcome),
            fact("any good", SchemeFact::Outcome),
            fact("work", SchemeFact::Outcome),
            fact("worked", SchemeFact::Outcome),
            fact("success", SchemeFact::Outcome),
            fact("successful", SchemeFact::Outcome),
            fact("results", SchemeFact::Outcome),
            fact("outcome", SchemeFact::Outcome),
            fact("react", SchemeFact::Outcome),
            fact("responded", SchemeFact::Outcome),
            fact("effective", SchemeFact::Outcome),
        ],
        questions: &[
            r"^what (?:is|was) the (?P<name>[^?!]+?) (?:scheme|initiative|programme|project)$",
            r"^(?:how much (?:does|did|do)|what (?:does|did|do)) (?:the )?(?P<name>[^?!]+?) (?:scheme |initiative )?cost$",
            r"^how many (?:people )?(?:have )?(?:signed up|joined|used) (?:to |for )?(?:the )?(?P<name>[^?!]+?)(?: scheme| initiative)?$",
        ],
        build: |a| Ok(Query::Scheme(one(a))),
    },
    Command {
        id: CommandId::Council,
        name: "council",
        aliases: &["profile", "authority"],
        args: &[arg(
            "council",
            ArgKind::Council,
            "The council, e.g. Solihull",
        )],
        summary: "A council's profile: kind, region, figures, rating, leaders and schemes",
        example: "council Solihull",
        cues: &[
            cue("profile"),
            cue("kind of council"),
            cue("kind of authority"),
            cue("what region"),
            cue("region"),
        ],
        questions: &[
            r"^(?:give me |show me )?(?:a |the )?profile of (?P<council>[^?!]+)$",
            r"^what kind of (?:council|authority) is (?P<council>[^?!]+)$",
        ],
        build: |a| Ok(Query::Council(one(a))),
    },
    Command {
        id: CommandId::Figures,
        name: "figures",
        aliases: &["numbers", "stats", "population"],
        args: &[
            arg("council", ArgKind::Council, "The council, e.g. Coventry"),
            optional(
                "topic",
                ArgKind::Topic,
                "population, ethnicity, area, housing, workforce or authorities",
            ),
        ],
        summary: "A council's figures: population, ethnicity, area, housing, workforce",
        example: "figures Coventry",
        cues: &[
            cue("population"),
            cue("pop"),
            cue("people live"),
            cue("how many people"),
            cue("how many ppl"),
            cue("residents"),
            cue("inhabitants"),
            cue("big"),
            cue("large"),
            cue("size"),
            cue("area"),
            cue("square miles"),
            cue("green belt"),
            cue("land"),
            cue("housing"),
            cue("home ownership"),
            cue("own their homes"),
            cue("homeowners"),
            cue("households"),
            cue("vacancy"),
            cue("vacancies"),
            cue("vacancy rate"),
            cue("workforce"),
            cue("staff"),
            cue("recruitment"),
            cue("average age"),
            cue("ethnic"),
            cue("ethnicity"),
            cue("ethnic mix"),
            cue("ethnic makeup"),
            cue("race"),
            cue("diversity"),
            cue("diverse"),
            cue("demographics"),
            cue("asian"),
            cue("black"),
            cue("white"),
            cue("figures"),
            cue("numbers"),
            cue("stats"),
            cue("statistics"),
            cue("how many local authorities"),
            cue("how many councils"),
            cue("local authorities"),
        ],
        questions: &[
            r"^(?:what(?:'s| is| are| was)? )?(?:the )?(?P<topic>population|area|size|vacancy rate|vacancies|ethnic(?:ity| make-?up| mix| breakdown)|home ownership|housing|workforce) (?:of|in|for|at) (?P<council>[^?!]+)$",
            r"^(?:what(?:'s| is| are) )?(?P<council>[^?!]+?)(?:'s|')? (?P<topic>population|area|size|vacancy rate|vacancies|ethnic(?:ity| make-?up| mix| breakdown)|home ownership|workforce)$",
            r"^how many (?P<topic>people) live in (?P<council>[^?!]+)$",
            r"^how many (?P<topic>local authorities|authorities) (?:cover|are there in|are in) (?P<council>[^?!]+)$",
            r"^how (?P<topic>big|large) is (?P<council>[^?!]+)$",
            r"^(?:what are |show )?(?:the )?(?:figures|numbers|stats|statistics) (?:for|on|about|of) (?P<council>[^?!]+)$",
        ],
        build: |a| {
            let mut a = a.into_iter();
            let council = a.next().unwrap_or_default();
            Ok(Query::Figures {
                council,
                topic: a.next().filter(|t| !t.trim().is_empty()),
            })
        },
    },
    Command {
        id: CommandId::Compare,
        name: "compare",
        aliases: &["vs", "versus"],
        args: &[Arg {
            name: "councils",
            kind: ArgKind::Council,
            required: true,
            many: true,
            description: "Two or more councils or regions, e.g. Solihull Coventry",
        }],
        summary:
            "Councils side by side (stars, leaders, figures, schemes), or regions (Ofsted grades)",
        example: "compare Solihull Coventry",
        cues: &[
            cue("compare"),
            cue("vs"),
            cue("v"),
            cue("versus"),
            cue("better"),
            cue("worse"),
            cue("against"),
        ],
        questions: &[
            r"^compare (?P<councils>[^?!]+)$",
            r"^how (?:does|do) (?P<councils>[^?!]+?) compare(?: (?:with|to) each other)?$",
            r"^how (?:does|do|did) (?P<councils>[^?!]+?) compare (?:with|to|against) (?P<councils2>[^?!]+)$",
            r"^(?:what is the )?difference between (?P<councils>[^?!]+)$",
            r"^(?:is|are) (?P<councils>[^?!]+?) (?:doing )?(?:better|worse) than (?P<councils2>[^?!]+)$",
            r"^which (?:is|are|does|do) (?:better|worse)(?: off)?,? (?P<councils>[^?!]+)$",
        ],
        build: |a| {
            if a.is_empty() {
                Err("name at least two councils".into())
            } else {
                Ok(Query::Compare(a))
            }
        },
    },
    Command {
        id: CommandId::Chart,
        name: "chart",
        aliases: &["graph", "plot", "picture"],
        args: &[arg(
            "councils",
            ArgKind::Council,
            "A council, several councils, a region or England, e.g. Birmingham Solihull",
        )],
        summary:
            "A chart of ratings over time: a council, several side by side, a region or England",
        example: "chart Birmingham",
        cues: &[
            cue("chart"),
            cue("charts"),
            cue("graph"),
            cue("graphs"),
            cue("plot"),
            cue("picture"),
            cue("draw"),
        ],
        questions: &[
            r"^(?:(?:show|give|draw)(?: me)? )?(?:a |the )?(?:chart|graph|plot|picture) (?:of|for) (?P<councils>[^?!]+)$",
        ],
        build: |a| Ok(Query::Chart(one(a))),
    },
    Command {
        id: CommandId::Rated,
        name: "rated",
        aliases: &["withstars", "graded"],
        args: &[arg(
            "scale",
            ArgKind::Text,
            "An Ofsted grade or 0 to 3 stars, optionally a year and a region, e.g. 0 stars 2003",
        )],
        summary: "Councils with an Ofsted grade or a number of stars, by year or region",
        example: "rated inadequate in the north west",
        cues: &[],
        questions: &[
            r"^(?:which|what) (?:councils|authorities|council|authority) (?:have|has|got|are rated|is rated|were rated|was rated|hold|with) (?P<scale>[a-z0-9 -]+?)(?:[- ]stars?)?(?: ratings?)?$",
            r"^(?:which|what|list|show)(?: the)? (?P<scale>[a-z0-9]+)[- ]stars? (?:councils|authorities)$",
            r"^(?:any|are there any) (?P<scale>[a-z0-9]+)[- ]stars? (?:councils|authorities)$",
            r"^(?:which|what) (?:councils|authorities|council|authority) (?:are|is|were|was) (?:rated |judged |graded )?(?P<scale>outstanding|good|inadequate|requires improvement(?: in [a-z -]+)?|(?:outstanding|good|inadequate) in [a-z -]+)$",
        ],
        build: |a| parse_rated(&one(a)).map(Query::Rated),
    },
    Command {
        id: CommandId::Councils,
        name: "councils",
        aliases: &["list", "authorities"],
        args: &[optional(
            "region",
            ArgKind::Region,
            "A region, e.g. West Midlands",
        )],
        summary: "The councils carebot knows, optionally in one region",
        example: "councils West Midlands",
        cues: &[cue("councils"), cue("authorities"), cue("which councils")],
        questions: &[
            r"^(?:which|what) (?:councils|authorities) (?:do you (?:know|cover)(?: about)?|are (?:there|covered|in the knowledge base))$",
            r"^(?:list|show)(?: me)?(?: all)?(?: the)? (?:councils|authorities)$",
            r"^(?:(?:what|which) are |list |show(?: me)? )?(?:all )?(?:the |your )?(?:star[- ]?)?ratings$",
            r"^(?:which|what) (?:councils|authorities) are (?:in|there in) (?P<region>[^?!]+)$",
            r"^(?:list|show)(?: me)?(?: the)? (?:councils|authorities) in (?P<region>[^?!]+)$",
        ],
        build: |a| {
            Ok(Query::Councils(
                a.into_iter().next().filter(|r| !r.trim().is_empty()),
            ))
        },
    },
    Command {
        id: CommandId::Ofsted,
        name: "ofsted",
        aliases: &["inspection", "judgement"],
        args: &[arg("council", ArgKind::Council, "The council, e.g. Leeds")],
        summary: "A council's latest Ofsted judgement of children's services, with its report",
        example: "ofsted Leeds",
        cues: &[
            cue("ofsted"),
            cue("ofsted rating"),
            cue("ofsted grade"),
            cue("inspection"),
            cue("inspected"),
            cue("inadequate"),
            cue("outstanding"),
            cue("requires improvement"),
            cue("childrens social care"),
            cue("how good"),
            // How a council does today is what Ofsted judges now; star ratings ended in 2008.
            cue("any good"),
            cue("doing"),
            cue("performing"),
            cue("performance"),
            cue("judgement"),
            cue("judged"),
            cue("graded"),
            cue("grade"),
        ],
        questions: &[
            r"^how good (?:are|is) (?P<council>[^?!]+?)(?:'s|')? child(?:ren)?(?:'s|s)? (?:services|social care)$",
            r"^is (?P<council>[^?!]+?) (?:rated )?(?:inadequate|outstanding|good|requires improvement)$",
            r"^what did ofsted (?:say|find|think) (?:about|of|at) (?P<council>[^?!]+)$",
            r"^how (?:is|are) (?P<council>[^?!]+?) doing$",
        ],
        build: |a| Ok(Query::Ofsted(one(a))),
    },
    Command {
        id: CommandId::Neighbours,
        name: "neighbours",
        aliases: &["neighbors", "similar"],
        args: &[arg(
            "council",
            ArgKind::Council,
            "The council, e.g. Wolverhampton",
        )],
        summary:
            "A council's ten statistical neighbours and their Ofsted judgements beside its own",
        example: "neighbours Wolverhampton",
        cues: &[
            cue("neighbours"),
            cue("neighbors"),
            cue("statistical neighbours"),
            cue("similar councils"),
            cue("compared with similar"),
        ],
        questions: &[
            r"^(?:who are |what are |which are )?(?P<council>[^?!]+?)(?:'s|')? (?:statistical )?neighbou?rs$",
            r"^(?:which|what) councils are (?:like|similar to) (?P<council>[^?!]+)$",
        ],
        build: |a| Ok(Query::Neighbours(one(a))),
    },
    Command {
        id: CommandId::About,
        name: "about",
        aliases: &["info", "tell"],
        args: &[arg(
            "name",
            ArgKind::Name,
            "A council, person, scheme or region",
        )],
        summary: "Anything by name: a council, person, scheme or region",
        example: "about Safe and Sound",
        cues: &[],
        questions: &[
            r"^(?:tell me|talk to me|what do you know|what can you tell me) about (?P<name>[^?!]+)$",
            r"^(?:info|information|details) (?:on|about|for) (?P<name>[^?!]+)$",
            r"^what(?:'s| is| are) (?P<name>[^?!]+)$",
        ],
        build: |a| {
            Ok(Query::About {
                name: one(a),
                guessed: false,
            })
        },
    },
    Command {
        id: CommandId::Search,
        name: "search",
        aliases: &["find", "quote"],
        args: &[arg(
            "words",
            ArgKind::Text,
            "Words to look for, e.g. vacancy",
        )],
        summary: "Facts and quotes that contain some words",
        example: "search workbooks",
        cues: &[],
        questions: &[
            r"^(?:search|look) (?:for )?(?P<words>[^?!]+)$",
            r"^(?:who|what) (?:said|says|mentions?) (?P<words>[^?!]+)$",
            r"^(?:anything|what) about (?P<words>[^?!]+)$",
        ],
        build: |a| Ok(Query::Search(one(a))),
    },
    Command {
        id: CommandId::Sources,
        name: "sources",
        aliases: &["source", "citations"],
        args: &[],
        summary: "The sources carebot's facts come from",
        example: "sources",
        cues: &[],
        questions: &[
            r"^(?:what are )?(?:your|the) sources$",
            r"^where (?:does|do|did) (?:this|your|the|you get) ?(?:information|data|facts|knowledge|answers)? ?(?:come from|from)$",
            r"^how do you know$",
        ],
        build: |_| Ok(Query::Sources),
    },
    Command {
        id: CommandId::Help,
        name: "help",
        aliases: &["commands", "h"],
        args: &[optional(
            "command",
            ArgKind::Command,
            "A command to explain, e.g. stars",
        )],
        summary: "What carebot can answer, or how to use one command",
        example: "help stars",
        cues: &[],
        questions: &[
            r"^(?:help|what can you do|what do you do|how do (?:i|you) use (?:you|this|carebot)|what commands are there|commands)$",
            r"^how do i use (?P<command>[a-z]+)$",
        ],
        build: |a| {
            Ok(Query::Help(
                a.into_iter().next().filter(|c| !c.trim().is_empty()),
            ))
        },
    },
];

/// The command with this name or alias (any case).
pub fn find(word: &str) -> Option<&'static Command> {
    let w = word.to_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == w || c.aliases.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::normalize::fold;

    #[test]
    fn every_id_finds_its_own_entry() {
        for (i, c) in COMMANDS.iter().enumerate() {
            assert_eq!(c.id as usize, i, "{} is out of CommandId order", c.name);
            assert_eq!(c.id.command().name, c.name);
        }
    }

    #[test]
    fn the_figures_topic_argument_lists_the_topics() {
        let topic = CommandId::Figures.command().args[1];
        assert_eq!(topic.name, "topic");
        for t in [
            Topic::Population,
            Topic::Ethnicity,
            Topic::Area,
            Topic::Housing,
            Topic::Workforce,
        ] {
            assert!(topic.description.contains(t.word()), "{t:?}");
            assert_eq!(Topic::asked_by(t.word()), &[t]);
        }
        assert_eq!(Topic::asked_by("How big"), &[] as &[Topic]);
        assert_eq!(Topic::asked_by("big"), &[Topic::Population, Topic::Area]);
    }

    #[test]
    fn cues_are_written_as_questions_are_folded() {
        for c in COMMANDS {
            for cue in c.cues {
                assert_eq!(fold(cue.words), cue.words, "{}: {:?}", c.name, cue.words);
                assert_eq!(
                    cue.fact.is_some(),
                    c.id == CommandId::Scheme,
                    "{}: {:?}",
                    c.name,
                    cue.words
                );
            }
        }
    }

    #[test]
    fn the_example_question_asks_for_the_director() {
        let p = super::super::Parser::new("!");
        assert_eq!(
            p.parse(EXAMPLE_QUESTION, super::super::Mode::Direct),
            super::super::Parsed::Query(Query::Director("Coventry".into()))
        );
    }
}
