//! The shapes of the knowledge base: one serde type for each kind of fact.
//!
//! Every fact names the [`Source`] it comes from and carries the sentence it was taken from
//! (`quote`), so an answer can always say where it came from. A quote must be a statement of
//! at least a few words and give the fact's value (stars, number, surname, scheme name);
//! where the source's wording cannot, `quote_note` says why.

use serde::Deserialize;

/// One knowledge file: any mix of the curated [`Kind`]s and the kinds generated from tables,
/// each as an array of tables (`[[council]]`, …).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeFile {
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    #[serde(default, rename = "council")]
    pub councils: Vec<Council>,
    #[serde(default, rename = "person")]
    pub people: Vec<Person>,
    #[serde(default, rename = "scheme")]
    pub schemes: Vec<Scheme>,
    #[serde(default, rename = "rating")]
    pub ratings: Vec<Rating>,
    #[serde(default, rename = "figure")]
    pub figures: Vec<Figure>,
    #[serde(default, rename = "region")]
    pub regions: Vec<Region>,
    #[serde(default, rename = "table")]
    pub tables: Vec<super::register::Table>,
    #[serde(default, rename = "cell")]
    pub cells: Vec<super::register::Cell>,
    #[serde(default, rename = "authority")]
    pub authorities: Vec<super::register::Authority>,
    #[serde(default, rename = "inspection")]
    pub inspections: Vec<super::register::Inspection>,
    #[serde(default, rename = "star_rating")]
    pub star_ratings: Vec<super::register::StarRating>,
    #[serde(default, rename = "star_total")]
    pub star_totals: Vec<super::register::StarTotal>,
}

/// A kind of entry in a knowledge file, named by its table (`[[council]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Source,
    Council,
    Person,
    Scheme,
    Rating,
    Figure,
    Region,
}

impl Kind {
    /// Every kind, in the order a file's entries are taken.
    pub const ALL: [Kind; 7] = [
        Kind::Source,
        Kind::Council,
        Kind::Person,
        Kind::Scheme,
        Kind::Rating,
        Kind::Figure,
        Kind::Region,
    ];

    /// The table name in a knowledge file, also the word used in messages.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Council => "council",
            Kind::Person => "person",
            Kind::Scheme => "scheme",
            Kind::Rating => "rating",
            Kind::Figure => "figure",
            Kind::Region => "region",
        }
    }

    /// The plural used in messages.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Council => "councils",
            Kind::Person => "people",
            Kind::Scheme => "schemes",
            Kind::Rating => "ratings",
            Kind::Figure => "figures",
            Kind::Region => "regions",
        }
    }
}

impl KnowledgeFile {
    /// How many entries of each kind the file holds, in [`Kind::ALL`] order.
    pub fn counts(&self) -> [usize; 7] {
        [
            self.sources.len(),
            self.councils.len(),
            self.people.len(),
            self.schemes.len(),
            self.ratings.len(),
            self.figures.len(),
            self.regions.len(),
        ]
    }

    /// Adds `other`'s entries after this file's, as if its text followed.
    pub fn append(&mut self, mut other: KnowledgeFile) {
        self.sources.append(&mut other.sources);
        self.councils.append(&mut other.councils);
        self.people.append(&mut other.people);
        self.schemes.append(&mut other.schemes);
        self.ratings.append(&mut other.ratings);
        self.figures.append(&mut other.figures);
        self.regions.append(&mut other.regions);
        self.tables.append(&mut other.tables);
        self.cells.append(&mut other.cells);
        self.authorities.append(&mut other.authorities);
        self.inspections.append(&mut other.inspections);
        self.star_ratings.append(&mut other.star_ratings);
        self.star_totals.append(&mut other.star_totals);
    }
}

/// Where facts come from: an article, a register, a report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    /// Publication date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; absent for a register with no
    /// single edition.
    #[serde(default)]
    pub date: Option<String>,
    /// The source's text, relative to the knowledge directory. When present, every quote
    /// citing this source must appear in it.
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// The text of `file`, read at load time.
    #[serde(skip)]
    pub text: Option<String>,
}

/// A citation: which source, and the words in it that support the fact.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub source: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
}

/// A statement in plain words with its citation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
    pub source: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
    /// The person the statement is attributed to, if any.
    #[serde(default)]
    pub by: Option<String>,
}

/// An area larger than one council, such as the Midlands, with what is said of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, rename = "note")]
    pub notes: Vec<Note>,
}

/// The kind of local authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CouncilKind {
    #[serde(rename = "metropolitan borough")]
    MetropolitanBorough,
    #[serde(rename = "county")]
    County,
    #[serde(rename = "unitary")]
    Unitary,
    #[serde(rename = "london borough")]
    LondonBorough,
}

impl CouncilKind {
    /// The words used in answers.
    pub fn label(self) -> &'static str {
        match self {
            CouncilKind::MetropolitanBorough => "metropolitan borough",
            CouncilKind::County => "county council",
            CouncilKind::Unitary => "unitary authority",
            CouncilKind::LondonBorough => "London borough",
        }
    }
}

/// A local authority with social services responsibilities.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Council {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: Option<CouncilKind>,
    #[serde(default)]
    pub region: Option<String>,
    /// ONS GSS code, e.g. `E08000025`.
    #[serde(default)]
    pub gss: Option<String>,
    /// The citation for `kind`, `region` and `gss`; required when any of them is given.
    #[serde(default)]
    pub register: Option<Citation>,
    #[serde(default, rename = "note")]
    pub notes: Vec<Note>,
}

/// A role a person holds or held.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub title: String,
    pub organisation: String,
    /// The council the role is at, when it is one in the knowledge base.
    #[serde(default)]
    pub council: Option<String>,
    /// True when the role leads the council's social services (the answer to `director`).
    #[serde(default)]
    pub leads_social_services: bool,
    /// When the role was held, in words ("November 2004", "since 2002").
    #[serde(default)]
    pub period: Option<String>,
    pub source: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
}

/// Words a person is quoted as saying.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    /// The words, exactly as the source has them.
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
    pub source: String,
    /// What the words are about, in a few words.
    #[serde(default)]
    pub topic: Option<String>,
}

/// A person named in a source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, rename = "role")]
    pub roles: Vec<Role>,
    #[serde(default, rename = "said")]
    pub quotes: Vec<Said>,
    #[serde(default, rename = "note")]
    pub notes: Vec<Note>,
}

/// One detail of a scheme, with the words that support it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detail {
    pub text: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
    /// Defaults to the scheme's source.
    #[serde(default)]
    pub source: Option<String>,
}

/// A scheme or initiative run by a council.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub council: String,
    pub source: String,
    pub description: Detail,
    #[serde(default)]
    pub started: Option<Detail>,
    #[serde(default)]
    pub cost: Option<Detail>,
    #[serde(default)]
    pub reach: Option<Detail>,
    #[serde(default)]
    pub outcome: Option<Detail>,
    /// The council whose example the scheme followed.
    #[serde(default)]
    pub inspired_by: Option<String>,
    #[serde(default, rename = "detail")]
    pub details: Vec<Detail>,
}

/// The part of social services a rating covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceArea {
    Overall,
    Children,
    Adults,
}

impl ServiceArea {
    /// The words used in answers.
    pub fn label(self) -> &'static str {
        match self {
            ServiceArea::Overall => "social services",
            ServiceArea::Children => "children's services",
            ServiceArea::Adults => "adults' services",
        }
    }
}

/// A star rating claim for a council's social services.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub council: String,
    /// 0 to 3.
    pub stars: i64,
    pub area: ServiceArea,
    /// The year the rating applies to; ratings of one council, area and year that disagree are
    /// shown as a conflict.
    pub year: i64,
    /// When, in words ("November 2004, when the article was published").
    pub when: String,
    /// The inspecting body, when the source names it.
    #[serde(default)]
    pub body: Option<String>,
    pub source: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
}

/// The unit of a figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
    People,
    Count,
    SquareMiles,
    Years,
    Pounds,
}

/// A number about a council or a region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    /// The council the figure is about; one of `council` and `region` is required.
    #[serde(default)]
    pub council: Option<String>,
    /// The region the figure is about when it is not one council.
    #[serde(default)]
    pub region: Option<String>,
    /// What the number measures, in words.
    pub what: String,
    /// A one-word topic used by questions: population, ethnicity, area, housing, workforce, …
    pub topic: String,
    pub value: f64,
    pub unit: Unit,
    /// "almost", "over": how the source qualifies the value.
    #[serde(default)]
    pub qualifier: Option<String>,
    /// An earlier value the source compares with.
    #[serde(default)]
    pub previous: Option<f64>,
    /// When the value holds ("November 2004", "the 12 months to November 2004").
    pub period: String,
    /// When the previous value held.
    #[serde(default)]
    pub previous_period: Option<String>,
    pub source: String,
    pub quote: String,
    /// Why the quote cannot meet the quote rules (enough words; the fact's value among them),
    /// when the source's wording cannot: a reviewed exception.
    #[serde(default)]
    pub quote_note: Option<String>,
}
