//! A seeded generator of synthetic knowledge bases for the benchmarks.
//!
//! `generate(n, seed)` writes TOML text for `n` councils in the same files and proportions as
//! the bundled base (per council about 1 person, 1.2 schemes, 1 rating and 2.6 figures; a few
//! ratings conflict), with English-place-like names built from syllables. There is one source
//! and it has no `file`, so quotes are not checked against a text. The same `(n, seed)` always
//! gives the same text; the generator uses its own tiny PRNG (splitmix64).

#![allow(dead_code)] // Each bench binary uses a different part of this module.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use carebot::knowledge::KnowledgeText;

/// The seed the benchmarks use.
pub const SEED: u64 = 0x5EE_DCA4_EB07;

/// splitmix64: tiny, fast and good enough to pick syllables.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.below(list.len())]
    }
}

#[rustfmt::skip]
const ONSETS: &[&str] = &[
    "Ash", "Bar", "Bex", "Black", "Brad", "Bram", "Brent", "Bur", "Carl", "Chel", "Ches", "Chip",
    "Clay", "Cod", "Cor", "Crew", "Dar", "Dun", "Eas", "Elm", "Ever", "Fal", "Farn", "Fel",
    "Glen", "Gran", "Hal", "Har", "Hart", "Has", "Hen", "Hol", "Hun", "Ket", "Kings", "Kir",
    "Lang", "Lan", "Led", "Lich", "Lind", "Long", "Lough", "Mal", "Mar", "Mel", "Mid", "Mor",
    "Nor", "Oak", "Ot", "Pen", "Pet", "Pres", "Rad", "Ram", "Red", "Rich", "Roch", "Rom", "Rud",
    "Sal", "Sand", "Scar", "Shef", "Shep", "Skel", "Stam", "Stan", "Stock", "Sut", "Swin",
    "Tam", "Taun", "Tew", "Thorn", "Tod", "Tor", "Wal", "War", "Wel", "Whit", "Wick", "Wil",
    "Win", "Wood", "Wor", "Wy", "Yar", "Ave", "Bas", "Cul", "Dray", "Ely", "Frome", "Gos",
    "Ilk", "Knut", "Mat", "Ock", "Pad", "Ux", "Ver",
];
#[rustfmt::skip]
const MIDDLES: &[&str] = &[
    "ing", "er", "en", "bo", "ver", "ling", "den", "ring", "ley", "hal", "ders", "comb", "ker",
    "lin", "mer", "ton",
];
#[rustfmt::skip]
const CODAS: &[&str] = &[
    "ton", "ham", "ford", "bury", "field", "ley", "wick", "worth", "by", "thorpe", "stead",
    "minster", "chester", "mouth", "combe", "den", "hurst", "well", "bridge", "port", "pool",
    "borough", "dale", "gate", "holme", "mere", "sey", "wich", "stow", "cliffe", "wood", "moor",
    "burn", "caster", "ington", "ingham", "shaw", "ridge", "brook", "cot",
];
#[rustfmt::skip]
const QUALIFIERS: &[&str] = &[
    "North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Market", "Kings",
    "Bishops", "Long", "High", "Old", "New", "Nether", "Much",
];
#[rustfmt::skip]
const RIVERS: &[&str] = &[
    "Avon", "Trent", "Tyne", "Wear", "Tees", "Severn", "Thames", "Ouse", "Wye", "Dee", "Eden",
    "Lune", "Exe", "Tamar", "Derwent", "Swale", "Nene", "Medway",
];
#[rustfmt::skip]
const AREA_WORDS: &[&str] = &[
    "Vale", "Dales", "Moors", "Fens", "Downs", "Forest", "Heath", "Valley", "Wolds", "Marches",
];
#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Margaret", "John", "Susan", "Peter", "Helen", "David", "Anne", "Michael", "Sarah", "Robert",
    "Elizabeth", "James", "Catherine", "Richard", "Alison", "Paul", "Gillian", "Andrew", "Ruth",
    "Stephen", "Janet", "Mark", "Patricia", "Ian", "Linda", "Christopher", "Karen", "Simon",
    "Jacqueline", "Graham", "Deborah", "Nigel", "Hilary", "Colin", "Judith", "Martin", "Rachel",
    "Keith", "Fiona", "Geoffrey", "Amrit", "Yasmin", "Tariq", "Priya", "Kwame", "Niamh",
    "Siobhan", "Owen", "Gareth", "Bronwen",
];
const TITLES: &[&str] = &[
    "director of social services",
    "director of social care and health",
    "strategic director of adult and community services",
    "corporate director of children's services",
    "executive director of social care and housing",
    "head of adult social care",
];
const SCHEME_KINDS: &[&str] = &[
    "Safe at Home",
    "Shared Lives",
    "Extra Care Housing",
    "Home from Hospital",
    "Staying Put",
    "Carers Together",
    "Grow Your Own Social Workers",
    "Foster Care Recruitment",
    "Telecare Pendant",
    "Reablement",
    "Befriending",
    "Workforce Academy",
];
const REGIONS: &[&str] = &[
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
];

/// A generated knowledge base: its files and a few names for the benchmarks to ask about.
#[derive(Debug, Clone)]
pub struct Synth {
    pub files: Vec<KnowledgeText>,
    /// Council names, in file order.
    pub councils: Vec<String>,
    /// `(council index, alias)` for councils with an alias that folds differently from the name.
    pub aliases: Vec<(usize, String)>,
    /// Person names, in file order.
    pub people: Vec<String>,
    /// Entities generated: councils, people, schemes, ratings, figures, regions, sources.
    pub entities: usize,
}

impl Synth {
    /// Bytes of TOML text.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }
}

/// The folded form the loader compares names by (ASCII names only): lower case, words only.
fn key(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn slug(name: &str) -> String {
    key(name).replace(' ', "-")
}

/// One word such as "Ashworth" or "Kingsingham".
fn word(rng: &mut Rng) -> String {
    let mut w = rng.pick(ONSETS).to_string();
    if rng.chance(0.45) {
        w.push_str(rng.pick(MIDDLES));
    }
    w.push_str(rng.pick(CODAS));
    w
}

/// A place name: "Ashworth", "Market Kirby", "Stanford upon Trent", "Hal and Dunmouth".
fn place(rng: &mut Rng) -> String {
    match rng.below(20) {
        0..=10 => word(rng),
        11..=14 => format!("{} {}", rng.pick(QUALIFIERS), word(rng)),
        15..=17 => {
            let link = if rng.chance(0.5) { "on" } else { "upon" };
            format!("{} {link} {}", word(rng), rng.pick(RIVERS))
        }
        _ => format!("{} and {}", word(rng), word(rng)),
    }
}

/// A name not yet in `taken`; falls back to adding words when the syllables run out.
fn unique(rng: &mut Rng, taken: &mut HashSet<String>, make: impl Fn(&mut Rng) -> String) -> String {
    for _ in 0..16 {
        let n = make(rng);
        if taken.insert(key(&n)) {
            return n;
        }
    }
    loop {
        let n = format!("{} {}", make(rng), rng.pick(AREA_WORDS));
        if taken.insert(key(&n)) {
            return n;
        }
    }
}

/// Escapes a TOML basic string (the generator's text never needs it, but stay safe).
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text for `n` councils, deterministic for `seed`, in one file per kind like the bundled base.
pub fn generate(n: usize, seed: u64) -> Synth {
    generate_sharded(n, seed, usize::MAX)
}

/// The councils, people, schemes, ratings and figures of one file set.
#[derive(Default)]
struct Shard {
    councils: String,
    people: String,
    schemes: String,
    ratings: String,
    figures: String,
}

/// Like [`generate`], but a new set of files every `per_file` councils
/// (`councils-000.toml`, `people-000.toml`, …), as a large base might be kept. The facts are
/// the same as `generate(n, seed)`'s; only the files they are in differ.
pub fn generate_sharded(n: usize, seed: u64, per_file: usize) -> Synth {
    let mut rng = Rng::new(seed);
    let sources = String::from(
        "[[source]]\nid = \"synthetic-register\"\ntitle = \"Synthetic social services register\"\npublisher = \"carebot benchmarks\"\ndate = \"2004-11-19\"\n",
    );
    let mut regions = String::new();
    let mut shards = vec![Shard::default()];
    let src = "synthetic-register";
    let mut entities = 1;

    let region_ids: Vec<String> = REGIONS.iter().map(|r| slug(r)).collect();
    for (r, name) in REGIONS.iter().enumerate() {
        entities += 1;
        let _ = write!(
            regions,
            "\n[[region]]\nid = \"{}\"\nname = \"{name}\"\n\n[[region.note]]\ntext = \"Councils in the {name} share recruitment problems.\"\nsource = \"{src}\"\nquote = \"councils across the {name} are struggling to recruit\"\n",
            region_ids[r]
        );
        entities += 1;
        let _ = write!(
            shards[0].figures,
            "\n[[figure]]\nid = \"{}-local-authorities\"\nregion = \"{}\"\nwhat = \"local authorities covering the {name}\"\ntopic = \"authorities\"\nvalue = {}\nunit = \"count\"\nperiod = \"November 2004\"\nsource = \"{src}\"\nquote = \"The {} local authorities that cover the {name}\"\n",
            region_ids[r],
            region_ids[r],
            n / REGIONS.len() + 1,
            n / REGIONS.len() + 1,
        );
    }

    let mut council_keys = HashSet::new();
    let mut person_keys = HashSet::new();
    let mut scheme_keys = HashSet::new();
    let mut names = Vec::with_capacity(n);
    let mut aliases = Vec::new();
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        let name = unique(&mut rng, &mut council_keys, place);
        ids.push(slug(&name));
        names.push(name);
    }
    let mut person_names = Vec::with_capacity(n);
    for c in 0..n {
        if c > 0 && c % per_file.max(1) == 0 {
            shards.push(Shard::default());
        }
        let Shard {
            councils,
            people,
            schemes,
            ratings,
            figures,
        } = shards.last_mut().expect("a shard");
        let (name, id) = (&names[c], &ids[c]);
        let region = rng.below(REGIONS.len());
        let (kind, code) = match rng.below(10) {
            0..=3 => ("unitary", 6),
            4..=5 => ("metropolitan borough", 8),
            6 => ("london borough", 9),
            _ => ("county", 10),
        };
        let gss = format!("E{code:02}{:06}", c % 1_000_000);
        // Every council has "<name> Council", which folds to its name; about a third also have
        // an alias of their own.
        let mut alias_list = format!("\"{} Council\"", esc(name));
        if rng.chance(0.33) {
            let a = format!("{name} {}", rng.pick(AREA_WORDS));
            if council_keys.insert(key(&a)) {
                let _ = write!(alias_list, ", \"{}\"", esc(&a));
                aliases.push((c, a));
            }
        }
        entities += 1;
        let _ = write!(
            *councils,
            "\n[[council]]\nid = \"{id}\"\nname = \"{}\"\naliases = [{alias_list}]\nkind = \"{kind}\"\nregion = \"{}\"\ngss = \"{gss}\"\nregister = {{ source = \"{src}\", quote = \"{gss} {} ({kind}, {})\" }}\n",
            esc(name),
            REGIONS[region],
            esc(name),
            REGIONS[region],
        );
        if rng.chance(0.2) {
            let _ = write!(
                *councils,
                "\n[[council.note]]\ntext = \"Needs to build up strength in its services for children in need.\"\nsource = \"{src}\"\nquote = \"{} needs to build up strength in all its services for children in need\"\n",
                esc(name)
            );
        }

        // One person, who usually leads social services here.
        let person = unique(&mut rng, &mut person_keys, |r| {
            let surname = if r.chance(0.3) {
                format!("{}{}", r.pick(ONSETS), r.pick(MIDDLES))
            } else {
                word(r)
            };
            format!("{} {surname}", r.pick(FIRST_NAMES))
        });
        let pid = slug(&person);
        let title = rng.pick(TITLES);
        let leads = rng.chance(0.85);
        let mut person_alias = String::new();
        let initial = format!(
            "{}. {}",
            &person[..1],
            person.split_once(' ').map_or("", |x| x.1)
        );
        if person_keys.insert(key(&initial)) {
            person_alias = format!("aliases = [\"{}\"]\n", esc(&initial));
        }
        entities += 1;
        let _ = write!(
            *people,
            "\n[[person]]\nid = \"{pid}\"\nname = \"{}\"\n{person_alias}\n[[person.role]]\ntitle = \"{title}\"\norganisation = \"{} Council\"\ncouncil = \"{id}\"\nleads_social_services = {leads}\nperiod = \"November 2004\"\nsource = \"{src}\"\nquote = \"{}, the {title} at {}\"\n",
            esc(&person),
            esc(name),
            esc(&person),
            esc(name),
        );
        if rng.chance(0.5) {
            let _ = write!(
                *people,
                "\n[[person.said]]\nquote = \"The star rating is a validation of how we are doing in {} and not an end result in itself\"\ntopic = \"star ratings\"\nsource = \"{src}\"\n",
                esc(name)
            );
        }
        person_names.push(person);

        // 1.2 schemes.
        let count = if rng.chance(0.2) { 2 } else { 1 };
        let first = rng.below(SCHEME_KINDS.len());
        for s in 0..count {
            let kind = SCHEME_KINDS[(first + s * 5) % SCHEME_KINDS.len()];
            let sname = unique(&mut rng, &mut scheme_keys, |r| {
                if r.chance(0.5) {
                    format!("{name} {kind}")
                } else {
                    format!("{kind} {}", word(r))
                }
            });
            let weekly = 2 + rng.below(12);
            let reach = 50 + rng.below(4000);
            entities += 1;
            let _ = write!(
                *schemes,
                "\n[[scheme]]\nid = \"{}\"\nname = \"{}\"\ncouncil = \"{id}\"\nsource = \"{src}\"\ndescription = {{ text = \"Helps vulnerable residents of {} stay independent in their own homes.\", quote = \"The idea behind {} is for residents to become more independent in their own homes\" }}\ncost = {{ text = \"£{weekly} a week.\", quote = \"it costs £{weekly} a week\" }}\nreach = {{ text = \"{reach} people have signed up.\", quote = \"So far {reach} people have signed up\" }}\n",
                slug(&sname),
                esc(&sname),
                esc(name),
                esc(&sname),
            );
        }

        // About one rating: a few councils have none, a few have an earlier year too, and a
        // few have two claims for one year that disagree.
        let stars = rng.below(4);
        let area = rng.pick(&["overall", "overall", "children", "adults"]);
        let mut claims: Vec<(usize, &str, i64)> = Vec::new();
        match rng.below(100) {
            0..=5 => {}
            6..=8 => {
                claims.push((stars, area, 2004));
                claims.push(((stars + 1) % 4, area, 2004));
            }
            9..=11 => {
                claims.push((stars, area, 2004));
                claims.push((rng.below(4), area, 2002));
            }
            _ => claims.push((stars, area, 2004)),
        }
        for (stars, area, year) in claims {
            entities += 1;
            let when = if year == 2004 {
                "November 2004, when the article was published"
            } else {
                "2002, two years before the article"
            };
            let _ = write!(
                *ratings,
                "\n[[rating]]\ncouncil = \"{id}\"\nstars = {stars}\narea = \"{area}\"\nyear = {year}\nwhen = \"{when}\"\nsource = \"{src}\"\nquote = \"{} has a {}-star rating\"\n",
                esc(name),
                ["zero", "one", "two", "three"][stars],
            );
        }

        // 2.6 figures.
        let population = 40_000 + rng.below(1_100_000);
        let mut figs: Vec<(String, String, &str, String, &str, String)> = vec![(
            "population".into(),
            "population".into(),
            "population",
            population.to_string(),
            "people",
            format!("{} has a population of {population}", esc(name)),
        )];
        let white = 60 + rng.below(38);
        figs.push((
            "white-share".into(),
            "share of residents who are white".into(),
            "ethnicity",
            white.to_string(),
            "percent",
            format!("{white} per cent of {} residents are white", esc(name)),
        ));
        if rng.chance(0.6) {
            let (suffix, what, topic, value, unit, quote) = match rng.below(3) {
                0 => {
                    let v = 20 + rng.below(600);
                    (
                        "area",
                        "area",
                        "area",
                        v,
                        "square-miles",
                        format!("{} covers {v} square miles", esc(name)),
                    )
                }
                1 => {
                    let v = 5 + rng.below(30);
                    (
                        "childrens-vacancy-rate",
                        "vacancy rate across children's services",
                        "workforce",
                        v,
                        "percent",
                        format!("the vacancy rate across children's services is {v} per cent"),
                    )
                }
                _ => {
                    let v = 50 + rng.below(40);
                    (
                        "home-ownership",
                        "households that own or are buying their homes",
                        "housing",
                        v,
                        "percent",
                        format!("{v} per cent of all households now own or are buying their homes"),
                    )
                }
            };
            figs.push((
                suffix.into(),
                what.into(),
                topic,
                value.to_string(),
                unit,
                quote,
            ));
        }
        for (suffix, what, topic, value, unit, quote) in figs {
            entities += 1;
            let _ = write!(
                *figures,
                "\n[[figure]]\nid = \"{id}-{suffix}\"\ncouncil = \"{id}\"\nwhat = \"{what}\"\ntopic = \"{topic}\"\nvalue = {value}\nunit = \"{unit}\"\nperiod = \"November 2004\"\nsource = \"{src}\"\nquote = \"{quote}\"\n",
            );
        }
    }

    let file = |name: String, text: String| KnowledgeText {
        path: PathBuf::from(format!("synthetic/{name}.toml")),
        text,
    };
    let mut files = Vec::new();
    let one = shards.len() == 1;
    for (i, shard) in shards.into_iter().enumerate() {
        let name = |kind: &str| {
            if one {
                kind.to_string()
            } else {
                format!("{kind}-{i:03}")
            }
        };
        files.push(file(name("councils"), shard.councils));
        files.push(file(name("figures"), shard.figures));
        files.push(file(name("people"), shard.people));
        files.push(file(name("ratings"), shard.ratings));
        files.push(file(name("schemes"), shard.schemes));
    }
    files.push(file("regions".into(), regions));
    files.push(file("sources".into(), sources));
    // In name order, as `knowledge::read_dir` would give them.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Synth {
        files,
        councils: names,
        aliases,
        people: person_names,
        entities,
    }
}

/// A misspelling of `name`: one letter dropped from the middle of its longest word.
pub fn typo(name: &str) -> String {
    let (start, w) = name
        .split(' ')
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .max_by_key(|(_, w)| w.len())
        .expect("a name has a word");
    let cut = start + w.len() / 2;
    format!("{}{}", &name[..cut], &name[cut + 1..])
}
