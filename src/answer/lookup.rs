//! Each query kind looked up in the knowledge base.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{star_glyphs, Answer, Cite, Field, Miss, NoAnswer, Reply};
use crate::knowledge::normalize::{fold, name_key};
use crate::knowledge::{Council, Detail, Figure, Knowledge, Rating, Resolved, Unit};
use crate::query::{registry, Query, COMMANDS};

/// Most facts a search answer lists.
const SEARCH_LIMIT: usize = 5;
/// Most names listed as "what I do know".
const KNOWN_LIMIT: usize = 10;
/// The most items one list in an answer shows (`!rated`, `!councils`); the rest are counted.
const LIST_LIMIT: usize = 50;

/// A name resolved to an entity, or the "no answer" to give instead.
type Found = Result<(usize, Option<(String, String)>), NoAnswer>;

/// One answer being built: the knowledge, and the sources cited so far.
pub(super) struct Lookup<'k> {
    k: &'k Knowledge,
    prefix: &'k str,
    cited: Vec<&'k str>,
}

impl<'k> Lookup<'k> {
    pub(super) fn new(k: &'k Knowledge, prefix: &'k str) -> Self {
        Lookup {
            k,
            prefix,
            cited: Vec::new(),
        }
    }

    pub(super) fn answer(mut self, q: &Query) -> Answer {
        let reply = match q {
            Query::Stars(name) => self.stars(name),
            Query::Director(name) => self.director(name),
            Query::Person(name) => self.person(name),
            Query::Schemes(name) => self.schemes(name),
            Query::Scheme(name) => self.scheme(name),
            Query::Council(name) => self.council(name),
            Query::About { name, guessed } => self.about(name, *guessed),
            Query::Figures { council, topic } => self.figures(council, topic.as_deref()),
            Query::Compare(names) => self.compare(names),
            Query::Rated(n) => self.rated(*n),
            Query::Councils(region) => self.councils(region.as_deref()),
            Query::Search(words) => self.search(words),
            Query::Sources => Ok(self.sources()),
            Query::Help(cmd) => self.help(cmd.as_deref()),
        };
        match reply {
            Ok(mut r) => {
                r.sources = self
                    .cited
                    .iter()
                    .map(|id| Cite::of(self.k.source(id)))
                    .collect();
                Answer::Reply(r)
            }
            Err(n) => Answer::NoAnswer(n),
        }
    }

    fn cite(&mut self, source: &'k str) {
        if !self.cited.contains(&source) {
            self.cited.push(source);
        }
    }

    /// Cites `source` and returns the quote in quotation marks.
    fn quoted(&mut self, source: &'k str, quote: &str) -> String {
        self.cite(source);
        let mut out = String::with_capacity(quote.len() + 8);
        out.push('“');
        push_one_line(&mut out, quote);
        out.push('”');
        out
    }

    // ----- resolving names -----

    fn resolve(
        &self,
        kind: &'static str,
        typed: &str,
        result: Resolved,
        name: impl Fn(usize) -> String,
        all: impl Fn() -> Vec<String>,
    ) -> Found {
        match result {
            Resolved::Exact(i) => Ok((i, None)),
            Resolved::Corrected(i) => Ok((i, Some((typed.trim().to_string(), name(i))))),
            Resolved::Unknown(close) => {
                let mut n = NoAnswer::new(Miss::Unknown {
                    kind,
                    typed: typed.trim().to_string(),
                });
                n.suggestions = close.into_iter().map(name).collect();
                if n.suggestions.is_empty() {
                    n.known = all();
                }
                Err(n)
            }
        }
    }

    fn find_council(&self, typed: &str) -> Found {
        let k = self.k;
        self.resolve(
            "a council called",
            typed,
            k.find_council(typed),
            |i| k.councils[i].name.clone(),
            || first_names(k.councils.iter().map(|c| &c.name)),
        )
    }

    fn find_person(&self, typed: &str) -> Found {
        let k = self.k;
        self.resolve(
            "a person called",
            typed,
            k.find_person(typed),
            |i| k.people[i].name.clone(),
            || first_names(k.people.iter().map(|c| &c.name)),
        )
    }

    fn find_scheme(&self, typed: &str) -> Found {
        let k = self.k;
        self.resolve(
            "a scheme called",
            typed,
            k.find_scheme(typed),
            |i| k.schemes[i].name.clone(),
            || first_names(k.schemes.iter().map(|c| &c.name)),
        )
    }

    // ----- the queries -----

    fn stars(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (c, corrected) = self.find_council(typed)?;
        let council = &self.k.councils[c];
        let ratings = &self.k.links(c).ratings;
        if ratings.is_empty() {
            return Err(self.no_facts(&council.name, "a star rating", c));
        }
        let mut r = Reply {
            title: format!("{}: star rating", council.name),
            corrected,
            ..Reply::default()
        };
        let (summary, conflict) = self.rating_summary(c, "Both claims are shown below.");
        r.description = summary;
        r.conflict = conflict;
        for &i in ratings {
            let rating = &self.k.ratings[i];
            r.fields.push(self.rating_field(rating));
        }
        Ok(r)
    }

    /// One line on a council's current rating, and whether its sources disagree. `then` follows
    /// the warning when they do, to say where the conflicting claims can be read.
    fn rating_summary(&mut self, c: usize, then: &str) -> (String, bool) {
        let k = self.k;
        let council = &k.councils[c];
        let ratings: Vec<&Rating> = k.ratings_of(c).collect();
        let Some(latest) = ratings.first().map(|r| r.year) else {
            return (String::new(), false);
        };
        // Ratings of the latest year, grouped by area.
        let mut by_area: BTreeMap<&str, Vec<&Rating>> = BTreeMap::new();
        for r in ratings.iter().filter(|r| r.year == latest) {
            by_area.entry(r.area.label()).or_default().push(r);
        }
        let mut lines = Vec::new();
        let mut conflict = false;
        for (area, list) in by_area {
            let mut stars: Vec<i64> = list.iter().map(|r| r.stars).collect();
            stars.sort_unstable();
            stars.dedup();
            let when = &list[0].when;
            if stars.len() > 1 {
                conflict = true;
                let claims: Vec<String> = stars.iter().map(|&s| stars_words(s)).collect();
                let sources: Vec<&str> = list.iter().map(|r| r.source.as_str()).collect();
                let same = sources.windows(2).all(|w| w[0] == w[1]);
                let who = if same {
                    "The source disagrees with itself"
                } else {
                    "The sources disagree"
                };
                lines.push(format!(
                    "⚠ {who}: it gives {}'s {area} both {} for {when}.{}{then}",
                    council.name,
                    join_or(&claims, "and"),
                    if then.is_empty() { "" } else { " " },
                ));
            } else {
                lines.push(format!(
                    "{}'s {area}: {} {} ({when}).",
                    council.name,
                    star_glyphs(stars[0]),
                    stars_words(stars[0])
                ));
            }
        }
        (lines.join("\n"), conflict)
    }

    fn rating_field(&mut self, rating: &'k Rating) -> Field {
        let mut value = format!(
            "{}\n{}",
            rating.when,
            self.quoted(&rating.source, &rating.quote)
        );
        if let Some(b) = &rating.body {
            value = format!("{b}, {value}");
        }
        Field {
            name: format!(
                "{} {} · {}",
                star_glyphs(rating.stars),
                stars_words(rating.stars),
                rating.area.label()
            ),
            value,
            inline: false,
        }
    }

    fn director(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (c, corrected) = self.find_council(typed)?;
        let k = self.k;
        let council = &k.councils[c];
        let leaders: Vec<(usize, usize)> = k
            .links(c)
            .roles
            .iter()
            .copied()
            .filter(|&(p, r)| k.people[p].roles[r].leads_social_services)
            .collect();
        if leaders.is_empty() {
            return Err(self.no_facts(&council.name, "who leads social services", c));
        }
        let mut r = Reply {
            title: format!("{}: who leads social services", council.name),
            corrected,
            ..Reply::default()
        };
        for (p, ri) in leaders {
            let person = &k.people[p];
            let role = &person.roles[ri];
            r.fields.push(Field {
                name: person.name.clone(),
                value: format!(
                    "{}\n{}",
                    role_line(role),
                    self.quoted(&role.source, &role.quote)
                ),
                inline: false,
            });
        }
        r.description = match r.fields.as_slice() {
            [f] => format!("{} leads social services at {}.", f.name, council.name),
            _ => format!(
                "The sources name {} people leading social services at {}.",
                r.fields.len(),
                council.name
            ),
        };
        Ok(r)
    }

    fn person(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (p, corrected) = self.find_person(typed)?;
        let person = &self.k.people[p];
        let mut r = Reply {
            title: person.name.clone(),
            corrected,
            ..Reply::default()
        };
        let roles: Vec<String> = person.roles.iter().map(role_line).collect();
        r.description = roles.join("\n");
        for role in &person.roles {
            self.cite(&role.source);
        }
        for n in &person.notes {
            self.cite(&n.source);
        }
        if !person.notes.is_empty() {
            r.fields.push(Field {
                name: "What the sources say".into(),
                value: bullets(person.notes.iter().map(|n| n.text.as_str())),
                inline: false,
            });
        }
        // Statements about councils and regions that the sources attribute to this person.
        let k = self.k;
        for (subject, notes) in k.attributed(p) {
            let by: Vec<&'k crate::knowledge::Note> = notes
                .iter()
                .filter(|n| n.by.as_deref() == Some(person.id.as_str()))
                .collect();
            if by.is_empty() {
                continue;
            }
            for n in &by {
                self.cite(&n.source);
            }
            r.fields.push(Field {
                name: format!("{} on {subject}", person.name),
                value: bullets(by.iter().map(|n| n.text.as_str())),
                inline: false,
            });
        }
        for s in &person.quotes {
            let quote = self.quoted(&s.source, &s.quote);
            r.fields.push(Field {
                name: match &s.topic {
                    Some(t) => format!("On {t}"),
                    None => "Quoted".into(),
                },
                value: quote,
                inline: false,
            });
        }
        Ok(r)
    }

    fn schemes(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (c, corrected) = self.find_council(typed)?;
        let k = self.k;
        let council = &k.councils[c];
        let schemes = &k.links(c).schemes;
        if schemes.is_empty() {
            return Err(self.no_facts(&council.name, "any scheme", c));
        }
        let mut r = Reply {
            title: format!("{}: schemes", council.name),
            description: format!(
                "{} scheme{} recorded. `{}scheme <name>` tells more.",
                schemes.len(),
                if schemes.len() == 1 { "" } else { "s" },
                self.prefix
            ),
            corrected,
            ..Reply::default()
        };
        for &s in schemes {
            let scheme = &k.schemes[s];
            self.cite(&scheme.source);
            r.fields.push(Field {
                name: scheme.name.clone(),
                value: scheme.description.text.clone(),
                inline: false,
            });
        }
        Ok(r)
    }

    fn scheme(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (s, corrected) = self.find_scheme(typed)?;
        Ok(self.scheme_reply(s, corrected))
    }

    fn scheme_reply(&mut self, s: usize, corrected: Option<(String, String)>) -> Reply {
        let k = self.k;
        let scheme = &k.schemes[s];
        let council = k.council_by_id(&scheme.council);
        let mut r = Reply {
            title: format!("{} ({})", scheme.name, council.name),
            corrected,
            ..Reply::default()
        };
        r.description = self.detail_text(&scheme.description, &scheme.source);
        let named = [
            ("Started", &scheme.started),
            ("Cost", &scheme.cost),
            ("Reach", &scheme.reach),
            ("Outcome", &scheme.outcome),
        ];
        for (name, d) in named {
            if let Some(d) = d {
                let value = self.detail_text(d, &scheme.source);
                r.fields.push(Field {
                    name: name.into(),
                    value,
                    inline: false,
                });
            }
        }
        if let Some(i) = &scheme.inspired_by {
            r.fields.push(Field {
                name: "Inspired by".into(),
                value: k.council_by_id(i).name.clone(),
                inline: true,
            });
        }
        for d in &scheme.details {
            let value = self.detail_text(d, &scheme.source);
            r.fields.push(Field {
                name: "Also".into(),
                value,
                inline: false,
            });
        }
        r
    }

    /// A detail's words followed by its quote.
    fn detail_text(&mut self, d: &'k Detail, default_source: &'k str) -> String {
        let source = d.source.as_deref().unwrap_or(default_source);
        format!("{}\n{}", d.text, self.quoted(source, &d.quote))
    }

    fn council(&mut self, typed: &str) -> Result<Reply, NoAnswer> {
        let (c, corrected) = self.find_council(typed)?;
        Ok(self.council_reply(c, corrected))
    }

    fn council_reply(&mut self, c: usize, corrected: Option<(String, String)>) -> Reply {
        let k = self.k;
        let council = &k.councils[c];
        let links = k.links(c);
        let mut r = Reply {
            title: council.name.clone(),
            corrected,
            ..Reply::default()
        };
        r.description = identity(council);
        if let Some(reg) = &council.register {
            self.cite(&reg.source);
        }
        if !links.ratings.is_empty() {
            let then = format!(
                "`{}stars {}` shows each claim with the source's words.",
                self.prefix, council.name
            );
            let (summary, conflict) = self.rating_summary(c, &then);
            for &i in &links.ratings {
                self.cite(&k.ratings[i].source);
            }
            r.conflict = conflict;
            r.fields.push(Field {
                name: "Star rating".into(),
                value: summary,
                inline: false,
            });
        }
        if !links.roles.is_empty() {
            let lines: Vec<String> = links
                .roles
                .iter()
                .map(|&(p, ri)| {
                    let role = &k.people[p].roles[ri];
                    self.cite(&role.source);
                    format!("{}, {}", k.people[p].name, role.title)
                })
                .collect();
            r.fields.push(Field {
                name: "People".into(),
                value: bullets(lines.iter().map(String::as_str)),
                inline: false,
            });
        }
        if !links.figures.is_empty() {
            let lines: Vec<String> = links
                .figures
                .iter()
                .map(|&f| {
                    self.cite(&k.figures[f].source);
                    figure_line(&k.figures[f])
                })
                .collect();
            r.fields.push(Field {
                name: "Figures".into(),
                value: bullets(lines.iter().map(String::as_str)),
                inline: false,
            });
        }
        if !links.schemes.is_empty() {
            let names: Vec<&str> = links
                .schemes
                .iter()
                .map(|&s| {
                    self.cite(&k.schemes[s].source);
                    k.schemes[s].name.as_str()
                })
                .collect();
            r.fields.push(Field {
                name: "Schemes".into(),
                value: names.join(", "),
                inline: false,
            });
        }
        if !council.notes.is_empty() {
            for n in &council.notes {
                self.cite(&n.source);
            }
            r.fields.push(Field {
                name: "What the sources say".into(),
                value: bullets(council.notes.iter().map(|n| n.text.as_str())),
                inline: false,
            });
        }
        r
    }

    fn about(&mut self, typed: &str, guessed: bool) -> Result<Reply, NoAnswer> {
        let k = self.k;
        // Looked up in this order until one matches exactly: an exact match wins whatever the
        // kinds after it give, so they are not looked up (a miss is a fuzzy lookup, the dearest).
        let finders: [&dyn Fn(&str) -> Resolved; 4] = [
            &|t| k.find_council(t),
            &|t| k.find_person(t),
            &|t| k.find_scheme(t),
            &|t| k.find_region(t),
        ];
        let mut tries: Vec<Resolved> = Vec::with_capacity(finders.len());
        for find in finders {
            let found = find(typed);
            let exact = matches!(found, Resolved::Exact(_));
            tries.push(found);
            if exact {
                break;
            }
        }
        let pick = tries
            .iter()
            .position(|r| matches!(r, Resolved::Exact(_)))
            .or_else(|| {
                tries
                    .iter()
                    .position(|r| matches!(r, Resolved::Corrected(_)))
            });
        if let Some(kind) = pick {
            let (i, corrected) = match &tries[kind] {
                Resolved::Exact(i) => (*i, false),
                Resolved::Corrected(i) => (*i, true),
                Resolved::Unknown(_) => unreachable!("picked a resolved name"),
            };
            let fix = |name: &str| corrected.then(|| (typed.trim().to_string(), name.to_string()));
            return Ok(match kind {
                0 => self.council_reply(i, fix(&k.councils[i].name)),
                1 => self.person(&k.people[i].id)?,
                2 => self.scheme_reply(i, fix(&k.schemes[i].name)),
                _ => self.region_reply(i, fix(&k.regions[i].name)),
            })
            .map(|mut r: Reply| {
                if kind == 1 && corrected {
                    r.corrected = fix(&k.people[i].name);
                }
                r
            });
        }
        let mut n = NoAnswer::new(Miss::Unknown {
            kind: "anything called",
            typed: typed.trim().to_string(),
        });
        for (kind, r) in tries.iter().enumerate() {
            if let Resolved::Unknown(close) = r {
                for &i in close {
                    let name = match kind {
                        0 => &k.councils[i].name,
                        1 => &k.people[i].name,
                        2 => &k.schemes[i].name,
                        _ => &k.regions[i].name,
                    };
                    if n.suggestions.len() < crate::knowledge::index::MAX_SUGGESTIONS {
                        n.suggestions.push(name.clone());
                    }
                }
            }
        }
        if guessed && n.suggestions.is_empty() {
            // A whole message taken as a name that is close to nothing: likely not a name.
            return Err(NoAnswer::new(Miss::NotUnderstood));
        }
        if n.suggestions.is_empty() {
            n.known = first_names(k.councils.iter().map(|c| &c.name));
        }
        Err(n)
    }

    fn region_reply(&mut self, i: usize, corrected: Option<(String, String)>) -> Reply {
        let k = self.k;
        let region = &k.regions[i];
        let mut r = Reply {
            title: upper_first(&region.name),
            corrected,
            ..Reply::default()
        };
        let (councils, total) = k.councils_in(&region.name, LIST_LIMIT);
        if !councils.is_empty() {
            let names: Vec<&str> = councils
                .iter()
                .map(|&c| k.councils[c].name.as_str())
                .collect();
            let rest = match total - councils.len() {
                0 => String::new(),
                rest => format!(" and {} more", number(rest as f64)),
            };
            r.description = format!("Councils recorded here: {}{rest}.", names.join(", "));
        }
        let lines: Vec<String> = k
            .region_figures(i)
            .map(|f| {
                self.cite(&f.source);
                figure_line(f)
            })
            .collect();
        if !lines.is_empty() {
            r.fields.push(Field {
                name: "Figures".into(),
                value: bullets(lines.iter().map(String::as_str)),
                inline: false,
            });
        }
        if !region.notes.is_empty() {
            for n in &region.notes {
                self.cite(&n.source);
            }
            r.fields.push(Field {
                name: "What the sources say".into(),
                value: bullets(region.notes.iter().map(|n| n.text.as_str())),
                inline: false,
            });
        }
        r
    }

    fn figures(&mut self, typed: &str, topic: Option<&str>) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let (subject, corrected, topic) = match (self.figure_subject(typed), topic) {
            (Some((subject, corrected, None)), topic) => (subject, corrected, topic),
            (Some((subject, corrected, rest)), None) => (subject, corrected, rest),
            // Nothing by that name: say so about the council, with suggestions.
            _ => {
                let (c, corrected) = self.find_council(typed)?;
                (Subject::Council(c), corrected, topic)
            }
        };
        let (name, all): (String, Vec<&'k Figure>) = match subject {
            Subject::Council(c) => (
                k.councils[c].name.clone(),
                k.links(c).figures.iter().map(|&f| &k.figures[f]).collect(),
            ),
            Subject::Region(i) => (k.regions[i].name.clone(), k.region_figures(i).collect()),
        };
        let wanted = topic.map(topics).unwrap_or_default();
        let chosen: Vec<&'k Figure> = all
            .iter()
            .copied()
            .filter(|f| topic.is_none() || wanted.contains(&f.topic.as_str()))
            .collect();
        if chosen.is_empty() {
            let what = match topic {
                Some(_) if !wanted.is_empty() => format!("the {}", wanted.join(" or ")),
                Some(t) => format!("“{}”", one_line(t)),
                None => "any figure".into(),
            };
            if let (true, Subject::Council(c)) = (all.is_empty(), subject) {
                return Err(self.no_facts(&name, &what, c));
            }
            let mut n = NoAnswer::new(Miss::NoFacts {
                subject: name,
                what,
            });
            for f in &all {
                let held = format!("{} figures", f.topic);
                if !n.known.contains(&held) {
                    n.known.push(held);
                }
            }
            return Err(n);
        }
        // The topics actually shown, in the order asked ("How big is Solihull?" asks for
        // population and area; only area is known).
        let shown: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|t| chosen.iter().any(|f| f.topic == *t))
            .collect();
        let mut r = Reply {
            title: if shown.is_empty() {
                format!("{}: figures", upper_first(&name))
            } else {
                format!("{}: {}", upper_first(&name), shown.join(" and "))
            },
            corrected,
            ..Reply::default()
        };
        for f in chosen {
            let quote = self.quoted(&f.source, &f.quote);
            r.fields.push(Field {
                name: upper_first(&f.what),
                value: format!("{}\n{quote}", figure_value(f)),
                inline: false,
            });
        }
        Ok(r)
    }

    /// What a figures question is about: the longest run of leading words that names a council
    /// or a region, with any correction, and the words after it (the topic, as in
    /// "figures Coventry population").
    fn figure_subject<'t>(&self, typed: &'t str) -> Option<FigureSubject<'t>> {
        let k = self.k;
        let typed = typed.trim();
        let mut ends: Vec<usize> = typed
            .char_indices()
            .filter(|&(_, ch)| ch == ' ')
            .map(|(i, _)| i)
            .collect();
        ends.push(typed.len());
        for &end in ends.iter().rev() {
            let (name, rest) = (typed[..end].trim(), typed[end..].trim());
            let rest = (!rest.is_empty()).then_some(rest);
            let fix = |n: &str| Some((name.to_string(), n.to_string()));
            match k.find_council(name) {
                Resolved::Exact(c) => return Some((Subject::Council(c), None, rest)),
                Resolved::Corrected(c) => {
                    return Some((Subject::Council(c), fix(&k.councils[c].name), rest))
                }
                Resolved::Unknown(_) => {}
            }
            match k.find_region(name) {
                Resolved::Exact(i) => return Some((Subject::Region(i), None, rest)),
                Resolved::Corrected(i) => {
                    return Some((
                        Subject::Region(i),
                        fix(&upper_first(&k.regions[i].name)),
                        rest,
                    ))
                }
                Resolved::Unknown(_) => {}
            }
        }
        None
    }

    fn compare(&mut self, names: &[String]) -> Result<Reply, NoAnswer> {
        let names = self.split_names(names);
        let mut found: Vec<usize> = Vec::new();
        let mut corrected = Vec::new();
        for name in &names {
            let (c, fix) = self.find_council(name)?;
            if let Some(f) = fix {
                corrected.push(f);
            }
            if !found.contains(&c) {
                found.push(c);
            }
        }
        if found.len() < 2 {
            return Err(NoAnswer::new(Miss::Usage(format!(
                "`{p}compare` needs at least two different councils: for example `{p}compare Solihull Coventry`",
                p = self.prefix
            ))));
        }
        let k = self.k;
        let mut r = Reply {
            title: format!(
                "Comparing {}",
                join_or(
                    &found
                        .iter()
                        .map(|&c| k.councils[c].name.clone())
                        .collect::<Vec<_>>(),
                    "and"
                )
            ),
            ..Reply::default()
        };
        if !corrected.is_empty() {
            let typed: Vec<String> = corrected.iter().map(|(t, _)| t.clone()).collect();
            let names: Vec<String> = corrected.iter().map(|(_, n)| n.clone()).collect();
            r.corrected = Some((typed.join(", "), names.join(", ")));
        }
        for c in found {
            let links = k.links(c);
            let mut lines = Vec::new();
            let (summary, conflict) = self.rating_summary(c, "");
            r.conflict |= conflict;
            for &i in &links.ratings {
                self.cite(&k.ratings[i].source);
            }
            lines.push(if summary.is_empty() {
                "Star rating: no data".to_string()
            } else {
                compact_rating(k, c)
            });
            let leaders: Vec<&str> = links
                .roles
                .iter()
                .filter(|&&(p, ri)| k.people[p].roles[ri].leads_social_services)
                .map(|&(p, ri)| {
                    self.cite(&k.people[p].roles[ri].source);
                    k.people[p].name.as_str()
                })
                .collect();
            lines.push(format!(
                "Led by: {}",
                if leaders.is_empty() {
                    "no data".to_string()
                } else {
                    leaders.join(", ")
                }
            ));
            let schemes: Vec<&str> = links
                .schemes
                .iter()
                .map(|&s| {
                    self.cite(&k.schemes[s].source);
                    k.schemes[s].name.as_str()
                })
                .collect();
            lines.push(format!(
                "Schemes: {}",
                if schemes.is_empty() {
                    "no data".to_string()
                } else {
                    schemes.join(", ")
                }
            ));
            for &f in &links.figures {
                let fig = &k.figures[f];
                if matches!(fig.topic.as_str(), "population" | "area" | "workforce") {
                    self.cite(&fig.source);
                    lines.push(figure_line(fig));
                }
            }
            r.fields.push(Field {
                name: k.councils[c].name.clone(),
                value: lines.join("\n"),
                inline: true,
            });
        }
        Ok(r)
    }

    /// Splits "Solihull Coventry" into known council names where the user gave no separators.
    fn split_names(&self, names: &[String]) -> Vec<String> {
        if names.len() != 1 {
            return names.to_vec();
        }
        let words: Vec<&str> = names[0].split_whitespace().collect();
        let mut out = Vec::new();
        let mut start = 0;
        while start < words.len() {
            // Longest run of words from `start` that names a council exactly.
            let end = (start + 1..=words.len()).rev().find(|&end| {
                matches!(
                    self.k.find_council(&words[start..end].join(" ")),
                    Resolved::Exact(_)
                )
            });
            match end {
                Some(end) => {
                    out.push(words[start..end].join(" "));
                    start = end;
                }
                None => {
                    out.push(words[start].to_string());
                    start += 1;
                }
            }
        }
        out
    }

    fn rated(&mut self, n: u8) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let n = i64::from(n);
        let (now, before) = k.rated(n);
        let mut current = Vec::new();
        for &c in now.iter().take(LIST_LIMIT) {
            let ratings: Vec<&Rating> = k.ratings_of(c).collect();
            let latest = ratings[0].year;
            let now: Vec<&Rating> = ratings
                .iter()
                .copied()
                .filter(|r| r.year == latest)
                .collect();
            let Some(hit) = now.iter().find(|r| r.stars == n) else {
                continue;
            };
            self.cite(&hit.source);
            let others: Vec<i64> = now
                .iter()
                .filter(|r| r.area == hit.area && r.stars != n)
                .map(|r| r.stars)
                .collect();
            let mut line = format!(
                "{} ({}, {})",
                k.councils[c].name,
                hit.area.label(),
                hit.year
            );
            if !others.is_empty() {
                let words: Vec<String> = others.iter().map(|&s| stars_words(s)).collect();
                line.push_str(&format!(
                    " ⚠ disputed: the source also says {}",
                    join_or(&words, "or")
                ));
            }
            current.push(line);
        }
        let mut earlier = Vec::new();
        for &c in before.iter().take(LIST_LIMIT) {
            let ratings: Vec<&Rating> = k.ratings_of(c).collect();
            let latest = ratings[0].year;
            for r in ratings.iter().filter(|r| r.year < latest && r.stars == n) {
                self.cite(&r.source);
                earlier.push(format!(
                    "{} ({}, {})",
                    k.councils[c].name,
                    r.area.label(),
                    r.when
                ));
            }
        }
        if current.is_empty() && earlier.is_empty() {
            return Err(NoAnswer::new(Miss::NoFacts {
                subject: "any council".into(),
                what: format!(
                    "a {} rating",
                    stars_words(n)
                        .replace("stars", "star")
                        .replace(" star", "-star")
                ),
            }));
        }
        let mut r = Reply {
            title: format!("Councils rated {} {}", star_glyphs(n), stars_words(n)),
            ..Reply::default()
        };
        r.conflict = current.iter().any(|l| l.contains("disputed"));
        r.description = if current.is_empty() {
            "No council has this rating now.".into()
        } else {
            bullets(current.iter().map(String::as_str)) + &more(now.len())
        };
        if !earlier.is_empty() {
            r.fields.push(Field {
                name: "Earlier".into(),
                value: bullets(earlier.iter().map(String::as_str)) + &more(before.len()),
                inline: false,
            });
        }
        Ok(r)
    }

    fn councils(&mut self, region: Option<&str>) -> Result<Reply, NoAnswer> {
        let k = self.k;
        let (title, (list, total)): (String, (Vec<usize>, usize)) = match region {
            None => (
                "Councils in the knowledge base".into(),
                (
                    (0..k.councils.len().min(LIST_LIMIT)).collect(),
                    k.councils.len(),
                ),
            ),
            Some(typed) => {
                // "councils in the West Midlands" reaches here as "in the West Midlands".
                let typed = typed.trim();
                let typed = match typed.split_once(' ') {
                    Some((first, rest)) if first.eq_ignore_ascii_case("in") => rest.trim(),
                    _ => typed,
                };
                let region = match k.find_region(typed) {
                    Resolved::Exact(i) | Resolved::Corrected(i) => Some(&k.regions[i]),
                    Resolved::Unknown(_) => None,
                };
                let named = region.map_or(typed, |r| r.name.as_str());
                let key = name_key(named, &["the"]);
                let (list, total) = k.councils_in(named, LIST_LIMIT);
                if list.is_empty() {
                    let mut n = NoAnswer::new(Miss::Unknown {
                        kind: "councils in",
                        typed: typed.to_string(),
                    });
                    n.known = k.council_region_names();
                    return Err(n);
                }
                // The region as the knowledge base names it when the user named it whole.
                let whole = k.councils[list[0]]
                    .region
                    .as_deref()
                    .filter(|r| name_key(r, &["the"]) == key);
                let place = match (region, whole) {
                    (Some(r), _) => r.name.clone(),
                    (None, Some(r)) => region_phrase(r),
                    (None, None) => upper_first(typed),
                };
                (format!("Councils in {place}"), (list, total))
            }
        };
        let mut r = Reply {
            title,
            ..Reply::default()
        };
        let lines: Vec<String> = list
            .iter()
            .map(|&c| {
                let council = &k.councils[c];
                if let Some(reg) = &council.register {
                    self.cite(&reg.source);
                }
                let mut line = council.name.clone();
                let id = identity(council);
                if !id.is_empty() {
                    line.push_str(&format!(" — {}", id.trim_end_matches('.')));
                }
                if !k.links(c).ratings.is_empty() {
                    for r in k.ratings_of(c) {
                        self.cite(&r.source);
                    }
                    line.push_str(&format!(" · {}", compact_rating(k, c)));
                }
                line
            })
            .collect();
        r.description = bullets(lines.iter().map(String::as_str)) + &more(total);
        Ok(r)
    }

    fn search(&mut self, words: &str) -> Result<Reply, NoAnswer> {
        let hits = self.k.search(words, SEARCH_LIMIT);
        if hits.is_empty() {
            return Err(NoAnswer::new(Miss::NoResults {
                typed: words.trim().to_string(),
            }));
        }
        let mut r = Reply {
            title: "Search results".into(),
            ..Reply::default()
        };
        for h in hits {
            let quote = self.quoted(&h.source, &h.quote);
            r.fields.push(Field {
                name: format!(
                    "{}: {}",
                    upper_first(&h.subject),
                    one_line(&h.text).trim_end_matches('.')
                ),
                value: quote,
                inline: false,
            });
        }
        Ok(r)
    }

    fn sources(&mut self) -> Reply {
        let k = self.k;
        let mut r = Reply {
            title: "Sources".into(),
            description:
                "Every fact carebot gives names one of these, with the words it was taken from."
                    .into(),
            ..Reply::default()
        };
        for s in &k.sources {
            self.cite(&s.id);
            let mut value = s.publisher.clone();
            if let Some(d) = &s.date {
                value.push_str(&format!(", {}", super::long_date(d)));
            }
            if let Some(u) = &s.url {
                value.push_str(&format!("\n{u}"));
            }
            r.fields.push(Field {
                name: s.title.clone(),
                value,
                inline: false,
            });
        }
        r
    }

    fn help(&mut self, command: Option<&str>) -> Result<Reply, NoAnswer> {
        let p = self.prefix;
        match command {
            None => {
                let lines: Vec<String> = COMMANDS
                    .iter()
                    .map(|c| format!("`{p}{}` {}", c.usage(), c.summary))
                    .collect();
                Ok(Reply {
                    title: "carebot commands".into(),
                    description: format!(
                        "{}\n\nOr ask in plain words, e.g. \"Who runs social services in Coventry?\" `{p}help <command>` tells more.",
                        lines.join("\n")
                    ),
                    ..Reply::default()
                })
            }
            Some(name) => {
                // "help stars Birmingham" asks about `stars`.
                let name = name.split_whitespace().next().unwrap_or_default();
                let name = name.trim_start_matches(p);
                let Some(c) = registry::find(name) else {
                    return Err(NoAnswer::new(Miss::UnknownCommand {
                        typed: name.to_string(),
                        suggestion: None,
                        prefix: p.to_string(),
                    }));
                };
                let mut fields = vec![Field {
                    name: "Example".into(),
                    value: format!("`{p}{}`", c.example),
                    inline: true,
                }];
                if !c.aliases.is_empty() {
                    fields.push(Field {
                        name: "Also".into(),
                        value: c
                            .aliases
                            .iter()
                            .map(|a| format!("`{p}{a}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        inline: true,
                    });
                }
                for a in c.args {
                    fields.push(Field {
                        name: format!(
                            "<{}>{}",
                            a.name,
                            if a.required { "" } else { " (optional)" }
                        ),
                        value: a.description.to_string(),
                        inline: false,
                    });
                }
                Ok(Reply {
                    title: format!("{p}{}", c.usage()),
                    description: c.summary.to_string(),
                    fields,
                    ..Reply::default()
                })
            }
        }
    }

    /// "No data on X for Y", listing what is known about the council instead.
    fn no_facts(&self, subject: &str, what: &str, c: usize) -> NoAnswer {
        let k = self.k;
        let links = k.links(c);
        let mut n = NoAnswer::new(Miss::NoFacts {
            subject: subject.to_string(),
            what: what.to_string(),
        });
        if !links.ratings.is_empty() {
            n.known.push("its star rating".into());
        }
        if !links.roles.is_empty() {
            n.known.push("people who work there".into());
        }
        if !links.schemes.is_empty() {
            n.known.push("its schemes".into());
        }
        if !links.figures.is_empty() {
            n.known.push("figures".into());
        }
        if !k.councils[c].notes.is_empty() {
            n.known.push(format!(
                "notes (`{}council {}`)",
                self.prefix, k.councils[c].name
            ));
        }
        n
    }
}

/// What a figures question is about.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Council(usize),
    Region(usize),
}

/// A figures subject, any correction of its name, and the words after the name.
type FigureSubject<'t> = (Subject, Option<(String, String)>, Option<&'t str>);

/// Topics a word asks about.
fn topics(word: &str) -> Vec<&'static str> {
    let w = fold(word);
    match w.as_str() {
        "population" | "people" | "residents" | "inhabitants" => vec!["population"],
        "size" | "big" | "large" => vec!["population", "area"],
        "area" | "green belt" | "land" => vec!["area"],
        "housing" | "home ownership" | "homes" | "households" => vec!["housing"],
        "workforce" | "staff" | "vacancy rate" | "vacancies" | "vacancy" | "recruitment" => {
            vec!["workforce"]
        }
        w if w.starts_with("ethnic") || w == "race" || w == "diversity" => vec!["ethnicity"],
        "authorities" | "local authorities" | "councils" => vec!["authorities"],
        _ => Vec::new(),
    }
}

fn role_line(role: &crate::knowledge::Role) -> String {
    let mut s = format!("{}, {}", upper_first(&role.title), role.organisation);
    if let Some(p) = &role.period {
        s.push_str(&format!(" ({p})"));
    }
    s
}

/// "Metropolitan borough in the West Midlands, GSS code E08000025."
fn identity(c: &Council) -> String {
    let mut s = String::new();
    if let Some(kind) = c.kind {
        s.push_str(&upper_first(kind.label()));
    }
    if let Some(region) = &c.region {
        if s.is_empty() {
            s.push_str(&format!("In {}", region_phrase(region)));
        } else {
            s.push_str(&format!(" in {}", region_phrase(region)));
        }
    }
    if let Some(gss) = &c.gss {
        if s.is_empty() {
            s.push_str(&format!("GSS code {gss}"));
        } else {
            s.push_str(&format!(", GSS code {gss}"));
        }
    }
    if !s.is_empty() {
        s.push('.');
    }
    s
}

/// A region's name as it reads after "in": "the West Midlands", but "London" and
/// "Yorkshire and The Humber" take no article.
fn region_phrase(region: &str) -> String {
    let folded = fold(region);
    if folded.starts_with("the ") || folded.starts_with("london") || folded.starts_with("yorkshire")
    {
        region.to_string()
    } else {
        format!("the {region}")
    }
}

/// "★☆☆ 1 star (2004)", with a warning when the latest claims disagree.
fn compact_rating(k: &Knowledge, c: usize) -> String {
    let ratings: Vec<&Rating> = k.ratings_of(c).collect();
    let Some(latest) = ratings.first().map(|r| r.year) else {
        return String::new();
    };
    let mut stars: Vec<i64> = ratings
        .iter()
        .filter(|r| r.year == latest)
        .map(|r| r.stars)
        .collect();
    stars.sort_unstable();
    stars.dedup();
    match stars.as_slice() {
        [s] => format!("{} {} ({latest})", star_glyphs(*s), stars_words(*s)),
        many => {
            let words: Vec<String> = many.iter().map(|&s| stars_words(s)).collect();
            format!("⚠ disputed: {} ({latest})", join_or(&words, "or"))
        }
    }
}

/// "0 stars", "1 star".
fn stars_words(n: i64) -> String {
    if n == 1 {
        "1 star".into()
    } else {
        format!("{n} stars")
    }
}

/// A figure's value with its unit and any earlier value.
fn figure_value(f: &Figure) -> String {
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
fn figure_line(f: &Figure) -> String {
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
fn number(v: f64) -> String {
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

/// The line closing a list cut at [`LIST_LIMIT`] of `total` items; empty when nothing was cut.
fn more(total: usize) -> String {
    match total.saturating_sub(LIST_LIMIT) {
        0 => String::new(),
        rest => format!("\n…and {} more.", number(rest as f64)),
    }
}

fn bullets<'a>(lines: impl Iterator<Item = &'a str>) -> String {
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

fn join_or(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_one_line(&mut out, text);
    out
}

/// Adds `text` to `out` with every run of whitespace as one space.
fn push_one_line(out: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

fn upper_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut c = s.chars();
    if let Some(f) = c.next() {
        out.extend(f.to_uppercase());
        out.push_str(c.as_str());
    }
    out
}

fn first_names<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    names.take(KNOWN_LIMIT).cloned().collect()
}
