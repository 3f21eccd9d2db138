//! Reading a plain question by what it names: the names it holds (found anywhere in it by the
//! knowledge base's name index), then what is asked, from the commands' cue words, or by the
//! kind of thing named when no cue says.

use super::resolve::Kind;
use super::{Correction, Miss, NoAnswer};
use crate::knowledge::normalize::fold;
use crate::knowledge::{Knowledge, NameKind, Spot};
use crate::query::registry::{self, ArgKind, CommandId, Topic};
use crate::query::{Command, CueHit, Cues, Parsed, Query};

/// A question's words, folded, with the names and cues found in them.
pub(super) struct Reading<'t> {
    /// The question as typed.
    text: &'t str,
    words: Vec<&'t str>,
    spots: Vec<Spot>,
    /// Cues outside the names.
    hits: Vec<CueHit>,
}

/// What a question about councils in the plural asks.
pub(super) enum Plural {
    /// The councils with a grade or stars, in the words `!rated` takes: "outstanding in
    /// london", "0 stars 2003".
    Rated(String),
    /// The councils of a region, as typed: "london", "north west".
    InRegion(String),
    /// Every region, by its councils' Ofsted grades: "which region has the most inadequate
    /// councils".
    ByRegion,
}

/// What a question naming known things asks.
pub(super) enum Understood {
    /// A query, with the correction of a misspelt name.
    Query(Query, Option<Correction>),
    /// No answer without asking which thing was meant.
    Which(NoAnswer),
}

impl<'t> Reading<'t> {
    /// Reads `text`, folded as `folded` (by [`Reading::fold`]).
    pub(super) fn new(k: &Knowledge, cues: &Cues, text: &'t str, folded: &'t str) -> Self {
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let spots = k.spot(&words, &|w| cues.is_common(w));
        let mut hits = cues.find(&words);
        // A cue inside a longer one is not a cue of its own ("charge" in "in charge"), nor
        // one inside a name.
        let within =
            |h: &CueHit, o: &CueHit| o.len() > h.len() && o.start <= h.start && h.end <= o.end;
        let inner: Vec<bool> = hits
            .iter()
            .map(|h| hits.iter().any(|o| within(h, o)))
            .collect();
        let mut inner = inner.into_iter();
        hits.retain(|h| {
            !inner.next().unwrap_or(false)
                && !spots.iter().any(|s| s.start < h.end && h.start < s.end)
        });
        Reading {
            text,
            words,
            spots,
            hits,
        }
    }

    /// The question folded for reading: "&" read as "and".
    pub(super) fn fold(text: &str) -> String {
        fold(&text.replace('&', " and "))
    }

    /// What the question asks about the things it names; `None` when it names nothing known.
    pub(super) fn understood(&self, k: &Knowledge, prefix: &str) -> Option<Understood> {
        let first = self.spots.first()?;
        // A command that takes no name, typed without its prefix ("search workbooks"), is
        // left to the patterns.
        let word = self.words.first().copied().unwrap_or_default();
        if registry::find(word).is_some_and(|c| {
            c.args.first().is_some_and(|a| {
                matches!(a.kind, ArgKind::Text | ArgKind::Command | ArgKind::Stars)
            })
        }) {
            return None;
        }
        let has = |kind: NameKind| self.spots.iter().any(|s| s.kind == kind);
        let fits = |c: &Command| match c.args.first().map(|a| a.kind) {
            Some(ArgKind::Council) => {
                has(NameKind::Council)
                    || (matches!(c.id, CommandId::Figures | CommandId::Compare)
                        && has(NameKind::Region))
            }
            Some(ArgKind::Person) => has(NameKind::Person),
            Some(ArgKind::Scheme) => has(NameKind::Scheme),
            Some(ArgKind::Region) => has(NameKind::Region),
            _ => false,
        };
        // The longest cue that fits what is named; of two as long, the later.
        let best = self
            .hits
            .iter()
            .filter(|h| fits(h.command))
            .max_by_key(|h| (h.len(), h.start));
        let mut councils: Vec<&Spot> = Vec::new();
        for s in self.spots.iter().filter(|s| s.kind == NameKind::Council) {
            if !councils.iter().any(|c| c.entity == s.entity) {
                councils.push(s);
            }
        }
        let about_councils =
            best.is_none_or(|h| h.command.args.first().map(|a| a.kind) == Some(ArgKind::Council));
        if councils.len() >= 2 && about_councils {
            // Misspelt names as typed, so that the comparison shows their corrections.
            let names = councils
                .iter()
                .map(|s| match s.corrected {
                    true => self.as_typed(s),
                    false => Kind::Council.name(k, s.entity).to_string(),
                })
                .collect();
            return Some(Understood::Query(Query::Compare(names), None));
        }
        let Some(mut hit) = best else {
            return Some(self.by_kind(k, first, prefix));
        };
        // "how many black people live in coventry": a topic other than the population is the
        // more telling.
        if hit.command.id == CommandId::Figures {
            let telling = self
                .hits
                .iter()
                .filter(|h| h.command.id == CommandId::Figures)
                .filter(|h| {
                    let topics = Topic::asked_by(h.cue.words);
                    !topics.is_empty() && !topics.contains(&Topic::Population)
                })
                .max_by_key(|h| (h.len(), h.start));
            hit = telling.unwrap_or(hit);
        }
        // "how was coventry doing in 2004": a year of the star ratings asks for them, not for
        // today's Ofsted judgement.
        let command = match hit.command.id {
            CommandId::Ofsted if self.names_star_year() => CommandId::Stars.command(),
            _ => hit.command,
        };
        let spot_of = |kind: NameKind| self.spots.iter().find(|s| s.kind == kind);
        let spot = match command.args.first().map(|a| a.kind) {
            Some(ArgKind::Person) => spot_of(NameKind::Person),
            Some(ArgKind::Scheme) => spot_of(NameKind::Scheme),
            Some(ArgKind::Region) => spot_of(NameKind::Region),
            _ => spot_of(NameKind::Council).or_else(|| spot_of(NameKind::Region)),
        }?;
        let name = self.name(k, spot);
        let query = match command.id {
            CommandId::Scheme => match hit.cue.fact {
                Some(fact) => Query::SchemeFact { name, fact },
                None => Query::Scheme(name),
            },
            CommandId::Figures => Query::Figures {
                council: name,
                topic: (!Topic::asked_by(hit.cue.words).is_empty())
                    .then(|| hit.cue.words.to_string()),
            },
            // "compare solihull and cardiff": the patterns say which is not known.
            CommandId::Compare => return None,
            // "councils in the west midlands": the region as typed, with its point of the
            // compass.
            CommandId::Councils => Query::Councils(Some(self.region_as_typed(k, spot))),
            _ => match (command.build)(vec![name]) {
                Ok(q) => q,
                Err(_) => return None,
            },
        };
        Some(Understood::Query(query, self.correction(k, spot)))
    }

    /// A thing named with no cue: a council's profile, a person's or a scheme's card, a
    /// region's notes; or, when the name is more than one thing, a question back.
    fn by_kind(&self, k: &Knowledge, spot: &Spot, prefix: &str) -> Understood {
        let same: Vec<&Spot> = self
            .spots
            .iter()
            .filter(|s| s.start == spot.start && s.end == spot.end)
            .collect();
        if same.len() > 1 {
            let options = same
                .iter()
                .map(|s| {
                    let id = match s.kind {
                        NameKind::Council => CommandId::Council,
                        NameKind::Person => CommandId::Person,
                        NameKind::Scheme => CommandId::Scheme,
                        NameKind::Region => CommandId::About,
                    };
                    format!(
                        "`{prefix}{} {}`",
                        id.command().name,
                        Kind::of(s.kind).name(k, s.entity)
                    )
                })
                .collect();
            return Understood::Which(NoAnswer::new(Miss::Which {
                typed: self.as_typed(spot),
                options,
            }));
        }
        let name = self.name(k, spot);
        let query = match spot.kind {
            NameKind::Council if self.names_star_year() => Query::Stars(name),
            // "is isle of wight good", "is surrey ok": a verdict at the end asks for today's.
            NameKind::Council
                if (self.words.last()).is_some_and(|w| matches!(*w, "good" | "ok" | "okay")) =>
            {
                Query::Ofsted(name)
            }
            NameKind::Council => Query::Council(name),
            NameKind::Person => Query::Person(name),
            NameKind::Scheme => Query::Scheme(name),
            NameKind::Region => Query::About {
                name,
                guessed: false,
            },
        };
        Understood::Query(query, self.correction(k, spot))
    }

    /// Whether the question names a year of the star ratings (2002 to 2008).
    fn names_star_year(&self) -> bool {
        self.words
            .iter()
            .any(|w| w.len() == 4 && w.parse::<u16>().is_ok_and(|y| (2002..=2008).contains(&y)))
    }

    /// A question about councils in the plural: those with one Ofsted grade or number of
    /// stars ("which councils in london are outstanding", "list the zero-star authorities of
    /// 2003", "the best council in london"), those of a region ("list all london boroughs",
    /// "councils near leeds": Leeds's region), or every region ("what's the worst region").
    /// `None` unless the question names councils in the plural (or in the singular with "best"
    /// or "worst") and names no council but where it names a region or after "near".
    pub(super) fn plural(&self, k: &Knowledge) -> Option<Plural> {
        let w = &self.words;
        // "the best council in london" asks which, as "the best councils" does.
        let superlative = w.iter().any(|x| matches!(*x, "best" | "worst"));
        // "what's the worst region": the regions side by side.
        let regionwise = w.iter().any(|x| matches!(*x, "region" | "regions"));
        if regionwise && superlative && self.spots.is_empty() && self.region_words(k).is_none() {
            return Some(Plural::ByRegion);
        }
        let councils = |x: &str| {
            matches!(x, "councils" | "authorities" | "boroughs" | "counties")
                || (superlative && matches!(x, "council" | "authority" | "borough" | "county"))
        };
        if !w.iter().any(|x| councils(x)) {
            return None;
        }
        let mut scales: Vec<String> = Vec::new();
        for (i, word) in w.iter().enumerate() {
            let before = i.checked_sub(1).map(|p| w[p]);
            let scale = match *word {
                "outstanding" | "inadequate" => word.to_string(),
                // Ofsted's grades are the scale of today's "best" and "worst".
                "best" => "outstanding".into(),
                "worst" | "failing" => "inadequate".into(),
                // "how good", "any good" ask whether, not which.
                "good" if !matches!(before, Some("how" | "any" | "very" | "so" | "as")) => {
                    word.to_string()
                }
                "improvement"
                    if matches!(
                        before,
                        Some("requires" | "require" | "requiring" | "needs" | "need")
                    ) =>
                {
                    "requires improvement".into()
                }
                "star" | "stars" => match before.and_then(registry::star_count) {
                    Some(n) if n <= 3 => format!("{n} stars"),
                    _ => continue,
                },
                _ => continue,
            };
            if !scales.contains(&scale) {
                scales.push(scale);
            }
        }
        let region = self.region_words(k);
        // "councils near leeds": carebot has no map, so the councils of Leeds's region, which
        // the answer names.
        let near = (self.spots.iter()).find(|s| {
            s.kind == NameKind::Council
                && (s.start.checked_sub(1)).is_some_and(|i| matches!(w[i], "near" | "around"))
        });
        let near_region = near.and_then(|s| k.councils[s.entity].region.clone());
        // Any name but the region's ("which councils like leeds are good") is not this question.
        let in_region =
            |s: &Spot| region.is_some_and(|(start, end)| start < s.end && s.start < end);
        let named = |s: &Spot| near.is_some_and(|n| n.entity == s.entity && n.kind == s.kind);
        if !(self.spots.iter()).all(|s| s.kind == NameKind::Region || in_region(s) || named(s)) {
            return None;
        }
        let region = match near_region {
            Some(r) if region.is_none() => Some(r),
            _ => region.map(|(start, end)| w[start..end].join(" ")),
        };
        // "which region has the most inadequate councils": the regions side by side.
        if regionwise && region.is_none() && scales.len() == 1 && !scales[0].ends_with("stars") {
            return Some(Plural::ByRegion);
        }
        let mut words = match <[String; 1]>::try_from(scales) {
            Ok([scale]) => scale,
            // A region's councils, unless a cue asks something else of a region the sources
            // describe ("how many councils in the midlands" asks for their figure).
            Err(scales) if scales.is_empty() => {
                let described = self.spots.iter().any(|s| s.kind == NameKind::Region);
                let other = (self.hits.iter()).any(|h| h.command.id != CommandId::Councils);
                return region
                    .filter(|_| !(described && other))
                    .map(Plural::InRegion);
            }
            Err(_) => return None,
        };
        const MONTHS: [&str; 5] = ["may", "nov", "november", "dec", "december"];
        let year = (w.iter()).position(|x| x.len() == 4 && x.bytes().all(|b| b.is_ascii_digit()));
        if let Some(y) = year {
            words.push(' ');
            let month = y.checked_sub(1).map(|m| w[m]);
            if let Some(month) = month.filter(|m| MONTHS.contains(m)) {
                words.push_str(month);
                words.push(' ');
            }
            words.push_str(w[y]);
        }
        if let Some(region) = region {
            words.push_str(" in ");
            words.push_str(&region);
        }
        Some(Plural::Rated(words))
    }

    /// The words (`start..end`) that name a region of England as the councils' register names
    /// it ("north west", "london", "yorkshire and the humber"), the longest run of them.
    fn region_words(&self, k: &Knowledge) -> Option<(usize, usize)> {
        let w = &self.words;
        let joins = |x: &str| matches!(x, "the" | "and" | "of");
        let mut best: Option<(usize, usize)> = None;
        for start in 0..w.len() {
            for end in start + 1..=w.len().min(start + 5) {
                if joins(w[start]) || joins(w[end - 1]) {
                    continue;
                }
                let run = w[start..end].join(" ");
                // "england" alone is the country, not the East of England.
                let names = run != "england" && !k.regions_named(&run).is_empty();
                if names && best.is_none_or(|(s, e)| end - start > e - s) {
                    best = Some((start, end));
                }
            }
        }
        best
    }

    /// A region's name with the point of the compass typed before it.
    fn region_as_typed(&self, k: &Knowledge, spot: &Spot) -> String {
        let name = self.name(k, spot);
        match spot.start.checked_sub(1).map(|i| self.words[i]) {
            Some(w @ ("west" | "east" | "north" | "south")) => {
                format!("{w} {}", name.trim_start_matches("the "))
            }
            _ => name,
        }
    }

    /// The name of what `spot` names.
    fn name(&self, k: &Knowledge, spot: &Spot) -> String {
        Kind::of(spot.kind).name(k, spot.entity).to_string()
    }

    /// A misspelt name's correction, with the name as it was typed.
    fn correction(&self, k: &Knowledge, spot: &Spot) -> Option<Correction> {
        spot.corrected
            .then(|| Correction::new(&self.as_typed(spot), &self.name(k, spot)))
    }

    /// The words `spot` covers as they were typed.
    fn as_typed(&self, spot: &Spot) -> String {
        self.typed_words(spot.start, spot.end)
    }

    /// Words `start..end` as they were typed: the whole tokens of the question that hold them,
    /// without trailing punctuation or possessive.
    fn typed_words(&self, start: usize, end: usize) -> String {
        let mut at = 0;
        let mut kept: Vec<&str> = Vec::new();
        for token in self.text.split_whitespace() {
            let n = Reading::fold(token)
                .split(' ')
                .filter(|w| !w.is_empty())
                .count();
            if at + n > start && at < end {
                kept.push(token);
            }
            at += n;
        }
        let typed = kept.join(" ");
        let typed = typed.trim_end_matches(|c: char| !c.is_alphanumeric());
        let typed = typed
            .strip_suffix("'s")
            .or_else(|| typed.strip_suffix("’s"))
            .unwrap_or(typed);
        if typed.is_empty() {
            self.words[start..end].join(" ")
        } else {
            typed.to_string()
        }
    }

    /// A question naming nothing known, read by the patterns: the name the patterns took is
    /// kept only when it holds no question words; else the words that may be a name stand in
    /// its place ("how good is cardiff" asks for the stars of "cardiff", not of a council
    /// called "how good is cardiff").
    pub(super) fn honest(&self, cues: &Cues, parsed: Parsed) -> Parsed {
        // The words from the first that may be a name to the last ("meals on wheels").
        let maybe_name = |(i, w): &(usize, &&str)| {
            !cues.is_common(w)
                && !w.chars().all(|c| c.is_ascii_digit())
                && !self.hits.iter().any(|h| h.start <= *i && *i < h.end)
        };
        let mut indexed = self.words.iter().enumerate();
        let from = indexed.clone().find(maybe_name).map(|(i, _)| i);
        let to = indexed.rfind(maybe_name).map(|(i, _)| i + 1);
        let unknown: Vec<String> = match (from, to) {
            (Some(from), Some(to)) => vec![self.typed_words(from, to)],
            _ => Vec::new(),
        };
        let best = self
            .hits
            .iter()
            .filter(|h| {
                matches!(
                    h.command.args.first().map(|a| a.kind),
                    Some(ArgKind::Council | ArgKind::Person | ArgKind::Scheme)
                )
            })
            .max_by_key(|h| (h.len(), h.start));
        match parsed {
            Parsed::Query(Query::About { guessed: true, .. }) | Parsed::NotUnderstood => match best
            {
                Some(h) if !unknown.is_empty() => {
                    match (h.command.build)(vec![unknown.join(" ")]) {
                        Ok(q) => Parsed::Query(q),
                        Err(_) => Parsed::NotUnderstood,
                    }
                }
                _ => parsed,
            },
            Parsed::Query(mut q) => {
                let person = matches!(q, Query::Person(_));
                if let Some(name) = name_of(&mut q) {
                    let asked = fold(name);
                    if asked.split(' ').any(|w| cues.is_common(w)) {
                        // "who's in charge of brum" asks for a director, of "brum".
                        if let (Some(h), false) = (best, unknown.is_empty()) {
                            if let Ok(q) = (h.command.build)(vec![unknown.join(" ")]) {
                                return Parsed::Query(q);
                            }
                        }
                        // "who won the football" names no one.
                        if unknown.is_empty() || person {
                            return Parsed::NotUnderstood;
                        }
                        *name = unknown.join(" ");
                    }
                }
                Parsed::Query(q)
            }
            other => other,
        }
    }
}

/// The name a query asks about, if it asks about one.
fn name_of(q: &mut Query) -> Option<&mut String> {
    match q {
        Query::Stars(n)
        | Query::Director(n)
        | Query::Person(n)
        | Query::Schemes(n)
        | Query::Scheme(n)
        | Query::Council(n)
        | Query::About { name: n, .. }
        | Query::SchemeFact { name: n, .. }
        | Query::Figures { council: n, .. } => Some(n),
        _ => None,
    }
}
