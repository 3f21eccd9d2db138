//! The knowledge base: what carebot knows, loaded from TOML files and validated whole.

mod confined;
mod distance;
mod error;
pub mod index;
mod joined;
mod limits;
mod load;
pub mod model;
pub mod normalize;
mod origin;
mod parallel;
mod pieces;
mod quote;
pub mod register;
pub mod rows;
mod search;
pub mod spot;
mod syntax;
pub mod tables;
mod validate;
mod verify;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::thread;

pub use error::{LoadError, LoadErrors};
pub use index::{NameIndex, Resolved};
pub use load::{load_dir, load_texts, read_dir, KnowledgeText};
pub use model::*;
pub use search::Hit;
pub use spot::{NameKind, Spot};

use index::Clash;
use normalize::{contains_words, fold, name_key};

/// Words council lookups ignore ("Coventry City Council" finds Coventry).
const COUNCIL_FILLER: &[&str] = &[
    "council",
    "city",
    "borough",
    "metropolitan",
    "county",
    "district",
    "of",
    "the",
    "mbc",
    "cc",
];
/// Words person lookups ignore.
const PERSON_FILLER: &[&str] = &["mr", "mrs", "ms", "dr"];
/// Words scheme lookups ignore.
const SCHEME_FILLER: &[&str] = &["the", "scheme", "initiative", "programme", "project"];

/// Resolves a name in `index`; when nothing matches and the name has an ampersand, tries
/// again with "and" for it ("Safe & Sound" finds Safe and Sound).
fn resolve(index: &NameIndex, name: &str) -> Resolved {
    let first = index.resolve(name);
    if matches!(first, Resolved::Unknown(_)) && name.contains('&') {
        let again = index.resolve(&name.replace('&', " and "));
        if !matches!(again, Resolved::Unknown(_)) {
            return again;
        }
    }
    first
}

/// A loaded, validated knowledge base. Immutable: a reload builds a new one.
#[derive(Debug, Default)]
pub struct Knowledge {
    pub sources: Vec<Source>,
    pub councils: Vec<Council>,
    pub people: Vec<Person>,
    pub schemes: Vec<Scheme>,
    pub ratings: Vec<Rating>,
    pub figures: Vec<Figure>,
    pub regions: Vec<Region>,
    /// The authorities and facts imported from tables.
    pub register: register::Register,
    council_names: NameIndex,
    /// Every council's folded name with the council, sorted, for completing a name as typed.
    councils_by_name: Vec<(String, usize)>,
    person_names: NameIndex,
    scheme_names: NameIndex,
    region_names: NameIndex,
    /// Every name, for finding the names a whole message mentions: built when first needed
    /// (or by [`Knowledge::warm`]).
    spotter: OnceLock<spot::Spotter>,
    source_ids: HashMap<String, usize>,
    council_ids: HashMap<String, usize>,
    person_ids: HashMap<String, usize>,
    links: Vec<CouncilLinks>,
    region_figures: Vec<Vec<usize>>,
    /// For each person, the councils then regions with notes attributed to them.
    attributed: Vec<Vec<Subject>>,
    /// For 0 to 3 stars, the councils rated so.
    rated: [Rated; 4],
    /// The regions councils name, each with its councils in knowledge-base order.
    council_regions: Vec<RegionCouncils>,
    /// Every fact's words, for `!search`: built when first needed (or by [`Knowledge::warm`]).
    search: OnceLock<search::SearchIndex>,
    /// The register's facts by council.
    joined: joined::Joined,
}

/// A council or a region, by index, that notes can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Council(usize),
    Region(usize),
}

/// The councils with one star rating, each list in knowledge-base order.
#[derive(Debug, Default)]
struct Rated {
    /// Rated so in their latest year.
    now: Vec<usize>,
    /// Rated so only in an earlier year.
    earlier: Vec<usize>,
}

/// One region as councils name it, and its councils.
#[derive(Debug)]
struct RegionCouncils {
    /// The region's name as [`normalize::name_key`] folds it, without "the".
    key: String,
    /// The name as the first council gives it.
    name: String,
    councils: Vec<usize>,
}

/// Everything the knowledge base holds about one council, as indices into [`Knowledge`].
#[derive(Debug, Default, Clone)]
pub struct CouncilLinks {
    /// Ratings, newest year first.
    pub ratings: Vec<usize>,
    pub schemes: Vec<usize>,
    pub figures: Vec<usize>,
    /// `(person, role)` pairs of roles at this council; leaders of social services first.
    pub roles: Vec<(usize, usize)>,
}

/// Counts of what a knowledge base holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub sources: usize,
    pub councils: usize,
    pub people: usize,
    pub schemes: usize,
    pub ratings: usize,
    pub regions: usize,
    pub figures: usize,
    pub quotes: usize,
}

impl Knowledge {
    /// Finds a council by id, name or alias, tolerating typos.
    pub fn find_council(&self, name: &str) -> Resolved {
        self.council_ids.get(name).map_or_else(
            || resolve(&self.council_names, name),
            |&i| Resolved::Exact(i),
        )
    }

    /// Finds a person by id, name or alias, tolerating typos.
    pub fn find_person(&self, name: &str) -> Resolved {
        self.person_ids.get(name).map_or_else(
            || resolve(&self.person_names, name),
            |&i| Resolved::Exact(i),
        )
    }

    /// Finds a scheme by name or alias, tolerating typos.
    pub fn find_scheme(&self, name: &str) -> Resolved {
        resolve(&self.scheme_names, name)
    }

    /// The names `words` (a message folded and split into words) mention; `common` tells the
    /// ordinary words that are never taken as a misspelt name.
    pub fn spot(&self, words: &[&str], common: &dyn Fn(&str) -> bool) -> Vec<Spot> {
        self.spotter
            .get_or_init(|| self.build_spotter())
            .spot(words, common)
    }

    /// Builds now what is otherwise built when first needed (the spotter of names in plain
    /// questions and the search index), so that no question waits for it.
    pub fn warm(&self) {
        thread::scope(|s| {
            s.spawn(|| self.spotter.get_or_init(|| self.build_spotter()));
            self.search.get_or_init(|| search::SearchIndex::build(self));
        });
    }

    /// Councils for a partly typed name, best first: those whose name starts with what was
    /// typed, in the order of their names ("ci" offers City of Bristol and City of London,
    /// though lookups ignore "city"), then those the name index finds. Before anything is
    /// typed, the first councils by name.
    pub fn complete_council(&self, partial: &str, limit: usize) -> Vec<usize> {
        let typed = fold(partial);
        let by_name = &self.councils_by_name;
        let start = by_name.partition_point(|(name, _)| name.as_str() < typed.as_str());
        let mut out: Vec<usize> = (by_name[start..].iter())
            .take_while(|(name, _)| name.starts_with(typed.as_str()))
            .take(limit)
            .map(|&(_, c)| c)
            .collect();
        if out.len() < limit && !typed.is_empty() {
            for c in self.council_names.complete(partial, limit) {
                if out.len() < limit && !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// People for a partly typed name, best first.
    pub fn complete_person(&self, partial: &str, limit: usize) -> Vec<usize> {
        self.person_names.complete(partial, limit)
    }

    /// Schemes for a partly typed name, best first.
    pub fn complete_scheme(&self, partial: &str, limit: usize) -> Vec<usize> {
        self.scheme_names.complete(partial, limit)
    }

    /// The source with this id. Every id in a loaded knowledge base resolves.
    pub fn source(&self, id: &str) -> &Source {
        &self.sources[self.source_ids[id]]
    }

    /// The council with this id.
    pub fn council_by_id(&self, id: &str) -> &Council {
        &self.councils[self.council_ids[id]]
    }

    /// The person with this id.
    pub fn person_by_id(&self, id: &str) -> &Person {
        &self.people[self.person_ids[id]]
    }

    /// What the knowledge base holds about a council.
    pub fn links(&self, council: usize) -> &CouncilLinks {
        &self.links[council]
    }

    /// Finds a region by name or alias, tolerating typos.
    pub fn find_region(&self, name: &str) -> Resolved {
        resolve(&self.region_names, name)
    }

    /// Figures about a region rather than one council.
    pub fn region_figures(&self, region: usize) -> impl Iterator<Item = &Figure> {
        self.region_figures[region]
            .iter()
            .map(|&i| &self.figures[i])
    }

    /// A council's ratings, newest year first.
    pub fn ratings_of(&self, council: usize) -> impl Iterator<Item = &Rating> {
        self.links[council]
            .ratings
            .iter()
            .map(|&i| &self.ratings[i])
    }

    /// The councils rated `stars` in their latest year, and those rated so only in an earlier
    /// year, by index, in knowledge-base order.
    pub fn rated(&self, stars: i64) -> (&[usize], &[usize]) {
        match usize::try_from(stars).ok().and_then(|s| self.rated.get(s)) {
            Some(r) => (&r.now, &r.earlier),
            None => (&[], &[]),
        }
    }

    /// The first `limit` councils, in knowledge-base order, whose region has all the words of
    /// `region` ("Midlands" finds the West and East Midlands), and how many there are in all.
    pub fn councils_in(&self, region: &str, limit: usize) -> (Vec<usize>, usize) {
        let named = self.regions_named(region);
        let lists: Vec<&[usize]> = (self.council_regions.iter())
            .filter(|r| named.contains(&r.name.as_str()))
            .map(|r| r.councils.as_slice())
            .collect();
        // Merge the lists' heads: each list is in order; a council its sources put in two
        // regions is in two lists, and is taken once.
        let mut heads = vec![0; lists.len()];
        let mut first = Vec::new();
        let (mut total, mut last) = (0, None);
        while let Some(i) = (0..lists.len())
            .filter(|&i| heads[i] < lists[i].len())
            .min_by_key(|&i| lists[i][heads[i]])
        {
            let c = lists[i][heads[i]];
            heads[i] += 1;
            if last == Some(c) {
                continue;
            }
            last = Some(c);
            total += 1;
            if first.len() < limit {
                first.push(c);
            }
        }
        (first, total)
    }

    /// The regions councils name that the words `region` name, as the first council names
    /// each: the one they name whole ("north west"), else every one whose name has all the
    /// words ("midlands": the East and the West Midlands), sorted; none when no region has
    /// them.
    pub fn regions_named(&self, region: &str) -> Vec<&str> {
        let key = name_key(region, &["the"]);
        if key.is_empty() {
            return Vec::new();
        }
        if let Some(whole) = self.council_regions.iter().find(|r| r.key == key) {
            return vec![whole.name.as_str()];
        }
        let mut named: Vec<&str> = (self.council_regions.iter())
            .filter(|r| contains_words(&r.key, &key))
            .map(|r| r.name.as_str())
            .collect();
        named.sort_unstable();
        named
    }

    /// Every region councils name, as the first of them names it, sorted.
    pub fn council_region_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .council_regions
            .iter()
            .map(|r| r.name.clone())
            .collect();
        names.sort();
        names
    }

    /// The councils, then the regions, with notes the sources attribute to person `p` (`by`),
    /// in knowledge-base order: each one's name and all its notes.
    pub fn attributed(&self, p: usize) -> impl Iterator<Item = (&str, &[Note])> {
        self.attributed
            .get(p)
            .into_iter()
            .flatten()
            .map(|&subject| match subject {
                Subject::Region(i) => (
                    self.regions[i].name.as_str(),
                    self.regions[i].notes.as_slice(),
                ),
                Subject::Council(i) => (
                    self.councils[i].name.as_str(),
                    self.councils[i].notes.as_slice(),
                ),
            })
    }

    /// Facts whose words match a search, best first.
    pub fn search(&self, words: &str, limit: usize) -> Vec<&Hit> {
        self.search
            .get_or_init(|| search::SearchIndex::build(self))
            .search(self, words, limit)
    }

    /// How much the knowledge base holds.
    pub fn counts(&self) -> Counts {
        Counts {
            sources: self.sources.len(),
            councils: self.councils.len(),
            people: self.people.len(),
            schemes: self.schemes.len(),
            ratings: self.ratings.len(),
            regions: self.regions.len(),
            figures: self.figures.len(),
            quotes: self.people.iter().map(|p| p.quotes.len()).sum(),
        }
    }

    /// Builds the name indexes; returns the names that collide, with their kind.
    fn build_indexes(&mut self) -> Vec<(Kind, Clash)> {
        let (c, cc) = NameIndex::build(
            COUNCIL_FILLER,
            names(&self.councils, |c| (c.name.as_str(), &c.aliases)),
        );
        let (p, pc) = NameIndex::build(
            PERSON_FILLER,
            names(&self.people, |p| (p.name.as_str(), &p.aliases)),
        );
        let (s, sc) = NameIndex::build(
            SCHEME_FILLER,
            names(&self.schemes, |s| (s.name.as_str(), &s.aliases)),
        );
        let (r, rc) = NameIndex::build(
            COUNCIL_FILLER,
            names(&self.regions, |r| (r.name.as_str(), &r.aliases)),
        );
        self.region_names = r;
        self.council_names = c;
        self.person_names = p;
        self.scheme_names = s;
        let tag = |kind: Kind| move |c: Clash| (kind, c);
        cc.into_iter()
            .map(tag(Kind::Council))
            .chain(pc.into_iter().map(tag(Kind::Person)))
            .chain(sc.into_iter().map(tag(Kind::Scheme)))
            .chain(rc.into_iter().map(tag(Kind::Region)))
            .collect()
    }

    /// The spotter of every name of every kind.
    fn build_spotter(&self) -> spot::Spotter {
        fn every(
            kind: NameKind,
            n: Vec<(usize, &str)>,
        ) -> impl Iterator<Item = (NameKind, usize, &str)> {
            n.into_iter().map(move |(i, name)| (kind, i, name))
        }
        spot::Spotter::build(
            every(
                NameKind::Council,
                names(&self.councils, |c| (c.name.as_str(), &c.aliases)),
            )
            .chain(every(
                NameKind::Person,
                names(&self.people, |p| (p.name.as_str(), &p.aliases)),
            ))
            .chain(every(
                NameKind::Scheme,
                names(&self.schemes, |s| (s.name.as_str(), &s.aliases)),
            ))
            .chain(every(
                NameKind::Region,
                names(&self.regions, |r| (r.name.as_str(), &r.aliases)),
            )),
            |kind| match kind {
                NameKind::Council | NameKind::Region => COUNCIL_FILLER,
                NameKind::Person => PERSON_FILLER,
                NameKind::Scheme => SCHEME_FILLER,
            },
        )
    }

    /// The lists behind [`Knowledge::rated`]; needs `links`.
    fn by_rating(&self) -> [Rated; 4] {
        let mut rated: [Rated; 4] = Default::default();
        for c in 0..self.links.len() {
            let Some(latest) = self.ratings_of(c).next().map(|r| r.year) else {
                continue;
            };
            let (mut now, mut earlier) = ([false; 4], [false; 4]);
            for r in self.ratings_of(c) {
                if let Some(s) = usize::try_from(r.stars).ok().filter(|&s| s < 4) {
                    if r.year == latest {
                        now[s] = true;
                    } else {
                        earlier[s] = true;
                    }
                }
            }
            for (s, lists) in rated.iter_mut().enumerate() {
                if now[s] {
                    lists.now.push(c);
                } else if earlier[s] {
                    lists.earlier.push(c);
                }
            }
        }
        rated
    }

    /// The lists behind [`Knowledge::councils_in`].
    fn by_region(&self) -> Vec<RegionCouncils> {
        let mut regions: Vec<RegionCouncils> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        // A council is in the region each of its sources gives: the register's (or the curated
        // entry's) and, where it differs, Ofsted's summary's.
        let claims = (self.councils.iter().enumerate()).flat_map(|(c, council)| {
            let ofsted = (self.inspection_of(c))
                .and_then(|i| i.region.as_ref())
                .filter(|r| council.region.as_ref() != Some(*r));
            council.region.iter().chain(ofsted).map(move |r| (c, r))
        });
        for (c, name) in claims {
            let key = name_key(name, &["the"]);
            let i = *at.entry(key.clone()).or_insert_with(|| {
                regions.push(RegionCouncils {
                    key,
                    name: name.clone(),
                    councils: Vec::new(),
                });
                regions.len() - 1
            });
            regions[i].councils.push(c);
        }
        regions
    }

    /// Derives the lookups answers use, once validation has passed.
    fn finish(&mut self) {
        let position = |ids: Vec<&String>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        self.source_ids = position(self.sources.iter().map(|s| &s.id).collect());
        self.join_register();
        // The register's councils join the index; clashes among curated names were refused,
        // and a later register name that reads as an earlier one is left out.
        let _ = self.build_indexes();
        self.council_ids = position(self.councils.iter().map(|s| &s.id).collect());
        let mut by_name: Vec<(String, usize)> = (self.councils.iter().enumerate())
            .map(|(c, council)| (fold(&council.name), c))
            .collect();
        by_name.sort_unstable();
        self.councils_by_name = by_name;
        self.person_ids = position(self.people.iter().map(|s| &s.id).collect());
        let mut links = vec![CouncilLinks::default(); self.councils.len()];
        for (i, r) in self.ratings.iter().enumerate() {
            links[self.council_ids[&r.council]].ratings.push(i);
        }
        for (i, s) in self.schemes.iter().enumerate() {
            links[self.council_ids[&s.council]].schemes.push(i);
        }
        let region_ids = position(self.regions.iter().map(|s| &s.id).collect());
        self.region_figures = vec![Vec::new(); self.regions.len()];
        for (i, f) in self.figures.iter().enumerate() {
            match (&f.council, &f.region) {
                (Some(c), _) => links[self.council_ids[c]].figures.push(i),
                (None, Some(r)) => self.region_figures[region_ids[r]].push(i),
                (None, None) => {}
            }
        }
        for (p, person) in self.people.iter().enumerate() {
            for (r, role) in person.roles.iter().enumerate() {
                if let Some(c) = &role.council {
                    links[self.council_ids[c]].roles.push((p, r));
                }
            }
        }
        for l in &mut links {
            let ratings = &self.ratings;
            l.ratings
                .sort_by_key(|&i| std::cmp::Reverse(ratings[i].year));
            let people = &self.people;
            l.roles
                .sort_by_key(|&(p, r)| !people[p].roles[r].leads_social_services);
        }
        self.links = links;
        self.rated = self.by_rating();
        let mut attributed: Vec<Vec<Subject>> = vec![Vec::new(); self.people.len()];
        let subjects = (self.councils.iter().map(|c| &c.notes).enumerate())
            .map(|(i, notes)| (Subject::Council(i), notes))
            .chain(
                (self.regions.iter().map(|r| &r.notes).enumerate())
                    .map(|(i, notes)| (Subject::Region(i), notes)),
            );
        for (subject, notes) in subjects {
            for n in notes {
                let Some(&p) = n.by.as_ref().and_then(|by| self.person_ids.get(by)) else {
                    continue;
                };
                if attributed[p].last() != Some(&subject) {
                    attributed[p].push(subject);
                }
            }
        }
        self.attributed = attributed;
        self.joined = self.joined();
        // Needs `joined`, for the regions Ofsted's summary gives.
        self.council_regions = self.by_region();
    }
}

/// Each entry's name and aliases, with the entry's index.
fn names<'a, T>(
    list: &'a [T],
    name: impl Fn(&'a T) -> (&'a str, &'a [String]),
) -> Vec<(usize, &'a str)> {
    list.iter()
        .enumerate()
        .flat_map(|(i, x)| {
            let (n, aliases) = name(x);
            std::iter::once((i, n)).chain(aliases.iter().map(move |a| (i, a.as_str())))
        })
        .collect()
}
