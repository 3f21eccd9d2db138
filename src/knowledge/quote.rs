//! What makes a quote support its fact: enough words to be a statement, and the fact's value
//! among them. A fact whose source cannot meet a rule says why in `quote_note`. Also finding
//! many quotes in a source's text at once.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use memchr::memmem;

use super::model::*;
use super::normalize::{contains_words, fold, name_key};
use super::{COUNCIL_FILLER, SCHEME_FILLER};

/// The fewest words a quote may have: a short statement, never a lone word or phrase.
pub const MIN_WORDS: usize = 5;

/// The advice every rule's message ends with.
pub const EXCEPTION: &str =
    "or, where the source's wording cannot, say why in `quote_note = \"…\"`";

/// The number of words in `quote`: runs of non-space with a letter or digit.
pub fn words(quote: &str) -> usize {
    quote
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// True when `quote` gives `stars` in digits or words ("two-star", "3 stars", "zero stars").
pub fn has_stars(quote: &str, stars: i64) -> bool {
    let word = match stars {
        0 => "zero",
        1 => "one",
        2 => "two",
        3 => "three",
        _ => return false,
    };
    let folded = fold(quote);
    folded
        .split(' ')
        .any(|w| w == word || w == stars.to_string())
}

/// True when `quote` has the number `value` ("300,000", "7.3", "£10,000").
pub fn has_number(quote: &str, value: f64) -> bool {
    numbers(quote).any(|n| (n - value).abs() <= f64::EPSILON * value.abs().max(1.0))
}

/// The numbers written in `text`, with thousands separators and decimal points.
fn numbers(text: &str) -> impl Iterator<Item = f64> + '_ {
    text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .filter_map(|run| {
            let run = run.trim_matches(|c| c == ',' || c == '.');
            let digits: String = run.chars().filter(|&c| c != ',').collect();
            digits.parse::<f64>().ok()
        })
}

/// True when `quote` has all the words of `name`, in order, as whole words.
pub fn has_name(quote: &str, name: &str) -> bool {
    contains_words(&fold(quote), &fold(name))
}

/// True when every word of `name` is a word of `quote`, in any order, a final `s` aside
/// ("Care assistant NVQs" is named by "NVQ training for care assistants").
pub fn has_words(quote: &str, name: &str) -> bool {
    let stem = |w: &str| {
        w.strip_suffix('s')
            .filter(|w| !w.is_empty())
            .unwrap_or(w)
            .to_string()
    };
    let quote = fold(quote);
    let have: std::collections::HashSet<String> = quote.split(' ').map(stem).collect();
    let name = fold(name);
    !name.is_empty() && name.split(' ').all(|w| have.contains(&stem(w)))
}

/// A person's surname: the last word of their name.
pub fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

/// A fact's quote, its source and the reason it is exempt from the quote rules, if it is.
pub struct Quoted<'x> {
    pub source: &'x str,
    pub quote: &'x str,
    pub note: Option<&'x str>,
}

impl<'x> Quoted<'x> {
    pub fn of(fact: &'x impl Cited) -> Quoted<'x> {
        let (source, quote, note) = fact.cited();
        Quoted {
            source,
            quote,
            note,
        }
    }
}

/// A fact with a citation: its source, quote and `quote_note`.
pub trait Cited {
    fn cited(&self) -> (&str, &str, Option<&str>);
}

macro_rules! cited {
    ($($t:ty),*) => {$(
        impl Cited for $t {
            fn cited(&self) -> (&str, &str, Option<&str>) {
                (&self.source, &self.quote, self.quote_note.as_deref())
            }
        }
    )*};
}

cited!(Citation, Note, Role, Said, Rating, Figure);

/// A value of a fact its quote must give.
pub enum Gives<'x> {
    /// A star rating, in digits or words.
    Stars(i64),
    /// A figure's number.
    Number(f64),
    /// The surname of the person in a role.
    Surname(&'x str),
    /// The scheme's name or one of its aliases.
    Scheme(&'x str, &'x [String]),
    /// A council's name or one of its aliases, as its register entry gives it.
    Council(&'x str, &'x [String]),
    /// A council's code, as its register entry gives it.
    Code(&'x str),
}

/// What a quote must have to support its fact.
pub struct Rule<'x> {
    pub min_words: usize,
    pub gives: &'x [Gives<'x>],
}

impl<'x> Rule<'x> {
    /// A statement of at least [`MIN_WORDS`] words giving `gives`.
    pub fn giving(gives: &'x [Gives<'x>]) -> Rule<'x> {
        Rule {
            min_words: MIN_WORDS,
            gives,
        }
    }

    /// Why `text` does not meet the rule, if it does not.
    pub fn broken_by(&self, text: &str) -> Option<String> {
        let exception = EXCEPTION;
        let n = words(text);
        if n < self.min_words {
            let min = self.min_words;
            return Some(format!("quote is too short to support a fact ({n} of at least {min} words): quote the whole statement, {exception}"));
        }
        self.gives.iter().find_map(|g| match *g {
            Gives::Stars(s) if !has_stars(text, s) => Some(format!("quote does not give the rating: it must have the number of stars ({s}) in digits or words, {exception}")),
            Gives::Number(v) if !has_number(text, v) => Some(format!("quote does not give the value {v}: quote the words with the number, {exception}")),
            Gives::Surname(name) if !has_name(text, name) => Some(format!("quote does not name {name}: quote the words that name the person in this role, {exception}")),
            Gives::Scheme(name, aliases) if !names(name, aliases).any(|n| has_words(text, &name_key(n, SCHEME_FILLER))) => Some(format!("quote does not name the scheme `{name}` or an alias of it: quote the words that name it, {exception}")),
            Gives::Council(name, aliases) if !names(name, aliases).any(|n| has_name(text, &name_key(n, COUNCIL_FILLER))) => Some(format!("register quote does not name `{name}` or an alias of it: quote the register's entry for this council, {exception}")),
            Gives::Code(code) if !has_name(text, code) => Some(format!("register quote does not give the code `{code}`: quote the register's entry for this council, {exception}")),
            _ => None,
        })
    }
}

/// The most bytes looking for each quote on its own may read (the text's length once for each
/// quote); past it, one automaton finds them all in one pass.
const SEPARATE_SEARCHES: usize = 16 << 20;

/// For each of `quotes`, whether `text` has it. A few quotes in a short text are each looked
/// for on their own (`memmem`); more take one pass over the text for them all, with a
/// contiguous NFA: built in time linear in the quotes' length, where a DFA's build
/// (aho-corasick's choice for a few dozen patterns) cost more than the search saves.
pub fn quotes_in<'q>(text: &str, quotes: impl Iterator<Item = &'q str>) -> Vec<bool> {
    let mut distinct: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    let ids: Vec<usize> = quotes
        .map(|q| {
            *distinct.entry(q).or_insert_with(|| {
                patterns.push(q);
                patterns.len() - 1
            })
        })
        .collect();
    if patterns.len().saturating_mul(text.len()) <= SEPARATE_SEARCHES {
        let hit: Vec<bool> = (patterns.iter())
            .map(|p| memmem::find(text.as_bytes(), p.as_bytes()).is_some())
            .collect();
        return ids.into_iter().map(|i| hit[i]).collect();
    }
    let mut hit = vec![false; patterns.len()];
    let built = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&patterns);
    match built {
        Ok(ac) => {
            for m in ac.find_overlapping_iter(text) {
                hit[m.pattern().as_usize()] = true;
            }
        }
        // Too many quotes for one automaton: each is looked for on its own.
        Err(_) => {
            for (h, p) in hit.iter_mut().zip(&patterns) {
                *h = text.contains(p);
            }
        }
    }
    ids.into_iter().map(|i| hit[i]).collect()
}

/// A name and its aliases.
fn names<'x>(name: &'x str, aliases: &'x [String]) -> impl Iterator<Item = &'x str> {
    std::iter::once(name).chain(aliases.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_alike_one_by_one_and_all_at_once() {
        let quotes = [
            "the star",
            "star rating",
            "no such words",
            "the star",
            "am.",
        ];
        let short = "the star rating of birmingham.";
        let want = [true, true, false, true, true];
        assert_eq!(quotes_in(short, quotes.into_iter()), want);
        // Long enough that the quotes are looked for in one pass.
        let long = format!("{}{short}", " filler".repeat(SEPARATE_SEARCHES / 7 / 2));
        assert!(quotes.len() * long.len() > SEPARATE_SEARCHES);
        assert_eq!(quotes_in(&long, quotes.into_iter()), want);
    }

    #[test]
    fn counts_words_with_letters_or_digits() {
        assert_eq!(words("Birmingham has a one-star rating"), 5);
        assert_eq!(words("star"), 1);
        assert_eq!(words("a – b  c"), 3);
    }

    #[test]
    fn finds_stars_in_digits_or_words() {
        assert!(has_stars("Solihull has a two-star rating", 2));
        assert!(has_stars("move from zero stars", 0));
        assert!(has_stars("rated 3 stars", 3));
        assert!(!has_stars("Solihull has a two-star rating", 3));
        assert!(!has_stars("star", 3));
        assert!(!has_stars("someone said it", 1));
    }

    #[test]
    fn finds_numbers_as_written() {
        assert!(has_number(
            "Coventry has a population of 300,000.",
            300_000.0
        ));
        assert!(has_number("7.3 per cent are Asian", 7.3));
        assert!(has_number("cost no more than £10,000", 10_000.0));
        assert!(has_number("over 50 and more", 50.0));
        assert!(!has_number("over 500 and more", 50.0));
        assert!(!has_number("7.3 per cent", 7.0));
    }

    #[test]
    fn finds_names_as_whole_words() {
        assert!(has_name("John Bolton’s mind", "Bolton"));
        assert!(has_name(
            "The idea behind the Safe and Sound scheme",
            "Safe and Sound"
        ));
        assert!(!has_name("Boltonian", "Bolton"));
        assert_eq!(surname("Peter Hay"), "Hay");
        assert!(has_words(
            "NVQ training for care assistants",
            "Care assistant NVQs"
        ));
        assert!(!has_words(
            "sponsoring them on a social work course",
            "Social work course sponsorship"
        ));
    }
}
